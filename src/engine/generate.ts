/**
 * Endless level variants (docs/generator.md). `generateLevel(tier, seed, band)` builds a level from the
 * grammar below and a theme of its tier (generate-themes.ts), solves it for its reference solution and
 * par, builds a wasteful basic solution, and keeps it only if it passes every check a shipped level
 * passes and its difficulty metrics fall inside the tier's band. Deterministic: the same tier, seed and
 * band give the same level, byte for byte.
 *
 * The grammar, by tier (each role a function of the theme; `→` is "needs"):
 * - 1: first (or its slow alternative) → second → finish; optionally side → join → finish; 1–2 distractors.
 * - 2: as 1 with both branches; second and join are heavy work on one pool that overheats when worked
 *      back to back, so a light call between them lets it cool.
 * - 3: both branches run in parallel (maxParallel 2); second and join use a pool that starts cold and
 *      stays warm a while (prewarming pays); a final checklist joins them; two distractors.
 * - 4: as 3, and first fails once (transient, one retry), second fails for good (falls back to a manual
 *      function), and an optional extra fails for good (skippable): the finish can do without it.
 * - 3 and 4 draw from the seed: the second step's heavy work takes 0 or 1 extra tick (two worlds), so the
 *   reference's `meanScore` over the documented seeds is stated as for a shipped level.
 */
import { hashValue, nextInt, type RngState, seedRng } from "../pit-sim/index.ts";
import { compileLevel } from "./compile.ts";
import { type Role, type Theme, THEMES } from "./generate-themes.ts";
import { type Concept, type Level, type LevelInput, type Panel, parseLevel } from "./level.ts";
import {
  type Band,
  bandIsOpen,
  type LevelMetrics,
  levelMetrics,
  levelProblems,
  outOfBand,
  PANELS_BY_TIER,
  playSteps,
  seedSpread,
  worldPars,
} from "./level-check.ts";
import { ensurePar, solve } from "./search.ts";
import { isSeeded } from "./world.ts";

export type Tier = 1 | 2 | 3 | 4;

export interface Generated {
  readonly level: Level;
  /** Its difficulty metrics (measured lazily when the band was open: nothing needed them). */
  readonly metrics: LevelMetrics;
  /** Candidates built before this one was kept (each rejected by a check or the band). */
  readonly attempts: number;
}

export class GenerationError extends Error {}

/** Candidates tried before giving up on a seed. */
export const MAX_ATTEMPTS = 200;

const CONCEPTS: Readonly<Record<Tier, readonly Concept[]>> = {
  1: ["sequencing", "optimization-discovery", "flow-sequential"],
  2: ["stability-awareness", "efficiency-patterns", "flow-branching"],
  3: ["parallel-execution", "predictive-allocation", "flow-parallel"],
  4: ["retry", "fallback", "graceful-skip", "parallel-execution", "predictive-allocation", "flow-parallel"],
};

type FnInput = NonNullable<LevelInput["functions"]>[number];

function pick<T>(rng: RngState, xs: readonly T[]): T {
  return xs[nextInt(rng, xs.length)] as T;
}

function between(rng: RngState, lo: number, hi: number): number {
  return lo + nextInt(rng, hi - lo + 1);
}

