import { nextInt, type Scenario, seedRng } from "../pit-sim/index.ts";
import { type CompiledLevel, compileLevel } from "./compile.ts";
import { actionMask } from "./legality.ts";
import { cloneState, initialState } from "./state.ts";
import { QUIET, stepInPlace } from "./step.ts";
import type { Level } from "./level.ts";
import { computeScore } from "./score.ts";
import { type Remaining, remainingBounds } from "./bounds.ts";
import { ensurePar, solve } from "./search.ts";
import { levelHash } from "./trajectory.ts";
import { EXPECTED_SEEDS, isSeeded, worldKey } from "./world.ts";
import { physicalKey } from "./search-keys.ts";
import type { GameState } from "./types.ts";

/**
 * The designer's analyzer (issue 6): the shape of a level's difficulty, not just its optimum.
 * Everything is seeded and capped: a level too large to explore gives "≥ N states, search capped".
 */

export interface AnalyzeOptions {
  readonly scenario?: Scenario;
  /** Reachable-state exploration stops after this many distinct states. */
  readonly maxStates?: number;
  /** Random-player runs. */
  readonly randomRuns?: number;
  /**
   * Seeds beyond the first for the expected optimum (only when the scenario draws from the seed); by
   * default `EXPECTED_SEEDS - 1`, so the mean is over `EXPECTED_SEEDS` seeds.
   */
  readonly sensitivitySeeds?: number;
  /** Solver expansions before it gives up. */
  readonly maxExpansions?: number;
  /** States each search may generate before it gives up: the bound on time for very wide levels. */
  readonly maxGenerated?: number;
  readonly seed?: number;
  /** Called with a fraction in [0, 1] and a phase name, for progress bars. */
  readonly onProgress?: (done: number, phase: string) => void;
}

export interface DifficultyContribution {
  readonly factor: string;
  readonly value: number;
  readonly points: number;
  readonly reason: string;
}

export interface Analysis {
  readonly levelId: string;
  readonly levelHash: string;
  /** The physical optimum efficiency is measured against; `capped` when only an upper bound was found. */
  readonly par: {
    readonly ticks: number;
    readonly units: number;
    readonly steps: number;
    readonly capped: boolean;
  };
  readonly optimum: {
    readonly found: boolean;
    readonly capped: boolean;
    readonly actions: string[];
    readonly score: number | null;
    readonly tier: string | null;
  };
  readonly space: {
    readonly states: number;
    readonly capped: boolean;
    /** "12 states" or "≥ 4000 states, search capped". */
    readonly statesText: string;
    readonly meanBranching: number;
    readonly maxBranching: number;
    /** Share of explored playing states from which no goal state is reachable. */
    readonly deadEndShare: number;
    /** Fewest and most steps at which distinct goal states are first reached (breadth first). */
    readonly shortestSolution: number | null;
    readonly longestSolution: number | null;
  };
  readonly random: {
    readonly runs: number;
    readonly successRate: number;
    readonly meanScore: number;
    readonly scores: number[];
    /** Counts of final scores in 20-point bins: [0,20), [20,40), ... [180,200]. */
    readonly histogram: number[];
  };
  readonly greedy: { readonly score: number; readonly won: boolean; readonly actions: string[] };
  readonly sensitivity: {
    readonly seeds: number;
    readonly min: number | null;
    readonly max: number | null;
    readonly spread: number;
    /** The expected optimum: the mean of the per-seed optima over the seeds. */
    readonly mean: number;
    readonly note: string;
  };
  readonly difficulty: {
    readonly rating: number;
    readonly label: string;
    readonly contributions: DifficultyContribution[];
  };
}

interface Explored {
  states: number;
  capped: boolean;
  meanBranching: number;
  maxBranching: number;
  deadEndShare: number;
  shortest: number | null;
  longest: number | null;
}

