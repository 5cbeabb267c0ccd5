import {
  type Allocation,
  type Claim,
  clonePitState,
  type FailureKind,
  initialPitState,
  nextFloat,
  nextInt,
  type Reclaim,
  seedRng,
} from "../pit-sim/index.ts";
import { actionLabel, type CompiledLevel, callLabel, PREWARM, parseActionText } from "./compile.ts";
import { type FlowEvent, type FlowState, flowTransition } from "./flow.ts";
import type { LevelFunction } from "./level.ts";
import { computeScore } from "./score.ts";
import type {
  Action,
  ActionSpec,
  Call,
  CallRecord,
  EngineEvent,
  GameState,
  Metrics,
  Rejection,
  RejectionCode,
  StepResult,
  Strategy,
} from "./types.ts";

const emptyMetrics = (): Metrics => ({
  rejected: 0,
  redundant: 0,
  wrongArgs: 0,
  warnings: 0,
  backToBack: 0,
  unhandled: 0,
  reclaims: 0,
  units: 0,
  calls: 0,
  retries: 0,
  fallbacks: 0,
  reconstructions: 0,
  skips: 0,
  undos: 0,
  prewarmUsed: 0,
  recycledUsed: 0,
  parallelGroups: 0,
  conflicts: 0,
});

/** The state at the start of an episode. */
export function initialState(ctx: CompiledLevel, seed: number): GameState {
  const pit = initialPitState(ctx.pitConfig);
  ctx.pit.attach(pit);
  for (const a of ctx.level.initial.artifacts) {
    ctx.pit.artifacts.store({
      id: a.id,
      producer: "initial",
      size: a.size,
      quality: "good",
      tick: 0,
      ttl: null,
      pinned: true,
    });
  }
  return {
    v: 1,
    levelId: ctx.level.id,
    seed: seed >>> 0,
    rng: seedRng(seed),
    tick: 0,
    step: 0,
    status: "playing",
    facts: [...ctx.level.initial.facts],
    pit,
    attempts: {},
    broken: [],
    used: [],
    calls: [],
    history: [],
    m: emptyMetrics(),
    lastWarnStep: -1,
    score: null,
  };
}

/** Deep copy of a game state (hand-written: it is on the hot path of the solver and `step`). */
export function cloneState(s: GameState): GameState {
  return {
    v: 1,
    levelId: s.levelId,
    seed: s.seed,
    rng: [s.rng[0], s.rng[1], s.rng[2], s.rng[3]],
    tick: s.tick,
    step: s.step,
    status: s.status,
    facts: s.facts.slice(),
    pit: clonePitState(s.pit),
    attempts: { ...s.attempts },
    broken: s.broken.slice(),
    used: s.used.slice(),
    calls: s.calls.slice(),
    history: s.history.slice(),
    m: { ...s.m },
    lastWarnStep: s.lastWarnStep,
    score: s.score,
  };
}

/** True when the key (`artifact:x` or `fact:y`) holds in the state. */
export function hasKey(s: GameState, key: string): boolean {
  if (key.charCodeAt(0) === 102 /* f */) return s.facts.includes(key.slice(5));
  return s.pit.artifacts[key.slice(9)] !== undefined;
}

/** Goal keys that hold now. */
export function goalMet(ctx: CompiledLevel, s: GameState): number {
  let n = 0;
  for (const k of ctx.goalKeys) if (hasKey(s, k)) n++;
  return n;
}

const reject = (code: RejectionCode, fn: string | null, message: string): Rejection => ({
  code,
  fn,
  message,
});

/** An optional input is settled when present, or when no pending producer could still make it. */
function optionalSettled(ctx: CompiledLevel, s: GameState, artifact: string): boolean {
  if (s.pit.artifacts[artifact]) return true;
  const prods = ctx.producers.get(`artifact:${artifact}`) ?? [];
  return prods.every((p) => s.pit.dag[p] === "skipped" || s.broken.includes(p));
}

