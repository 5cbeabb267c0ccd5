import { canonicalJson, NOMINAL_SCENARIO, type Scenario } from "../pit-sim/index.ts";
import { type CompiledLevel, compileLevel, PREWARM, type Par } from "./compile.ts";
import { actionMask } from "./legality.ts";
import { cloneState, initialState } from "./state.ts";
import { stepInPlace } from "./step.ts";
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

/** Attempts matter only up to the last scripted injection of each function (or when random failures draw). */
function attemptsKey(ctx: CompiledLevel, s: GameState): string {
  let k = "";
  for (const fn of Object.keys(s.attempts).sort()) {
    let horizon = 0;
    for (const inj of ctx.scenario.inject) if (inj.fn === fn) horizon = Math.max(horizon, inj.attempt);
    k += `${fn}:${Math.min(s.attempts[fn] as number, horizon)},`;
  }
  return k;
}

/** What determines a state's physical future: everything but the path's bookkeeping. */
export function physicalKey(ctx: CompiledLevel, s: GameState): string {
  let k = `${s.status}|${s.facts.slice().sort().join(",")}|`;
  for (const id of Object.keys(s.pit.artifacts).sort()) {
    const a = s.pit.artifacts[id];
    if (a)
      k += `${id}:${a.quality}:${a.consumers.length ? 1 : 0}:${a.ttl === null ? "" : s.tick - a.lastUsedTick},`;
  }
  k += "|";
  ctx.pools.forEach((cfg, i) => {
    const p = s.pit.pools[i] as GameState["pit"]["pools"][number];
    // Only the heat left now matters, not when it was added.
    k += `${Math.round(Math.max(0, p.heat - cfg.cooling * (s.tick - p.heatTick)) * 100)};`;
    for (const sl of p.slots)
      k += `${sl.phase[0]}${sl.phase === "cold" ? "" : sl.phase === "prewarmed" ? s.tick - sl.until : Math.max(0, sl.until - s.tick)}`;
    k += ";";
  });
  k += `|${Object.values(s.pit.dag).join("")}|${s.broken.join(",")}|${s.rng.join(",")}|${attemptsKey(ctx, s)}`;
  return k;
}

function metricsKey(m: GameState["m"]): string {
  let k = "";
  for (const v of Object.values(m)) k += `${v},`;
  return k;
}

/** Everything the rest of the score can depend on. */
function scoreKey(ctx: CompiledLevel, s: GameState): string {
  const pending = s.calls
    .filter(
      (c) =>
        c.outcome === "ok" &&
        !c.redundant &&
        c.outputs.length &&
        !c.outputs.some((o) => s.used.includes(o) || ctx.goalKeys.includes(o)),
    )
    .map((c) => c.outputs.join("&"))
    .sort();
  return `${physicalKey(ctx, s)}|${s.tick}|${s.step}|${s.lastWarnStep === s.step - 1 ? 1 : 0}|${metricsKey(s.m)}|${s.used.slice().sort().join(",")}|${pending.join(",")}`;
}

/**
 * Lower bounds on what is left to do, from the dependency graph alone: the longest chain of producers
 * still needed for the goal, in ticks, slot-ticks and calls. Each step can advance every chain by at
 * most one call, and a call takes at least its nominal duration, so the bounds are admissible and
 * consistent: A* with them stays exact.
 */
export interface Remaining {
  ticks(s: GameState): number;
  units(s: GameState): number;
  calls(s: GameState): number;
}

export function remainingBounds(ctx: CompiledLevel): Remaining {
  // Precomputed per key: each producer's needs (as keys) and its costs, so the hot path only reads.
  interface Producer {
    id: string;
    needs: string[];
    ticks: number;
    units: number;
  }
  const slots = (res: Record<string, number>) => Object.values(res).reduce((n, x) => n + x, 0);
  const producersOf = new Map<string, Producer[]>();
  const keyOf = (k: string) => {
    let list = producersOf.get(k);
    if (list) return list;
    list = [];
    for (const id of ctx.producers.get(k) ?? []) {
      const f = ctx.fns.get(id);
      if (!f) continue;
      list.push({
        id,
        needs: ctx.keysIn.get(id) as string[],
        ticks: f.duration,
        units: slots(f.resources) * f.duration,
      });
    }
    const r = k.startsWith("artifact:") ? ctx.reconstructions.get(k.slice(9)) : undefined;
    if (r)
      list.push({
        id: "",
        needs: r.from.map((a) => `artifact:${a}`),
        ticks: r.duration,
        units: slots(r.resources) * r.duration,
      });
    producersOf.set(k, list);
    return list;
  };
  const bound =
    (which: "ticks" | "units" | "calls") =>
    (s: GameState): number => {
      const memo = new Map<string, number>();
      const visiting = new Set<string>();
      const dist = (key: string): number => {
        if (hasKeyNow(s, key)) return 0;
        const known = memo.get(key);
        if (known !== undefined) return known;
        if (visiting.has(key)) return Number.POSITIVE_INFINITY;
        visiting.add(key);
        let best = Number.POSITIVE_INFINITY;
        for (const p of keyOf(key)) {
          if (p.id && s.broken.includes(p.id)) continue;
          let need = 0;
          for (const n of p.needs) {
            need = Math.max(need, dist(n));
            if (need === Number.POSITIVE_INFINITY) break;
          }
          best = Math.min(best, (which === "calls" ? 1 : p[which]) + need);
        }
        visiting.delete(key);
        memo.set(key, best);
        return best;
      };
      let h = 0;
      for (const k of ctx.goalKeys) h = Math.max(h, dist(k));
      return Number.isFinite(h) ? h : 0;
    };
  return { ticks: bound("ticks"), units: bound("units"), calls: bound("calls") };
}

