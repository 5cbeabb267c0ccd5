import { createActor } from "xstate";
import { getSimplePaths } from "xstate/graph";
import { describe, expect, it } from "vitest";
import {
  chamberingFlow,
  deriveFlowTable,
  FLOW_STATES,
  FLOW_TABLE,
  type FlowEvent,
  type FlowState,
  flowTransition,
} from "../src/engine/index.ts";

// Every event the machine knows, with payloads that pass and fail each guard.
const EVENTS: FlowEvent[] = [
  { type: "REQUEST", fn: "f" },
  { type: "REQUEST_ACCEPTED" },
  { type: "REQUEST_REJECTED", reason: "permission" },
  { type: "REGISTERED" },
  { type: "INPUT_MISSING", artifact: "x" },
  { type: "REGISTRATION_REJECTED", reason: "missing input" },
  { type: "RECONSTRUCTED", artifact: "x" },
  { type: "RECONSTRUCTION_FAILED", reason: "no source" },
  { type: "ACTIVATED" },
  { type: "ACTIVATION_REJECTED", reason: "capacity" },
  { type: "USAGE_SUCCEEDED" },
  { type: "USAGE_FAILED", reason: "boom" },
  { type: "RETRY", attemptsLeft: 1, safe: true },
  { type: "RETRY", attemptsLeft: 0, safe: true },
  { type: "RETRY", attemptsLeft: 2, safe: false },
  { type: "FALLBACK", fallback: "g" },
  { type: "SKIP", skippable: true },
  { type: "SKIP", skippable: false },
  { type: "GIVE_UP" },
  { type: "AWAIT_DECISION", options: ["retry", "skip"] },
  { type: "RETURNED" },
  { type: "UPDATED" },
];

interface Run {
  states: string[];
  phases: string[];
}

function runActor(events: readonly FlowEvent[]): Run {
  const actor = createActor(chamberingFlow);
  const phases: string[] = [];
  actor.on("phase", (e) => phases.push(e.phase));
  actor.start();
  const states = [String(actor.getSnapshot().value)];
  for (const e of events) {
    // A finished actor takes no more events (XState warns); the table has no edges out of final states.
    if (actor.getSnapshot().status === "active") actor.send(e);
    states.push(String(actor.getSnapshot().value));
  }
  actor.stop();
  return { states, phases };
}

function runTable(events: readonly FlowEvent[]): Run {
  let state: FlowState = "idle";
  const states: string[] = [state];
  const phases: string[] = [];
  for (const e of events) {
    const r = flowTransition(state, e);
    if (r.ok) {
      state = r.state;
      phases.push(state);
    }
    states.push(state);
  }
  return { states, phases };
}

const paths = getSimplePaths(chamberingFlow, { events: EVENTS });

describe("Chambering Flow", () => {
  it("has a path to every state, and the table covers every state of the machine", () => {
    const reached = new Set(paths.map((p) => String(p.state.value)));
    for (const s of FLOW_STATES) if (s !== "idle") expect(reached, s).toContain(s);
    expect(Object.keys(FLOW_TABLE).sort()).toEqual([...FLOW_STATES].sort());
  });

  it("walks every simple path the same way in the actor and in the derived table", () => {
    expect(paths.length).toBeGreaterThan(15);
    for (const p of paths) {
      const events = p.steps.map((s) => s.event as FlowEvent).filter((e) => !e.type.startsWith("xstate."));
      const a = runActor(events);
      const t = runTable(events);
      expect(t.states, events.map((e) => e.type).join(" > ")).toEqual(a.states);
      expect(t.phases).toEqual(a.phases);
      expect(a.states.at(-1)).toBe(String(p.state.value));
    }
  });

  it("agrees with the actor on every event in every state, guards included", () => {
    for (const p of paths) {
      const prefix = p.steps.map((s) => s.event as FlowEvent).filter((e) => !e.type.startsWith("xstate."));
      for (const e of EVENTS) {
        expect(runTable([...prefix, e]).states, `${String(p.state.value)} + ${e.type}`).toEqual(
          runActor([...prefix, e]).states,
        );
      }
    }
  });

  it("refuses a retry with no attempts left or unsafe, and a skip of an essential step", () => {
    expect(flowTransition("recovering", { type: "RETRY", attemptsLeft: 0, safe: true }).ok).toBe(false);
    expect(flowTransition("recovering", { type: "RETRY", attemptsLeft: 1, safe: false }).ok).toBe(false);
    expect(flowTransition("recovering", { type: "SKIP", skippable: false })).toEqual({
      ok: false,
      reason: "guard skipAllowed refused SKIP in recovering",
    });
    expect(flowTransition("done", { type: "REQUEST", fn: "f" })).toEqual({
      ok: false,
      reason: "no REQUEST transition from done",
    });
  });

  it("derives the table from the machine config, not from a copy", () => {
    expect(deriveFlowTable(chamberingFlow)).toEqual(FLOW_TABLE);
    expect(FLOW_TABLE.using.USAGE_FAILED?.target).toBe("recovering");
    expect(FLOW_TABLE.recovering.RETRY).toEqual({ target: "using", guard: "retryAllowed" });
  });
});