/** Breadth-first over physical states: size, branching, dead ends and the depths at which goals appear. */
export function explore(ctx: CompiledLevel, seed: number, maxStates: number): Explored {
  const start = initialState(ctx, seed);
  const index = new Map<string, number>([[physicalKey(ctx, start), 0]]);
  const states: GameState[] = [start];
  const depth: number[] = [0];
  const preds: number[][] = [[]];
  const won: boolean[] = [false];
  const expanded: boolean[] = [false];
  const mask = new Uint8Array(ctx.actions.length);
  let legalSum = 0;
  let expandedCount = 0;
  let maxBranching = 0;
  let capped = false;
  for (let q = 0; q < states.length; q++) {
    const s = states[q] as GameState;
    if (s.status !== "playing") continue;
    if (states.length >= maxStates) {
      capped = true;
      break;
    }
    actionMask(ctx, s, mask);
    let n = 0;
    for (let i = 0; i < mask.length; i++) {
      if (!mask[i]) continue;
      n++;
      const next = stepInPlace(ctx, cloneState(s), i, QUIET).state;
      const k = physicalKey(ctx, next);
      let j = index.get(k);
      if (j === undefined) {
        j = states.length;
        index.set(k, j);
        states.push(next);
        depth.push((depth[q] as number) + 1);
        preds.push([]);
        won.push(next.status === "won");
        expanded.push(false);
      }
      (preds[j] as number[]).push(q);
    }
    expanded[q] = true;
    // Branching counts the orchestration choices: a paused call's recovery decision (a "choose" level)
    // offers its one to three options and is not counted.
    if (!s.pending) {
      legalSum += n;
      expandedCount++;
      maxBranching = Math.max(maxBranching, n);
    }
  }
  // States that can (or, past the cap, might) reach a goal: backwards from every won state and from every
  // playing state the capped search left unexplored.
  const canWin = new Uint8Array(states.length);
  const stack: number[] = [];
  won.forEach((w, i) => {
    if (w || (!expanded[i] && (states[i] as GameState).status === "playing")) {
      canWin[i] = 1;
      stack.push(i);
    }
  });
  while (stack.length) {
    for (const p of preds[stack.pop() as number] as number[]) {
      if (!canWin[p]) {
        canWin[p] = 1;
        stack.push(p);
      }
    }
  }
  let playing = 0;
  let dead = 0;
  for (let i = 0; i < states.length; i++) {
    // Only fully explored playing states can be called dead ends; the frontier of a capped search is unknown.
    if (!expanded[i] || (states[i] as GameState).status !== "playing") continue;
    playing++;
    if (!canWin[i]) dead++;
  }
  for (let i = 0; i < states.length; i++) {
    const st = (states[i] as GameState).status;
    if (st === "stuck" || st === "truncated") {
      playing++;
      dead++;
    }
  }
  const goalDepths = depth.filter((_, i) => won[i]);
  return {
    states: states.length,
    capped,
    meanBranching: expandedCount ? legalSum / expandedCount : 0,
    maxBranching,
    deadEndShare: playing ? dead / playing : 0,
    shortest: goalDepths.length ? Math.min(...goalDepths) : null,
    longest: goalDepths.length ? Math.max(...goalDepths) : null,
  };
}

/** Scores counted in ten bins of 20 points (0–19, …, 180–200). */
export function scoreHistogram(scores: readonly number[]): number[] {
  const histogram = Array.from({ length: 10 }, () => 0);
  for (const sc of scores) {
    const bin = Math.min(9, Math.floor(sc / 20));
    histogram[bin] = (histogram[bin] ?? 0) + 1;
  }
  return histogram;
}

/** A random legal player: uniform over the legal actions, until the episode ends. */
export function randomPlayer(
  ctx: CompiledLevel,
  seed: number,
  runs: number,
): { scores: number[]; wins: number } {
  // A finished episode is scored against par: without it there would be no final score to report.
  ensurePar(ctx);
  // The player's choices come from their own seeded generator, apart from the episode's.
  const rng = seedRng(seed ^ 0x5eed);
  const pick = (n: number) => nextInt(rng, n);
  const mask = new Uint8Array(ctx.actions.length);
  const scores: number[] = [];
  let wins = 0;
  for (let r = 0; r < runs; r++) {
    const s = initialState(ctx, seed + r);
    while (s.status === "playing") {
      actionMask(ctx, s, mask);
      const legal: number[] = [];
      for (let i = 0; i < mask.length; i++) if (mask[i]) legal.push(i);
      stepInPlace(ctx, s, legal[pick(legal.length)] as number, QUIET);
    }
    scores.push(s.score?.total ?? 0);
    if (s.status === "won") wins++;
  }
  return { scores, wins };
}

/**
 * The greedy choice in a state: the legal action that leaves the shortest remaining path to the goal (the
 * DAG's critical path in ticks), then the most functions done, then the most points earned, then the
 * fewest ticks (ties: lowest index). Returns the action index and the state it leads to, or null when no
 * action is legal. `remaining` is `remainingBounds(ctx)`, computed once per level.
 */
