import { heatAt, type Quality, slotPhaseAt } from "../pit-sim/index.ts";
import type { CompiledLevel } from "./compile.ts";
import { checkCall, presence, singleLegal } from "./legality.ts";
import { goalMet } from "./state.ts";
import type { GameState, Status } from "./types.ts";

export type FunctionStatus = "done" | "ready" | "blocked" | "failed" | "skipped";

/** What an agent (or a view) sees: structured, JSON-safe. */
export interface Observation {
  readonly levelId: string;
  readonly step: number;
  readonly tick: number;
  readonly status: Status;
  readonly facts: readonly string[];
  readonly artifacts: readonly { id: string; version: number; quality: Quality; producer: string }[];
  readonly functions: readonly { id: string; status: FunctionStatus }[];
  readonly pools: readonly {
    id: string;
    capacity: number;
    warm: number;
    prewarmed: number;
    heat: number;
    utilisation: number;
  }[];
  readonly goal: { readonly met: number; readonly total: number };
  /** A failed call waiting for a recovery decision (levels with `recovery: "choose"`), or null. */
  readonly decision: {
    readonly fn: string;
    readonly kind: "transient" | "permanent" | "corrupt";
    readonly options: readonly string[];
  } | null;
}

const DECISION_KINDS = ["transient", "permanent", "corrupt"] as const;

/** Names of the numeric vector's entries, in order; fixed per level. */
export function observationNames(ctx: CompiledLevel): string[] {
  const names = ["progress.step", "progress.tick", "progress.goal", "status.playing"];
  for (const f of ctx.factIds) names.push(`fact.${f}`);
  for (const a of ctx.artifactIds) names.push(`artifact.${a}.present`, `artifact.${a}.degraded`);
  for (const f of ctx.level.functions)
    names.push(`fn.${f.id}.done`, `fn.${f.id}.ready`, `fn.${f.id}.failed`, `fn.${f.id}.skipped`);
  for (const p of ctx.pools)
    names.push(
      `pool.${p.id}.warm`,
      `pool.${p.id}.prewarmed`,
      `pool.${p.id}.heat`,
      `pool.${p.id}.utilisation`,
    );
  // A "choose" level: whether a decision is pending, and the kind of the failure it follows.
  if (ctx.level.recovery === "choose")
    names.push("decision.pending", ...DECISION_KINDS.map((k) => `decision.${k}`));
  return names;
}

/**
 * A function's status for the agent and the views. "ready" means callable now with its first accepted
 * arguments; `have` is the state's presence bitset (see `presence`), computed once per observation.
 */
function functionStatus(ctx: CompiledLevel, s: GameState, fi: number, have: Int32Array): FunctionStatus {
  const f = ctx.level.functions[fi] as CompiledLevel["level"]["functions"][number];
  const st = s.pit.dag[f.id];
  if (st === "done") return "done";
  if (st === "skipped") return "skipped";
  if (st === "failed" || s.broken.includes(f.id)) return "failed";
  if (!f.callable) return "blocked";
  const i = ctx.readyAction[fi] as number;
  if (i >= 0) return singleLegal(ctx, s, i, have) ? "ready" : "blocked";
  // No such entry in the action space (its first accepted value is not a listed one): ask the full check.
  const args = f.params.map((p) => p.accepts[0] as string);
  return checkCall(ctx, s, { fn: f.id, args }, false) === null ? "ready" : "blocked";
}

/** Warm (not yet cooled) and prewarmed slots of a pool now. */
function slotCounts(
  s: GameState,
  pool: GameState["pit"]["pools"][number],
): { warm: number; prewarmed: number } {
  let warm = 0;
  let prewarmed = 0;
  for (const sl of pool.slots) {
    const phase = slotPhaseAt(sl, s.tick);
    if (phase === "warm") warm++;
    else if (phase === "prewarmed") prewarmed++;
  }
  return { warm, prewarmed };
}

/** The structured observation of a state. */
export function observe(ctx: CompiledLevel, s: GameState): Observation {
  const have = presence(ctx, s);
  return {
    levelId: s.levelId,
    step: s.step,
    tick: s.tick,
    status: s.status,
    facts: s.facts.slice().sort(),
    artifacts: Object.keys(s.pit.artifacts)
      .sort()
      .map((id) => {
        const a = s.pit.artifacts[id] as NonNullable<GameState["pit"]["artifacts"][string]>;
        return { id, version: a.version, quality: a.quality, producer: a.producer };
      }),
    functions: ctx.level.functions.map((f, fi) => ({
      id: f.id,
      status: functionStatus(ctx, s, fi, have),
    })),
    pools: ctx.pools.map((cfg, i) => {
      const p = s.pit.pools[i] as GameState["pit"]["pools"][number];
      const { warm, prewarmed } = slotCounts(s, p);
      return {
        id: cfg.id,
        capacity: cfg.capacity,
        warm,
        prewarmed,
        heat: Math.round(heatAt(cfg, p, s.tick) * 100) / 100,
        utilisation: p.history[p.history.length - 1] ?? 0,
      };
    }),
    goal: { met: goalMet(ctx, s), total: ctx.goalKeys.length },
    decision: s.pending
      ? {
          fn: s.pending.failed,
          kind: s.pending.kind,
          options: s.pending.options.map((o) => `${o}(${s.pending?.failed})`),
        }
      : null,
  };
}

