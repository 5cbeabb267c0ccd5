import { type Events, flowFor, type Plan, runCall, runDecision, runPrewarm } from "./call.ts";
import { actionLabel, type CompiledLevel, callLabel, groupClaims, isDecision, PREWARM } from "./compile.ts";
import { checkAction, checkSpec, isSpec, reject, resolveAction } from "./legality.ts";
import type { LevelFunction } from "./level.ts";
import { cloneState } from "./state.ts";
import { finishStep } from "./step-end.ts";
import type {
  Action,
  ActionSpec,
  Call,
  CallRecord,
  EngineEvent,
  GameState,
  Rejection,
  StepResult,
} from "./types.ts";

/** What a caller of `stepInPlace` wants back. */
export interface StepOptions {
  /** False skips building events (training and search never read them); the step result's list is empty. */
  readonly events?: boolean;
}

// Shared by every step taken without events, so frozen: a caller that pushes into it fails at once instead
// of leaking events into other steps' results.
const NO_EVENTS = Object.freeze([]) as readonly EngineEvent[] as EngineEvent[];

/** Step options for callers that never read events (searches, bots, training). */
export const QUIET: StepOptions = { events: false };

/**
 * The pure step: `(state, action) -> { state, events }`. Never throws on bad input: an illegal action
 * returns a typed rejection (and costs a step, as wasted orchestration).
 */
export function step(ctx: CompiledLevel, state: GameState, action: number | string | Action): StepResult {
  return stepInPlace(ctx, cloneState(state), action);
}

/** `step` without the copy: mutates and returns `s`. The headless environment owns its state and uses this. */
export function stepInPlace(
  ctx: CompiledLevel,
  s: GameState,
  input: number | string | Action,
  options?: StepOptions,
): StepResult {
  const ev: Events = options?.events === false ? null : [];
  ctx.pit.attach(s.pit);
  const action = resolveAction(ctx, input);
  const spec = action && isSpec(action) ? action : null;
  const label = spec ? spec.label : action ? actionLabel(action.calls) : String(input);
  const rejection = action
    ? spec
      ? checkSpec(ctx, s, spec)
      : checkAction(ctx, s, action)
    : reject(
        "unknown-action",
        null,
        `no action ${typeof input === "number" ? `#${input}` : `"${label}"`} on this level`,
      );
  const events = ev ?? NO_EVENTS;
  if (s.status !== "playing") {
    return {
      ok: false,
      state: s,
      events,
      rejection: rejection ?? reject("episode-over", null, "the episode is over"),
    };
  }
  ev?.push({
    type: "ActionRequested",
    step: s.step,
    label,
    calls: spec ? spec.callLabels.slice() : action ? action.calls.map(callLabel) : [label],
    tick: s.tick,
  });
  if (rejection) {
    refuse(ctx, s, { rejection, label, ev });
    return { ok: false, state: s, events, rejection };
  }
  const act = action as Action;
  const first = act.calls[0] as Call;
  if (act.calls.length === 1 && isDecision(first.fn)) {
    // A recovery decision resumes the paused call (the rejection check made sure it is the one offered).
    const end = runDecision(ctx, s, first.fn, ev);
    s.history.push(label);
    finishStep(ctx, s, { ev, end, ran: true });
    return { ok: true, state: s, events };
  }
  const plans: Plan[] = act.calls.map((c, i) => ({
    call: c,
    label: spec ? (spec.callLabels[i] as string) : callLabel(c),
    fn: c.fn === PREWARM ? null : (ctx.fns.get(c.fn) as LevelFunction),
    start: s.tick,
  }));
  const { order, waitFor } =
    plans.length > 1 ? arbitrate(ctx, s, plans, spec, ev) : { order: plans, waitFor: null };

  let end = s.tick;
  const ends = waitFor ? new Map<string, number>() : null;
  const firstRecord = s.calls.length;
  for (const p of order) {
    for (const w of waitFor?.get(p.label) ?? []) p.start = Math.max(p.start, ends?.get(w) ?? s.tick);
    const e = p.fn ? runCall(ctx, s, p, ev) : runPrewarm(ctx, s, p, ev);
    ends?.set(p.label, e);
    end = Math.max(end, e);
  }
  // Parallel execution counts only when two function calls really overlapped (arbitration may have
  // serialised a group that fought over one slot).
  if (plans.length > 1 && overlapped(s.calls, firstRecord)) s.m.parallelGroups++;
  s.history.push(label);
  finishStep(ctx, s, { ev, end, ran: true });
  return { ok: true, state: s, events };
}

