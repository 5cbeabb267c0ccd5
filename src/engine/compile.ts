import {
  type BindablePit,
  type DagNodeConfig,
  NOMINAL_SCENARIO,
  type PitConfig,
  type PoolConfig,
  type Scenario,
  SimPit,
} from "../pit-sim/index.ts";
import type { Level, LevelFunction, Reconstruction } from "./level.ts";
import type { ActionSpec, Call } from "./types.ts";

export type Opportunity = "predictive" | "parallel" | "recycling" | "elegance";

/** The best any solution can do on a level, physically: what efficiency is measured against. */
export interface Par {
  readonly ticks: number;
  readonly units: number;
  readonly steps: number;
}

/**
 * A level prepared for play: indexes, the Pit configuration, the discrete action space and the
 * observation layout. Built once per level and scenario; states refer to it only by level id.
 */
export interface CompiledLevel {
  readonly level: Level;
  readonly scenario: Scenario;
  readonly fns: ReadonlyMap<string, LevelFunction>;
  readonly pools: readonly PoolConfig[];
  readonly poolById: ReadonlyMap<string, PoolConfig>;
  /** Each function's resource needs as [pool, slots] pairs (precomputed: read on every call). */
  readonly needsOf: ReadonlyMap<string, readonly (readonly [string, number])[]>;
  readonly pitConfig: PitConfig;
  /** The Pit; the engine attaches the state it steps. Only `compileLevel` knows it is the simulation. */
  readonly pit: BindablePit;
  readonly actions: readonly ActionSpec[];
  readonly actionIndex: ReadonlyMap<string, number>;
  readonly singles: number;
  readonly goalKeys: readonly string[];
  readonly reconstructions: ReadonlyMap<string, Reconstruction>;
  readonly producers: ReadonlyMap<string, readonly string[]>;
  readonly opportunities: readonly Opportunity[];
  readonly maxSteps: number;
  readonly factIds: readonly string[];
  readonly artifactIds: readonly string[];
  /** Keys each function reads and makes (`artifact:x`, `fact:y`), precomputed. */
  readonly keysIn: ReadonlyMap<string, readonly string[]>;
  readonly keysOut: ReadonlyMap<string, readonly string[]>;
  /** Functions listed in the palette (callable ones), in level order. */
  readonly callable: readonly string[];
  par: Par | null;
}

export const PREWARM = "prewarm";

/** Canonical text of a call: `fn` or `fn(a, b)`. */
export function callLabel(c: Call): string {
  return c.args.length ? `${c.fn}(${c.args.join(", ")})` : c.fn;
}

/** Canonical text of an action: calls joined by ` + `. */
export function actionLabel(calls: readonly Call[]): string {
  return calls.map(callLabel).join(" + ");
}

function product(lists: readonly (readonly string[])[]): string[][] {
  let out: string[][] = [[]];
  for (const l of lists) out = out.flatMap((prefix) => l.map((v) => [...prefix, v]));
  return out;
}

/** Pool configurations for the Pit, with a scenario's resource constraints applied. */
export function poolConfigs(level: Level): PoolConfig[] {
  return level.pools.map((p) => {
    const o = level.scenario?.pools[p.id];
    return {
      ...p,
      capacity: o?.capacity ?? p.capacity,
      coldStart: o?.coldStart ?? p.coldStart,
      heatLimit: o?.heatLimit ?? p.heatLimit,
    };
  });
}

