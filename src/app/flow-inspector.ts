/**
 * The Pit inspector's model: each call's Chambering Flow phases, replayed through a real XState actor of
 * the machine (the browser's side of the single definition), plus the engine's event stream.
 */
import { createActor } from "xstate";
import {
  chamberingFlow,
  type EngineEvent,
  FLOW_TABLE,
  type FlowEvent,
  type FlowEventType,
  type FlowState,
} from "../engine/index.ts";

/** The flow event that takes the machine from one phase to the next (each such pair has exactly one). */
export function eventBetween(from: FlowState, to: FlowState): FlowEvent | null {
  const row = FLOW_TABLE[from];
  for (const [type, edge] of Object.entries(row) as [FlowEventType, { target: FlowState }][]) {
    if (edge.target !== to) continue;
    // Guarded events carry the payload that passed the guard in the engine.
    if (type === "RETRY") return { type, attemptsLeft: 1, safe: true };
    if (type === "SKIP") return { type, skippable: true };
    return { type } as FlowEvent;
  }
  return null;
}

export interface CallTrace {
  readonly fn: string;
  readonly phases: readonly FlowState[];
  /** The actor's state after replaying the phases: "done" or "rejected" when the engine and machine agree. */
  readonly actorState: string;
}

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
    for (let i = 1; i < t.phases.length; i++) {
      const ev = eventBetween(t.phases[i - 1] as FlowState, t.phases[i] as FlowState);
      if (ev && actor.getSnapshot().status === "active") actor.send(ev);
    }
    const actorState = String(actor.getSnapshot().value);
    actor.stop();
    return { fn: t.fn, phases: t.phases, actorState };
  });
}
