import type { Allocation, FailureKind } from "../pit-sim/index.ts";
import { type CompiledLevel, PREWARM } from "./compile.ts";
import { type FlowEvent, type FlowState, flowTransition } from "./flow.ts";
import { artifactKey, factKey } from "./keys.ts";
import type { LevelFunction } from "./level.ts";
import { hasKey, markBroken, markUsed } from "./state.ts";
import type {
  Call,
  CallRecord,
  Decision,
  EngineEvent,
  GameState,
  PendingDecision,
  Strategy,
} from "./types.ts";
import { durationFor, failureFor } from "./world.ts";

/**
 * One call through the Chambering Flow (seed 001): request, registration (with reverse reconstruction of a
 * missing input), activation, use with recovery (retry, fallback, graceful skip), return and unloading,
 * and the state update. Each phase is a function below, in the order the flow runs them.
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

interface Activation {
  allocs: Allocation[];
  start: number;
  extra: number;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Reports a stability warning; a warning on the step right after another is also back-to-back. */
export function warn(
  s: GameState,
  ev: Events,
  w: { kind: "overheat" | "utilisation"; pool: string; value: number; limit: number; tick: number },
): void {
  ev?.push({
    type: "StabilityWarning",
    kind: w.kind,
    pool: w.pool,
    value: round2(w.value),
    limit: w.limit,
    tick: w.tick,
  });
  s.m.warnings++;
  if (s.lastWarnStep === s.step - 1) {
    s.m.backToBack++;
    ev?.push({
      type: "StabilityWarning",
      kind: "back-to-back",
      pool: w.pool,
      value: round2(w.value),
      limit: w.limit,
      tick: w.tick,
    });
  }
  s.lastWarnStep = s.step;
}

/** Activation: allocates every pool a function needs, no earlier than `from`, and adds its heat. */
function activate(ctx: CompiledLevel, s: GameState, f: LevelFunction, from: number, ev: Events): Activation {
  let start = from;
  // Reconstruction runs under a synthetic id: fall back to its own resources.
  const needs = ctx.needsOf.get(f.id) ?? Object.entries(f.resources);
  for (const [pool, n] of needs) start = Math.max(start, ctx.pit.pools.freeAt(pool, n, from));
  const allocs: Allocation[] = [];
  let extra = 0;
  for (const [pool, n] of needs) {
    const r = ctx.pit.pools.allocate({ pool, amount: n, owner: f.id, tick: start });
    if (!r.ok) throw new Error(`activation of ${f.id}: ${r.reason}`); // checkCall guarantees capacity
    const a = r.value;
    allocs.push(a);
    extra = Math.max(extra, a.coldTicks);
    if (a.usedPrewarm) s.m.prewarmUsed++;
    else if (a.usedRecycled) s.m.recycledUsed++;
    ev?.push({
      type: "ResourceAllocated",
      fn: f.id,
      pool,
      slots: n,
      warm: a.warm,
      coldTicks: a.coldTicks,
      tick: start,
    });
    if (f.heat > 0) {
      const h = ctx.pit.pools.addHeat(pool, f.heat, start);
      if (h.overloaded) {
        extra += ctx.poolById.get(pool)?.recoveryTicks ?? 0;
        warn(s, ev, { kind: "overheat", pool, value: h.heat, limit: h.limit, tick: start });
      }
    }
  }
  return { allocs, start, extra };
}

/** Unloading: returns a call's slots to their pools and counts the slot-ticks it held them. */
function release(
  ctx: CompiledLevel,
  s: GameState,
  o: { fn: string; act: Activation; tick: number; ev: Events },
): void {
  for (const a of o.act.allocs) {
    ctx.pit.pools.release(a.id, o.tick);
    s.m.units += a.slots.length * Math.max(1, o.tick - o.act.start);
    o.ev?.push({ type: "ResourceReleased", fn: o.fn, pool: a.pool, slots: a.slots.length, tick: o.tick });
  }
}

/** The recovery strategies a function declares and whose requirements hold now. */
export function strategiesOf(f: LevelFunction, s: GameState): Strategy[] {
  const out: Strategy[] = [];
  if (f.recovery.retries > 0 && f.recovery.retryRequires.every((x) => s.facts.includes(x))) out.push("retry");
  if (f.recovery.fallback) out.push("fallback");
  if (f.recovery.skippable) out.push("graceful-skip");
  return out;
}

