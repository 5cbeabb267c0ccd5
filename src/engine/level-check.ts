/**
 * What makes a valid level beyond its schema (the checks `levels:verify` runs on every shipped file, and
 * the generator on every level it makes), and the difficulty metrics that place a level in its tier.
 */
import { explore, randomPlayer } from "./analyze.ts";
import { type CompiledLevel, compileLevel } from "./compile.ts";
import { createEnv } from "./env.ts";
import type { Level, Panel } from "./level.ts";
import { canonicalJson } from "../pit-sim/index.ts";
import { computePar, playOfPar, SEED_EXPANSIONS, solve } from "./search.ts";
import { expectedSeeds, isSeeded, worldKey } from "./world.ts";
import type { GameState } from "./types.ts";

/** The panels each tier adds (seed 000): a level reveals those of its tier and of every tier below. */
export const PANELS_BY_TIER: readonly (readonly Panel[])[] = [
  ["progress"],
  ["resources", "efficiency-hints"],
  ["pools", "optimization-hints"],
  ["stability", "dag", "artifacts", "failures"],
];

/** Plays steps (in the CLI's notation) from the level's own seed, or another; returns the final state. */
export function playSteps(level: Level, steps: readonly string[], seed = level.seed): GameState {
  const env = createEnv({ level, seed });
  env.reset({ seed });
  for (const a of steps) env.step(a);
  return env.state();
}

