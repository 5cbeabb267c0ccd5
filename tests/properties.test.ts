import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEnv, type Level } from "../src/engine/index.ts";
import { LEVELS } from "../src/levels/index.ts";
import { parseScenario } from "../src/pit-sim/index.ts";

const arbEpisode = fc.record({
  level: fc.constantFrom(...LEVELS),
  seed: fc.nat({ max: 0xffffffff }),
  failure: fc.double({ min: 0, max: 0.5, noNaN: true }),
  jitter: fc.integer({ min: 0, max: 3 }),
  // Each number picks among the actions legal at that moment (or, if odd, any action at all).
  picks: fc.array(fc.nat(), { minLength: 1, maxLength: 60 }),
});

function playOut(p: { level: Level; seed: number; failure: number; jitter: number; picks: number[] }) {
  const scenario = parseScenario({
    id: "prop",
    jitter: p.jitter,
    failures: Object.fromEntries(
      p.level.functions.map((f) => [f.id, { probability: p.failure, kind: "transient" }]),
    ),
  });
  const env = createEnv({ level: p.level, seed: p.seed, scenario });
  env.reset({ seed: p.seed });
  const checks: (() => void)[] = [];
  let rewardSum = 0;
  let done = false;
  for (const n of p.picks) {
    const legal = env.legalActions();
    const action = n % 7 === 0 ? n % env.actionSpace.n : (legal[n % Math.max(1, legal.length)]?.index ?? 0);
    const r = env.step(action);
    rewardSum += r.reward;
    const s = env.state();
    for (const pool of s.pit.pools) {
      checks.push(() => expect(pool.slots.every((sl) => sl.phase !== "busy")).toBe(true));
      checks.push(() => expect(pool.heat).toBeGreaterThanOrEqual(0));
    }
    checks.push(() => expect(s.pit.allocations).toEqual([]));
    checks.push(() => expect(s.m.units).toBeGreaterThanOrEqual(0));
    if (r.terminated || r.truncated) {
      done = true;
      break;
    }
  }
  return { env, checks, rewardSum, done };
}

describe("invariants (fast-check)", () => {
  it("resources never go negative, and nothing stays allocated between steps", () => {
    fc.assert(
      fc.property(arbEpisode, (p) => {
        const { checks } = playOut(p);
        for (const c of checks) c();
      }),
      { numRuns: 150, seed: 42 },
    );
  });

  it("by the end of an episode every allocation is released and every prewarmed slot reclaimed", () => {
    fc.assert(
      fc.property(arbEpisode, (p) => {
        const { env, done } = playOut(p);
        if (!done) return;
        const s = env.state();
        expect(s.pit.allocations).toEqual([]);
        for (const pool of s.pit.pools)
          expect(pool.slots.filter((sl) => sl.phase === "prewarmed" || sl.phase === "busy")).toEqual([]);
        // Nothing is left that no one used and the goal does not need.
        for (const a of Object.values(s.pit.artifacts)) expect(a.pinned || a.consumers.length > 0).toBe(true);
      }),
      { numRuns: 150, seed: 43 },
    );
  });

  it("every score stays within its bounds, and rewards sum to the final score / 200", () => {
    fc.assert(
      fc.property(arbEpisode, (p) => {
        const { env, rewardSum, done } = playOut(p);
        const sc = env.state().score;
        if (!done || !sc) return;
        expect(sc.base).toBeGreaterThanOrEqual(0);
        expect(sc.base).toBeLessThanOrEqual(100);
        expect(sc.efficiency).toBeGreaterThanOrEqual(0);
        expect(sc.efficiency).toBeLessThanOrEqual(50);
        expect(sc.stability).toBeGreaterThanOrEqual(0);
        expect(sc.stability).toBeLessThanOrEqual(30);
        expect(sc.optimization).toBeGreaterThanOrEqual(0);
        expect(sc.optimization).toBeLessThanOrEqual(20);
        expect(sc.total).toBe(sc.base + sc.efficiency + sc.stability + sc.optimization);
        expect(rewardSum).toBeCloseTo(sc.total / 200, 9);
      }),
      { numRuns: 150, seed: 44 },
    );
  });
});

describe("a total above BEST_WITHOUT_GOAL was a win", () => {
  it("no episode that missed its goal scores more than BEST_WITHOUT_GOAL, and the bound is reached", async () => {
    const { BEST_WITHOUT_GOAL } = await import("../src/engine/index.ts");
    let highest = 0;
    fc.assert(
      fc.property(arbEpisode, (p) => {
        const env = createEnv({ level: p.level, seed: p.seed });
        env.reset({ seed: p.seed });
        // Played to its end (the step limit truncates every episode), cycling through the picks.
        for (let k = 0; k < 500; k++) {
          const n = p.picks[k % p.picks.length] as number;
          const legal = env.legalActions();
          const r = env.step(
            n % 3 === 0 ? n % env.actionSpace.n : (legal[(n + k) % Math.max(1, legal.length)]?.index ?? 0),
          );
          if (r.terminated || r.truncated) {
            if (env.state().status !== "won") {
              expect(r.info.score.total).toBeLessThanOrEqual(BEST_WITHOUT_GOAL);
              highest = Math.max(highest, r.info.score.total);
            }
            break;
          }
        }
      }),
      { numRuns: 300, seed: 21 },
    );
    expect(highest).toBeGreaterThan(BEST_WITHOUT_GOAL - 20);
  });
});
