import {
  type BindablePit,
  type Claim,
  type DagNodeConfig,
  idMap,
  NOMINAL_SCENARIO,
  type PitConfig,
  type PitFactory,
  type PoolConfig,
  type Scenario,
  SimPit,
} from "../pit-sim/index.ts";
import { artifactKey, factKey } from "./keys.ts";
import { decisionsOf } from "./decisions.ts";
import type { Level, LevelFunction, Reconstruction } from "./level.ts";
import type { ActionSpec, Call, Decision } from "./types.ts";

export type Opportunity = "predictive" | "parallel" | "recycling" | "elegance";

/** The best any solution can do on a level, physically: what efficiency is measured against. */
export interface Par {
  readonly ticks: number;
  readonly units: number;
  readonly steps: number;
}

/** Integer ids assigned at compile time: bit positions of facts and artifacts, indexes of functions and pools. */
export interface BitIndex {
  /** Int32 words in one presence bitset. */
  readonly words: number;
  readonly factBit: ReadonlyMap<string, number>;
  readonly artifactBit: ReadonlyMap<string, number>;
  readonly fnIndex: ReadonlyMap<string, number>;
  readonly poolIndex: ReadonlyMap<string, number>;
}

/** What the legality of one single-call action needs, compiled so the mask is a few bitwise ANDs. */
export type SingleCheck =
  | { readonly kind: "never" }
  | { readonly kind: "prewarm"; readonly pool: number }
  | { readonly kind: "decide"; readonly fn: string; readonly decision: Decision }
  | {
      readonly kind: "call";
      readonly fn: string;
      /** Facts, permissions and inputs that must all be present (bits of `BitIndex`). */
      readonly need: Int32Array;
      /** Inputs that may be rebuilt in reverse: each present, or every artifact it is rebuilt from present. */
      readonly rebuilt: readonly { readonly bit: number; readonly from: Int32Array }[];
      /** Inputs that must be of good quality (the function's quality gate), by artifact id. */
      readonly good: readonly string[];
      /** Optional inputs with their producers: each present, or every producer skipped or broken. */
      readonly optional: readonly { readonly bit: number; readonly producers: readonly string[] }[];
    };

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
  /** The Pit; the engine attaches the state it steps. Made by `pitFactory` (the simulation by default). */
  readonly pit: BindablePit;
  /** What made `pit`: levels compiled from this one (the solver's nominal copy) get the same kind. */
  readonly pitFactory: PitFactory;
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
  readonly bits: BitIndex;
  /** Per single-call action (the first `singles` entries of `actions`): its compiled legality check. */
  readonly checks: readonly SingleCheck[];
  /** Per function (level order): the single action that calls it with its first accepted arguments, or -1. */
  readonly readyAction: readonly number[];
  /**
   * Per action: the running order of a group whose calls cannot conflict (no pool asked beyond its
   * capacity, no artifact written twice), fixed by the Pit's arbitration when the level was compiled;
   * undefined where arbitration must run at each step.
   */
  readonly fixedOrder: readonly (readonly number[] | undefined)[];
  /** Work buffers reused by the hot path (one thread: never held across calls). */
  readonly scratch: {
    readonly have: Int32Array;
    /** The state, step, tick and fact count `have` was computed for (see `presence`). */
    of: object | null;
    step: number;
    tick: number;
    facts: number;
  };
  /** Par of the level's own seed (set by `ensurePar`; the view shows it). */
  par: Par | null;
  /** Par of any seed's world (set by `ensurePar`); the score reads it through `parOf`. */
  parBySeed: ((seed: number) => Par) | null;
}

export const PREWARM = "prewarm";

export { actionIndexOf, parseActionText } from "./action-text.ts";

/** The recovery decisions of a `"choose"` level, written as calls on the failed function: `retry(fn)`. */
export const DECISIONS: readonly Decision[] = ["retry", "fallback", "skip"];
export const isDecision = (fn: string): fn is Decision =>
  fn === "retry" || fn === "fallback" || fn === "skip";

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
  const overrides = idMap(Object.entries(level.scenario?.pools ?? {}));
  return level.pools.map((p) => {
    const o = overrides[p.id];
    return {
      ...p,
      capacity: o?.capacity ?? p.capacity,
      coldStart: o?.coldStart ?? p.coldStart,
      heatLimit: o?.heatLimit ?? p.heatLimit,
    };
  });
}

/** How a level is compiled beyond its data. */
export interface CompileOptions {
  /** Makes the level's Pit (default: the simulation, `SimPit`). */
  readonly pit?: PitFactory;
}

/** The simulation: the Pit every level gets unless another factory is passed in. */
export const simPitFactory: PitFactory = (config) => new SimPit(config);