/** What a level's uncertainty does to a fixed play over the documented seeds (`EXPECTED_SEEDS`). */
export interface SeedSpread {
  readonly seeds: readonly number[];
  /** Final score per seed. */
  readonly scores: readonly number[];
  /** The mean score, to one decimal: what `meanScore` claims. */
  readonly mean: number;
  /** Seeds on which the play did not reach the goal. */
  readonly lost: readonly number[];
  /** Distinct outcomes: plays that end differently (status, ticks, slot-ticks, score, metrics). */
  readonly outcomes: number;
  /** Distinct worlds the seeds drew (`worldKey`). */
  readonly worlds: number;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Seeds whose worlds `levelProblems` checks can be searched for par (from the level's own seed). */
export const WORLD_SEEDS = 200;

/** One entry of a level's `worlds`: a world's par and the play that sets it. */
export type StatedWorld = NonNullable<Level["worlds"]>[number];

/**
 * Par and its play for every world the first `WORLD_SEEDS` seeds of the compiled level's own scenario draw,
 * in the order they first appear: what a seeded level states as `worlds`. A world whose par cannot be
 * searched is left out and named in `problems`.
 */
export function worldPars(ctx: CompiledLevel): { worlds: StatedWorld[]; problems: string[] } {
  const worlds: StatedWorld[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (let k = 0; k < WORLD_SEEDS; k++) {
    const seed = (ctx.level.seed + k) >>> 0;
    const world = worldKey(ctx, seed);
    if (seen.has(world)) continue;
    seen.add(world);
    try {
      // The budget a world's par gets when an episode is scored (`ensurePar`).
      const par = computePar(ctx, { seed, maxExpansions: SEED_EXPANSIONS });
      worlds.push({ world, par: { ...par }, play: [...(playOfPar(par) ?? [])] });
    } catch (e) {
      problems.push(`seed ${seed} draws a world whose par cannot be searched: ${(e as Error).message}`);
    }
  }
  return { worlds, problems };
}

/** What is wrong with a level's stated `worlds` against the computed ones (empty when they agree). */
function worldsProblems(
  stated: readonly StatedWorld[] | undefined,
  computed: readonly StatedWorld[],
): string[] {
  if (!stated)
    return [
      `states no worlds: its ${computed.length} world(s) need their par stated (run scripts/level-tool.ts on the file)`,
    ];
  if (stated.length !== computed.length)
    return [
      `states ${stated.length} world(s); its first ${WORLD_SEEDS} seeds draw ${computed.length} (run scripts/level-tool.ts on the file)`,
    ];
  for (let i = 0; i < computed.length; i++) {
    const a = stated[i] as StatedWorld;
    const b = computed[i] as StatedWorld;
    if (canonicalJson(a) !== canonicalJson(b))
      return [
        `worlds[${i}] states ${canonicalJson(a)}; the search gives ${canonicalJson(b)} (run scripts/level-tool.ts on the file)`,
      ];
  }
  return [];
}

/** Plays the same steps from each documented seed. */
export function seedSpread(level: Level, steps: readonly string[]): SeedSpread {
  const seeds = expectedSeeds(level.seed);
  const ctx = compileLevel(level);
  const scores: number[] = [];
  const lost: number[] = [];
  const hashes = new Set<string>();
  const worlds = new Set<string>();
  for (const seed of seeds) {
    const env = createEnv({ level, seed, events: false });
    env.reset({ seed });
    for (const a of steps) env.step(a);
    const s = env.state();
    scores.push(s.score?.total ?? 0);
    if (s.status !== "won") lost.push(seed);
    hashes.add(JSON.stringify([s.status, s.tick, s.m, s.score?.total ?? null]));
    worlds.add(worldKey(ctx, seed));
  }
  return {
    seeds,
    scores,
    mean: round1(scores.reduce((a, b) => a + b, 0) / seeds.length),
    lost,
    outcomes: hashes.size,
    worlds: worlds.size,
  };
}

/**
 * The per-seed optimum of the level's own seed and the expected optimum: the mean of the solver's optimum
 * over the documented seeds (one search per distinct world).
 */
export function expectedOptimum(level: Level): {
  seed: number;
  own: number;
  mean: number;
  min: number;
  max: number;
} {
  const ctx = compileLevel(level);
  const byWorld = new Map<string, number>();
  const optima = expectedSeeds(level.seed).map((seed) => {
    const w = worldKey(ctx, seed);
    let o = byWorld.get(w);
    if (o === undefined) {
      o = solve(ctx, { seed }).score?.total ?? 0;
      byWorld.set(w, o);
    }
    return o;
  });
  return {
    seed: level.seed,
    own: optima[0] as number,
    mean: round1(optima.reduce((a, b) => a + b, 0) / optima.length),
    min: Math.min(...optima),
    max: Math.max(...optima),
  };
}

/** Single calls of a solution step: `a + b(x)` gives `a`, `b`. */
export function stepFunctions(step: string): string[] {
  return step.split("+").map((c) => c.trim().replace(/\(.*\)$/, ""));
}

/**
 * Every reason a level is not fit to ship (empty when it is):
 * - the reference reaches the goal, scores what it claims, as a Grand Maestro, and equals the solver's optimum;
 * - the basic solution reaches the goal and scores what it claims, at most 100;
 * - some callable function tempts but is not in the reference;
 * - it reveals the panels of its tier and the tiers below;
 * - tiers 3 and 4 draw uncertainty from the seed: the reference gives at least 2 distinct outcomes over the
 *   documented seeds, and `meanScore` is its mean score over them.
 */
export function levelProblems(
  level: Level,
  /**
   * What the caller has just computed for this very level (saves the work): the solver's optimum score,
   * the reference's spread over the documented seeds.
   */
  known: {
    readonly optimum?: number;
    readonly spread?: SeedSpread;
    /** The level's computed `worlds` (`worldPars`), all searched. */
    readonly worlds?: readonly StatedWorld[];
  } = {},
): string[] {
  const problems: string[] = [];
  const ref = playSteps(level, level.solutions.reference.steps);
  if (ref.status !== "won") problems.push(`reference solution does not reach the goal (${ref.status})`);
  if (ref.score?.total !== level.solutions.reference.score)
    problems.push(`reference solution scores ${ref.score?.total}, claims ${level.solutions.reference.score}`);
  if (ref.score?.tier !== "Grand Maestro")
    problems.push(`reference solution is ${ref.score?.tier}, not Grand Maestro`);
  const basic = playSteps(level, level.solutions.basic.steps);
  if (basic.status !== "won") problems.push(`basic solution does not reach the goal (${basic.status})`);
  if (basic.score?.total !== level.solutions.basic.score)
    problems.push(`basic solution scores ${basic.score?.total}, claims ${level.solutions.basic.score}`);
  if ((basic.score?.total ?? 999) > 100)
    problems.push(`basic solution scores ${basic.score?.total}, above 100`);
  const sol = known.optimum === undefined ? solve(compileLevel(level)) : null;
  const optimum = sol ? sol.score?.total : known.optimum;
  if (sol && !sol.found) problems.push(`solver found no optimum${sol.capped ? " (capped)" : ""}`);
  else if (optimum !== level.solutions.reference.score)
    problems.push(`solver's optimum scores ${optimum}, reference claims ${level.solutions.reference.score}`);
  const used = new Set(level.solutions.reference.steps.flatMap(stepFunctions));
  if (!level.functions.some((f) => f.callable && !used.has(f.id)))
    problems.push("no tempting distractor: the reference solution calls every function");
  const seeded = isSeeded(compileLevel(level));
  if (level.tier >= 3 && !seeded)
    problems.push(
      `a tier-${level.tier} level must draw uncertainty from its seed (scenario jitter, latency or failures)`,
    );
  if (seeded) {
    // Every world the first WORLD_SEEDS seeds draw has an exact par (a capped search would fall back to
    // the nominal par mid-episode), and the level states it.
    const computed = known.worlds ? { worlds: known.worlds, problems: [] } : worldPars(compileLevel(level));
    problems.push(...computed.problems, ...worldsProblems(level.worlds, computed.worlds));
    const spread = known.spread ?? seedSpread(level, level.solutions.reference.steps);
    if (level.solutions.reference.meanScore !== spread.mean)
      problems.push(
        `reference solution's mean over ${spread.seeds.length} seeds is ${spread.mean}, claims meanScore ${level.solutions.reference.meanScore ?? "(missing)"}`,
      );
    if (spread.outcomes < 2)
      problems.push(
        `the reference gives ${spread.outcomes} distinct outcome over ${spread.seeds.length} seeds: the seed changes nothing`,
      );
  } else {
    if (level.solutions.reference.meanScore !== undefined)
      problems.push("meanScore is for levels whose scenario draws from the seed; this one draws nothing");
    if (level.worlds !== undefined)
      problems.push("worlds is for levels whose scenario draws from the seed; this one draws nothing");
  }
  const missing = PANELS_BY_TIER.slice(0, level.tier)
    .flat()
    .filter((p) => !level.panels.includes(p));
  if (missing.length) problems.push(`tier ${level.tier} should reveal ${missing.join(", ")}`);
  return problems;
}

/** How hard a level is, in the measures the tiers are banded by. */
export interface LevelMetrics {
  /** Calls in the reference solution (a group counts each of its calls). */
  readonly calls: number;
  /** Distinct states reachable (explored up to 2,000). */
  readonly states: number;
  /** Mean legal actions per explored state. */
  readonly branching: number;
  /** Mean final score of 200 seeded random legal players. */
  readonly random: number;
}

/** The states explored at most when measuring a level. */
export const METRIC_STATES = 2000;

export function levelMetrics(level: Level, randomRuns = 200): LevelMetrics {
  const ctx = compileLevel(level);
  const ex = explore(ctx, level.seed, METRIC_STATES);
  const { scores } = randomPlayer(ctx, level.seed, randomRuns);
  return {
    calls: level.solutions.reference.steps.reduce((n, s) => n + stepFunctions(s).length, 0),
    states: Math.min(ex.states, METRIC_STATES),
    branching: Math.round(ex.meanBranching * 100) / 100,
    random: Math.round((10 * scores.reduce((a, b) => a + b, 0)) / Math.max(1, scores.length)) / 10,
  };
}

/** The range of each metric over some levels: a tier's band. */
export type Band = { readonly [K in keyof LevelMetrics]: readonly [number, number] };

export function bandOf(metrics: readonly LevelMetrics[]): Band {
  const range = (k: keyof LevelMetrics): [number, number] => [
    Math.min(...metrics.map((m) => m[k])),
    Math.max(...metrics.map((m) => m[k])),
  ];
  return {
    calls: range("calls"),
    states: range("states"),
    branching: range("branching"),
    random: range("random"),
  };
}

/** No band at all: every level is inside it. */
export const NO_BAND: Band = { calls: [0, 1e9], states: [0, 1e9], branching: [0, 1e9], random: [0, 200] };

/** True when every level is inside the band (no metric needs measuring to check it). */
export function bandIsOpen(b: Band): boolean {
  return (
    b.calls[0] <= 0 &&
    b.calls[1] >= 1e9 &&
    b.states[0] <= 0 &&
    b.states[1] >= 1e9 &&
    b.branching[0] <= 0 &&
    b.branching[1] >= 1e9 &&
    b.random[0] <= 0 &&
    b.random[1] >= 200
  );
}

/** The metrics outside a band, as `name value (band lo–hi)`; empty when every one is inside. */
export function outOfBand(m: LevelMetrics, band: Band): string[] {
  return (Object.keys(band) as (keyof LevelMetrics)[])
    .filter((k) => m[k] < band[k][0] || m[k] > band[k][1])
    .map((k) => `${k} ${m[k]} (band ${band[k][0]}–${band[k][1]})`);
}