/** Why one call cannot run now, or null when it can. */
export function checkCall(ctx: CompiledLevel, s: GameState, call: Call, detail = true): Rejection | null {
  // Masks and readiness only need yes or no: skip building the message there.
  const reject = (code: RejectionCode, fn: string | null, message: () => string): Rejection =>
    detail ? { code, fn, message: message() } : { code, fn, message: "" };
  if (call.fn === PREWARM) {
    const poolId = call.args[0] ?? "";
    const pool = ctx.poolById.get(poolId);
    if (!pool || pool.coldStart === 0)
      return reject("unknown-action", PREWARM, () => `no pool "${poolId}" to prewarm`);
    const st = s.pit.pools.find((p) => p.id === poolId);
    if (!st?.slots.some((sl) => sl.phase === "cold" || (sl.phase === "warm" && sl.until <= s.tick)))
      return reject("no-cold-slot", PREWARM, () => `every slot of "${poolId}" is already warm`);
    return null;
  }
  const f = ctx.fns.get(call.fn);
  if (!f) return reject("unknown-action", call.fn, () => `this level has no function "${call.fn}"`);
  if (!f.callable) return reject("not-callable", f.id, () => `${f.id} runs only as a fallback`);
  if (call.args.length !== f.params.length)
    return reject(
      "bad-argument",
      f.id,
      () =>
        `${f.id} takes ${f.params.length} argument(s) (${f.params.map((p) => `${p.name}: ${p.values.join(" | ")}`).join(", ") || "none"}), got ${call.args.length}`,
    );
  if (s.broken.includes(f.id)) return reject("broken", f.id, () => `${f.id} failed permanently this episode`);
  for (const p of f.permission) {
    if (!s.facts.includes(p)) return reject("permission", f.id, () => `${f.id} needs permission "${p}"`);
  }
  for (const x of f.needs.facts) {
    if (!s.facts.includes(x)) return reject("missing-fact", f.id, () => `${f.id} needs "${x}" first`);
  }
  for (const a of f.needs.artifacts) {
    const art = s.pit.artifacts[a];
    if (!art) {
      if (reconstructable(ctx, s, a)) continue;
      return reject("missing-input", f.id, () => `${f.id} needs artifact "${a}", which is not in the store`);
    }
    if (f.requiresGood && art.quality !== "good")
      return reject("quality", f.id, () => `${f.id} refuses "${a}": its quality is ${art.quality}`);
  }
  for (const a of f.needs.optional) {
    if (!optionalSettled(ctx, s, a)) return reject("missing-input", f.id, () => `${f.id} waits for "${a}"`);
  }
  for (let i = 0; i < f.params.length; i++) {
    const p = f.params[i] as LevelFunction["params"][number];
    const v = call.args[i] as string;
    if (!p.values.includes(v))
      return reject("bad-argument", f.id, () => `${f.id}: ${p.name} cannot be "${v}"`);
    if (!s.pit.artifacts[v])
      return reject("bad-argument", f.id, () => `${f.id}: "${v}" is not in the artifact store`);
  }
  for (const [pool, amount] of ctx.needsOf.get(f.id) ?? []) {
    const cfg = ctx.poolById.get(pool);
    if (!cfg || amount > cfg.capacity)
      return reject(
        "capacity",
        f.id,
        () => `${f.id} needs ${amount} slot(s) of "${pool}", which has ${cfg?.capacity ?? 0}`,
      );
  }
  return null;
}

function reconstructable(ctx: CompiledLevel, s: GameState, artifact: string): boolean {
  const r = ctx.reconstructions.get(artifact);
  return r?.from.every((a) => s.pit.artifacts[a] !== undefined) ?? false;
}

/** Why an action cannot run now, or null when it can. */
export function checkAction(ctx: CompiledLevel, s: GameState, action: Action): Rejection | null {
  if (s.status !== "playing") return reject("episode-over", null, `the episode is over (${s.status})`);
  if (action.calls.length === 0) return reject("unknown-action", null, "an action needs at least one call");
  // An entry of the action space was checked for size and independence when the level was compiled.
  if (action.calls.length > 1 && !isSpec(action)) {
    if (action.calls.length > ctx.level.maxParallel)
      return reject(
        "group-too-large",
        null,
        `this level runs at most ${ctx.level.maxParallel} call(s) at once`,
      );
    const idx = action.calls.map((c) => ctx.actionIndex.get(callLabel(c)));
    const label = actionLabel(
      action.calls
        .slice()
        .sort((a, b) => (ctx.actionIndex.get(callLabel(a)) ?? 0) - (ctx.actionIndex.get(callLabel(b)) ?? 0)),
    );
    if (idx.every((i) => i !== undefined) && !ctx.actionIndex.has(label))
      return reject(
        "not-independent",
        null,
        `${label}: these calls depend on each other and cannot run in parallel`,
      );
  }
  for (const c of action.calls) {
    const r = checkCall(ctx, s, c);
    if (r) return r;
  }
  return null;
}

