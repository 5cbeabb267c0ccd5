/**
 * The Chambering Flow (seed 001): the lifecycle every call walks through, from request to state update,
 * with the failure branches for retry, fallback, reverse reconstruction and graceful skip, and on levels
 * with `recovery: "choose"` the wait for the player's recovery decision (`deciding`).
 *
 * `FLOW_CONFIG` below is the single definition. `flow-machine.ts` makes the XState machine of it, which the
 * browser runs as an actor (and shows in the Pit inspector); the headless engine runs `FLOW_TABLE`, a
 * transition table derived from the same config, because an actor per call would cap the environment near
 * 45,000 steps/s. A test walks every path of the machine through both and checks they agree.
 */

export type FlowEvent =
  | { type: "REQUEST"; fn: string }
  | { type: "REQUEST_ACCEPTED" }
  | { type: "REQUEST_REJECTED"; reason: string }
  | { type: "REGISTERED" }
  | { type: "INPUT_MISSING"; artifact: string }
  | { type: "REGISTRATION_REJECTED"; reason: string }
  | { type: "RECONSTRUCTED"; artifact: string }
  | { type: "RECONSTRUCTION_FAILED"; reason: string }
  | { type: "ACTIVATED" }
  | { type: "ACTIVATION_REJECTED"; reason: string }
  | { type: "USAGE_SUCCEEDED" }
  | { type: "USAGE_FAILED"; reason: string }
  | { type: "RETRY"; attemptsLeft: number; safe: boolean }
  | { type: "FALLBACK"; fallback: string }
  | { type: "SKIP"; skippable: boolean }
  | { type: "GIVE_UP" }
  | { type: "AWAIT_DECISION"; options: readonly string[] }
  | { type: "RETURNED" }
  | { type: "UPDATED" };

export type FlowEventType = FlowEvent["type"];

export const FLOW_STATES = [
  "idle",
  "requesting",
  "registering",
  "reconstructing",
  "activating",
  "using",
  "recovering",
  "deciding",
  "fallingBack",
  "skipping",
  "returning",
  "updating",
  "rejected",
  "done",
] as const;
export type FlowState = (typeof FLOW_STATES)[number];

/** Guard helpers, shared by the machine and the table. */
export const flowGuards = {
  retryAllowed: (e: FlowEvent): boolean => e.type === "RETRY" && e.attemptsLeft > 0 && e.safe,
  skipAllowed: (e: FlowEvent): boolean => e.type === "SKIP" && e.skippable,
} as const;
export type FlowGuardName = keyof typeof flowGuards;

const entered = (phase: FlowState) => ({ type: "enter", params: { phase } }) as const;

/** The recovery strategies as transitions: taken on their own in `recovering`, or as the player's decision. */
const RECOVERIES = {
  RETRY: { target: "using", guard: "retryAllowed" },
  FALLBACK: "fallingBack",
  SKIP: { target: "skipping", guard: "skipAllowed" },
} as const;

/**
 * The machine's config, as plain data: `flow-machine.ts` makes the XState machine of it (the browser's
 * actor, the graph tests), and `FLOW_TABLE` below is derived from it for the headless engine. Keeping it
 * free of XState keeps XState out of the engine's import graph (and off the game's first load).
 */
export const FLOW_CONFIG = {
  id: "chamberingFlow",
  initial: "idle",
  states: {
    idle: { on: { REQUEST: "requesting" } },
    requesting: {
      entry: entered("requesting"),
      on: { REQUEST_ACCEPTED: "registering", REQUEST_REJECTED: "rejected" },
    },
    registering: {
      entry: entered("registering"),
      on: { REGISTERED: "activating", INPUT_MISSING: "reconstructing", REGISTRATION_REJECTED: "rejected" },
    },
    reconstructing: {
      entry: entered("reconstructing"),
      on: { RECONSTRUCTED: "registering", RECONSTRUCTION_FAILED: "rejected" },
    },
    activating: {
      entry: entered("activating"),
      on: { ACTIVATED: "using", ACTIVATION_REJECTED: "rejected" },
    },
    using: {
      entry: entered("using"),
      on: { USAGE_SUCCEEDED: "returning", USAGE_FAILED: "recovering" },
    },
    recovering: {
      entry: entered("recovering"),
      on: {
        ...RECOVERIES,
        GIVE_UP: "returning",
        AWAIT_DECISION: "deciding",
      },
    },
    // A "choose" level: the call waits for the player's decision, which arrives as the strategy's event.
    deciding: {
      entry: entered("deciding"),
      on: RECOVERIES,
    },
    fallingBack: {
      entry: entered("fallingBack"),
      on: { ACTIVATED: "using", ACTIVATION_REJECTED: "returning" },
    },
    skipping: {
      entry: entered("skipping"),
      on: { RETURNED: "updating" },
    },
    returning: {
      entry: entered("returning"),
      on: { RETURNED: "updating" },
    },
    updating: {
      entry: entered("updating"),
      on: { UPDATED: "done" },
    },
    rejected: { entry: entered("rejected"), type: "final" },
    done: { entry: entered("done"), type: "final" },
  },
} as const;

interface TableEdge {
  readonly target: FlowState;
  readonly guard: FlowGuardName | null;
}

/** state -> event -> edge, read from the machine's own config. */
export type FlowTable = Readonly<Record<FlowState, Partial<Record<FlowEventType, TableEdge>>>>;

/**
 * Derives the transition table from the machine's definition (the machine itself, or the config it is made
 * of), so the two can never drift apart.
 */
export function deriveFlowTable(
  machine: { readonly config: { readonly states?: unknown } } = { config: FLOW_CONFIG },
): FlowTable {
  const table = {} as Record<FlowState, Partial<Record<FlowEventType, TableEdge>>>;
  const states = machine.config.states as Record<string, { on?: Record<string, unknown> }>;
  for (const name of FLOW_STATES) {
    const node = states[name];
    if (!node) throw new Error(`chambering flow has no state "${name}"`);
    const row: Partial<Record<FlowEventType, TableEdge>> = {};
    for (const [event, t] of Object.entries(node.on ?? {})) {
      const edge =
        typeof t === "string" ? { target: t, guard: null } : (t as { target: string; guard?: string });
      row[event as FlowEventType] = {
        target: edge.target as FlowState,
        guard: (edge.guard ?? null) as FlowGuardName | null,
      };
    }
    table[name] = row;
  }
  return table;
}

export const FLOW_TABLE: FlowTable = deriveFlowTable();

/** Result of one table transition: the new state, or why the event does not apply. */
export type FlowStep = { ok: true; state: FlowState } | { ok: false; reason: string };

/** One transition of the table: the headless twin of sending an event to the actor. */
export function flowTransition(state: FlowState, event: FlowEvent, table: FlowTable = FLOW_TABLE): FlowStep {
  const edge = table[state][event.type];
  if (!edge) return { ok: false, reason: `no ${event.type} transition from ${state}` };
  if (edge.guard && !flowGuards[edge.guard](event)) {
    return { ok: false, reason: `guard ${edge.guard} refused ${event.type} in ${state}` };
  }
  return { ok: true, state: edge.target };
}