/** Registration: a missing input is rebuilt in reverse from what it became downstream. Returns the tick. */
function registerInputs(
  ctx: CompiledLevel,
  s: GameState,
  main: LevelFunction,
  from: number,
  flow: Flow | null,
  ev: Events,
): number {
  let tick = from;
  for (const a of main.needs.artifacts) {
    if (s.pit.artifacts[a]) continue;
    const r = ctx.reconstructions.get(a);
    if (!r) throw new Error(`${main.id}: input ${a} vanished after the legality check`);
    flow?.send({ type: "INPUT_MISSING", artifact: a }, tick);
    const rf: LevelFunction = { ...main, id: `reconstruct:${a}`, resources: r.resources, heat: 0 };
    const act = activate(ctx, s, rf, tick, ev);
    const endR = act.start + act.extra + r.duration;
    for (const src of r.from) ctx.pit.artifacts.use(src, rf.id, act.start);
    const stored = ctx.pit.artifacts.store({
      id: a,
      producer: rf.id,
      size: 1,
      quality: "good",
      tick: endR,
      ttl: null,
      pinned: ctx.goalKeys.includes(artifactKey(a)),
    });
    release(ctx, s, { fn: rf.id, act, tick: endR, ev });
    tick = endR;
    s.m.reconstructions++;
    ev?.push({ type: "ReverseReconstructed", fn: main.id, artifact: a, from: r.from.slice(), tick });
    if (stored.ok)
      ev?.push({
        type: "ArtifactStored",
        fn: rf.id,
        artifact: a,
        version: stored.value.version,
        size: stored.value.size,
        quality: stored.value.quality,
        tick,
      });
    flow?.send({ type: "RECONSTRUCTED", artifact: a }, tick);
  }
  return tick;
}

interface Used {
  /** The function that finally ran: the main one, or a fallback. */
  f: LevelFunction;
  outcome: "ok" | "failed" | "skipped" | "paused";
  act: Activation;
  firstStart: number;
  startUse: number;
  tick: number;
}

/** Where a call stands in its use phase: what the loop below carries from attempt to attempt. */
interface Use {
  readonly main: LevelFunction;
  f: LevelFunction;
  attemptsLeft: number;
  tried: string[];
  act: Activation;
  readonly firstStart: number;
  startUse: number;
  tick: number;
}

/** The decisions a `"choose"` level offers after `f` failed: declared by `f`, with requirements holding. */
function offered(ctx: CompiledLevel, s: GameState, u: Use): Decision[] {
  const f = u.f;
  const out: Decision[] = [];
  if (
    f.recovery.retries > 0 &&
    u.attemptsLeft > 0 &&
    f.recovery.retryRequires.every((x) => s.facts.includes(x))
  )
    out.push("retry");
  const fb = f.recovery.fallback;
  if (fb && ctx.fns.has(fb) && !u.tried.includes(fb) && !s.broken.includes(fb)) out.push("fallback");
  if (f.recovery.skippable) out.push("skip");
  return out;
}

/** Use, with recovery: each failed attempt is retried, handed to a fallback, skipped, or given up. */
function useWithRecovery(
  ctx: CompiledLevel,
  s: GameState,
  p: Plan,
  from: number,
  flow: Flow | null,
  ev: Events,
): Used {
  const main = p.fn as LevelFunction;
  const act = activate(ctx, s, main, from, ev);
  const u: Use = {
    main,
    f: main,
    attemptsLeft: main.recovery.retries,
    tried: [main.id],
    act,
    firstStart: act.start,
    startUse: act.start,
    tick: from,
  };
  flow?.send({ type: "ACTIVATED" }, u.tick);
  return attempts(ctx, s, p, u, flow, ev);
}

