import { canonicalJson, idMap, NOMINAL_SCENARIO, type Scenario, ValidationError } from "../pit-sim/index.ts";
import { type CompiledLevel, compileLevel, isDecision, PREWARM, type Par } from "./compile.ts";
import { relevantFunctions, remainingBounds } from "./bounds.ts";
import { actionMask } from "./legality.ts";
import { KeySet, scoreHash } from "./search-keys.ts";
import { worldCount, worldKey } from "./world.ts";
import { cloneState, initialState } from "./state.ts";
import { QUIET, stepInPlace } from "./step.ts";
import type { Level } from "./level.ts";
import { computeScore } from "./score.ts";
import type { GameState, ScoreBreakdown } from "./types.ts";

/** Binary min-heap keyed by a number, with insertion order breaking ties (deterministic). */
class Heap<T> {
  private items: { k: number; n: number; v: T }[] = [];
  private count = 0;
  get size(): number {
    return this.items.length;
  }
  push(k: number, v: T): void {
    const a = this.items;
    a.push({ k, n: this.count++, v });
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      [a[i], a[p]] = [a[p] as (typeof a)[number], a[i] as (typeof a)[number]];
      i = p;
    }
  }
  pop(): { k: number; v: T } | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (!top || !last) return top;
    if (a.length) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(l, m)) m = l;
        if (r < a.length && this.less(r, m)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m] as (typeof a)[number], a[i] as (typeof a)[number]];
        i = m;
      }
    }
    return top;
  }
  private less(i: number, j: number): boolean {
    const a = this.items[i] as { k: number; n: number };
    const b = this.items[j] as { k: number; n: number };
    return a.k < b.k || (a.k === b.k && a.n < b.n);
  }
}

/**
 * Per action: can it contribute to the goal, so that a search must expand it? (A call of a relevant function,
 * see `relevantFunctions`; a prewarm of a pool relevant work uses; every recovery decision.) The Python
 * package reads it as a role feature of each action (`fq serve`'s description).
 */
export function searchableActions(ctx: CompiledLevel): Uint8Array {
  const fns = relevantFunctions(ctx);
  const pools = new Set<string>();
  for (const id of fns) for (const p of Object.keys(ctx.fns.get(id)?.resources ?? {})) pools.add(p);
  for (const r of ctx.reconstructions.values()) for (const p of Object.keys(r.resources)) pools.add(p);
  return Uint8Array.from(ctx.actions, (a) =>
    a.calls.every((c) =>
      // A decision is legal only for a paused call, which the search made: always worth expanding.
      isDecision(c.fn) ? true : c.fn === PREWARM ? pools.has(c.args[0] as string) : fns.has(c.fn),
    )
      ? 1
      : 0,
  );
}

export interface SearchResult {
  readonly found: boolean;
  readonly actions: string[];
  readonly state: GameState | null;
  readonly expanded: number;
  readonly capped: boolean;
}

interface Node {
  /** Rebuilt from the parent when the node is popped: generated children keep only the action. */
  s: GameState | null;
  parent: Node | null;
  action: number;
  label: string;
}

function pathOf(n: Node): string[] {
  const out: string[] = [];
  for (let cur: Node | null = n; cur?.parent; cur = cur.parent) out.push(cur.label);
  return out.reverse();
}

/**
 * Every search has a budget in states, never in time (so a capped search stops at the same state on every
 * machine): children generated, 50 per expansion, and never more than a million, a few seconds of work
 * even on the largest action space validation allows (docs/reliability.md).
 */
export const MAX_GENERATED = 1_000_000;
const defaultGenerated = (maxExpansions: number): number => Math.min(maxExpansions * 50, MAX_GENERATED);

interface SearchOptions {
  readonly seed: number;
  /** The priority of a state; must never fall along a path. */
  readonly cost: (s: GameState) => number;
  /** A 53-bit key: states with the same key have the same cost and the same future. */
  readonly key: (s: GameState) => number;
  readonly maxExpansions: number;
  /** Children generated before giving up: wide levels generate hundreds per expansion. */
  readonly maxGenerated?: number;
}