/** True for an entry of a level's action space (as opposed to an action object built by a caller). */
function isSpec(a: Action): boolean {
  return (a as Partial<ActionSpec>).members !== undefined;
}

/** The action mask: 1 where the action at that index is legal now. */
export function actionMask(ctx: CompiledLevel, s: GameState, out?: Uint8Array): Uint8Array {
  const mask = out ?? new Uint8Array(ctx.actions.length);
  if (s.status !== "playing") {
    mask.fill(0);
    return mask;
  }
  const single = new Uint8Array(ctx.singles);
  for (let i = 0; i < ctx.singles; i++) {
    single[i] = checkCall(ctx, s, ctx.actions[i]?.calls[0] as Call, false) === null ? 1 : 0;
    mask[i] = single[i] as number;
  }
  for (let i = ctx.singles; i < ctx.actions.length; i++) {
    const a = ctx.actions[i] as (typeof ctx.actions)[number];
    let ok = 1;
    for (const m of a.members) {
      if (!single[m]) {
        ok = 0;
        break;
      }
    }
    mask[i] = ok;
  }
  return mask;
}

/** Resolves a number, a label or an action object to an action; null when it names nothing. */
export function resolveAction(ctx: CompiledLevel, a: number | string | Action): Action | null {
  if (typeof a === "number") return ctx.actions[a] ?? null;
  if (typeof a === "string") {
    const i = ctx.actionIndex.get(a);
    if (i !== undefined) return ctx.actions[i] as Action;
    // Not a canonical label (say, a group written in another order): read it as calls.
    const parsed = parseActionText(a);
    return parsed.ok ? { calls: parsed.calls } : null;
  }
  return a;
}

/** Runs one call through the Chambering Flow, tracking its phases on the derived table. */
class Flow {
  state: FlowState = "idle";
  constructor(
    private readonly fn: string,
    private readonly events: EngineEvent[],
    private readonly tickOf: () => number,
  ) {}
  send(e: FlowEvent): void {
    const r = flowTransition(this.state, e);
    // A refused transition here is an engine bug, not bad input: bad input is rejected before the flow.
    if (!r.ok) throw new Error(`chambering flow (${this.fn}): ${r.reason}`);
    this.state = r.state;
    this.events.push({ type: "FlowPhase", fn: this.fn, phase: r.state, tick: this.tickOf() });
  }
}

interface Plan {
  call: Call;
  label: string;
  fn: LevelFunction | null;
  start: number;
}

/**
 * The pure step: `(state, action) -> { state, events }`. Never throws on bad input: an illegal action
 * returns a typed rejection (and costs a step, as wasted orchestration).
 */
export function step(ctx: CompiledLevel, state: GameState, action: number | string | Action): StepResult {
  return stepInPlace(ctx, cloneState(state), action);
}

