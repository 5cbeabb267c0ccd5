/**
 * The keys searches and the analyzer tell states apart by: what determines a state's future, as a stream of
 * integers, spelled out as text (exact: the analyzer's state graph) or hashed to 53 bits (the searches).
 */
import type { CompiledLevel } from "./compile.ts";
import { artifactKey, factKey } from "./keys.ts";
import { presence } from "./legality.ts";
import { emptyMetrics } from "./state.ts";
import { drawWindow, jitterOf } from "./world.ts";
import type { GameState } from "./types.ts";

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
    // A function the seed draws for: its attempts matter up to the last one that draws (world.ts).
    const hz = h;
    ctx.level.functions.forEach((f, i) => {
      if (jitterOf(ctx, f.id) > 0 || (ctx.scenario.failures[f.id]?.probability ?? 0) > 0)
        hz[i] = Math.max(hz[i] as number, drawWindow(f));
    });
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
  // A call paused for a decision: which, how it failed, what it holds, with times relative to now.
  if (s.pending) walkPending(ctx, s, s.pending, k);
}

/** Texts (ids, labels, decisions) as small integers, numbered per level as first met: exact, and no text. */
const interned = new WeakMap<CompiledLevel, Map<string, number>>();
function textId(ctx: CompiledLevel, t: string): number {
  let m = interned.get(ctx);
  if (!m) {
    m = new Map();
    interned.set(ctx, m);
  }
  let i = m.get(t);
  if (i === undefined) {
    i = m.size + 1;
    m.set(t, i);
  }
  return i;
}

/** A paused call, field by field (lists led by their length, so the stream stays exact). */
function walkPending(
  ctx: CompiledLevel,
  s: GameState,
  pd: NonNullable<GameState["pending"]>,
  k: KeySink,
): void {
  k.tag(9);
  k.int(textId(ctx, pd.fn));
  k.int(textId(ctx, pd.failed));
  k.int(textId(ctx, pd.label));
  k.int(textId(ctx, pd.kind));
  k.int(pd.attempt);
  k.int(pd.attemptsLeft);
  k.int(pd.tried.length);
  for (const t of pd.tried) k.int(textId(ctx, t));
  k.int(pd.options.length);
  for (const o of pd.options) k.int(textId(ctx, o));
  k.int(pd.tick - s.tick);
  k.int(pd.startUse - s.tick);
  k.int(pd.firstStart - s.tick);
  k.int(pd.wasDone ? 1 : 0);
  k.int(pd.act.allocs.length);
  for (const a of pd.act.allocs) {
    k.int(textId(ctx, a.pool));
    k.int(a.slots.length);
    for (const x of a.slots) k.int(x);
  }
  k.int(pd.act.start - s.tick);
  k.int(pd.act.extra);
  // A second paused call of the same step (rare): as a whole, in its own absolute times.
  k.int(pd.next ? textId(ctx, JSON.stringify(pd.next)) : 0);
}

/** Everything the rest of the score can depend on, beyond the physical state. */
function walkScore(ctx: CompiledLevel, s: GameState, k: KeySink): void {
  walkPhysical(ctx, s, k);
  k.tag(3);
  k.int(s.tick);
  k.int(s.step);
  k.int(s.lastWarnStep === s.step - 1 ? 1 : 0);
  const m = s.m;
  for (let i = 0; i < METRIC_KEYS.length; i++) k.int(m[METRIC_KEYS[i] as keyof GameState["m"]]);
  k.tag(4);
  k.int(s.used.length);
  // The used keys as a bitset over the level's facts and artifacts.
  const u = universe(ctx);
  const used = u.used.fill(0);
  for (let i = 0; i < s.used.length; i++) setBit(used, u.index.get(s.used[i] as string));
  for (let w = 0; w < used.length; w++) k.int(used[w] as number);
  // Results nobody has used yet (they may still turn out wasted), as a multiset of output lists: each list
  // mixed to 32 bits, the multiset summed two ways (order-free, so no sort and no text).
  let count = 0;
  let sum = 0;
  let sumSq = 0;
  for (const c of s.calls) {
    if (c.outcome !== "ok" || c.redundant || !c.outputs.length) continue;
    let live = true;
    let h = 0x9e3779b9;
    for (const o of c.outputs) {
      const b = u.index.get(o);
      if (b !== undefined && (hasBit(used, b) || hasBit(u.goal, b))) {
        live = false;
        break;
      }
      h = Math.imul(h ^ (b === undefined ? textHash(o) : b + 1), 2654435761);
      h ^= h >>> 15;
    }
    if (!live) continue;
    count++;
    sum = (sum + h) | 0;
    sumSq = (sumSq + Math.imul(h, h | 1)) | 0;
  }
  k.tag(5);
  k.int(count);
  k.int(sum);
  k.int(sumSq);
}

