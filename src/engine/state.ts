import { clonePitState, copyIdDict, idDict, initialPitState, seedRng } from "../pit-sim/index.ts";
import type { CompiledLevel } from "./compile.ts";
import { checkSeed } from "./seed.ts";
import { isFactKey, keyId } from "./keys.ts";
import type { GameState, Metrics } from "./types.ts";

/** Metrics of a fresh episode: every counter at zero. */
export const emptyMetrics = (): Metrics => ({
  rejected: 0,
  redundant: 0,
  wrongArgs: 0,
  warnings: 0,
  backToBack: 0,
  unhandled: 0,
  reclaims: 0,
  units: 0,
  calls: 0,
  retries: 0,
  fallbacks: 0,
  reconstructions: 0,
  skips: 0,
  undos: 0,
  prewarmUsed: 0,
  recycledUsed: 0,
  parallelGroups: 0,
  conflicts: 0,
  wastedRetries: 0,
  decisions: 0,
});

/** The state at the start of an episode. */
export function initialState(ctx: CompiledLevel, seed: number): GameState {
  const pit = initialPitState(ctx.pitConfig);
  ctx.pit.attach(pit);
  for (const a of ctx.level.initial.artifacts) {
    ctx.pit.artifacts.store({
      id: a.id,
      producer: "initial",
      size: a.size,
      quality: "good",
      tick: 0,
      ttl: null,
      pinned: true,
    });
  }
  return {
    v: 1,
    levelId: ctx.level.id,
    seed: checkSeed(seed),
    rng: seedRng(seed),
    tick: 0,
    step: 0,
    status: "playing",
    facts: [...ctx.level.initial.facts],
    pit,
    attempts: idDict<number>(),
    broken: [],
    used: [],
    calls: [],
    history: [],
    m: emptyMetrics(),
    lastWarnStep: -1,
    score: null,
    pending: null,
  };
}

/** Deep copy of a game state (hand-written: it is on the hot path of the solver and `step`). */
export function cloneState(s: GameState): GameState {
  return {
    v: 1,
    levelId: s.levelId,
    seed: s.seed,
    rng: [s.rng[0], s.rng[1], s.rng[2], s.rng[3]],
    tick: s.tick,
    step: s.step,
    status: s.status,
    facts: s.facts.slice(),
    pit: clonePitState(s.pit),
    attempts: copyIdDict(s.attempts),
    broken: s.broken.slice(),
    used: s.used.slice(),
    calls: s.calls.slice(),
    history: s.history.slice(),
    m: { ...s.m },
    lastWarnStep: s.lastWarnStep,
    score: s.score,
    // Never mutated, only replaced: shared by copies.
    pending: s.pending,
  };
}

/** True when the key (`artifact:x` or `fact:y`) holds in the state. */
export function hasKey(s: GameState, key: string): boolean {
  if (isFactKey(key)) return s.facts.includes(keyId(key));
  return s.pit.artifacts[keyId(key)] !== undefined;
}

/** Goal keys that hold now. */
export function goalMet(ctx: CompiledLevel, s: GameState): number {
  let n = 0;
  for (const k of ctx.goalKeys) if (hasKey(s, k)) n++;
  return n;
}

/** Marks a key as read by a successful call (the used-set decides which results were wasted). */
export function markUsed(s: GameState, key: string): void {
  if (!s.used.includes(key)) s.used.push(key);
}

/** Records that a function failed permanently: it cannot be called again this episode. */
export function markBroken(s: GameState, fn: string): void {
  if (!s.broken.includes(fn)) s.broken.push(fn);
}