/** Prepares a level (with an optional scenario replacing the level's own) for play. */
export function compileLevel(level: Level, scenario?: Scenario, options: CompileOptions = {}): CompiledLevel {
  const given = scenario ?? level.scenario ?? NOMINAL_SCENARIO;
  // Its maps are keyed by function and pool ids, which are user data: look them up without a prototype.
  const sc: Scenario = {
    ...given,
    latency: idMap(Object.entries(given.latency)),
    failures: idMap(Object.entries(given.failures)),
    pools: idMap(Object.entries(given.pools)),
  };
  const withScenario: Level = { ...level, scenario: sc };
  const pools = poolConfigs(withScenario);
  const fns = new Map(level.functions.map((f) => [f.id, f]));
  const keysNeeded = (f: LevelFunction) => [
    ...f.needs.artifacts.map(artifactKey),
    ...f.needs.facts.map(factKey),
    ...f.permission.map(factKey),
  ];
  const keysMade = (f: LevelFunction) => [
    ...f.produces.artifacts.map((a) => artifactKey(a.id)),
    ...f.produces.facts.map(factKey),
  ];
  const nodes: DagNodeConfig[] = level.functions.map((f) => ({
    id: f.id,
    needs: keysNeeded(f),
    optionalNeeds: f.needs.optional.map(artifactKey),
    produces: keysMade(f),
  }));
  const pitConfig: PitConfig = { pools, nodes, arbitration: level.arbitration };
  const pitFactory = options.pit ?? simPitFactory;
  const pit = pitFactory(pitConfig);

  const producers = new Map<string, string[]>();
  for (const f of level.functions)
    for (const k of keysMade(f)) producers.set(k, [...(producers.get(k) ?? []), f.id]);

  // The discrete action space: every call (function x argument choices, prewarm per pool), then every
  // group of independent calls up to the level's parallelism.
  const singles = singleCalls(level, pools);
  const actions: ActionSpec[] = singles.map((c, i) => ({
    index: i,
    label: callLabel(c),
    calls: [c],
    callLabels: [callLabel(c)],
    members: [i],
  }));
  forEachGroup({ singles, pit, maxParallel: level.maxParallel }, (group) => {
    const calls = group.map((i) => singles[i] as Call);
    actions.push({
      index: actions.length,
      label: actionLabel(calls),
      calls,
      callLabels: calls.map(callLabel),
      members: group,
    });
    return true;
  });
  const actionIndex = new Map(actions.map((a) => [a.label, a.index]));

  const goalKeys = [...level.goal.artifacts.map(artifactKey), ...level.goal.facts.map(factKey)];
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
  const factList = [...factIds].sort();
  const artifactList = [...artifactIds].sort();
  const bits: BitIndex = {
    words: Math.max(1, Math.ceil((factList.length + artifactList.length) / 32)),
    factBit: new Map(factList.map((x, i) => [x, i])),
    artifactBit: new Map(artifactList.map((x, i) => [x, factList.length + i])),
    fnIndex: new Map(level.functions.map((f, i) => [f.id, i])),
    poolIndex: new Map(pools.map((p, i) => [p.id, i])),
  };
  const reconstructions = new Map(level.reconstructions.map((r) => [r.artifact, r]));
  const checks = singles.map((c) => compileCheck(c, { fns, pools, bits, reconstructions, producers }));
  const readyAction = level.functions.map((f) => {
    if (!f.callable) return -1;
    const i = actions.findIndex(
      (a) =>
        a.calls.length === 1 &&
        a.calls[0]?.fn === f.id &&
        a.calls[0].args.every((v, k) => v === f.params[k]?.accepts[0]),
    );
    return i;
  });

  const lookup = { fns, poolById: new Map(pools.map((p) => [p.id, p])) };
  const fixedOrder = actions.map((a) => {
    if (a.calls.length < 2) return undefined;
    const g = groupClaims(lookup, a.calls);
    if (g.claims.some((c) => c.resources.some(g.contested))) return undefined;
    return pit.arbitration
      .arbitrate(g.claims, g.contested)
      .order.map((o) => g.claims.findIndex((c) => c.owner === o));
  });

  return {
    level,
    scenario: sc,
    fns,
    pools,
    poolById: lookup.poolById,
    needsOf: new Map(level.functions.map((f) => [f.id, Object.entries(f.resources)])),
    pitConfig,
    pit,
    pitFactory,
    actions,
    actionIndex,
    singles: singles.length,
    goalKeys,
    reconstructions,
    producers,
    opportunities,
    maxSteps: level.maxSteps ?? Math.max(10, callableFns.length * 3),
    keysIn: new Map(level.functions.map((f) => [f.id, keysNeeded(f)])),
    keysOut: new Map(level.functions.map((f) => [f.id, keysMade(f)])),
    factIds: factList,
    artifactIds: artifactList,
    callable: callableFns.map((f) => f.id),
    bits,
    checks,
    readyAction,
    fixedOrder,
    scratch: { have: new Int32Array(bits.words), of: null, step: -1, tick: -1, facts: -1 },
    par: null,
    parBySeed: null,
  };
}