/** The attempts of a call: each use, and on failure the level's recovery (automatic, or a pause to choose). */
function attempts(ctx: CompiledLevel, s: GameState, p: Plan, u: Use, flow: Flow | null, ev: Events): Used {
  const main = u.main;
  const choose = ctx.level.recovery === "choose";
  for (;;) {
    const f = u.f;
    const attempt = (s.attempts[f.id] ?? 0) + 1;
    s.attempts[f.id] = attempt;
    ev?.push({ type: "StatePrepared", fn: f.id, attempt, tick: u.startUse });
    s.m.calls++;
    let kind: FailureKind | "argument" | null = null;
    let reason = "";
    for (let i = 0; i < f.params.length && f === main; i++) {
      const prm = f.params[i] as LevelFunction["params"][number];
      const v = p.call.args[i] as string;
      if (!prm.accepts.includes(v)) {
        kind = "argument";
        reason = `${f.id} cannot use "${v}" as ${prm.name}`;
      }
    }
    if (!kind) {
      // A function that failed for good fails again (a retry chosen after a permanent failure).
      kind = s.broken.includes(f.id) ? "permanent" : failureFor(ctx, s.seed, f, attempt);
      if (kind)
        reason =
          kind === "corrupt"
            ? `${f.id} produced corrupt output: the quality gate refused it`
            : `${f.id} failed (${kind})`;
    }
    u.tick = u.startUse + u.act.extra + durationFor(ctx, s.seed, f, attempt);
    if (!kind) {
      flow?.send({ type: "USAGE_SUCCEEDED" }, u.tick);
      return { f, outcome: "ok", act: u.act, firstStart: u.firstStart, startUse: u.startUse, tick: u.tick };
    }
    if (kind === "corrupt")
      for (const a of f.produces.artifacts)
        ev?.push({ type: "ArtifactRejected", fn: f.id, artifact: a.id, reason: "quality gate: corrupt" });
    flow?.send({ type: "USAGE_FAILED", reason }, u.tick);
    if (choose && kind !== "argument") {
      if (kind === "permanent") markBroken(s, f.id);
      const options = offered(ctx, s, u);
      if (options.length) {
        ev?.push({ type: "CallFailed", fn: f.id, kind, reason, attempt, handled: true });
        ev?.push({ type: "DecisionAwaited", fn: f.id, kind, options: options.slice(), tick: u.tick });
        flow?.send({ type: "AWAIT_DECISION", options }, u.tick);
        // The call waits without its slots (they go back warm): nothing else waits on a pause.
        release(ctx, s, { fn: f.id, act: u.act, tick: u.tick, ev });
        const paused: PendingDecision = {
          fn: main.id,
          failed: f.id,
          label: p.label,
          args: p.call.args.slice(),
          kind,
          attempt,
          attemptsLeft: u.attemptsLeft,
          tried: u.tried.slice(),
          options,
          reason,
          step: s.step,
          firstStart: u.firstStart,
          startUse: u.startUse,
          tick: u.tick,
          wasDone: s.pit.dag[main.id] === "done",
          act: { allocs: [], start: u.act.start, extra: u.act.extra },
          next: null,
        };
        // Two calls of one group may pause: the second waits for its decision after the first.
        s.pending = queueDecision(s.pending, paused);
        return {
          f,
          outcome: "paused",
          act: u.act,
          firstStart: u.firstStart,
          startUse: u.startUse,
          tick: u.tick,
        };
      }
    } else {
      const safe = f.recovery.retryRequires.every((x) => s.facts.includes(x));
      const fb = f.recovery.fallback ? ctx.fns.get(f.recovery.fallback) : undefined;
      if (kind !== "argument" && kind !== "permanent" && u.attemptsLeft > 0 && safe) {
        ev?.push({ type: "CallFailed", fn: f.id, kind, reason, attempt, handled: true });
        flow?.send({ type: "RETRY", attemptsLeft: u.attemptsLeft, safe }, u.tick);
        retry(s, u, attempt, ev);
        continue;
      }
      if (kind !== "argument" && fb && !u.tried.includes(fb.id) && !s.broken.includes(fb.id)) {
        ev?.push({ type: "CallFailed", fn: f.id, kind, reason, attempt, handled: true });
        if (kind === "permanent") markBroken(s, f.id);
        flow?.send({ type: "FALLBACK", fallback: fb.id }, u.tick);
        fallBack(ctx, s, u, fb, flow, ev);
        continue;
      }
      if (kind !== "argument" && f.recovery.skippable) {
        ev?.push({ type: "CallFailed", fn: f.id, kind, reason, attempt, handled: true });
        flow?.send({ type: "SKIP", skippable: true }, u.tick);
        return skip(s, u, ev);
      }
    }
    ev?.push({ type: "CallFailed", fn: f.id, kind, reason, attempt, handled: false });
    if (kind === "argument") s.m.wrongArgs++;
    else {
      s.m.unhandled++;
      if (kind === "permanent") markBroken(s, f.id);
    }
    flow?.send({ type: "GIVE_UP" }, u.tick);
    return { f, outcome: "failed", act: u.act, firstStart: u.firstStart, startUse: u.startUse, tick: u.tick };
  }
}

