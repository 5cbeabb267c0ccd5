import type { Quality } from "../pit-sim/index.ts";
import type { CompiledLevel } from "./compile.ts";
import { checkCall, goalMet } from "./game.ts";
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
}

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
  return names;
}

function functionStatus(ctx: CompiledLevel, s: GameState, id: string): FunctionStatus {
  const st = s.pit.dag[id];
  if (st === "done") return "done";
  if (st === "skipped") return "skipped";
  if (st === "failed" || s.broken.includes(id)) return "failed";
  const f = ctx.fns.get(id);
  if (f && !f.callable) return "blocked";
  return checkCall(ctx, s, { fn: id, args: f?.params.map((p) => p.accepts[0] as string) ?? [] }) === null
    ? "ready"
    : "blocked";
}

/** The structured observation of a state. */
export function observe(ctx: CompiledLevel, s: GameState): Observation {
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
    functions: ctx.level.functions.map((f) => ({ id: f.id, status: functionStatus(ctx, s, f.id) })),
    pools: ctx.pools.map((cfg, i) => {
      const p = s.pit.pools[i] as GameState["pit"]["pools"][number];
      let warm = 0;
      let prewarmed = 0;
      for (const sl of p.slots) {
        if (sl.phase === "warm" && sl.until > s.tick) warm++;
        else if (sl.phase === "prewarmed") prewarmed++;
      }
      const heat = Math.max(0, p.heat - cfg.cooling * (s.tick - p.heatTick));
      return {
        id: cfg.id,
        capacity: cfg.capacity,
        warm,
        prewarmed,
        heat: Math.round(heat * 100) / 100,
        utilisation: p.history[p.history.length - 1] ?? 0,
      };
    }),
    goal: { met: goalMet(ctx, s), total: ctx.goalKeys.length },
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
  return v;
}