/** One candidate level of the grammar, before its solutions are known. */
function candidate(tier: Tier, seed: number, attempt: number): { input: LevelInput; theme: Theme } {
  const rng = seedRng(Number.parseInt(hashValue({ tier, seed, attempt }).slice(0, 8), 16) >>> 0);
  const theme = pick(
    rng,
    THEMES.filter((t) => t.tier === tier),
  );
  const [light, lightLabel] = theme.pools.light;
  const [heavy, heavyLabel] = theme.pools.heavy;
  const dur = () => (tier === 3 ? 1 : between(rng, 1, tier === 1 ? 3 : 2));
  const art = (r: Role) => ({ artifacts: [{ id: r.out }] });
  const fn = (r: Role | { fn: string; desc: string }, rest: Partial<FnInput>): FnInput => ({
    id: r.fn,
    description: r.desc,
    duration: dur(),
    resources: { [light]: 1 },
    ...rest,
  });
  const branch = tier > 1 || nextInt(rng, 2) === 1;
  const heavyPool = tier >= 2 ? heavy : light;
  const heat = tier === 2 ? between(rng, 60, 75) : 0;
  // The slow alternative (tempting, thorough, wasteful): tiers 1 and 4 (tiers 2 and 3 tempt otherwise, and
  // their bands are tighter).
  const slow = tier === 1 || tier === 4;
  const functions: FnInput[] = [
    fn(theme.first, { produces: art(theme.first), duration: between(rng, 1, 2) }),
    ...(slow ? [fn(theme.slow, { produces: art(theme.first), duration: between(rng, 4, 5) })] : []),
    fn(theme.second, {
      needs: { artifacts: [theme.first.out] },
      produces: art(theme.second),
      resources: { [heavyPool]: 1 },
      heat,
    }),
  ];
  const finishNeeds: string[] = [theme.second.out];
  if (branch) {
    functions.push(
      fn(theme.side, { produces: art(theme.side) }),
      fn(theme.join, {
        needs: { artifacts: [theme.side.out] },
        produces: art(theme.join),
        resources: { [heavyPool]: 1 },
        heat,
      }),
    );
    finishNeeds.push(theme.join.out);
  }
  const finishFacts: string[] = [];
  if (tier >= 3) {
    // A check on the first branch's result, then a briefing on the checked plan: the finish waits for both.
    functions.push(
      fn(
        {
          fn: "run_final_checklist",
          desc: `Check the ${theme.second.out.replaceAll("_", " ")} before the big moment.`,
        },
        { needs: { artifacts: [theme.second.out] }, produces: { facts: ["checklist_done"] }, duration: 1 },
      ),
      fn(
        { fn: "brief_the_team", desc: "Brief everyone on the checked plan for the big moment." },
        { needs: { facts: ["checklist_done"] }, produces: { facts: ["team_briefed"] }, duration: 1 },
      ),
    );
    finishFacts.push("checklist_done", "team_briefed");
  }
  const optional: string[] = [];
  const inject: { fn: string; attempt: number; kind: "transient" | "permanent" }[] = [];
  if (tier === 4 && theme.manual && theme.optional) {
    const first = functions[0] as FnInput;
    functions[0] = { ...first, recovery: { retries: 1 } };
    inject.push({ fn: theme.first.fn, attempt: 1, kind: "transient" });
    const at = functions.findIndex((f) => f.id === theme.second.fn);
    const second = functions[at] as FnInput;
    functions[at] = { ...second, recovery: { fallback: theme.manual.fn } };
    functions.push(
      fn(theme.manual, {
        callable: false,
        produces: art(theme.second),
        duration: (second.duration ?? 1) + 2,
      }),
      fn(theme.optional, { produces: art(theme.optional), duration: 1, recovery: { skippable: true } }),
    );
    inject.push(
      { fn: theme.second.fn, attempt: 1, kind: "permanent" },
      { fn: theme.optional.fn, attempt: 1, kind: "permanent" },
    );
    optional.push(theme.optional.out);
  }
  functions.push(
    fn(theme.finish, {
      needs: { artifacts: finishNeeds, facts: finishFacts, optional },
      produces: { facts: [theme.finish.out] },
      duration: 1,
    }),
  );
  const distractors = theme.distractors.slice(0, tier === 1 ? between(rng, 1, 2) : tier === 3 ? 2 : 1);
  for (const d of distractors)
    functions.push(fn(d, { produces: art(d), duration: tier === 3 ? 1 : between(rng, 2, 3) }));

  const pools: NonNullable<LevelInput["pools"]> = [
    { id: light, label: lightLabel, capacity: tier === 1 ? 1 : 2 },
  ];
  if (tier === 2)
    pools.push({
      id: heavy,
      label: heavyLabel,
      capacity: 1,
      heatLimit: 100,
      cooling: between(rng, 10, 15),
      recoveryTicks: 3,
    });
  if (tier >= 3)
    pools.push({
      id: heavy,
      label: heavyLabel,
      capacity: 1,
      coldStart: between(rng, 1, 2),
      warmTtl: tier === 3 ? 2 : 3,
      staleAfter: 6,
    });
  const title = pick(rng, theme.titles);
  const input: LevelInput = {
    formatVersion: 1,
    id: `generated-t${tier}-${seed}`,
    title,
    order: 90 + tier,
    tier,
    scene: theme.scene,
    story: { intro: theme.intro, goal: theme.goal, success: theme.success },
    concepts: [...CONCEPTS[tier]],
    panels: PANELS_BY_TIER.slice(0, tier).flat() as Panel[],
    pools,
    functions,
    goal: { facts: [theme.finish.out] },
    maxParallel: tier >= 3 ? 2 : 1,
    // Tier 3 gives random players room to stumble to the goal: its band asks for a random mean of 65 or more.
    ...(tier === 3 ? { maxSteps: 30 } : {}),
    seed: seed >>> 0,
    // Tiers 3 and 4 draw from the seed: the heavy work on the second step may run a tick long.
    ...(tier >= 3
      ? {
          scenario: {
            id: `${theme.key}-${tier === 4 ? "night" : "day"}`,
            description:
              tier === 4
                ? "The first run of one step fails once, another fails for good, an optional extra is down, and the heavy work may run a tick long."
                : "The heavy work may run a tick long.",
            inject,
            latency: { [theme.second.fn]: { jitter: 1 } },
          },
        }
      : {}),
    // Placeholders until the solver and the basic play have been run (replaced below).
    solutions: {
      reference: { steps: [theme.finish.fn], score: 0 },
      basic: { steps: [theme.finish.fn], score: 0 },
    },
  };
  return { input, theme };
}