/** Recovery by retry: the slots stay allocated and warm; the next attempt starts when this one failed. */
function retry(s: GameState, u: Use, attempt: number, ev: Events): void {
  u.attemptsLeft--;
  s.m.retries++;
  // The preparation that made the retry safe was put to use.
  for (const x of u.f.recovery.retryRequires) markUsed(s, factKey(x));
  ev?.push({ type: "RetryAttempted", fn: u.f.id, attempt: attempt + 1 });
  u.startUse = u.tick;
  u.act.extra = 0;
}

/** Recovery by fallback: the failed function's slots are released and the fallback is activated. */
function fallBack(
  ctx: CompiledLevel,
  s: GameState,
  u: Use,
  fb: LevelFunction,
  flow: Flow | null,
  ev: Events,
): void {
  ev?.push({ type: "FallbackActivated", fn: u.f.id, fallback: fb.id });
  s.m.fallbacks++;
  release(ctx, s, { fn: u.f.id, act: u.act, tick: u.tick, ev });
  u.tried.push(fb.id);
  u.f = fb;
  u.attemptsLeft = fb.recovery.retries;
  u.act = activate(ctx, s, fb, u.tick, ev);
  u.startUse = u.act.start;
  flow?.send({ type: "ACTIVATED" }, u.tick);
}

/** Recovery by graceful skip: the call ends without its results. */
function skip(s: GameState, u: Use, ev: Events): Used {
  ev?.push({ type: "GracefullySkipped", fn: u.main.id });
  s.m.skips++;
  return {
    f: u.f,
    outcome: "skipped",
    act: u.act,
    firstStart: u.firstStart,
    startUse: u.startUse,
    tick: u.tick,
  };
}

/** Return and unloading of a successful call: inputs marked used, results stored. Returns what it made. */
function returnResults(
  ctx: CompiledLevel,
  s: GameState,
  p: Plan,
  u: Used,
  wasDone: boolean,
  ev: Events,
): { outputs: string[]; redundant: boolean } {
  const main = p.fn as LevelFunction;
  const { f, startUse, tick } = u;
  const outputs: string[] = [];
  for (const k of ctx.keysIn.get(main.id) ?? []) markUsed(s, k);
  for (const a of main.needs.artifacts) ctx.pit.artifacts.use(a, main.id, startUse);
  for (const a of main.needs.optional) {
    if (!s.pit.artifacts[a]) continue;
    ctx.pit.artifacts.use(a, main.id, startUse);
    markUsed(s, artifactKey(a));
  }
  for (const a of p.call.args) {
    ctx.pit.artifacts.use(a, main.id, startUse);
    markUsed(s, artifactKey(a));
  }
  const made = ctx.keysOut.get(f.id) ?? [];
  const redundant = wasDone && made.every((k) => hasKey(s, k));
  for (const a of f.produces.artifacts) {
    const r = ctx.pit.artifacts.store({
      id: a.id,
      producer: f.id,
      size: a.size,
      quality: f.quality,
      tick,
      ttl: a.ttl ?? null,
      pinned: ctx.goalKeys.includes(artifactKey(a.id)),
    });
    if (r.ok) {
      outputs.push(artifactKey(a.id));
      ev?.push({
        type: "ArtifactStored",
        fn: f.id,
        artifact: a.id,
        version: r.value.version,
        size: a.size,
        quality: r.value.quality,
        tick,
      });
    } else {
      ev?.push({ type: "ArtifactRejected", fn: f.id, artifact: a.id, reason: r.reason });
    }
  }
  for (const x of f.produces.facts) {
    if (!s.facts.includes(x)) s.facts.push(x);
    outputs.push(factKey(x));
  }
  if (redundant) {
    s.m.redundant++;
    ev?.push({
      type: "RedundantCall",
      fn: main.id,
      reason: `${main.id} had already run and everything it makes is present`,
    });
  }
  return { outputs, redundant };
}