export function greedyChoice(
  ctx: CompiledLevel,
  s: GameState,
  remaining: Remaining = remainingBounds(ctx),
): { action: number; next: GameState } | null {
  const mask = actionMask(ctx, s);
  let best: { action: number; next: GameState } | null = null;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const next = stepInPlace(ctx, cloneState(s), i, QUIET).state;
    const earned = (next.score ?? computeScore(ctx, next, "earned", { detail: false })).total;
    const toGo = next.status === "won" ? 0 : remaining.ticks(next) + (next.status === "playing" ? 0 : 1e6);
    let done = 0;
    for (const k in next.pit.dag) if (next.pit.dag[k] === "done") done++;
    const value = -toGo * 1e8 + done * 1e5 + earned * 1e2 - next.tick;
    if (value > bestValue) {
      bestValue = value;
      best = { action: i, next };
    }
  }
  return best;
}

/** A greedy player: takes `greedyChoice` at every step of an episode. */
export function greedyPlayer(
  ctx: CompiledLevel,
  seed: number,
): { score: number; won: boolean; actions: string[] } {
  const remaining = remainingBounds(ctx);
  let s = initialState(ctx, seed);
  const actions: string[] = [];
  while (s.status === "playing") {
    const c = greedyChoice(ctx, s, remaining);
    if (!c) break;
    s = c.next;
    actions.push(ctx.actions[c.action]?.label as string);
  }
  return { score: s.score?.total ?? 0, won: s.status === "won", actions };
}

const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x));

/**
 * The difficulty rating, 0–10, as a sum of documented contributions (docs/designer.md):
 * - search: up to 3 points, 1 per decade of reachable states above 10 (log10(states) - 1);
 * - branching: up to 2 points, (mean branching - 2) / 10;
 * - length: up to 2 points, (optimal calls - 3) / 3.5;
 * - traps: up to 1.5 points, 3 × the share of dead-end states;
 * - mastery gap: up to 1.5 points, how far random play falls short of the optimum ((optimum - random mean) / 100).
 */
export function rateDifficulty(input: {
  states: number;
  meanBranching: number;
  optimalCalls: number;
  deadEndShare: number;
  optimum: number;
  randomMean: number;
}): { rating: number; label: string; contributions: DifficultyContribution[] } {
  const c: DifficultyContribution[] = [];
  const add = (factor: string, value: number, points: number, reason: string) =>
    c.push({ factor, value, points: Math.round(points * 100) / 100, reason });
  add(
    "search",
    input.states,
    clamp(Math.log10(Math.max(1, input.states)) - 1, 0, 3),
    `${input.states} reachable states: a larger space is harder to reason about`,
  );
  add(
    "branching",
    input.meanBranching,
    clamp((input.meanBranching - 2) / 10, 0, 2),
    `${input.meanBranching.toFixed(1)} legal actions on average at each step`,
  );
  add(
    "length",
    input.optimalCalls,
    clamp((input.optimalCalls - 3) / 3.5, 0, 2),
    `the optimal solution makes ${input.optimalCalls} calls`,
  );
  add(
    "traps",
    input.deadEndShare,
    clamp(3 * input.deadEndShare, 0, 1.5),
    `${Math.round(input.deadEndShare * 100)}% of states are dead ends`,
  );
  add(
    "mastery gap",
    input.optimum - input.randomMean,
    clamp((input.optimum - input.randomMean) / 100, 0, 1.5),
    `random play averages ${input.randomMean.toFixed(0)} against an optimum of ${input.optimum}`,
  );
  const rating = Math.round(c.reduce((n, x) => n + x.points, 0) * 10) / 10;
  const label =
    rating < 2 ? "gentle" : rating < 4 ? "easy" : rating < 6 ? "moderate" : rating < 8 ? "hard" : "fiendish";
  return { rating, label, contributions: c };
}