const METRIC_KEYS = Object.keys(emptyMetrics()) as (keyof GameState["m"])[];

const setBit = (bits: Int32Array, b: number | undefined): void => {
  if (b !== undefined) bits[b >>> 5] = (bits[b >>> 5] as number) | (1 << (b & 31));
};
const hasBit = (bits: Int32Array, b: number): boolean => (((bits[b >>> 5] as number) >>> (b & 31)) & 1) === 1;

/** A 32-bit hash of a text (for a key outside the level's universe, which no shipped level has). */
function textHash(t: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < t.length; i++) h = Math.imul(h ^ t.charCodeAt(i), 16777619);
  return h;
}

/**
 * Every key a successful call may mark used (the level's facts and artifacts), by index; the goal's keys
 * as a bitset over them; and a scratch bitset for the used keys.
 */
interface Universe {
  readonly index: Map<string, number>;
  readonly goal: Int32Array;
  readonly used: Int32Array;
}
const universes = new WeakMap<CompiledLevel, Universe>();
function universe(ctx: CompiledLevel): Universe {
  let u = universes.get(ctx);
  if (!u) {
    const keys = [...ctx.factIds.map(factKey), ...ctx.artifactIds.map(artifactKey)];
    const index = new Map<string, number>(keys.map((key, i) => [key, i]));
    const words = (keys.length + 31) >>> 5;
    const goal = new Int32Array(words);
    for (const g of ctx.goalKeys) setBit(goal, index.get(g));
    u = { index, goal, used: new Int32Array(words) };
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
export function physicalHash(ctx: CompiledLevel, s: GameState): number {
  walkPhysical(ctx, s, hashSink.reset());
  return hashSink.done();
}

/** The score key (physical state, bookkeeping, what may still be wasted) hashed to 53 bits. */
export function scoreHash(ctx: CompiledLevel, s: GameState): number {
  walkScore(ctx, s, hashSink.reset());
  return hashSink.done();
}

/**
 * A set of 53-bit keys (what `scoreHash` returns), open addressing over two 32-bit halves: no number boxed
 * per key, and a third of the time of a `Set<number>` on the searches' hot path.
 */
export class KeySet {
  private hi = new Int32Array(1 << 12);
  private lo = new Int32Array(1 << 12);
  private used = new Uint8Array(1 << 12);
  private n = 0;
  get size(): number {
    return this.n;
  }
  /** Adds the key; false when it was already there. */
  add(key: number): boolean {
    if ((this.n + 1) * 2 > this.used.length) this.grow();
    return this.put(Math.floor(key / 4294967296) | 0, key | 0);
  }
  has(key: number): boolean {
    const h = Math.floor(key / 4294967296) | 0;
    const l = key | 0;
    const mask = this.used.length - 1;
    for (let i = this.slot(h, l) & mask; this.used[i]; i = (i + 1) & mask)
      if (this.hi[i] === h && this.lo[i] === l) return true;
    return false;
  }
  private slot(h: number, l: number): number {
    return Math.imul(l ^ Math.imul(h, 0x9e3779b1), 0x85ebca6b) >>> 7;
  }
  private put(h: number, l: number): boolean {
    const mask = this.used.length - 1;
    let i = this.slot(h, l) & mask;
    for (; this.used[i]; i = (i + 1) & mask) if (this.hi[i] === h && this.lo[i] === l) return false;
    this.used[i] = 1;
    this.hi[i] = h;
    this.lo[i] = l;
    this.n++;
    return true;
  }
  private grow(): void {
    const { hi, lo, used } = this;
    this.hi = new Int32Array(used.length * 2);
    this.lo = new Int32Array(used.length * 2);
    this.used = new Uint8Array(used.length * 2);
    this.n = 0;
    for (let i = 0; i < used.length; i++) if (used[i]) this.put(hi[i] as number, lo[i] as number);
  }
}