/** Compiles the legality of one single call into bits; what bits cannot say is left to the full check. */
function compileCheck(
  call: Call,
  lv: {
    fns: ReadonlyMap<string, LevelFunction>;
    pools: readonly PoolConfig[];
    bits: BitIndex;
    reconstructions: ReadonlyMap<string, Reconstruction>;
    producers: ReadonlyMap<string, readonly string[]>;
  },
): SingleCheck {
  if (call.fn === PREWARM) {
    const pool = lv.pools.findIndex((p) => p.id === call.args[0]);
    return pool >= 0 && (lv.pools[pool] as PoolConfig).coldStart > 0
      ? { kind: "prewarm", pool }
      : { kind: "never" };
  }
  if (isDecision(call.fn)) {
    const target = lv.fns.get(call.args[0] ?? "");
    return target ? { kind: "decide", fn: target.id, decision: call.fn } : { kind: "never" };
  }
  const f = lv.fns.get(call.fn);
  if (!f || !f.callable || call.args.length !== f.params.length) return { kind: "never" };
  const need = new Int32Array(lv.bits.words);
  const set = (bit: number | undefined): boolean => {
    if (bit === undefined) return false;
    need[bit >>> 5] = (need[bit >>> 5] as number) | (1 << (bit & 31));
    return true;
  };
  for (const x of [...f.permission, ...f.needs.facts])
    if (!set(lv.bits.factBit.get(x))) return { kind: "never" };
  const rebuilt: { bit: number; from: Int32Array }[] = [];
  for (const a of f.needs.artifacts) {
    const r = lv.reconstructions.get(a);
    const bit = lv.bits.artifactBit.get(a);
    if (!r) {
      if (!set(bit)) return { kind: "never" };
      continue;
    }
    const from = new Int32Array(lv.bits.words);
    for (const x of r.from) {
      const b = lv.bits.artifactBit.get(x);
      if (b !== undefined) from[b >>> 5] = (from[b >>> 5] as number) | (1 << (b & 31));
    }
    rebuilt.push({ bit: bit ?? -1, from });
  }
  for (let k = 0; k < f.params.length; k++) {
    const v = call.args[k] as string;
    if (!f.params[k]?.values.includes(v) || !set(lv.bits.artifactBit.get(v))) return { kind: "never" };
  }
  for (const [pool, amount] of Object.entries(f.resources)) {
    const cfg = lv.pools.find((p) => p.id === pool);
    if (!cfg || amount > cfg.capacity) return { kind: "never" };
  }
  const optional = f.needs.optional.map((a) => ({
    bit: lv.bits.artifactBit.get(a) ?? -1,
    producers: lv.producers.get(artifactKey(a)) ?? [],
  }));
  return { kind: "call", fn: f.id, need, rebuilt, good: f.requiresGood ? f.needs.artifacts : [], optional };
}

/** The action space's bounds, checked when a level is validated (docs/reliability.md). */
export const MAX_SINGLE_CALLS = 256;
export const MAX_ACTIONS = 4096;

/**
 * The single calls of a level: each callable function with each choice of arguments, then the prewarms,
 * then (a `"choose"` level) each recovery decision a function declares, in level order.
 */
function singleCalls(level: Level, pools: readonly PoolConfig[]): Call[] {
  const singles: Call[] = [];
  for (const f of level.functions) {
    if (!f.callable) continue;
    for (const args of product(f.params.map((p) => p.values))) singles.push({ fn: f.id, args });
  }
  for (const p of pools) if (p.coldStart > 0) singles.push({ fn: PREWARM, args: [p.id] });
  if (level.recovery === "choose")
    for (const f of level.functions) for (const d of decisionsOf(f)) singles.push({ fn: d, args: [f.id] });
  return singles;
}

/**
 * Calls `visit` for every group of two or more mutually independent single calls, up to `maxParallel`
 * calls, in the action space's order; stops as soon as `visit` returns false.
 */