/** Analyzes a level (and optionally a scenario): solution space, baseline players, sensitivity, difficulty. */
export function analyzeLevel(level: Level, options: AnalyzeOptions = {}): Analysis {
  const progress = options.onProgress ?? (() => {});
  const ctx = compileLevel(level, options.scenario);
  const seed = options.seed ?? level.seed;
  const budget = options.maxGenerated ?? 150_000;
  progress(0, "par");
  // Par can be out of reach on a level built to explode: fall back to what the greedy player achieves
  // (an upper bound) and say so, rather than hang or throw.
  let parCapped = false;
  try {
    ensurePar(ctx, { maxExpansions: options.maxExpansions ?? 20_000, maxGenerated: budget });
  } catch {
    parCapped = true;
    ctx.par = { ticks: 1, units: 1, steps: 1 };
    const g = greedyPlayer(ctx, seed);
    const end = g.actions.reduce((st, a) => stepInPlace(ctx, st, a, QUIET).state, initialState(ctx, seed));
    ctx.par = { ticks: Math.max(1, end.tick), units: Math.max(1, end.m.units), steps: Math.max(1, end.step) };
  }
  progress(0.1, "solver");
  const sol = solve(ctx, { seed, maxExpansions: options.maxExpansions ?? 20_000, maxGenerated: budget });
  progress(0.35, "state space");
  const maxStates = options.maxStates ?? 2000;
  const ex = explore(ctx, seed, maxStates);
  progress(0.7, "random player");
  const runs = options.randomRuns ?? 200;
  const rnd = randomPlayer(ctx, seed, runs);
  const histogram = scoreHistogram(rnd.scores);
  progress(0.85, "greedy player");
  const greedy = greedyPlayer(ctx, seed);
  progress(0.9, "sensitivity");
  const random = isSeeded(ctx);
  const nSeeds = random ? (options.sensitivitySeeds ?? EXPECTED_SEEDS - 1) : 0;
  const optima: number[] = [];
  // One search per world: seeds that draw the same world have the same optimum.
  const byWorld = new Map<string, number>([[worldKey(ctx, seed), sol.score?.total ?? 0]]);
  for (let i = 0; i < nSeeds; i++) {
    const w = worldKey(ctx, seed + 1 + i);
    let o = byWorld.get(w);
    if (o === undefined) {
      o =
        solve(ctx, {
          seed: seed + 1 + i,
          maxExpansions: options.maxExpansions ?? 20_000,
          maxGenerated: budget,
        }).score?.total ?? 0;
      byWorld.set(w, o);
    }
    optima.push(o);
  }
  const optimum = sol.score?.total ?? 0;
  const randomMean = rnd.scores.reduce((a, b) => a + b, 0) / Math.max(1, rnd.scores.length);
  const optimalCalls = sol.actions.reduce((n, a) => n + a.split("+").length, 0);
  progress(1, "done");
  return {
    levelId: level.id,
    levelHash: levelHash(level),
    par: { ...(ctx.par as NonNullable<typeof ctx.par>), capped: parCapped },
    optimum: {
      found: sol.found,
      capped: sol.capped,
      actions: sol.actions,
      score: sol.score?.total ?? null,
      tier: sol.score?.tier ?? null,
    },
    space: {
      states: ex.states,
      capped: ex.capped,
      statesText: ex.capped ? `≥ ${ex.states} states, search capped` : `${ex.states} states`,
      meanBranching: Math.round(ex.meanBranching * 100) / 100,
      maxBranching: ex.maxBranching,
      deadEndShare: Math.round(ex.deadEndShare * 1000) / 1000,
      shortestSolution: ex.shortest,
      longestSolution: ex.longest,
    },
    random: {
      runs,
      successRate: rnd.wins / Math.max(1, runs),
      meanScore: Math.round(randomMean * 10) / 10,
      scores: rnd.scores,
      histogram,
    },
    greedy,
    sensitivity: {
      seeds: optima.length + 1,
      min: optima.length ? Math.min(optimum, ...optima) : null,
      max: optima.length ? Math.max(optimum, ...optima) : null,
      spread: optima.length ? Math.max(optimum, ...optima) - Math.min(optimum, ...optima) : 0,
      mean: Math.round(((optimum + optima.reduce((a, b) => a + b, 0)) / (optima.length + 1)) * 10) / 10,
      note: random
        ? sensitivityNote(seed, optimum, optima)
        : "the scenario draws no random failures or jitter: the optimum does not vary with the seed",
    },
    difficulty: rateDifficulty({
      states: ex.states,
      meanBranching: ex.meanBranching,
      optimalCalls,
      deadEndShare: ex.deadEndShare,
      optimum,
      randomMean,
    }),
  };
}

/** The seed sensitivity in words: this seed's optimum, then the range and the mean over the seeds checked. */
function sensitivityNote(seed: number, optimum: number, optima: readonly number[]): string {
  const all = [optimum, ...optima];
  const mean = Math.round((all.reduce((a, b) => a + b, 0) / all.length) * 10) / 10;
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const over = `over ${all.length} seeds (${seed}..${seed + optima.length})`;
  return lo === hi
    ? `optimum ${optimum} for seed ${seed}; ${over} it is always ${lo}`
    : `optimum ${optimum} for seed ${seed}; ${over} it ranges from ${lo} to ${hi}, expected ${mean}`;
}
