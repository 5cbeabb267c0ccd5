import type { LevelFunction } from "./level.ts";
import { type FlowEvent, type FlowState, flowTransition } from "./flow.ts";
import type { Call, EngineEvent } from "./types.ts";

/**
 * What every phase of a call shares: the step's events (optional), the tracker that walks the call through
 * the Chambering Flow's table, and the call's plan.
 *
 * Events are optional: `ev` is null when the caller does not read them (training, search), and then no
 * event object is built at all (`ev?.push(...)` skips evaluating its argument).
 */

export type Events = EngineEvent[] | null;

/** Tracks one call's phases on the table derived from the XState machine, and reports each as an event. */
export class Flow {
  constructor(
    private readonly fn: string,
    private readonly events: EngineEvent[],
    /** Where the call stands: `idle` for a new call, `deciding` for one resumed by a decision. */
    public state: FlowState = "idle",
  ) {}
  send(e: FlowEvent, tick: number): void {
    const r = flowTransition(this.state, e);
    // A refused transition here is an engine bug, not bad input: bad input is rejected before the flow.
    if (!r.ok) throw new Error(`chambering flow (${this.fn}): ${r.reason}`);
    this.state = r.state;
    this.events.push({ type: "FlowPhase", fn: this.fn, phase: r.state, tick });
  }
}

/** The flow of a call when events are wanted; null otherwise (then the phases are not tracked). */
export const flowFor = (fn: string, ev: Events): Flow | null => (ev ? new Flow(fn, ev) : null);

/** One call of an action, scheduled to start no earlier than `start`. */
export interface Plan {
  call: Call;
  label: string;
  fn: LevelFunction | null;
  start: number;
}
