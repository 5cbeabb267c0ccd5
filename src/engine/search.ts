import { canonicalJson, idMap, NOMINAL_SCENARIO, type Scenario, ValidationError } from "../pit-sim/index.ts";
import { type CompiledLevel, compileLevel, PREWARM, type Par } from "./compile.ts";
import { artifactKey, factKey, isFactKey, keyId } from "./keys.ts";
import { actionMask, presence } from "./legality.ts";
import { cloneState, emptyMetrics, initialState } from "./state.ts";
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

/** Receives a state's key as a stream of integers (tags mark where a variable-length part starts). */
interface KeySink {
  int(x: number): void;
  tag(t: number): void;
}

const STATUS_CODE = { playing: 1, won: 2, stuck: 3, truncated: 4 } as const;
const PHASE_CODE = { cold: 1, warm: 2, prewarmed: 3, busy: 4 } as const;
const QUALITY_CODE = { good: 1, degraded: 2, corrupt: 3 } as const;
const NODE_CODE = { pending: 1, done: 2, failed: 3, skipped: 4 } as const;

/** Per function (level order): the last attempt a scripted injection targets; later attempts look alike. */
const horizons = new WeakMap<CompiledLevel, Int32Array>();
function attemptHorizons(ctx: CompiledLevel): Int32Array {
  let h = horizons.get(ctx);
  if (!h) {
    h = new Int32Array(ctx.level.functions.length);
    for (const inj of ctx.scenario.inject) {
      const i = ctx.bits.fnIndex.get(inj.fn);
      if (i !== undefined) h[i] = Math.max(h[i] as number, inj.attempt);
    }
    horizons.set(ctx, h);
  }
  return h;
}

/**
 * What determines a state's physical future, everything but the path's bookkeeping, written to a sink:
 * times relative to now (what is left of a warm slot, how long an artifact has idled), heat after
 * cooling, sets in the level's compile-time order.
 */
function walkPhysical(ctx: CompiledLevel, s: GameState, k: KeySink): void {
  k.int(STATUS_CODE[s.status]);
  const have = presence(ctx, s);
  for (let w = 0; w < have.length; w++) k.int(have[w] as number);
  for (const id of ctx.artifactIds) {
    const a = s.pit.artifacts[id];
    if (!a) continue;
    k.tag(1);
    k.int(QUALITY_CODE[a.quality]);
    k.int(a.consumers.length ? 1 : 0);
    k.int(a.ttl === null ? -1 : s.tick - a.lastUsedTick);
  }
  k.tag(2);
  for (let i = 0; i < ctx.pools.length; i++) {
    const cfg = ctx.pools[i] as CompiledLevel["pools"][number];
    const p = s.pit.pools[i] as GameState["pit"]["pools"][number];
    // Only the heat left now matters, not when it was added.
    k.int(Math.round(Math.max(0, p.heat - cfg.cooling * (s.tick - p.heatTick)) * 100));
    for (const sl of p.slots) {
      k.int(PHASE_CODE[sl.phase]);
      k.int(
        sl.phase === "cold"
          ? 0
          : sl.phase === "prewarmed"
            ? s.tick - sl.until
            : Math.max(0, sl.until - s.tick),
      );
    }
  }
  const fns = ctx.level.functions;
  const hz = attemptHorizons(ctx);
  for (let i = 0; i < fns.length; i++) {
    const id = (fns[i] as (typeof fns)[number]).id;
    k.int(NODE_CODE[s.pit.dag[id] ?? "pending"]);
    k.int(s.broken.includes(id) ? 1 : 0);
    // Attempts matter only up to the last scripted injection of the function. Whether the function was
    // attempted at all stays in the key, as it always has: analysis counts states by this key.
    const att = s.attempts[id];
    k.int(att === undefined ? 0 : 1 + Math.min(att, hz[i] as number));
  }
  for (let i = 0; i < 4; i++) k.int(s.rng[i] as number);
}

/** Everything the rest of the score can depend on, beyond the physical state. */
function walkScore(ctx: CompiledLevel, s: GameState, k: KeySink): void {
  walkPhysical(ctx, s, k);
  k.tag(3);
  k.int(s.tick);
  k.int(s.step);
  k.int(s.lastWarnStep === s.step - 1 ? 1 : 0);
  for (const key of METRIC_KEYS) k.int(s.m[key]);
  k.tag(4);
  k.int(s.used.length);
  for (const u of usedUniverse(ctx)) k.int(s.used.includes(u) ? 1 : 0);
  // Results nobody has used yet (they may still turn out wasted), as a multiset of output sets.
  const pending: string[] = [];
  for (const c of s.calls) {
    if (c.outcome !== "ok" || c.redundant || !c.outputs.length) continue;
    if (c.outputs.some((o) => s.used.includes(o) || ctx.goalKeys.includes(o))) continue;
    pending.push(c.outputs.join("&"));
  }
  pending.sort();
  for (const p of pending) {
    k.tag(5);
    for (let i = 0; i < p.length; i++) k.int(p.charCodeAt(i));
  }
}

const METRIC_KEYS = Object.keys(emptyMetrics()) as (keyof GameState["m"])[];

/** Every key a successful call may mark used: the level's facts and artifacts. */
const universes = new WeakMap<CompiledLevel, string[]>();
function usedUniverse(ctx: CompiledLevel): string[] {
  let u = universes.get(ctx);
  if (!u) {
    u = [...ctx.factIds.map(factKey), ...ctx.artifactIds.map(artifactKey)];
    universes.set(ctx, u);
  }
  return u;
}