/** Prepares a level (with an optional scenario replacing the level's own) for play. */
export function compileLevel(level: Level, scenario?: Scenario): CompiledLevel {
  const sc = scenario ?? level.scenario ?? NOMINAL_SCENARIO;
  const withScenario: Level = { ...level, scenario: sc };
  const pools = poolConfigs(withScenario);
  const fns = new Map(level.functions.map((f) => [f.id, f]));
  const keysNeeded = (f: LevelFunction) => [
    ...f.needs.artifacts.map((a) => `artifact:${a}`),
    ...f.needs.facts.map((a) => `fact:${a}`),
    ...f.permission.map((a) => `fact:${a}`),
  ];
  const keysMade = (f: LevelFunction) => [
    ...f.produces.artifacts.map((a) => `artifact:${a.id}`),
    ...f.produces.facts.map((a) => `fact:${a}`),
  ];
  const nodes: DagNodeConfig[] = level.functions.map((f) => ({
    id: f.id,
    needs: keysNeeded(f),
    optionalNeeds: f.needs.optional.map((a) => `artifact:${a}`),
    produces: keysMade(f),
  }));
  const pitConfig: PitConfig = { pools, nodes, arbitration: level.arbitration };
  const pit = new SimPit(pitConfig);

  const producers = new Map<string, string[]>();
  for (const f of level.functions)
    for (const k of keysMade(f)) producers.set(k, [...(producers.get(k) ?? []), f.id]);

  // The discrete action space: every call (function x argument choices, prewarm per pool), then every
  // group of independent calls up to the level's parallelism.
  const singles: Call[] = [];
  for (const f of level.functions) {
    if (!f.callable) continue;
    for (const args of product(f.params.map((p) => p.values))) singles.push({ fn: f.id, args });
  }
  for (const p of pools) if (p.coldStart > 0) singles.push({ fn: PREWARM, args: [p.id] });
  const actions: ActionSpec[] = singles.map((c, i) => ({
    index: i,
    label: callLabel(c),
    calls: [c],
    callLabels: [callLabel(c)],
    members: [i],
  }));
  const independent = (a: Call, b: Call): boolean => {
    if (a.fn === PREWARM || b.fn === PREWARM) return a.fn !== b.fn || a.args[0] !== b.args[0];
    return pit.dag.independent(a.fn, b.fn);
  };
  const grow = (start: number, group: number[]) => {
    if (group.length >= 2) {
      const calls = group.map((i) => singles[i] as Call);
      actions.push({
        index: actions.length,
        label: actionLabel(calls),
        calls,
        callLabels: calls.map(callLabel),
        members: group,
      });
    }
    if (group.length >= level.maxParallel) return;
    for (let i = start; i < singles.length; i++) {
      const c = singles[i] as Call;
      if (group.every((g) => independent(singles[g] as Call, c))) grow(i + 1, [...group, i]);
    }
  };
  if (level.maxParallel > 1) grow(0, []);
  const actionIndex = new Map(actions.map((a) => [a.label, a.index]));

  const goalKeys = [
    ...level.goal.artifacts.map((a) => `artifact:${a}`),
    ...level.goal.facts.map((a) => `fact:${a}`),
  ];
  const callableFns = level.functions.filter((f) => f.callable);
  const opportunities: Opportunity[] = [];
  if (pools.some((p) => p.coldStart > 0)) opportunities.push("predictive");
  if (actions.some((a) => a.calls.filter((c) => c.fn !== PREWARM).length >= 2))
    opportunities.push("parallel");
  if (pools.some((p) => p.coldStart > 0 && p.warmTtl > 0)) opportunities.push("recycling");
  opportunities.push("elegance");

  const factIds = new Set<string>(level.initial.facts);
  const artifactIds = new Set<string>(level.initial.artifacts.map((a) => a.id));
  for (const f of level.functions) {
    for (const x of f.produces.facts) factIds.add(x);
    for (const a of f.produces.artifacts) artifactIds.add(a.id);
  }
  for (const r of level.reconstructions) artifactIds.add(r.artifact);

  return {
    level,
    scenario: sc,
    fns,
    pools,
    poolById: new Map(pools.map((p) => [p.id, p])),
    needsOf: new Map(level.functions.map((f) => [f.id, Object.entries(f.resources)])),
    pitConfig,
    pit,
    actions,
    actionIndex,
    singles: singles.length,
    goalKeys,
    reconstructions: new Map(level.reconstructions.map((r) => [r.artifact, r])),
    producers,
    opportunities,
    maxSteps: level.maxSteps ?? Math.max(10, callableFns.length * 3),
    keysIn: new Map(level.functions.map((f) => [f.id, keysNeeded(f)])),
    keysOut: new Map(level.functions.map((f) => [f.id, keysMade(f)])),
    factIds: [...factIds].sort(),
    artifactIds: [...artifactIds].sort(),
    callable: callableFns.map((f) => f.id),
    par: null,
  };
}

/** Parses `fn`, `fn(a, b)` or `a + b(x)` into calls; returns an error message on bad syntax. */
export function parseActionText(text: string): { ok: true; calls: Call[] } | { ok: false; message: string } {
  const parts = text.split("+").map((p) => p.trim());
  const calls: Call[] = [];
  for (const p of parts) {
    const m = /^([a-z][a-z0-9_.-]*)\s*(?:\(([^()]*)\))?$/.exec(p);
    if (!m) return { ok: false, message: `cannot read "${p}" as a call: write fn or fn(arg)` };
    const args = m[2]?.trim() ? m[2].split(",").map((a) => a.trim()) : [];
    calls.push({ fn: m[1] as string, args });
  }
  return { ok: true, calls };
}

/** The index of an action written as text, whatever the order of a group's calls; null if none. */
export function actionIndexOf(ctx: CompiledLevel, text: string): number | null {
  const direct = ctx.actionIndex.get(text);
  if (direct !== undefined) return direct;
  const parsed = parseActionText(text);
  if (!parsed.ok) return null;
  const singles = parsed.calls.map((c) => ctx.actionIndex.get(callLabel(c)));
  if (singles.some((i) => i === undefined)) return null;
  const ordered = parsed.calls
    .map((c, k) => ({ c, i: singles[k] as number }))
    .sort((a, b) => a.i - b.i)
    .map((x) => x.c);
  return ctx.actionIndex.get(actionLabel(ordered)) ?? null;
}