/** Best-first search over engine states. */
function bestFirst(ctx: CompiledLevel, o: SearchOptions): SearchResult {
  const { cost, key, maxExpansions } = o;
  const maxGenerated = o.maxGenerated ?? defaultGenerated(maxExpansions);
  const heap = new Heap<Node>();
  const start = initialState(ctx, o.seed);
  heap.push(cost(start), { s: start, parent: null, action: -1, label: "" });
  // Keys of the states generated so far: each state is pushed once, so none is expanded twice.
  const seen = new KeySet();
  seen.add(key(start));
  const mask = new Uint8Array(ctx.actions.length);
  const searchable = searchableActions(ctx);
  let expanded = 0;
  let generated = 0;
  while (heap.size) {
    const top = heap.pop() as { k: number; v: Node };
    const node = top.v;
    // Stepping is deterministic, so a child's state is rebuilt from its parent's instead of kept in the heap.
    node.s ??= stepInPlace(ctx, cloneState((node.parent as Node).s as GameState), node.action, QUIET).state;
    const s = node.s;
    if (s.status === "won") return { found: true, actions: pathOf(node), state: s, expanded, capped: false };
    if (s.status !== "playing") continue;
    if (++expanded > maxExpansions) return { found: false, actions: [], state: null, expanded, capped: true };
    actionMask(ctx, s, mask);
    for (let i = 0; i < mask.length; i++) {
      if (!mask[i] || !searchable[i]) continue;
      if (++generated > maxGenerated)
        return { found: false, actions: [], state: null, expanded, capped: true };
      const next = stepInPlace(ctx, cloneState(s), i, QUIET).state;
      if (next.status !== "won" && next.status !== "playing") continue;
      // A key fixes everything the cost depends on, so a state reached again costs what it cost the first
      // time: skip it before working out its cost (about a third of the children, on the shipped levels).
      if (!seen.add(key(next))) continue;
      heap.push(cost(next), { s: null, parent: node, action: i, label: ctx.actions[i]?.label as string });
    }
  }
  return { found: false, actions: [], state: null, expanded, capped: false };
}

/**
 * The scenario with its randomness taken out: scripted injections stay, random failures and jitter go.
 * (The analyzer compares a level with and without its randomness; par itself is per seed, see `computePar`.)
 */
export function nominalOf(sc: Scenario): Scenario {
  const latency: Scenario["latency"] = idMap();
  for (const [k, v] of Object.entries(sc.latency)) latency[k] = { extra: v.extra, jitter: 0 };
  return { ...sc, jitter: 0, latency, failures: {} };
}

/** Par per level, scenario and world, with the play that set it (the seed's optimum, see `solve`). */
const parCache = new WeakMap<Level, Map<string, { par: Par; actions: string[]; expanded: number }>>();
/** The play that set each computed par (by the par object itself): the seed's optimum, for `solve`. */
const playOf = new WeakMap<Par, { actions: string[]; expanded: number; world: string }>();
const worldOf = (ctx: CompiledLevel, seed: number) => `${canonicalJson(ctx.scenario)}|${worldKey(ctx, seed)}`;

// The budget is part of the key: whether a search is capped must not depend on what ran before it.
const parKey = (ctx: CompiledLevel, seed: number, budget: number) => `${worldOf(ctx, seed)}|${budget}`;

/**
 * Best-first search for the highest final score from a seed, scored against the par on `ctx`. Ties go to
 * the fewest steps, or with `tight`, to the fewest ticks and then slot-ticks (each term never falls along a
 * path, so the first goal state popped is the best in that order).
 */
function scoreSearch(
  ctx: CompiledLevel,
  seed: number,
  budget: { maxExpansions: number; maxGenerated?: number | undefined },
  tight = false,
): SearchResult {
  const h = remainingBounds(ctx);
  // Each bound is a fixed-point relaxation over the level's keys: worked out once per state.
  const ahead = { ticks: 0, units: 0 };
  const points = (s: GameState) => {
    ahead.ticks = h.ticks(s);
    ahead.units = h.units(s);
    return computeScore(ctx, s, "optimistic", { ahead, detail: false }).total;
  };
  return bestFirst(ctx, {
    seed,
    cost: tight
      ? (s) => (200 - points(s)) * 1e12 + (s.tick + ahead.ticks) * 1e6 + s.m.units + ahead.units
      : (s) => (200 - points(s)) * 1000 + s.step,
    key: (s) => scoreHash(ctx, s),
    maxExpansions: budget.maxExpansions,
    maxGenerated: budget.maxGenerated ?? defaultGenerated(budget.maxExpansions),
  });
}

/** Rounds of `computePar` before it settles for the best par found (none has needed more than 3). */
const PAR_ROUNDS = 8;

/**
 * Par for a seed: the ticks, slot-ticks and steps of the seed's best play, a fixed point of the solver.
 * Start from the DAG's lower bounds; solve against the current par (ties to the fewest ticks, then
 * slot-ticks); if the best play is slower or uses more slot-ticks than par, raise par to its figures and
 * solve again. When the best play loses no efficiency against par, par becomes its figures (which keeps
 * it the best play: a tighter par costs no other play less, and among the plays with full efficiency and
 * the most points it is the fastest). So
 * - the solver's own solution never shows "optimum N" below what it achieved, and scores full efficiency;
 * - par never asks for a speed only a play losing points elsewhere reaches (The Flood Defences' 13 ticks
 *   needed a stale reclaim);
 * - the seed's world (`world.ts`) is part of the search: failures and jitter the seed draws are in par,
 *   and seeds with the same world share it.
 */
