import type { FailureKind } from "../pit-sim/index.ts";
import type { CompiledLevel } from "./compile.ts";
import type { LevelFunction } from "./level.ts";

/**
 * The seed's world: what a seeded scenario draws for a function's attempts. A draw depends only on the
 * episode's seed, the function's id and the attempt number (and which draw it is), never on the order of
 * the calls, so
 * - an agent cannot dodge a failure by calling things in another order: it can only respond to it;
 * - the world of a seed is a small table (`worldKey`), and par is exact per seed and shared by every seed
 *   with the same table.
 *
 * Only a function's first `retries + 1` attempts draw (the attempts one call can make); later attempts run
 * at nominal latency and succeed unless the scenario scripts a failure. Scripted injections always apply.
 */

/**
 * K, the seeds an expected figure is averaged over: the level's seed and the next K - 1. The reference
 * solution's claimed score is its mean over them, and the analyzer's expected optimum too.
 */
export const EXPECTED_SEEDS = 20;

/** The K seeds of a level whose own seed is `first`. */
export function expectedSeeds(first: number): number[] {
  return Array.from({ length: EXPECTED_SEEDS }, (_, i) => (first + i) >>> 0);
}

const FAILURE = 1;
const JITTER = 2;

const idHashes = new Map<string, number>();

/** FNV-1a (32-bit) of a function id over UTF-16 units: the same number in every runtime. */
function idHash(id: string): number {
  let h = idHashes.get(id);
  if (h !== undefined) return h;
  h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  idHashes.set(id, h);
  return h;
}

/** A float in [0, 1) from (seed, function, attempt, which draw): murmur3's finaliser over a combined word. */
export function drawUnit(seed: number, fn: string, attempt: number, which: number): number {
  let h = (seed >>> 0) ^ Math.imul(idHash(fn), 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = (h + Math.imul(attempt, 0xc2b2ae35) + which * 0x27d4eb2f) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = (h ^ (h >>> 15)) >>> 0;
  return h / 4294967296;
}

/** Attempts of a function that draw from the seed: those one call can make. */
export function drawWindow(f: LevelFunction): number {
  return f.recovery.retries + 1;
}

/** The jitter range of a function under the level's scenario: extra ticks uniform in [0, jitter]. */
export function jitterOf(ctx: CompiledLevel, fn: string): number {
  return (ctx.scenario.latency[fn]?.jitter ?? 0) + ctx.scenario.jitter;
}

/** The scenario's failure for this attempt: a scripted injection, or the seed's draw. */
export function failureFor(
  ctx: CompiledLevel,
  seed: number,
  f: LevelFunction,
  attempt: number,
): FailureKind | null {
  for (const inj of ctx.scenario.inject) if (inj.fn === f.id && inj.attempt === attempt) return inj.kind;
  const p = ctx.scenario.failures[f.id];
  if (!p || p.probability <= 0 || attempt > drawWindow(f)) return null;
  return drawUnit(seed, f.id, attempt, FAILURE) < p.probability ? p.kind : null;
}

/** How long an attempt takes: the nominal duration, the scenario's extra latency and the seed's jitter. */
export function durationFor(ctx: CompiledLevel, seed: number, f: LevelFunction, attempt: number): number {
  const extra = ctx.scenario.latency[f.id]?.extra ?? 0;
  const jitter = jitterOf(ctx, f.id);
  if (jitter <= 0 || attempt > drawWindow(f)) return f.duration + extra;
  return f.duration + extra + Math.floor(drawUnit(seed, f.id, attempt, JITTER) * (jitter + 1));
}

/** Whether the level's scenario draws anything from the seed (otherwise every seed plays the same). */
export function isSeeded(ctx: CompiledLevel): boolean {
  return ctx.level.functions.some(
    (f) => jitterOf(ctx, f.id) > 0 || (ctx.scenario.failures[f.id]?.probability ?? 0) > 0,
  );
}

/**
 * The seed's world as text: per function that draws, per attempt in its window, the failure drawn
 * (`-` for none) and the extra ticks. Two seeds with the same key play identically; "" for an unseeded level.
 */
export function worldKey(ctx: CompiledLevel, seed: number): string {
  let out = "";
  for (const f of ctx.level.functions) {
    const jitter = jitterOf(ctx, f.id);
    const p = ctx.scenario.failures[f.id]?.probability ?? 0;
    if (jitter <= 0 && p <= 0) continue;
    out += `${f.id}:`;
    for (let a = 1; a <= drawWindow(f); a++) {
      const fail = p > 0 ? failureFor(ctx, seed, f, a) : null;
      out += `${fail ? fail[0] : "-"}${durationFor(ctx, seed, f, a) - f.duration};`;
    }
  }
  return out;
}

/** How many worlds the scenario can draw (the product of every draw's outcomes). */
export function worldCount(ctx: CompiledLevel): number {
  let n = 1;
  for (const f of ctx.level.functions) {
    const jitter = jitterOf(ctx, f.id);
    const p = ctx.scenario.failures[f.id]?.probability ?? 0;
    const per = (jitter + 1) * (p > 0 && p < 1 ? 2 : 1);
    n *= per ** drawWindow(f);
  }
  return n;
}