/** Runs one function call through every phase of the flow; returns the tick it ends (or pauses). */
export function runCall(ctx: CompiledLevel, s: GameState, p: Plan, ev: Events): number {
  const main = p.fn as LevelFunction;
  const flow = flowFor(main.id, ev);
  flow?.send({ type: "REQUEST", fn: main.id }, p.start);
  ev?.push({ type: "PermissionVerified", fn: main.id, permissions: main.permission.slice() });
  flow?.send({ type: "REQUEST_ACCEPTED" }, p.start);

  const registered = registerInputs(ctx, s, main, p.start, flow, ev);
  const wasDone = s.pit.dag[main.id] === "done";
  ev?.push({
    type: "InputValidated",
    fn: main.id,
    artifacts: [...main.needs.artifacts, ...p.call.args],
    facts: main.needs.facts.slice(),
  });
  flow?.send({ type: "REGISTERED" }, registered);

  const u = useWithRecovery(ctx, s, p, registered, flow, ev);
  if (u.outcome === "paused") return u.tick; // the flow waits in `deciding` for the player
  return finishCall(ctx, s, { p, u, wasDone, flow, ev });
}

/**
 * A recovery decision (`retry(fn)`, `fallback(fn)`, `skip(fn)`) for the paused call: the flow resumes from
 * `deciding` with the decision as its event. Returns the tick the call ends (or pauses again).
 */
export function runDecision(ctx: CompiledLevel, s: GameState, decision: Decision, ev: Events): number {
  const pd = s.pending as PendingDecision;
  s.pending = pd.next;
  s.m.decisions++;
  const main = ctx.fns.get(pd.fn) as LevelFunction;
  const f = ctx.fns.get(pd.failed) as LevelFunction;
  const flow = ev ? new Flow(main.id, ev, "deciding") : null;
  const p: Plan = {
    call: { fn: pd.fn, args: pd.args.slice() },
    label: pd.label,
    fn: main,
    start: pd.firstStart,
  };
  const u: Use = {
    main,
    f,
    attemptsLeft: pd.attemptsLeft,
    tried: pd.tried.slice(),
    act: { allocs: pd.act.allocs.slice(), start: pd.act.start, extra: pd.act.extra },
    firstStart: pd.firstStart,
    startUse: pd.startUse,
    // The decision is taken now: the call resumes no earlier than the step's start.
    tick: Math.max(pd.tick, s.tick),
  };
  ev?.push({ type: "RecoveryChosen", fn: f.id, decision, kind: pd.kind, tick: u.tick });
  let used: Used;
  if (decision === "retry") {
    // Retrying a permanent failure cannot succeed: it costs the attempt's time and heat.
    if (pd.kind === "permanent") s.m.wastedRetries++;
    flow?.send({ type: "RETRY", attemptsLeft: u.attemptsLeft, safe: true }, u.tick);
    retry(s, u, pd.attempt, ev);
    // The slots went back when the call paused: activate again (warm if still warm). A retry of a
    // transient or corrupt failure is the retry an automatic level makes, with no new heat; a retry of a
    // permanent one is work that cannot succeed, and heats the pool again.
    u.act = activate(ctx, s, pd.kind === "permanent" ? f : { ...f, heat: 0 }, u.tick, ev);
    u.startUse = u.act.start;
    used = attempts(ctx, s, p, u, flow, ev);
  } else if (decision === "fallback") {
    const fb = ctx.fns.get(f.recovery.fallback as string) as LevelFunction;
    flow?.send({ type: "FALLBACK", fallback: fb.id }, u.tick);
    fallBack(ctx, s, u, fb, flow, ev);
    used = attempts(ctx, s, p, u, flow, ev);
  } else {
    flow?.send({ type: "SKIP", skippable: true }, u.tick);
    used = skip(s, u, ev);
  }
  if (used.outcome === "paused") return used.tick;
  return finishCall(ctx, s, { p, u: used, wasDone: pd.wasDone, flow, ev });
}