/**
 * A play that reaches the goal badly, at most 100 points: calls the finish and the second step before
 * their inputs exist (rejected), runs every distractor, takes the slow way, then does the rest one call at
 * a time. More rejected finishes are added until it scores 100 or less.
 */
function basicSteps(level: Level, theme: Theme): { steps: string[]; score: number } | null {
  const distractors = theme.distractors
    .map((d) => d.fn)
    .filter((f) => level.functions.some((x) => x.id === f));
  // A function with parameters is called with the arguments it accepts.
  const rest = level.functions
    .filter((f) => f.callable && f.id !== theme.first.fn && !distractors.includes(f.id))
    .map((f) => (f.params.length ? `${f.id}(${f.params.map((p) => p.accepts[0]).join(", ")})` : f.id));
  // The slow alternative first, then the others in dependency order (the level lists them that way), the finish last.
  const slow = level.functions.some((f) => f.id === theme.slow.fn) ? theme.slow.fn : theme.first.fn;
  const ordered = [
    slow,
    ...rest.filter((f) => f !== theme.slow.fn && f !== theme.finish.fn),
    theme.finish.fn,
  ];
  for (let extra = 0; extra <= 12; extra++) {
    const steps = [
      ...Array.from({ length: 1 + extra }, () => theme.finish.fn),
      theme.second.fn,
      ...distractors,
      ...ordered,
    ];
    const s = playSteps(level, steps);
    if (s.status !== "won") return null;
    const score = s.score?.total ?? 999;
    if (score <= 100) return { steps, score };
  }
  return null;
}

/**
 * Builds a level of `tier` from `seed`: the first candidate that passes every check and sits inside
 * `band` (a tier's metric ranges, e.g. from the shipped levels). Throws a GenerationError naming what
 * the last candidate missed if none does within MAX_ATTEMPTS.
 */
export function generateLevel(tier: Tier, seed: number, band: Band): Generated {
  let last = "no candidate";
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { input, theme } = candidate(tier, seed, attempt);
    let level = parseLevel(input, `generated tier ${tier} seed ${seed}`);
    const ctx = compileLevel(level);
    const par = ensurePar(ctx);
    const sol = solve(ctx);
    if (!sol.found || !sol.score || sol.score.tier !== "Grand Maestro") {
      last = `the optimum is ${sol.score?.total ?? "not found"}, short of Grand Maestro`;
      continue;
    }
    level = {
      ...level,
      par,
      solutions: { ...level.solutions, reference: { steps: sol.actions, score: sol.score.total } },
    };
    // A seeded level states every world's par and play, as a shipped one does (scoring then never searches).
    const worlds = isSeeded(ctx) ? worldPars(ctx) : null;
    if (worlds?.problems.length) {
      last = worlds.problems.join("; ");
      continue;
    }
    if (worlds) level = { ...level, worlds: worlds.worlds };
    const basic = basicSteps(level, theme);
    if (!basic) {
      last = "no wasteful play scored 100 or less";
      continue;
    }
    level = { ...level, solutions: { ...level.solutions, basic } };
    const spread = isSeeded(ctx) ? seedSpread(level, sol.actions) : undefined;
    if (spread)
      level = {
        ...level,
        solutions: {
          ...level.solutions,
          reference: { ...level.solutions.reference, meanScore: spread.mean },
        },
      };
    // The solver and the seeds ran on this very level above: their results need not be computed again.
    const problems = levelProblems(level, {
      optimum: sol.score.total,
      ...(spread ? { spread } : {}),
      ...(worlds ? { worlds: worlds.worlds } : {}),
    });
    if (problems.length) {
      last = problems.join("; ");
      continue;
    }
    if (bandIsOpen(band)) {
      // Nothing to check against: measure the metrics only if someone reads them.
      const kept = level;
      let measured: LevelMetrics | null = null;
      return {
        level: kept,
        get metrics() {
          measured ??= levelMetrics(kept);
          return measured;
        },
        attempts: attempt,
      };
    }
    const metrics = levelMetrics(level);
    const off = outOfBand(metrics, band);
    if (off.length) {
      last = `outside the tier's band: ${off.join(", ")}`;
      continue;
    }
    return { level, metrics, attempts: attempt };
  }
  throw new GenerationError(
    `no tier-${tier} level for seed ${seed} within ${MAX_ATTEMPTS} candidates: ${last}`,
  );
}
