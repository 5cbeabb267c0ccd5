import { describe, expect, it } from "vitest";
import { analyzeLevel, compileLevel, randomPlayer, rateDifficulty } from "../src/engine/index.ts";
import { getLevel } from "../src/levels/index.ts";
import { makeLevel } from "./helpers.ts";

const chain = (n: number, maxSteps?: number) =>
  makeLevel({
    functions: Array.from({ length: n }, (_, i) => ({
      id: `f${i + 1}`,
      description: `Step ${i + 1}.`,
      ...(i ? { needs: { facts: [`s${i}`] } } : {}),
      produces: { facts: [`s${i + 1}`] },
      duration: 1,
    })),
    goal: { facts: [`s${n}`] },
    ...(maxSteps ? { maxSteps } : {}),
  });

describe("analyzer on levels small enough to count by hand", () => {
  it("a chain of three: 4 states, branching 1, 2, 3, one solution length, no dead ends", () => {
    // {} -> {s1} -> {s1,s2} -> won. At each state every earlier function is legal again (redundant),
    // so 1, 2 and 3 legal actions: mean 2, max 3.
    const a = analyzeLevel(chain(3), { randomRuns: 50 });
    expect(a.space).toMatchObject({
      states: 4,
      capped: false,
      statesText: "4 states",
      meanBranching: 2,
      maxBranching: 3,
      deadEndShare: 0,
    });
    expect([a.space.shortestSolution, a.space.longestSolution]).toEqual([3, 3]);
    expect(a.optimum).toMatchObject({ found: true, actions: ["f1", "f2", "f3"], score: 200 });
    expect(a.greedy).toMatchObject({ won: true, score: 200, actions: ["f1", "f2", "f3"] });
  });

  it("a chain of two with no step to spare: a wasted step is a dead end, and random play wins half the time", () => {
    // {} -> {s1}; from {s1}, f2 wins and a repeated f1 uses the last step: truncated. Explored playing states
    // {} and {s1} can both still win; the truncated state cannot: 1 dead end of 3.
    const a = analyzeLevel(chain(2, 2), { randomRuns: 400 });
    expect(a.space).toMatchObject({ states: 4, meanBranching: 1.5, maxBranching: 2 });
    expect(a.space.deadEndShare).toBeCloseTo(1 / 3, 3);
    expect(a.random.successRate).toBeGreaterThan(0.4);
    expect(a.random.successRate).toBeLessThan(0.6);
    expect(a.random.histogram.reduce((x, y) => x + y, 0)).toBe(400);
    expect(a.random.scores.filter((s) => s === 200).length).toBe(Math.round(a.random.successRate * 400));
  });

  it("reports no sensitivity for a deterministic scenario, and a spread when failures are random", () => {
    expect(analyzeLevel(chain(2), { randomRuns: 10 }).sensitivity).toMatchObject({ spread: 0, min: null });
    const flaky = analyzeLevel(getLevel("prepare-the-banquet") as NonNullable<ReturnType<typeof getLevel>>, {
      randomRuns: 20,
      scenario: {
        id: "flaky",
        jitter: 2,
        latency: {},
        failures: { cook_food: { probability: 0.5, kind: "transient" } },
        inject: [],
        pools: {},
      },
      sensitivitySeeds: 6,
    });
    expect(flaky.sensitivity.seeds).toBe(7);
    expect(flaky.sensitivity.max).toBeGreaterThanOrEqual(flaky.sensitivity.min ?? 999);
    expect(flaky.sensitivity.spread).toBe((flaky.sensitivity.max ?? 0) - (flaky.sensitivity.min ?? 0));
    // The note says the range and the expected optimum, with the same numbers.
    const { min, max, mean } = flaky.sensitivity;
    expect(flaky.sensitivity.note).toContain(
      min === max ? `always ${min}` : `ranges from ${min} to ${max}, expected ${mean}`,
    );
  });

  it("explains its difficulty rating, and the contributions add up to it", () => {
    const a = analyzeLevel(chain(3), { randomRuns: 20 });
    const sum = a.difficulty.contributions.reduce((n, c) => n + c.points, 0);
    expect(a.difficulty.rating).toBeCloseTo(sum, 1);
    expect(a.difficulty.contributions.map((c) => c.factor)).toEqual([
      "search",
      "branching",
      "length",
      "traps",
      "mastery gap",
    ]);
    for (const c of a.difficulty.contributions) expect(c.reason.length).toBeGreaterThan(10);
    const hard = rateDifficulty({
      states: 1e6,
      meanBranching: 40,
      optimalCalls: 20,
      deadEndShare: 0.9,
      optimum: 200,
      randomMean: 10,
    });
    expect(hard).toMatchObject({ rating: 10, label: "fiendish" });
  });
});

describe("analyzer on a level built to explode", () => {
  it("caps the search, says so, and neither hangs nor crashes", () => {
    const wide = makeLevel({
      pools: [{ id: "hands", label: "Hands", capacity: 4 }],
      maxParallel: 3,
      functions: Array.from({ length: 12 }, (_, i) => ({
        id: `task_${i}`,
        description: `Independent task ${i}.`,
        produces: { facts: [`done_${i}`] },
        resources: { hands: 1 },
        duration: 1 + (i % 3),
      })),
      goal: { facts: Array.from({ length: 12 }, (_, i) => `done_${i}`) },
    });
    const t = Date.now();
    // Default caps: the analyzer must bound itself without being told.
    const a = analyzeLevel(wide, { randomRuns: 20 });
    expect(a.space).toMatchObject({
      capped: true,
      statesText: expect.stringMatching(/^≥ \d+ states, search capped$/),
    });
    expect(a.optimum.capped).toBe(true);
    expect(a.par.capped).toBe(true);
    expect(a.difficulty.rating).toBeGreaterThan(3);
    expect(Date.now() - t).toBeLessThan(30_000);
  });
});

describe("the random player on a freshly compiled level", () => {
  it("scores every episode (par is worked out first), so a win never reads as 0", () => {
    const level = getLevel("escape-the-room") as NonNullable<ReturnType<typeof getLevel>>;
    const r = randomPlayer(compileLevel(level), level.seed, 50);
    expect(r.wins).toBeGreaterThan(0);
    expect(r.scores.filter((x) => x > 0).length).toBeGreaterThanOrEqual(r.wins);
    expect(Math.max(...r.scores)).toBeGreaterThan(100);
  });
});