/** Return and unloading, then the state update, of a call whose use ended; returns the tick it ends. */
function finishCall(
  ctx: CompiledLevel,
  s: GameState,
  o: { p: Plan; u: Used; wasDone: boolean; flow: Flow | null; ev: Events },
): number {
  const { p, u, wasDone, flow, ev } = o;
  const main = p.fn as LevelFunction;
  const { outputs, redundant } =
    u.outcome === "ok" ? returnResults(ctx, s, p, u, wasDone, ev) : { outputs: [], redundant: false };
  release(ctx, s, { fn: u.f.id, act: u.act, tick: u.tick, ev });
  flow?.send({ type: "RETURNED" }, u.tick);

  // State update: DAG progress and metrics.
  if (u.outcome === "ok") {
    ctx.pit.dag.mark(main.id, "done");
    if (u.f !== main) ctx.pit.dag.mark(u.f.id, "done");
  } else if (u.outcome === "skipped") ctx.pit.dag.mark(main.id, "skipped");
  else if (s.broken.includes(main.id)) ctx.pit.dag.mark(main.id, "failed");
  if (ev) {
    let done = 0;
    for (const k in s.pit.dag) if (s.pit.dag[k] === "done") done++;
    let goalMet = 0;
    for (const k of ctx.goalKeys) if (hasKey(s, k)) goalMet++;
    ev.push({
      type: "ProgressTracked",
      fn: main.id,
      done,
      total: ctx.level.functions.length,
      goalMet,
      goalTotal: ctx.goalKeys.length,
    });
    let slots = 0;
    for (const a of u.act.allocs) slots += a.slots.length;
    ev.push({
      type: "PerformanceLogged",
      fn: main.id,
      ticks: u.tick - p.start,
      units: slots * Math.max(1, u.tick - u.act.start),
    });
  }
  flow?.send({ type: "UPDATED" }, u.tick);
  const rec: CallRecord = {
    step: s.step,
    fn: main.id,
    label: p.label,
    outcome: u.outcome === "paused" ? "failed" : u.outcome,
    outputs,
    redundant,
    startTick: u.firstStart,
    endTick: u.tick,
  };
  s.calls.push(rec);
  return u.tick;
}

/** Appends a paused call to the queue of decisions (pending decisions are never mutated, only rebuilt). */
function queueDecision(head: PendingDecision | null, pd: PendingDecision): PendingDecision {
  return head ? { ...head, next: queueDecision(head.next, pd) } : pd;
}

/** Paused calls the episode ended on: each failure counts as unhandled. */
export function abandonPending(s: GameState, ev: Events): void {
  for (let pd = s.pending; pd; pd = pd.next) {
    s.m.unhandled++;
    ev?.push({
      type: "CallFailed",
      fn: pd.failed,
      kind: pd.kind,
      reason: pd.reason,
      attempt: pd.attempt,
      handled: false,
    });
  }
  s.pending = null;
}

/** A prewarm: predictive allocation of one cold slot, through the same flow. Returns the tick it ends. */
export function runPrewarm(ctx: CompiledLevel, s: GameState, p: Plan, ev: Events): number {
  const pool = p.call.args[0] as string;
  let tick = p.start;
  const flow = flowFor(p.label, ev);
  flow?.send({ type: "REQUEST", fn: PREWARM }, tick);
  flow?.send({ type: "REQUEST_ACCEPTED" }, tick);
  flow?.send({ type: "REGISTERED" }, tick);
  const r = ctx.pit.pools.prewarm(pool, tick);
  if (!r.ok) {
    flow?.send({ type: "ACTIVATION_REJECTED", reason: r.reason }, tick);
    ev?.push({ type: "CallRejected", fn: PREWARM, code: "no-cold-slot", reason: r.reason });
    s.m.rejected++;
    return tick;
  }
  ev?.push({ type: "PredictiveAllocation", pool, slot: r.value.slot, tick });
  flow?.send({ type: "ACTIVATED" }, tick);
  tick += 1;
  s.m.units += 1;
  s.m.calls++;
  flow?.send({ type: "USAGE_SUCCEEDED" }, tick);
  flow?.send({ type: "RETURNED" }, tick);
  flow?.send({ type: "UPDATED" }, tick);
  s.calls.push({
    step: s.step,
    fn: PREWARM,
    label: p.label,
    outcome: "ok",
    outputs: [],
    redundant: false,
    startTick: p.start,
    endTick: tick,
  });
  return tick;
}