/** `step` without the copy: mutates and returns `s`. The headless environment owns its state and uses this. */
export function stepInPlace(ctx: CompiledLevel, s: GameState, input: number | string | Action): StepResult {
  const events: EngineEvent[] = [];
  ctx.pit.attach(s.pit);
  const action = resolveAction(ctx, input);
  const spec = action && isSpec(action) ? (action as ActionSpec) : null;
  const label = spec ? spec.label : action ? actionLabel(action.calls) : String(input);
  const rejection = action
    ? checkAction(ctx, s, action)
    : reject(
        "unknown-action",
        null,
        `no action ${typeof input === "number" ? `#${input}` : `"${label}"`} on this level`,
      );
  if (s.status !== "playing") {
    return {
      ok: false,
      state: s,
      events,
      rejection: rejection ?? reject("episode-over", null, "the episode is over"),
    };
  }
  events.push({
    type: "ActionRequested",
    step: s.step,
    label,
    calls: spec ? spec.callLabels.slice() : action ? action.calls.map(callLabel) : [label],
    tick: s.tick,
  });
  if (rejection) {
    // The call walks the flow as far as the check that refused it.
    const flow = new Flow(rejection.fn ?? label, events, () => s.tick);
    flow.send({ type: "REQUEST", fn: rejection.fn ?? label });
    const c = rejection.code;
    if (
      c === "unknown-action" ||
      c === "not-callable" ||
      c === "permission" ||
      c === "broken" ||
      c === "episode-over" ||
      c === "group-too-large" ||
      c === "not-independent"
    ) {
      flow.send({ type: "REQUEST_REJECTED", reason: rejection.message });
    } else if (c === "capacity" || c === "no-cold-slot") {
      flow.send({ type: "REQUEST_ACCEPTED" });
      flow.send({ type: "REGISTERED" });
      flow.send({ type: "ACTIVATION_REJECTED", reason: rejection.message });
    } else {
      flow.send({ type: "REQUEST_ACCEPTED" });
      flow.send({ type: "REGISTRATION_REJECTED", reason: rejection.message });
    }
    events.push({ type: "CallRejected", fn: rejection.fn, code: rejection.code, reason: rejection.message });
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
    finishStep(ctx, s, events, s.tick, false);
    return { ok: false, state: s, events, rejection };
  }
  const act = action as Action;
  const t0 = s.tick;
  const plans: Plan[] = act.calls.map((c, i) => ({
    call: c,
    label: spec ? (spec.callLabels[i] as string) : callLabel(c),
    fn: c.fn === PREWARM ? null : (ctx.fns.get(c.fn) as LevelFunction),
    start: t0,
  }));

  // Arbitration: calls in a group that want more of a pool than it has, or write the same artifact.
  let order = plans;
  const waitFor = new Map<string, string[]>();
  if (plans.length > 1) {
    const demand = new Map<string, number>();
    const writes = new Map<string, number>();
    const claims: Claim[] = plans.map((p, i) => {
      const res: string[] = [];
      if (p.fn) {
        for (const [pool, n] of Object.entries(p.fn.resources)) {
          res.push(`pool:${pool}`);
          demand.set(pool, (demand.get(pool) ?? 0) + n);
        }
        for (const a of p.fn.produces.artifacts) {
          res.push(`artifact:${a.id}`);
          writes.set(a.id, (writes.get(a.id) ?? 0) + 1);
        }
      }
      return {
        owner: p.label,
        resources: res,
        priority: p.fn?.priority ?? 0,
        duration: p.fn?.duration ?? 1,
        order: i,
      };
    });
    const contested = (r: string): boolean => {
      if (r.startsWith("pool:")) {
        const pool = r.slice(5);
        return (demand.get(pool) ?? 0) > (ctx.poolById.get(pool)?.capacity ?? 0);
      }
      return (writes.get(r.slice(9)) ?? 0) > 1;
    };
    const verdict = ctx.pit.arbitration.arbitrate(claims, contested);
    order = verdict.order.map((o) => plans.find((p) => p.label === o) as Plan);
    for (const d of verdict.decisions) {
      events.push({
        type: "ConflictArbitrated",
        resource: d.resource,
        winner: d.winner,
        loser: d.loser,
        policy: d.policy,
      });
      s.m.conflicts++;
      if (d.resource.startsWith("artifact:"))
        waitFor.set(d.loser, [...(waitFor.get(d.loser) ?? []), d.winner]);
    }
  }

  let end = t0;
  const ends = new Map<string, number>();
  const firstRecord = s.calls.length;
  for (const p of order) {
    for (const w of waitFor.get(p.label) ?? []) p.start = Math.max(p.start, ends.get(w) ?? t0);
    const e = p.fn ? runCall(ctx, s, p, events) : runPrewarm(ctx, s, p, events);
    ends.set(p.label, e);
    end = Math.max(end, e);
  }
  // Parallel execution counts only when two function calls really overlapped (arbitration may have
  // serialised a group that fought over one slot).
  if (plans.length > 1 && overlapped(s.calls, firstRecord)) s.m.parallelGroups++;
  s.history.push(label);
  finishStep(ctx, s, events, end, true);
  return { ok: true, state: s, events };
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

function runPrewarm(ctx: CompiledLevel, s: GameState, p: Plan, events: EngineEvent[]): number {
  const pool = p.call.args[0] as string;
  let tick = p.start;
  const flow = new Flow(p.label, events, () => tick);
  flow.send({ type: "REQUEST", fn: PREWARM });
  flow.send({ type: "REQUEST_ACCEPTED" });
  flow.send({ type: "REGISTERED" });
  const r = ctx.pit.pools.prewarm(pool, tick);
  if (!r.ok) {
    flow.send({ type: "ACTIVATION_REJECTED", reason: r.reason });
    events.push({ type: "CallRejected", fn: PREWARM, code: "no-cold-slot", reason: r.reason });
    s.m.rejected++;
    return tick;
  }
  events.push({ type: "PredictiveAllocation", pool, slot: r.value.slot, tick });
  flow.send({ type: "ACTIVATED" });
  tick += 1;
  s.m.units += 1;
  s.m.calls++;
  flow.send({ type: "USAGE_SUCCEEDED" });
  flow.send({ type: "RETURNED" });
  flow.send({ type: "UPDATED" });
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

function failureFor(ctx: CompiledLevel, s: GameState, fn: string, attempt: number): FailureKind | null {
  for (const inj of ctx.scenario.inject) if (inj.fn === fn && inj.attempt === attempt) return inj.kind;
  const f = ctx.scenario.failures[fn];
  if (f && f.probability > 0 && nextFloat(s.rng) < f.probability) return f.kind;
  return null;
}

function durationFor(ctx: CompiledLevel, s: GameState, f: LevelFunction): number {
  const lat = ctx.scenario.latency[f.id];
  const jitter = (lat?.jitter ?? 0) + ctx.scenario.jitter;
  return f.duration + (lat?.extra ?? 0) + (jitter > 0 ? nextInt(s.rng, jitter + 1) : 0);
}

/** Allocates every pool a function needs, no earlier than `from`; returns the allocations and start tick. */
function activate(
  ctx: CompiledLevel,
  s: GameState,
  f: LevelFunction,
  from: number,
  events: EngineEvent[],
): { allocs: Allocation[]; start: number; extra: number } {
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
    events.push({
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
        warn(s, events, {
          type: "StabilityWarning",
          kind: "overheat",
          pool,
          value: round2(h.heat),
          limit: h.limit,
          tick: start,
        });
      }
    }
  }
  return { allocs, start, extra };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

function warn(s: GameState, events: EngineEvent[], e: EngineEvent & { type: "StabilityWarning" }): void {
  events.push(e);
  s.m.warnings++;
  if (s.lastWarnStep === s.step - 1 && e.kind !== "back-to-back") {
    s.m.backToBack++;
    events.push({ ...e, kind: "back-to-back" });
  }
  s.lastWarnStep = s.step;
}

function release(
  ctx: CompiledLevel,
  s: GameState,
  fn: string,
  allocs: Allocation[],
  start: number,
  tick: number,
  events: EngineEvent[],
): void {
  for (const a of allocs) {
    ctx.pit.pools.release(a.id, tick);
    s.m.units += a.slots.length * Math.max(1, tick - start);
    events.push({ type: "ResourceReleased", fn, pool: a.pool, slots: a.slots.length, tick });
  }
}

function strategiesOf(f: LevelFunction, s: GameState): Strategy[] {
  const out: Strategy[] = [];
  if (f.recovery.retries > 0 && f.recovery.retryRequires.every((x) => s.facts.includes(x))) out.push("retry");
  if (f.recovery.fallback) out.push("fallback");
  if (f.recovery.skippable) out.push("graceful-skip");
  return out;
}

function runCall(ctx: CompiledLevel, s: GameState, p: Plan, events: EngineEvent[]): number {
  const main = p.fn as LevelFunction;
  let tick = p.start;
  const flow = new Flow(main.id, events, () => tick);
  flow.send({ type: "REQUEST", fn: main.id });
  events.push({ type: "PermissionVerified", fn: main.id, permissions: main.permission.slice() });
  flow.send({ type: "REQUEST_ACCEPTED" });

  // Registration: manifest and inputs; a missing input may be rebuilt from what it became downstream.
  for (const a of main.needs.artifacts) {
    if (s.pit.artifacts[a]) continue;
    const r = ctx.reconstructions.get(a);
    if (!r) throw new Error(`${main.id}: input ${a} vanished after the legality check`);
    flow.send({ type: "INPUT_MISSING", artifact: a });
    const rf: LevelFunction = { ...main, id: `reconstruct:${a}`, resources: r.resources, heat: 0 };
    const act = activate(ctx, s, rf, tick, events);
    const endR = act.start + act.extra + r.duration;
    for (const src of r.from) ctx.pit.artifacts.use(src, rf.id, act.start);
    const stored = ctx.pit.artifacts.store({
      id: a,
      producer: rf.id,
      size: 1,
      quality: "good",
      tick: endR,
      ttl: null,
      pinned: ctx.goalKeys.includes(`artifact:${a}`),
    });
    release(ctx, s, rf.id, act.allocs, act.start, endR, events);
    tick = endR;
    s.m.reconstructions++;
    events.push({ type: "ReverseReconstructed", fn: main.id, artifact: a, from: r.from.slice(), tick });
    if (stored.ok)
      events.push({
        type: "ArtifactStored",
        fn: rf.id,
        artifact: a,
        version: stored.value.version,
        size: stored.value.size,
        quality: stored.value.quality,
        tick,
      });
    flow.send({ type: "RECONSTRUCTED", artifact: a });
  }
  const wasDone = s.pit.dag[main.id] === "done";
  events.push({
    type: "InputValidated",
    fn: main.id,
    artifacts: [...main.needs.artifacts, ...p.call.args],
    facts: main.needs.facts.slice(),
  });
  flow.send({ type: "REGISTERED" });

  let f = main;
  let attemptsLeft = main.recovery.retries;
  const tried: string[] = [main.id];
  let outcome: "ok" | "failed" | "skipped" = "failed";
  let act = activate(ctx, s, f, tick, events);
  const firstStart = act.start;
  let startUse = act.start;
  flow.send({ type: "ACTIVATED" });
  for (;;) {
    const attempt = (s.attempts[f.id] ?? 0) + 1;
    s.attempts[f.id] = attempt;
    events.push({ type: "StatePrepared", fn: f.id, attempt, tick: startUse });
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
      kind = failureFor(ctx, s, f.id, attempt);
      if (kind)
        reason =
          kind === "corrupt"
            ? `${f.id} produced corrupt output: the quality gate refused it`
            : `${f.id} failed (${kind})`;
    }
    tick = startUse + act.extra + durationFor(ctx, s, f);
    if (!kind) {
      flow.send({ type: "USAGE_SUCCEEDED" });
      outcome = "ok";
      break;
    }
    if (kind === "corrupt")
      for (const a of f.produces.artifacts)
        events.push({ type: "ArtifactRejected", fn: f.id, artifact: a.id, reason: "quality gate: corrupt" });
    flow.send({ type: "USAGE_FAILED", reason });
    const safe = f.recovery.retryRequires.every((x) => s.facts.includes(x));
    const fb = f.recovery.fallback ? ctx.fns.get(f.recovery.fallback) : undefined;
    if (kind !== "argument" && kind !== "permanent" && attemptsLeft > 0 && safe) {
      events.push({ type: "CallFailed", fn: f.id, kind, reason, attempt, handled: true });
      attemptsLeft--;
      s.m.retries++;
      // The preparation that made the retry safe was put to use.
      for (const x of f.recovery.retryRequires) if (!s.used.includes(`fact:${x}`)) s.used.push(`fact:${x}`);
      flow.send({ type: "RETRY", attemptsLeft: attemptsLeft + 1, safe });
      events.push({ type: "RetryAttempted", fn: f.id, attempt: attempt + 1 });
      startUse = tick;
      act.extra = 0; // the slots stay allocated and warm across a retry
      continue;
    }
    if (kind !== "argument" && fb && !tried.includes(fb.id) && !s.broken.includes(fb.id)) {
      events.push({ type: "CallFailed", fn: f.id, kind, reason, attempt, handled: true });
      if (kind === "permanent") markBroken(s, f.id);
      flow.send({ type: "FALLBACK", fallback: fb.id });
      events.push({ type: "FallbackActivated", fn: f.id, fallback: fb.id });
      s.m.fallbacks++;
      release(ctx, s, f.id, act.allocs, act.start, tick, events);
      tried.push(fb.id);
      f = fb;
      attemptsLeft = fb.recovery.retries;
      act = activate(ctx, s, f, tick, events);
      startUse = act.start;
      flow.send({ type: "ACTIVATED" });
      continue;
    }
    if (kind !== "argument" && f.recovery.skippable) {
      events.push({ type: "CallFailed", fn: f.id, kind, reason, attempt, handled: true });
      flow.send({ type: "SKIP", skippable: true });
      events.push({ type: "GracefullySkipped", fn: main.id });
      s.m.skips++;
      outcome = "skipped";
      break;
    }
    events.push({ type: "CallFailed", fn: f.id, kind, reason, attempt, handled: false });
    if (kind === "argument") s.m.wrongArgs++;
    else {
      s.m.unhandled++;
      if (kind === "permanent") markBroken(s, f.id);
    }
    flow.send({ type: "GIVE_UP" });
    break;
  }

  // Return and unloading: inputs marked used, results stored, slots released.
  const outputs: string[] = [];
  let redundant = false;
  if (outcome === "ok") {
    const markUsed = (k: string) => {
      if (!s.used.includes(k)) s.used.push(k);
    };
    for (const k of ctx.keysIn.get(main.id) ?? []) markUsed(k);
    for (const a of main.needs.artifacts) ctx.pit.artifacts.use(a, main.id, startUse);
    for (const a of main.needs.optional) {
      if (!s.pit.artifacts[a]) continue;
      ctx.pit.artifacts.use(a, main.id, startUse);
      markUsed(`artifact:${a}`);
    }
    for (const a of p.call.args) {
      ctx.pit.artifacts.use(a, main.id, startUse);
      markUsed(`artifact:${a}`);
    }
    const made = ctx.keysOut.get(f.id) ?? [];
    redundant = wasDone && made.every((k) => hasKey(s, k));
    for (const a of f.produces.artifacts) {
      const r = ctx.pit.artifacts.store({
        id: a.id,
        producer: f.id,
        size: a.size,
        quality: f.quality,
        tick,
        ttl: a.ttl ?? null,
        pinned: ctx.goalKeys.includes(`artifact:${a.id}`),
      });
      if (r.ok) {
        outputs.push(`artifact:${a.id}`);
        events.push({
          type: "ArtifactStored",
          fn: f.id,
          artifact: a.id,
          version: r.value.version,
          size: a.size,
          quality: r.value.quality,
          tick,
        });
      } else {
        events.push({ type: "ArtifactRejected", fn: f.id, artifact: a.id, reason: r.reason });
      }
    }
    for (const x of f.produces.facts) {
      if (!s.facts.includes(x)) s.facts.push(x);
      outputs.push(`fact:${x}`);
    }
    if (redundant) {
      s.m.redundant++;
      events.push({
        type: "RedundantCall",
        fn: main.id,
        reason: `${main.id} had already run and everything it makes is present`,
      });
    }
  }
  release(ctx, s, f.id, act.allocs, act.start, tick, events);
  flow.send({ type: "RETURNED" });

  // State update: DAG progress and metrics.
  if (outcome === "ok") {
    ctx.pit.dag.mark(main.id, "done");
    if (f !== main) ctx.pit.dag.mark(f.id, "done");
  } else if (outcome === "skipped") ctx.pit.dag.mark(main.id, "skipped");
  else if (s.broken.includes(main.id)) ctx.pit.dag.mark(main.id, "failed");
  let done = 0;
  for (const k in s.pit.dag) if (s.pit.dag[k] === "done") done++;
  events.push({
    type: "ProgressTracked",
    fn: main.id,
    done,
    total: ctx.level.functions.length,
    goalMet: goalMet(ctx, s),
    goalTotal: ctx.goalKeys.length,
  });
  const units = act.allocs.reduce((n, a) => n + a.slots.length, 0) * Math.max(1, tick - act.start);
  events.push({ type: "PerformanceLogged", fn: main.id, ticks: tick - p.start, units });
  flow.send({ type: "UPDATED" });
  const rec: CallRecord = {
    step: s.step,
    fn: main.id,
    label: p.label,
    outcome,
    outputs,
    redundant,
    startTick: firstStart,
    endTick: tick,
  };
  s.calls.push(rec);
  return tick;
}

function markBroken(s: GameState, fn: string): void {
  if (!s.broken.includes(fn)) s.broken.push(fn);
}

/** Inter-action duties, the stale sweep, utilisation checks and the end of the episode. */
function finishStep(
  ctx: CompiledLevel,
  s: GameState,
  events: EngineEvent[],
  end: number,
  ran: boolean,
): void {
  s.tick = Math.max(s.tick, end);
  if (ran) {
    for (const p of ctx.pit.pools.closeStep()) {
      if (p.peak > p.healthyMax + 1e-9)
        warn(s, events, {
          type: "StabilityWarning",
          kind: "utilisation",
          pool: p.pool,
          value: round2(p.peak),
          limit: p.healthyMax,
          tick: s.tick,
        });
    }
    for (const r of ctx.pit.stale.sweep(s.tick)) {
      // An unused prewarmed slot was wasted; an artifact past its TTL is ordinary cleanup unless a
      // function that has not run yet still needs it (then the player let it go stale).
      reclaimed(s, events, r, r.kind === "prewarmed-slot" || stillNeeded(ctx, s, r.id));
    }
  }
  s.step++;
  if (goalMet(ctx, s) === ctx.goalKeys.length) {
    s.status = "won";
    events.push({ type: "GoalReached", tick: s.tick, step: s.step });
  } else if (s.step >= ctx.maxSteps) {
    s.status = "truncated";
  } else {
    const ready: string[] = [];
    const blocked: string[] = [];
    for (const f of ctx.level.functions) {
      if (s.pit.dag[f.id] !== "pending") continue;
      if (!s.broken.includes(f.id) && needsMet(s, f)) ready.push(f.id);
      else blocked.push(f.id);
    }
    events.push({ type: "DependencyAnalyzed", ready, blocked });
    for (const id of ready) {
      const f = ctx.fns.get(id) as LevelFunction;
      const strategies = strategiesOf(f, s);
      if (reconstructableNeeds(ctx, f)) strategies.push("reverse-reconstruction");
      if (strategies.length) events.push({ type: "FailurePrepared", fn: id, strategies });
    }
    if (!hasLegalAction(ctx, s)) s.status = "stuck";
  }
  events.push({ type: "StateSynchronized", step: s.step, tick: s.tick });
  if (s.status !== "playing") endEpisode(ctx, s, events);
}

/** True when a function that has not run yet reads the artifact. */
function stillNeeded(ctx: CompiledLevel, s: GameState, artifact: string): boolean {
  for (const f of ctx.level.functions) {
    if (s.pit.dag[f.id] === "done" || s.broken.includes(f.id)) continue;
    if (f.needs.artifacts.includes(artifact) || f.needs.optional.includes(artifact)) return true;
    if (f.params.some((p) => p.accepts.includes(artifact))) return true;
  }
  return false;
}

function needsMet(s: GameState, f: LevelFunction): boolean {
  for (const x of f.needs.facts) if (!s.facts.includes(x)) return false;
  for (const x of f.permission) if (!s.facts.includes(x)) return false;
  for (const a of f.needs.artifacts) if (!s.pit.artifacts[a]) return false;
  return true;
}

function reconstructableNeeds(ctx: CompiledLevel, f: LevelFunction): boolean {
  return f.needs.artifacts.some((a) => ctx.reconstructions.has(a));
}

function hasLegalAction(ctx: CompiledLevel, s: GameState): boolean {
  for (let i = 0; i < ctx.singles; i++)
    if (checkCall(ctx, s, ctx.actions[i]?.calls[0] as Call, false) === null) return true;
  return false;
}

/** Reports one Stale Manager reclaim; a costly one counts against stability. */
function reclaimed(s: GameState, events: EngineEvent[], r: Reclaim, costly: boolean): void {
  if (costly) s.m.reclaims++;
  events.push({
    type: "StaleReclaimed",
    kind: r.kind,
    id: r.id,
    pool: r.pool ?? null,
    idleTicks: r.idleTicks,
    tick: s.tick,
    costly,
  });
}

function endEpisode(ctx: CompiledLevel, s: GameState, events: EngineEvent[]): void {
  // Everything the end sweep finds was left behind: prewarmed and never used, or made and never read.
  for (const r of ctx.pit.stale.sweepAll(s.tick)) reclaimed(s, events, r, true);
  if (ctx.par) {
    s.score = computeScore(ctx, s, "final");
    events.push({ type: "EpisodeEnded", status: s.status, total: s.score.total, tier: s.score.tier });
  }
}

/** Rolls back to `previous`, keeping the count of undos (each costs points as the level defines). */
export function undo(previous: GameState, current: GameState): GameState {
  const s = cloneState(previous);
  s.m.undos = current.m.undos + 1;
  return s;
}
