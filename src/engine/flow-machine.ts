import { emit, setup } from "xstate";
import { FLOW_CONFIG, type FlowEvent, type FlowState, flowGuards } from "./flow.ts";

/**
 * The Chambering Flow as an XState machine, made of `FLOW_CONFIG` (flow.ts). The browser runs it as an
 * actor in the Pit inspector (a lazy chunk, so XState is not part of the first load), and the graph tests
 * walk its paths; the engine runs `FLOW_TABLE`, derived from the same config.
 */

/** What the machine emits when it enters a phase: the stream the Pit inspector shows. */
export interface FlowPhaseEmitted {
  type: "phase";
  phase: FlowState;
}

/** Made in a function so the call can be marked pure: a bundle that never reads the machine drops XState. */
function makeMachine() {
  return setup({
    types: {
      events: {} as FlowEvent,
      emitted: {} as FlowPhaseEmitted,
    },
    actions: {
      enter: emit((_, params: { phase: FlowState }) => ({ type: "phase" as const, phase: params.phase })),
    },
    guards: {
      retryAllowed: ({ event }) => flowGuards.retryAllowed(event),
      skipAllowed: ({ event }) => flowGuards.skipAllowed(event),
    },
  }).createMachine(FLOW_CONFIG);
}

export const chamberingFlow = /* @__PURE__ */ makeMachine();