/** Builds the key as readable text (exact: analysis keys its state graph by it). */
class TextSink implements KeySink {
  text = "";
  int(x: number): void {
    this.text += `${x},`;
  }
  tag(t: number): void {
    this.text += `|${t}|`;
  }
}

/**
 * Mixes the key into 53 bits (cyrb53's mixing) without building text. Searches keep these numbers
 * instead of keys: far less memory and garbage; with 10^5 distinct states the chance of any collision
 * is about 10^-6.
 */
class HashSink implements KeySink {
  h1 = 0xdeadbeef;
  h2 = 0x41c6ce57;
  reset(): this {
    this.h1 = 0xdeadbeef;
    this.h2 = 0x41c6ce57;
    return this;
  }
  int(x: number): void {
    const v = x | 0;
    this.h1 = Math.imul(this.h1 ^ v, 2654435761);
    this.h2 = Math.imul(this.h2 ^ v, 1597334677);
  }
  tag(t: number): void {
    this.int(0x5bd1e995 ^ t);
  }
  done(): number {
    let h1 = this.h1;
    let h2 = this.h2;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return 4294967296 * (2097151 & h2) + (h1 >>> 0);
  }
}

/** What determines a state's physical future, as text: everything but the path's bookkeeping. */
export function physicalKey(ctx: CompiledLevel, s: GameState): string {
  const sink = new TextSink();
  walkPhysical(ctx, s, sink);
  return sink.text;
}

const hashSink = new HashSink();

/** `physicalKey` hashed to 53 bits without building it. */
function physicalHash(ctx: CompiledLevel, s: GameState): number {
  walkPhysical(ctx, s, hashSink.reset());
  return hashSink.done();
}

/** The score key (physical state, bookkeeping, what may still be wasted) hashed to 53 bits. */
function scoreHash(ctx: CompiledLevel, s: GameState): number {
  walkScore(ctx, s, hashSink.reset());
  return hashSink.done();
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
  // Keys are the level's bit ids (facts, then artifacts); a key outside them can never be present.
  const nKeys = ctx.factIds.length + ctx.artifactIds.length;
  const bitOf = (k: string): number => {
    const id = keyId(k);
    const b = isFactKey(k) ? ctx.bits.factBit.get(id) : ctx.bits.artifactBit.get(id);
    return b ?? -1;
  };
  interface Producer {
    fn: string;
    needs: Int32Array;
    ticks: number;
    units: number;
  }
  const slots = (res: Record<string, number>) => Object.values(res).reduce((n, x) => n + x, 0);
  const producers: Producer[][] = [];
  const keyName = (b: number): string =>
    b < ctx.factIds.length
      ? factKey(ctx.factIds[b] as string)
      : artifactKey(ctx.artifactIds[b - ctx.factIds.length] as string);
  for (let b = 0; b < nKeys; b++) {
    const k = keyName(b);
    const list: Producer[] = [];
    for (const id of ctx.producers.get(k) ?? []) {
      const f = ctx.fns.get(id);
      if (!f) continue;
      list.push({
        fn: id,
        needs: Int32Array.from((ctx.keysIn.get(id) ?? []).map(bitOf)),
        ticks: f.duration,
        units: slots(f.resources) * f.duration,
      });
    }
    const r = isFactKey(k) ? undefined : ctx.reconstructions.get(keyId(k));
    if (r)
      list.push({
        fn: "",
        needs: Int32Array.from(r.from.map((a) => bitOf(artifactKey(a)))),
        ticks: r.duration,
        units: slots(r.resources) * r.duration,
      });
    producers.push(list);
  }
  const goal = Int32Array.from(ctx.goalKeys.map(bitOf));
  const memo = new Float64Array(nKeys);
  const state = new Uint8Array(nKeys); // 0 unknown, 1 visiting, 2 known
  const bound =
    (which: "ticks" | "units" | "calls") =>
    (s: GameState): number => {
      const have = presence(ctx, s);
      state.fill(0);
      const dist = (b: number): number => {
        if (b < 0) return Number.POSITIVE_INFINITY;
        if ((((have[b >>> 5] as number) >>> (b & 31)) & 1) === 1) return 0;
        const st = state[b];
        if (st === 2) return memo[b] as number;
        if (st === 1) return Number.POSITIVE_INFINITY;
        state[b] = 1;
        let best = Number.POSITIVE_INFINITY;
        for (const p of producers[b] as Producer[]) {
          if (p.fn && s.broken.length && s.broken.includes(p.fn)) continue;
          let need = 0;
          for (let i = 0; i < p.needs.length; i++) {
            need = Math.max(need, dist(p.needs[i] as number));
            if (need === Number.POSITIVE_INFINITY) break;
          }
          best = Math.min(best, (which === "calls" ? 1 : p[which]) + need);
        }
        state[b] = 2;
        memo[b] = best;
        return best;
      };
      let h = 0;
      for (let i = 0; i < goal.length; i++) h = Math.max(h, dist(goal[i] as number));
      return Number.isFinite(h) ? h : 0;
    };
  return { ticks: bound("ticks"), units: bound("units"), calls: bound("calls") };
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
  const nominal = compileLevel(ctx.level, nominalOf(ctx.scenario));
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