export function computePar(
  ctx: CompiledLevel,
  options: { seed?: number; maxExpansions?: number; maxGenerated?: number } = {},
): Par {
  const seed = options.seed ?? ctx.level.seed;
  const maxExpansions = options.maxExpansions ?? 100_000;
  const cacheKey = parKey(ctx, seed, maxExpansions);
  const cached = parCache.get(ctx.level)?.get(cacheKey);
  if (cached) return cached.par;
  // A fresh compile whose par this search sets round by round (the caller's context keeps its own).
  const bare = compileLevel(ctx.level, ctx.scenario, { pit: ctx.pitFactory });
  const h = remainingBounds(bare);
  const start = initialState(bare, seed);
  // Always from the lower bounds: where the rounds start decides which fixed point they reach, so a world's
  // par must not depend on what was computed before it.
  let par: Par = { ticks: Math.max(1, h.ticks(start)), units: Math.max(1, h.units(start)), steps: 1 };
  let expanded = 0;
  for (let round = 0; ; round++) {
    bare.par = par;
    const r = scoreSearch(bare, seed, { maxExpansions, maxGenerated: options.maxGenerated }, true);
    expanded += r.expanded;
    if (!r.state) {
      const why = r.capped ? `search capped at ${maxExpansions} states` : "no sequence reaches the goal";
      // A level problem, not an engine bug: reported like any invalid level, naming where to fix it.
      throw new ValidationError(ctx.level.id, [
        {
          path: "par",
          message: `cannot compute par (seed ${seed}): ${why}; state the level's par, or simplify it (fewer functions, argument choices or parallel calls)`,
        },
      ]);
    }
    const fig: Par = { ticks: r.state.tick, units: r.state.m.units, steps: r.state.step };
    const settled = fig.ticks <= par.ticks && fig.units <= par.units;
    if (settled || round + 1 >= PAR_ROUNDS) {
      par = settled
        ? fig
        : { ticks: Math.max(par.ticks, fig.ticks), units: Math.max(par.units, fig.units), steps: fig.steps };
      const m =
        parCache.get(ctx.level) ?? new Map<string, { par: Par; actions: string[]; expanded: number }>();
      m.set(cacheKey, { par, actions: r.actions, expanded });
      playOf.set(par, { actions: r.actions, expanded, world: worldOf(ctx, seed) });
      parCache.set(ctx.level, m);
      return par;
    }
    par = { ticks: Math.max(par.ticks, fig.ticks), units: Math.max(par.units, fig.units), steps: fig.steps };
  }
}

/** The play that set a par `computePar` returned (the seed's optimum), if it was computed here. */
export function playOfPar(par: Par): readonly string[] | undefined {
  return playOf.get(par)?.actions;
}

/**
 * The most worlds a scenario may draw for par to be exact per seed. Beyond it (a "chaos" scenario with
 * jitter and failures everywhere) nearly every seed is a world of its own, a search per episode would
 * sink training, and par is the scenario's nominal par instead (its randomness taken out: the rule of
 * engine 2.1). The shipped levels draw at most 8 worlds.
 */
export const MAX_SEED_WORLDS = 256;

/** The budget of a per-seed par search (the shipped levels' worlds need at most about 6,000 states). */
export const SEED_EXPANSIONS = 30_000;

/** Par of a scenario with its randomness taken out, from the level's seed. */
function nominalPar(ctx: CompiledLevel, budget: { maxExpansions?: number; maxGenerated?: number }): Par {
  const stated = ctx.level.par;
  const nominal = nominalOf(ctx.scenario);
  if (stated && canonicalJson(nominal) === canonicalJson(ctx.level.scenario ?? NOMINAL_SCENARIO))
    return stated;
  return computePar(compileLevel(ctx.level, nominal, { pit: ctx.pitFactory }), budget);
}

/**
 * Sets par on the compiled context (once) and returns the level seed's. A level may state its par for its
 * own scenario and seed (the verifier checks it against `computePar`), which makes creating an env
 * instant; other seeds' pars are computed when first needed and kept per world (one search per world,
 * see `world.ts`). A scenario drawing more than `MAX_SEED_WORLDS` worlds uses its nominal par for every
 * seed, and so does a seed whose world's search runs out of budget (`levels:verify` makes sure no world of
 * a shipped level does): scoring an episode never throws for a level that plays.
 */
