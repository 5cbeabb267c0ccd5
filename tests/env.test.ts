import { describe, expect, it } from "vitest";
import { createEnv, type Level, observationNames, REWARD_SCALE } from "../src/engine/index.ts";
import { getLevel } from "../src/levels/index.ts";

const level = getLevel("launch-the-spaceship") as Level;

describe("headless environment (Gymnasium-shaped)", () => {
  it("reset returns an observation and info; step returns the five-tuple", () => {
    const env = createEnv({ level, seed: 3 });
    const { observation, info } = env.reset({ seed: 3 });
    expect(info.seed).toBe(3);
    expect(observation.json).toMatchObject({
      levelId: level.id,
      step: 0,
      tick: 0,
      status: "playing",
      goal: { met: 0, total: 1 },
    });
    expect(observation.vector).toBeInstanceOf(Float64Array);
    const r = env.step("inspect_hull");
    expect(Object.keys(r).sort()).toEqual(["info", "observation", "reward", "terminated", "truncated"]);
    expect(r.observation.json.artifacts.map((a) => a.id)).toEqual(["hull_report"]);
    expect(r.info.events.length).toBeGreaterThan(5);
  });

  it("keeps a fixed-length numeric observation in [0, 1] whose names describe it", () => {
    const env = createEnv({ level });
    const names = observationNames(env.ctx);
    expect(env.observationSpace.size).toBe(names.length);
    expect(new Set(names).size).toBe(names.length);
    env.reset();
    for (const a of level.solutions.basic.steps) {
      const v = env.step(a).observation.vector;
      expect(v.length).toBe(names.length);
      for (const x of v) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(1);
      }
    }
    const after = env.step("inspect_hull");
    expect(after.info.rejection?.code).toBe("episode-over");
    expect(after.observation.vector[names.indexOf("status.playing")]).toBe(0);
    expect(after.observation.vector[names.indexOf("progress.goal")]).toBe(1);
  });

  it("reflects the state in the vector: a done function, a present artifact", () => {
    const env = createEnv({ level });
    env.reset();
    const v = env.step("inspect_hull").observation.vector;
    const names = env.observationSpace.names;
    expect(v[names.indexOf("fn.inspect_hull.done")]).toBe(1);
    expect(v[names.indexOf("artifact.hull_report.present")]).toBe(1);
    expect(v[names.indexOf("artifact.calibration_data.present")]).toBe(0);
  });

  it("has rewards that sum to the final score / 200", () => {
    for (const which of ["reference", "basic"] as const) {
      const env = createEnv({ level });
      env.reset();
      let sum = 0;
      let last = null;
      for (const a of level.solutions[which].steps) {
        last = env.step(a);
        sum += last.reward;
      }
      expect(last?.terminated).toBe(true);
      expect(sum * REWARD_SCALE).toBeCloseTo(level.solutions[which].score, 9);
    }
  });

  it("punishes a rejected call with a negative reward at once", () => {
    const env = createEnv({ level });
    env.reset();
    env.step("inspect_hull");
    const r = env.step("initiate_launch");
    expect(r.info.rejection?.code).toBe("permission");
    expect(r.reward).toBeLessThan(0);
  });

  it("exposes the action space and a mask that matches legalActions", () => {
    const env = createEnv({ level });
    env.reset();
    expect(env.actionSpace.n).toBe(env.actionSpace.actions.length);
    const mask = env.actionMask();
    expect(env.legalActions().map((a) => a.index)).toEqual([...mask.keys()].filter((i) => mask[i]));
    expect(env.legalActions().map((a) => a.label)).toContain("inspect_hull + prewarm(launch_pad)");
  });
});
