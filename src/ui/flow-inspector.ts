/**
 * The Pit inspector's model: each call's Chambering Flow phases, replayed through a real XState actor of
 * the machine (the browser's side of the single definition), plus the engine's event stream.
 */
import { createActor } from "xstate";
import { el } from "./dom.ts";
import {
  chamberingFlow,
  describeEvent,
  type EngineEvent,
  FLOW_TABLE,
  type FlowEvent,
  type FlowEventType,
  type FlowState,
} from "../engine/api/view.ts";

/** The flow event that takes the machine from one phase to the next (each such pair has exactly one). */
export function eventBetween(from: FlowState, to: FlowState): FlowEvent | null {
  const row = FLOW_TABLE[from];
  for (const [type, edge] of Object.entries(row) as [FlowEventType, { target: FlowState }][]) {
    if (edge.target !== to) continue;
    // Guarded events carry the payload that passed the guard in the engine.
    if (type === "RETRY") return { type, attemptsLeft: 1, safe: true };
    if (type === "SKIP") return { type, skippable: true };
    if (type === "AWAIT_DECISION") return { type, options: [] };
    return { type } as FlowEvent;
  }
  return null;
}

export interface CallTrace {
  readonly fn: string;
  readonly phases: readonly FlowState[];
  /**
   * The actor's state after replaying the phases: "done" or "rejected" when the engine and machine agree,
   * or "deciding" for a call that paused for the player's recovery decision.
   */
  readonly actorState: string;
}

/** How a call resumed by a recovery decision got to `deciding` (its step shows only what follows). */
const TO_DECIDING: readonly FlowState[] = [
  "requesting",
  "registering",
  "activating",
  "using",
  "recovering",
  "deciding",
];

/** Splits a step's FlowPhase events by call and replays each through an actor. */
export function traceCalls(events: readonly EngineEvent[]): CallTrace[] {
  const traces: { fn: string; phases: FlowState[] }[] = [];
  let open: { fn: string; phases: FlowState[] } | null = null;
  for (const e of events) {
    if (e.type !== "FlowPhase") continue;
    if (e.phase === "requesting" || !open) {
      open = { fn: e.fn, phases: [] };
      traces.push(open);
    }
    open.phases.push(e.phase);
  }
  return traces.map((t) => {
    const actor = createActor(chamberingFlow).start();
    actor.send({ type: "REQUEST", fn: t.fn });
    // A resumed call (a decision step) picks up in `deciding`: replay the way there first.
    const all = t.phases[0] === "requesting" ? t.phases : [...TO_DECIDING, ...t.phases];
    for (let i = 1; i < all.length; i++) {
      const ev = eventBetween(all[i - 1] as FlowState, all[i] as FlowState);
      if (ev && actor.getSnapshot().status === "active") actor.send(ev);
    }
    const actorState = String(actor.getSnapshot().value);
    actor.stop();
    return { fn: t.fn, phases: all, actorState };
  });
}

/**
 * The Pit inspector's body for a step: the machine's state, each call's phases as the actor replayed
 * them, and the step's events in the engine's words (the raw event as the line's tooltip).
 */
export function inspectorBody(events: readonly EngineEvent[], machine: HTMLElement): HTMLElement[] {
  const traces = el("ul", { className: "log" });
  for (const t of traceCalls(events))
    traces.append(el("li", { textContent: `${t.fn}: ${t.phases.join(" → ")}  [actor: ${t.actorState}]` }));
  const stream = el("ul", { className: "log" });
  for (const e of events) {
    if (e.type === "FlowPhase") continue;
    const li = el("li", { textContent: describeEvent(e)?.text ?? e.type });
    li.title = JSON.stringify(e);
    stream.append(li);
  }
  return [
    machine,
    el("h3", { textContent: "Chambering Flow (last step)" }),
    traces,
    el("h3", { textContent: "Event stream (last step)" }),
    stream,
  ];
}