export function ensurePar(
  ctx: CompiledLevel,
  budget: { maxExpansions?: number; maxGenerated?: number } = {},
): Par {
  if (ctx.par) return ctx.par;
  const stated = ctx.level.par;
  const own = canonicalJson(ctx.level.scenario ?? NOMINAL_SCENARIO);
  const ownScenario = canonicalJson(ctx.scenario) === own;
  if (!ownScenario && worldCount(ctx) > MAX_SEED_WORLDS) {
    const par = nominalPar(ctx, budget);
    ctx.par = par;
    ctx.parBySeed = () => par;
    return par;
  }
  let fallback: Par | null = null;
  const byWorld = new Map<string, Par>();
  // The level's own scenario: the worlds it states (checked by the verifier) need no search, and their
  // plays are the seeds' optima (`solve` replays them).
  if (ownScenario)
    for (const w of ctx.level.worlds ?? []) {
      byWorld.set(w.world, w.par);
      playOf.set(w.par, { actions: w.play, expanded: 0, world: `${canonicalJson(ctx.scenario)}|${w.world}` });
    }
  // Another scenario's seed can draw a world whose search runs out of budget: its nominal par then.
  const exact = (seed: number): Par => {
    const w = worldKey(ctx, seed);
    let par = byWorld.get(w);
    if (par) return par;
    try {
      par = computePar(ctx, { maxExpansions: SEED_EXPANSIONS, ...budget, seed });
    } catch (e) {
      // The level's own scenario and seed: a level problem, reported as such when the env is made. Any other
      // world: its nominal par, never a throw (levels:verify checks every world of a shipped level).
      if (ownScenario && seed === ctx.level.seed) throw e;
      fallback ??= nominalPar(ctx, budget);
      par = fallback;
    }
    byWorld.set(w, par);
    return par;
  };
  // A stated world of the level's seed agrees with `par` (the verifier checks both) and carries its play.
  const levelPar =
    byWorld.get(worldKey(ctx, ctx.level.seed)) ?? (stated && ownScenario ? stated : exact(ctx.level.seed));
  byWorld.set(worldKey(ctx, ctx.level.seed), levelPar);
  ctx.par = levelPar;
  let lastSeed = ctx.level.seed;
  let lastPar = levelPar;
  ctx.parBySeed = (seed) => {
    if (seed !== lastSeed) {
      lastPar = exact(seed);
      lastSeed = seed;
    }
    return lastPar;
  };
  return levelPar;
}

/** Par for an episode's seed (computing the level's par first if needed). */
export function parForSeed(ctx: CompiledLevel, seed: number): Par {
  ensurePar(ctx);
  // A par set by hand (the analyzer's fallback when the search is capped) holds for every seed.
  return ctx.parBySeed ? ctx.parBySeed(seed) : (ctx.par as Par);
}

export interface Solution {
  readonly found: boolean;
  readonly actions: string[];
  readonly score: ScoreBreakdown | null;
  readonly ticks: number;
  readonly units: number;
  readonly expanded: number;
  readonly capped: boolean;
}

/**
 * The exact optimum: the action sequence with the highest final score for a seed, by best-first search
 * on the optimistic score (which never rises along a path, so the first finished state popped is best).
 */
export function solve(
  ctx: CompiledLevel,
  options: { seed?: number; maxExpansions?: number; maxGenerated?: number } = {},
): Solution {
  const seed = options.seed ?? ctx.level.seed;
  const par = parForSeed(ctx, seed);
  // The play that set a computed par is this seed's optimum (scored against that par, it loses no
  // efficiency, and no play has more of the other points): replay it instead of searching again.
  const known = playOf.get(par);
  // Only for this very world (a fallback's nominal par was set by another scenario's play).
  if (known && known.world === worldOf(ctx, seed)) {
    let s = initialState(ctx, seed);
    for (const a of known.actions) s = stepInPlace(ctx, s, a, QUIET).state;
    if (s.status === "won")
      return {
        found: true,
        actions: known.actions.slice(),
        score: s.score,
        ticks: s.tick,
        units: s.m.units,
        expanded: known.expanded,
        capped: false,
      };
  }
  const r = scoreSearch(ctx, seed, {
    maxExpansions: options.maxExpansions ?? 100_000,
    maxGenerated: options.maxGenerated,
  });
  return {
    found: r.found,
    actions: r.actions,
    score: r.state?.score ?? null,
    ticks: r.state?.tick ?? 0,
    units: r.state?.m.units ?? 0,
    expanded: r.expanded,
    capped: r.capped,
  };
}
