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
  const pd = s.pending;
  if (pd) {
    k.tag(9);
    const text = JSON.stringify([
      pd.fn,
      pd.failed,
      pd.label,
      pd.kind,
      pd.attempt,
      pd.attemptsLeft,
      pd.tried,
      pd.options,
      pd.tick - s.tick,
      pd.startUse - s.tick,
      pd.firstStart - s.tick,
      pd.wasDone,
      pd.act.allocs.map((a) => [a.pool, a.slots]),
      pd.act.start - s.tick,
      pd.act.extra,
      pd.next,
    ]);
    for (let i = 0; i < text.length; i++) k.int(text.charCodeAt(i));
  }
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
export function physicalHash(ctx: CompiledLevel, s: GameState): number {
  walkPhysical(ctx, s, hashSink.reset());
  return hashSink.done();
}

/** The score key (physical state, bookkeeping, what may still be wasted) hashed to 53 bits. */
export function scoreHash(ctx: CompiledLevel, s: GameState): number {
  walkScore(ctx, s, hashSink.reset());
  return hashSink.done();
}
