import { activate, release } from "./activation.ts";
import { type Events, Flow, flowFor, type Plan } from "./call-flow.ts";
import { type CompiledLevel, PREWARM } from "./compile.ts";
import { artifactKey, factKey } from "./keys.ts";
import type { LevelFunction } from "./level.ts";
import { attempts, fallBack, retry, skip, type Use, type Used, useWithRecovery } from "./recovery.ts";
import { hasKey, markUsed } from "./state.ts";
import type { CallRecord, Decision, GameState, PendingDecision, Strategy } from "./types.ts";

/**
 * One call through the Chambering Flow (seed 001): request, registration (with reverse reconstruction of a
 * missing input), activation (activation.ts), use with recovery (recovery.ts: retry, fallback, graceful
 * skip, or a pause for the player's decision, which `runDecision` resumes), return and unloading, and the
 * state update. The phases here are in the order the flow runs them.
 *
 * Events are optional: `ev` is null when the caller does not read them (training, search), and then no
 * event object is built at all (`ev?.push(...)` skips evaluating its argument).
 */

export { type Events, Flow, flowFor, type Plan } from "./call-flow.ts";
export { warn } from "./activation.ts";
export { abandonPending } from "./recovery.ts";

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
