import type { Allocation, FailureKind } from "../pit-sim/index.ts";
import { type CompiledLevel, PREWARM } from "./compile.ts";
import { type FlowEvent, type FlowState, flowTransition } from "./flow.ts";
import { artifactKey, factKey } from "./keys.ts";
import type { LevelFunction } from "./level.ts";
import { hasKey, markBroken, markUsed } from "./state.ts";
import type { Call, CallRecord, EngineEvent, GameState, Strategy } from "./types.ts";
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
  state: FlowState = "idle";
  constructor(
    private readonly fn: string,
    private readonly events: EngineEvent[],
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
  outcome: "ok" | "failed" | "skipped";
  act: Activation;
  firstStart: number;
  startUse: number;
  tick: number;
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
  let f = main;
  let attemptsLeft = main.recovery.retries;
  const tried: string[] = [main.id];
  let act = activate(ctx, s, f, from, ev);
  const firstStart = act.start;
  let startUse = act.start;
  let tick = from;
  flow?.send({ type: "ACTIVATED" }, tick);
  for (;;) {
    const attempt = (s.attempts[f.id] ?? 0) + 1;
    s.attempts[f.id] = attempt;
    ev?.push({ type: "StatePrepared", fn: f.id, attempt, tick: startUse });
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
      kind = failureFor(ctx, s.seed, f, attempt);
      if (kind)
        reason =
          kind === "corrupt"
            ? `${f.id} produced corrupt output: the quality gate refused it`
            : `${f.id} failed (${kind})`;
    }
    tick = startUse + act.extra + durationFor(ctx, s.seed, f, attempt);
    if (!kind) {
      flow?.send({ type: "USAGE_SUCCEEDED" }, tick);
      return { f, outcome: "ok", act, firstStart, startUse, tick };
    }
    if (kind === "corrupt")
      for (const a of f.produces.artifacts)
        ev?.push({ type: "ArtifactRejected", fn: f.id, artifact: a.id, reason: "quality gate: corrupt" });
    flow?.send({ type: "USAGE_FAILED", reason }, tick);
    const safe = f.recovery.retryRequires.every((x) => s.facts.includes(x));
    const fb = f.recovery.fallback ? ctx.fns.get(f.recovery.fallback) : undefined;
    if (kind !== "argument" && kind !== "permanent" && attemptsLeft > 0 && safe) {
      ev?.push({ type: "CallFailed", fn: f.id, kind, reason, attempt, handled: true });
      attemptsLeft--;
      s.m.retries++;
      // The preparation that made the retry safe was put to use.
      for (const x of f.recovery.retryRequires) markUsed(s, factKey(x));
      flow?.send({ type: "RETRY", attemptsLeft: attemptsLeft + 1, safe }, tick);
      ev?.push({ type: "RetryAttempted", fn: f.id, attempt: attempt + 1 });
      startUse = tick;
      act.extra = 0; // the slots stay allocated and warm across a retry
      continue;
    }
    if (kind !== "argument" && fb && !tried.includes(fb.id) && !s.broken.includes(fb.id)) {
      ev?.push({ type: "CallFailed", fn: f.id, kind, reason, attempt, handled: true });
      if (kind === "permanent") markBroken(s, f.id);
      flow?.send({ type: "FALLBACK", fallback: fb.id }, tick);
      ev?.push({ type: "FallbackActivated", fn: f.id, fallback: fb.id });
      s.m.fallbacks++;
      release(ctx, s, { fn: f.id, act, tick, ev });
      tried.push(fb.id);
      f = fb;
      attemptsLeft = fb.recovery.retries;
      act = activate(ctx, s, f, tick, ev);
      startUse = act.start;
      flow?.send({ type: "ACTIVATED" }, tick);
      continue;
    }
    if (kind !== "argument" && f.recovery.skippable) {
      ev?.push({ type: "CallFailed", fn: f.id, kind, reason, attempt, handled: true });
      flow?.send({ type: "SKIP", skippable: true }, tick);
      ev?.push({ type: "GracefullySkipped", fn: main.id });
      s.m.skips++;
      return { f, outcome: "skipped", act, firstStart, startUse, tick };
    }
    ev?.push({ type: "CallFailed", fn: f.id, kind, reason, attempt, handled: false });
    if (kind === "argument") s.m.wrongArgs++;
    else {
      s.m.unhandled++;
      if (kind === "permanent") markBroken(s, f.id);
    }
    flow?.send({ type: "GIVE_UP" }, tick);
    return { f, outcome: "failed", act, firstStart, startUse, tick };
  }
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

/** Runs one function call through every phase of the flow; returns the tick it ends. */
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
    outcome: u.outcome,
    outputs,
    redundant,
    startTick: u.firstStart,
    endTick: u.tick,
  };
  s.calls.push(rec);
  return u.tick;
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
