import { describe, expect, it } from "vitest";
import { createEnv, type Level, parseLevel, type Scenario } from "../src/engine/index.ts";
import { LEVELS } from "../src/levels/index.ts";
import { parseScenario } from "../src/pit-sim/index.ts";
import { sampler } from "./helpers.ts";

// Random failures and jitter make the generator matter: the same seed must still give the same run.
const chaos = (level: Level): Scenario =>
  parseScenario({
    id: "chaos",
    // The level's scripted injections stay, so par is the level's stated one (no search per test).
    inject: level.scenario?.inject ?? [],
    jitter: 2,
    failures: Object.fromEntries(level.functions.map((f) => [f.id, { probability: 0.2, kind: "transient" }])),
  });

describe("determinism (Minigrid style)", () => {
  it.each(LEVELS.map((l) => [l.id, l] as const))(
    "%s: two envs with one seed take the same 1,000 sampled legal steps and stay deep-equal",
    (_id, level) => {
      const scenario = chaos(level);
      const a = createEnv({ level, seed: 7, scenario });
      const b = createEnv({ level, seed: 7, scenario });
      const pick = sampler(99);
      a.reset({ seed: 7 });
      b.reset({ seed: 7 });
      let episodes = 0;
      for (let i = 0; i < 1000; i++) {
        const legal = a.legalActions();
        expect(b.legalActions()).toEqual(legal);
        const action = (legal[pick(legal.length)] as { index: number }).index;
        const ra = a.step(action);
        const rb = b.step(action);
        expect(rb).toEqual(ra);
        expect(b.state()).toEqual(a.state());
        if (ra.terminated || ra.truncated) {
          episodes++;
          a.reset({ seed: 7 + episodes });
          b.reset({ seed: 7 + episodes });
        }
      }
      expect(episodes).toBeGreaterThan(10);
      expect(a.stateHash()).toBe(b.stateHash());
    },
  );

  it("different seeds can differ when failures are random, and the seed is what decides", () => {
    const level = LEVELS.find((l) => l.id === "prepare-the-banquet") as Level;
    const scenario = chaos(level);
    const ticks = (seed: number) => {
      const env = createEnv({ level, seed, scenario });
      env.reset({ seed });
      for (const a of level.solutions.reference.steps) env.step(a);
      return env.state().tick;
    };
    const runs = Array.from({ length: 12 }, (_, i) => ticks(i));
    expect(new Set(runs).size).toBeGreaterThan(1);
    expect(Array.from({ length: 12 }, (_, i) => ticks(i))).toEqual(runs);
  });

  it("a level parsed twice from the same text plays identically", () => {
    const level = LEVELS[0] as Level;
    const again = parseLevel(JSON.parse(JSON.stringify(level)), "copy");
    const run = (l: Level) => {
      const env = createEnv({ level: l });
      env.reset();
      for (const a of l.solutions.basic.steps) env.step(a);
      return env.stateHash();
    };
    expect(run(again)).toBe(run(level));
  });
});