/** A refused action walks the flow as far as the check that refused it, and costs a step. */
function refuse(
  ctx: CompiledLevel,
  s: GameState,
  o: { rejection: Rejection; label: string; ev: Events },
): void {
  const { rejection, label, ev } = o;
  const flow = flowFor(rejection.fn ?? label, ev);
  if (flow) {
    flow.send({ type: "REQUEST", fn: rejection.fn ?? label }, s.tick);
    const c = rejection.code;
    if (
      c === "unknown-action" ||
      c === "not-callable" ||
      c === "permission" ||
      c === "broken" ||
      c === "episode-over" ||
      c === "group-too-large" ||
      c === "not-independent" ||
      c === "decision-pending" ||
      c === "no-decision"
    ) {
      flow.send({ type: "REQUEST_REJECTED", reason: rejection.message }, s.tick);
    } else if (c === "capacity" || c === "no-cold-slot") {
      flow.send({ type: "REQUEST_ACCEPTED" }, s.tick);
      flow.send({ type: "REGISTERED" }, s.tick);
      flow.send({ type: "ACTIVATION_REJECTED", reason: rejection.message }, s.tick);
    } else {
      flow.send({ type: "REQUEST_ACCEPTED" }, s.tick);
      flow.send({ type: "REGISTRATION_REJECTED", reason: rejection.message }, s.tick);
    }
  }
  ev?.push({ type: "CallRejected", fn: rejection.fn, code: rejection.code, reason: rejection.message });
  s.m.rejected++;
  s.history.push(label);
  s.calls.push({
    step: s.step,
    fn: rejection.fn ?? label,
    label,
    outcome: "rejected",
    outputs: [],
    redundant: false,
    startTick: s.tick,
    endTick: s.tick,
  });
  finishStep(ctx, s, { ev, end: s.tick, ran: false });
}

/**
 * Arbitration of a parallel group: calls that want more of a pool than it has, or write the same artifact,
 * are ordered by the level's policy. Returns the running order and, per call, the writers it must wait for.
 * A group of the action space that cannot conflict had its order fixed when the level was compiled.
 */
function arbitrate(
  ctx: CompiledLevel,
  s: GameState,
  plans: Plan[],
  spec: ActionSpec | null,
  ev: Events,
): { order: Plan[]; waitFor: Map<string, string[]> | null } {
  const fixed = spec ? ctx.fixedOrder[spec.index] : undefined;
  if (fixed) return { order: fixed.map((i) => plans[i] as Plan), waitFor: null };
  const g = groupClaims(
    ctx,
    plans.map((p) => p.call),
  );
  const verdict = ctx.pit.arbitration.arbitrate(g.claims, g.contested);
  const order = verdict.order.map((o) => plans[g.claims.findIndex((c) => c.owner === o)] as Plan);
  const waitFor = new Map<string, string[]>();
  for (const d of verdict.decisions) {
    ev?.push({
      type: "ConflictArbitrated",
      resource: d.resource,
      winner: d.winner,
      loser: d.loser,
      policy: d.policy,
    });
    s.m.conflicts++;
    if (d.resource.startsWith("artifact:")) waitFor.set(d.loser, [...(waitFor.get(d.loser) ?? []), d.winner]);
  }
  return { order, waitFor };
}

function overlapped(calls: readonly CallRecord[], from: number): boolean {
  for (let i = from; i < calls.length; i++) {
    const a = calls[i] as CallRecord;
    if (a.fn === PREWARM) continue;
    for (let j = i + 1; j < calls.length; j++) {
      const b = calls[j] as CallRecord;
      if (b.fn !== PREWARM && a.startTick < b.endTick && b.startTick < a.endTick) return true;
    }
  }
  return false;
}

/** Rolls back to `previous`, keeping the count of undos (each costs points as the level defines). */
export function undo(previous: GameState, current: GameState): GameState {
  const s = cloneState(previous);
  s.m.undos = current.m.undos + 1;
  return s;
}