function forEachGroup(
  o: { singles: readonly Call[]; pit: BindablePit; maxParallel: number },
  visit: (group: number[]) => boolean,
): void {
  const { singles, pit, maxParallel } = o;
  const independent = (a: Call, b: Call): boolean => {
    // A decision is a step of its own: the paused call waits for nothing else.
    if (isDecision(a.fn) || isDecision(b.fn)) return false;
    if (a.fn === PREWARM || b.fn === PREWARM) return a.fn !== b.fn || a.args[0] !== b.args[0];
    return pit.dag.independent(a.fn, b.fn);
  };
  let going = true;
  const grow = (start: number, group: number[]) => {
    if (group.length >= 2) going = visit(group);
    if (!going || group.length >= maxParallel) return;
    for (let i = start; i < singles.length && going; i++) {
      const c = singles[i] as Call;
      if (group.every((g) => independent(singles[g] as Call, c))) grow(i + 1, [...group, i]);
    }
  };
  if (maxParallel > 1) grow(0, []);
}

/**
 * Why a level's action space is too large to play, search or learn on, or null. Counts without building the
 * actions, and stops counting at the bound, so a level of 24 functions with 36 argument choices each is
 * refused in microseconds, naming the product that makes it so.
 */
export function actionSpaceProblem(level: Level): { path: string; message: string } | null {
  const pools = poolConfigs(level);
  const singles = singleCalls(level, pools);
  if (singles.length > MAX_SINGLE_CALLS) {
    const parts = level.functions
      .filter((f) => f.callable && f.params.length)
      .map((f) => ({ f, n: f.params.reduce((x, p) => x * p.values.length, 1) }))
      .sort((a, b) => b.n - a.n)
      .slice(0, 3)
      .map(
        ({ f, n }) => `${f.id}: ${f.params.map((p) => `${p.values.length} ${p.name}`).join(" × ")} = ${n}`,
      );
    return {
      path: "functions",
      message: `the action space would have ${singles.length} single calls (each function once per choice of its arguments, e.g. ${parts.join("; ")}); at most ${MAX_SINGLE_CALLS} are allowed: fewer parameter values or functions`,
    };
  }
  if (level.maxParallel < 2) return null;
  const nodes: DagNodeConfig[] = level.functions.map((f) => ({
    id: f.id,
    needs: [
      ...f.needs.artifacts.map(artifactKey),
      ...f.needs.facts.map(factKey),
      ...f.permission.map(factKey),
    ],
    optionalNeeds: f.needs.optional.map(artifactKey),
    produces: [...f.produces.artifacts.map((a) => artifactKey(a.id)), ...f.produces.facts.map(factKey)],
  }));
  const pit = new SimPit({ pools, nodes, arbitration: level.arbitration });
  let total = singles.length;
  forEachGroup({ singles, pit, maxParallel: level.maxParallel }, () => ++total <= MAX_ACTIONS);
  if (total <= MAX_ACTIONS) return null;
  return {
    path: "maxParallel",
    message: `groups of up to ${level.maxParallel} independent calls from ${singles.length} single calls make more than ${MAX_ACTIONS} actions; at most ${MAX_ACTIONS} are allowed: a lower maxParallel or fewer single calls`,
  };
}

/**
 * The claims of a group of calls for the Pit's arbitration: pool slots and artifact writes, and which of
 * them are contested (a pool asked for more slots than it has, an artifact written by two calls).
 */
export function groupClaims(
  lv: { fns: ReadonlyMap<string, LevelFunction>; poolById: ReadonlyMap<string, PoolConfig> },
  calls: readonly Call[],
): { claims: Claim[]; contested: (resource: string) => boolean } {
  const demand = new Map<string, number>();
  const writes = new Map<string, number>();
  const claims: Claim[] = calls.map((c, i) => {
    const f = c.fn === PREWARM || isDecision(c.fn) ? undefined : lv.fns.get(c.fn);
    const res: string[] = [];
    if (f) {
      for (const [pool, n] of Object.entries(f.resources)) {
        res.push(`pool:${pool}`);
        demand.set(pool, (demand.get(pool) ?? 0) + n);
      }
      for (const a of f.produces.artifacts) {
        res.push(artifactKey(a.id));
        writes.set(a.id, (writes.get(a.id) ?? 0) + 1);
      }
    }
    return {
      owner: callLabel(c),
      resources: res,
      priority: f?.priority ?? 0,
      duration: f?.duration ?? 1,
      order: i,
    };
  });
  const contested = (r: string): boolean => {
    if (r.startsWith("pool:")) {
      const pool = r.slice(5);
      return (demand.get(pool) ?? 0) > (lv.poolById.get(pool)?.capacity ?? 0);
    }
    return (writes.get(r.slice(9)) ?? 0) > 1;
  };
  return { claims, contested };
}