/** The fixed-length numeric observation (values in [0, 1]), laid out as `observationNames` says. */
export function encodeObservation(ctx: CompiledLevel, o: Observation, out?: Float64Array): Float64Array {
  const v = out ?? new Float64Array(observationNames(ctx).length);
  let i = 0;
  const maxTicks = ctx.maxSteps * 10;
  v[i++] = Math.min(1, o.step / ctx.maxSteps);
  v[i++] = Math.min(1, o.tick / maxTicks);
  v[i++] = o.goal.total ? o.goal.met / o.goal.total : 0;
  v[i++] = o.status === "playing" ? 1 : 0;
  for (const f of ctx.factIds) v[i++] = o.facts.includes(f) ? 1 : 0;
  for (const a of ctx.artifactIds) {
    const art = o.artifacts.find((x) => x.id === a);
    v[i++] = art ? 1 : 0;
    v[i++] = art && art.quality !== "good" ? 1 : 0;
  }
  for (const f of o.functions) {
    v[i++] = f.status === "done" ? 1 : 0;
    v[i++] = f.status === "ready" ? 1 : 0;
    v[i++] = f.status === "failed" ? 1 : 0;
    v[i++] = f.status === "skipped" ? 1 : 0;
  }
  ctx.pools.forEach((cfg, pi) => {
    const p = o.pools[pi] as Observation["pools"][number];
    v[i++] = p.warm / cfg.capacity;
    v[i++] = p.prewarmed / cfg.capacity;
    v[i++] = Math.min(1, cfg.heatLimit > 0 ? p.heat / (2 * cfg.heatLimit) : 0);
    v[i++] = p.utilisation;
  });
  if (ctx.level.recovery === "choose") {
    v[i++] = o.decision ? 1 : 0;
    for (const k of DECISION_KINDS) v[i++] = o.decision?.kind === k ? 1 : 0;
  }
  return v;
}

/**
 * The numeric observation written straight from the state into `out` (no JSON in between, nothing
 * allocated): the same numbers as `encodeObservation(ctx, observe(ctx, s))`, which a test checks.
 */
export function encodeState(
  ctx: CompiledLevel,
  s: GameState,
  out: Float64Array,
  /** The state's presence bitset, when the caller has it already. */
  have: Int32Array = presence(ctx, s),
): Float64Array {
  const v = out;
  let i = 0;
  const maxTicks = ctx.maxSteps * 10;
  const nGoal = ctx.goalKeys.length;
  v[i++] = Math.min(1, s.step / ctx.maxSteps);
  v[i++] = Math.min(1, s.tick / maxTicks);
  v[i++] = nGoal ? goalMet(ctx, s) / nGoal : 0;
  v[i++] = s.status === "playing" ? 1 : 0;
  const nf = ctx.factIds.length;
  for (let k = 0; k < nf; k++) v[i++] = ((have[k >>> 5] as number) >>> (k & 31)) & 1;
  for (let k = 0; k < ctx.artifactIds.length; k++) {
    const art = s.pit.artifacts[ctx.artifactIds[k] as string];
    v[i++] = art ? 1 : 0;
    v[i++] = art && art.quality !== "good" ? 1 : 0;
  }
  for (let fi = 0; fi < ctx.level.functions.length; fi++) {
    const st = functionStatus(ctx, s, fi, have);
    v[i++] = st === "done" ? 1 : 0;
    v[i++] = st === "ready" ? 1 : 0;
    v[i++] = st === "failed" ? 1 : 0;
    v[i++] = st === "skipped" ? 1 : 0;
  }
  for (let pi = 0; pi < ctx.pools.length; pi++) {
    const cfg = ctx.pools[pi] as CompiledLevel["pools"][number];
    const p = s.pit.pools[pi] as GameState["pit"]["pools"][number];
    let warm = 0;
    let prewarmed = 0;
    for (let k = 0; k < p.slots.length; k++) {
      const phase = slotPhaseAt(p.slots[k] as (typeof p.slots)[number], s.tick);
      if (phase === "warm") warm++;
      else if (phase === "prewarmed") prewarmed++;
    }
    const heat = Math.round(heatAt(cfg, p, s.tick) * 100) / 100;
    v[i++] = warm / cfg.capacity;
    v[i++] = prewarmed / cfg.capacity;
    v[i++] = Math.min(1, cfg.heatLimit > 0 ? heat / (2 * cfg.heatLimit) : 0);
    v[i++] = p.history[p.history.length - 1] ?? 0;
  }
  if (ctx.level.recovery === "choose") {
    const pd = s.pending;
    v[i++] = pd ? 1 : 0;
    for (let k = 0; k < DECISION_KINDS.length; k++) v[i++] = pd?.kind === DECISION_KINDS[k] ? 1 : 0;
  }
  return v;
}
