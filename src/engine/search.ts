import { canonicalJson, idMap, NOMINAL_SCENARIO, type Scenario, ValidationError } from "../pit-sim/index.ts";
import { type CompiledLevel, compileLevel, PREWARM, type Par } from "./compile.ts";
import { relevantFunctions, remainingBounds } from "./bounds.ts";
import { actionMask } from "./legality.ts";
import { physicalHash, scoreHash } from "./search-keys.ts";
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

/** Per action: may the search expand it? (Every call is relevant; prewarms only of pools relevant work uses.) */
function searchableActions(ctx: CompiledLevel): Uint8Array {
  const fns = relevantFunctions(ctx);
  const pools = new Set<string>();
  for (const id of fns) for (const p of Object.keys(ctx.fns.get(id)?.resources ?? {})) pools.add(p);
  for (const r of ctx.reconstructions.values()) for (const p of Object.keys(r.resources)) pools.add(p);
  return Uint8Array.from(ctx.actions, (a) =>
    a.calls.every((c) => (c.fn === PREWARM ? pools.has(c.args[0] as string) : fns.has(c.fn))) ? 1 : 0,
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
  /** A 53-bit key: states with the same key have the same future cost. */
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
  // Best cost seen per key: a child is pushed only if it reaches its state more cheaply than before.
  const best = new Map<number, number>([[key(start), cost(start)]]);
  const closed = new Set<number>();
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
    const k = key(s);
    if (closed.has(k)) {
      node.s = null;
      continue;
    }
    closed.add(k);
    if (++expanded > maxExpansions) return { found: false, actions: [], state: null, expanded, capped: true };
    actionMask(ctx, s, mask);
    for (let i = 0; i < mask.length; i++) {
      if (!mask[i] || !searchable[i]) continue;
      if (++generated > maxGenerated)
        return { found: false, actions: [], state: null, expanded, capped: true };
      const next = stepInPlace(ctx, cloneState(s), i, QUIET).state;
      if (next.status !== "won" && next.status !== "playing") continue;
      const c = cost(next);
      const nk = key(next);
      const prev = best.get(nk);
      if (prev !== undefined && prev <= c) continue;
      best.set(nk, c);
      heap.push(c, { s: null, parent: node, action: i, label: ctx.actions[i]?.label as string });
    }
  }
  return { found: false, actions: [], state: null, expanded, capped: false };
}

/**
 * The scenario with its randomness taken out: what par is measured on. Scripted injections stay, since
 * they are part of the level as designed; random failures and jitter go.
 */
export function nominalOf(sc: Scenario): Scenario {
  const latency: Scenario["latency"] = idMap();
  for (const [k, v] of Object.entries(sc.latency)) latency[k] = { extra: v.extra, jitter: 0 };
  return { ...sc, jitter: 0, latency, failures: {} };
}

const parCache = new WeakMap<Level, Map<string, Par>>();

/**
 * The physical optimum of a level under a scenario's nominal profile: the fewest ticks and the fewest
 * slot-ticks any goal-reaching solution needs (each found exactly), and the fewest steps.
 */
export function computePar(
  ctx: CompiledLevel,
  maxExpansions = 100_000,
  maxGenerated = defaultGenerated(maxExpansions),
): Par {
  // Par depends only on the nominal part of a scenario, so scenarios that differ in randomness share it.
  const cacheKey = canonicalJson(nominalOf(ctx.scenario));
  const cached = parCache.get(ctx.level)?.get(cacheKey);
  if (cached) return cached;
  const nominal = compileLevel(ctx.level, nominalOf(ctx.scenario), { pit: ctx.pitFactory });
  const h = remainingBounds(nominal);
  const key = (s: GameState) => physicalHash(nominal, s);
  // A* on each measure with its DAG lower bound (admissible and consistent, so still exact).
  const search = (cost: (s: GameState) => number) =>
    bestFirst(nominal, { seed: ctx.level.seed, cost, key, maxExpansions, maxGenerated });
  const ticks = search((s) => (s.tick + h.ticks(s)) * 1000 + s.step);
  const units = search((s) => (s.m.units + h.units(s)) * 1000 + s.step);
  const steps = search((s) => (s.step + Math.ceil(h.calls(s) / nominal.level.maxParallel)) * 1000 + s.step);
  if (!ticks.state || !units.state || !steps.state) {
    const why =
      ticks.capped || units.capped
        ? `search capped at ${maxExpansions} states`
        : "no sequence reaches the goal";
    // A level problem, not an engine bug: reported like any invalid level, naming where to fix it.
    throw new ValidationError(ctx.level.id, [
      {
        path: "par",
        message: `cannot compute par: ${why}; state the level's par, or simplify it (fewer functions, argument choices or parallel calls)`,
      },
    ]);
  }
  const par: Par = { ticks: ticks.state.tick, units: units.state.m.units, steps: steps.state.step };
  const m = parCache.get(ctx.level) ?? new Map<string, Par>();
  m.set(cacheKey, par);
  parCache.set(ctx.level, m);
  return par;
}

/**
 * Sets the level's par on the compiled context (once) and returns it. A level may state its par for its
 * own scenario (the verifier checks it against `computePar`), which makes creating an env instant.
 */
export function ensurePar(ctx: CompiledLevel): Par {
  if (!ctx.par) {
    const stated = ctx.level.par;
    const own = canonicalJson(nominalOf(ctx.level.scenario ?? NOMINAL_SCENARIO));
    ctx.par = stated && canonicalJson(nominalOf(ctx.scenario)) === own ? stated : computePar(ctx);
  }
  return ctx.par;
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
  ensurePar(ctx);
  const seed = options.seed ?? ctx.level.seed;
  const h = remainingBounds(ctx);
  const maxExpansions = options.maxExpansions ?? 100_000;
  const r = bestFirst(ctx, {
    seed,
    cost: (s) =>
      (200 -
        computeScore(ctx, s, "optimistic", { ahead: { ticks: h.ticks(s), units: h.units(s) }, detail: false })
          .total) *
        1000 +
      s.step,
    key: (s) => scoreHash(ctx, s),
    maxExpansions,
    maxGenerated: options.maxGenerated ?? defaultGenerated(maxExpansions),
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