function hasKeyNow(s: GameState, key: string): boolean {
  return key.startsWith("fact:")
    ? s.facts.includes(key.slice(5))
    : s.pit.artifacts[key.slice(9)] !== undefined;
}

/**
 * Functions that can contribute to the goal: producers of what the goal needs, transitively (through
 * needs, optional needs, permissions, retry preconditions, arguments, fallbacks and reconstructions).
 * A call of any other function only adds ticks, slot-ticks, heat and waste, and the warm slot it might
 * leave behind a prewarm gives for less, so searches never need to expand it.
 */
export function relevantFunctions(ctx: CompiledLevel): Set<string> {
  const keys = [...ctx.goalKeys];
  const seenKeys = new Set<string>(keys);
  const fns = new Set<string>();
  const need = (k: string) => {
    if (!seenKeys.has(k)) {
      seenKeys.add(k);
      keys.push(k);
    }
  };
  const addFn = (id: string) => {
    const f = ctx.fns.get(id);
    if (!f || fns.has(id)) return;
    fns.add(id);
    for (const a of [...f.needs.artifacts, ...f.needs.optional]) need(`artifact:${a}`);
    for (const x of [...f.needs.facts, ...f.permission, ...f.recovery.retryRequires]) need(`fact:${x}`);
    for (const p of f.params) for (const v of p.accepts) need(`artifact:${v}`);
    if (f.recovery.fallback) addFn(f.recovery.fallback);
  };
  while (keys.length) {
    const k = keys.pop() as string;
    for (const id of ctx.producers.get(k) ?? []) addFn(id);
    const r = k.startsWith("artifact:") ? ctx.reconstructions.get(k.slice(9)) : undefined;
    if (r) for (const a of r.from) need(`artifact:${a}`);
  }
  return fns;
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
 * 53-bit string hash (cyrb53). The search keeps these numbers instead of the long state keys: far less
 * memory and garbage. With 10^5 distinct states the chance of any collision is about 10^-6.
 */
function hash53(str: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Best-first search over engine states; `cost` must never fall along a path. */
function bestFirst(
  ctx: CompiledLevel,
  seed: number,
  cost: (s: GameState) => number,
  key: (s: GameState) => string,
  maxExpansions: number,
  /** Children generated before giving up: wide levels generate hundreds per expansion. */
  maxGenerated = maxExpansions * 50,
): SearchResult {
  const heap = new Heap<Node>();
  const start = initialState(ctx, seed);
  heap.push(cost(start), { s: start, parent: null, action: -1, label: "" });
  // Best cost seen per key: a child is pushed only if it reaches its state more cheaply than before.
  const best = new Map<number, number>([[hash53(key(start)), cost(start)]]);
  const closed = new Set<number>();
  const mask = new Uint8Array(ctx.actions.length);
  const searchable = searchableActions(ctx);
  let expanded = 0;
  let generated = 0;
  while (heap.size) {
    const top = heap.pop() as { k: number; v: Node };
    const node = top.v;
    // Stepping is deterministic, so a child's state is rebuilt from its parent's instead of kept in the heap.
    node.s ??= stepInPlace(ctx, cloneState((node.parent as Node).s as GameState), node.action).state;
    const s = node.s;
    if (s.status === "won") return { found: true, actions: pathOf(node), state: s, expanded, capped: false };
    if (s.status !== "playing") continue;
    const k = hash53(key(s));
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
      const next = stepInPlace(ctx, cloneState(s), i).state;
      if (next.status !== "won" && next.status !== "playing") continue;
      const c = cost(next);
      const nk = hash53(next.status === "won" ? `won|${key(next)}` : key(next));
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
  const latency: Scenario["latency"] = {};
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
  maxGenerated = maxExpansions * 50,
): Par {
  // Par depends only on the nominal part of a scenario, so scenarios that differ in randomness share it.
  const cacheKey = canonicalJson(nominalOf(ctx.scenario));
  const cached = parCache.get(ctx.level)?.get(cacheKey);
  if (cached) return cached;
  const nominal = compileLevel(ctx.level, nominalOf(ctx.scenario));
  const h = remainingBounds(nominal);
  const key = (s: GameState) => physicalKey(nominal, s);
  // A* on each measure with its DAG lower bound (admissible and consistent, so still exact).
  const search = (cost: (s: GameState) => number) =>
    bestFirst(nominal, ctx.level.seed, cost, key, maxExpansions, maxGenerated);
  const ticks = search((s) => (s.tick + h.ticks(s)) * 1000 + s.step);
  const units = search((s) => (s.m.units + h.units(s)) * 1000 + s.step);
  const steps = search((s) => (s.step + Math.ceil(h.calls(s) / nominal.level.maxParallel)) * 1000 + s.step);
  if (!ticks.state || !units.state || !steps.state) {
    const why =
      ticks.capped || units.capped
        ? `search capped at ${maxExpansions} states`
        : "no sequence reaches the goal";
    throw new Error(`level "${ctx.level.id}": cannot compute par: ${why}`);
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
  const r = bestFirst(
    ctx,
    seed,
    (s) =>
      (200 -
        computeScore(ctx, s, "optimistic", { ahead: { ticks: h.ticks(s), units: h.units(s) }, detail: false })
          .total) *
        1000 +
      s.step,
    (s) => scoreKey(ctx, s),
    options.maxExpansions ?? 100_000,
    options.maxGenerated ?? (options.maxExpansions ?? 100_000) * 50,
  );
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
