import { describe, expect, it } from "vitest";
import { type Level, levelHash, record, replay, type Trajectory } from "../src/engine/index.ts";
import { getLevel, LEVELS } from "../src/levels/index.ts";
import { parseScenario } from "../src/pit-sim/index.ts";

describe("trajectories", () => {
  it.each(LEVELS.map((l) => [l.id, l] as const))(
    "%s: replay reproduces the log byte for byte",
    (_id, level) => {
      const t = record(level, level.solutions.basic.steps);
      expect(t.steps).toHaveLength(level.solutions.basic.steps.length);
      expect(t.levelHash).toBe(levelHash(level));
      expect(t.score?.total).toBe(level.solutions.basic.score);
      // Through JSON text, as a file would carry it.
      const loaded = JSON.parse(JSON.stringify(t)) as Trajectory;
      const r = replay(loaded, level);
      expect(r.mismatches).toEqual([]);
      expect(JSON.stringify(r.replayed)).toBe(JSON.stringify(t));
    },
  );

  it("replays runs with random failures from the recorded seed", () => {
    const level = getLevel("prepare-the-banquet") as Level;
    const scenario = parseScenario({
      id: "flaky",
      jitter: 2,
      failures: { cook_food: { probability: 0.5, kind: "transient" } },
    });
    const t = record(level, level.solutions.reference.steps, { seed: 11, scenario });
    expect(replay(JSON.parse(JSON.stringify(t)), level).ok).toBe(true);
  });

  it("flags the step where a tampered log starts to differ", () => {
    const level = getLevel("escape-the-room") as Level;
    const t = record(level, level.solutions.reference.steps);
    const steps = t.steps.map((s, i) => (i === 1 ? { ...s, action: "search_drawer" } : s));
    const r = replay({ ...t, steps }, level);
    expect(r.ok).toBe(false);
    expect(r.mismatches[0]).toMatchObject({ step: 1, field: "hash" });
    expect(r.mismatches.some((m) => m.step === 0)).toBe(false);
  });

  it("flags a trajectory recorded on a different version of the level", () => {
    const level = getLevel("escape-the-room") as Level;
    const t = record(level, level.solutions.reference.steps);
    const edited = { ...level, title: "Escape the Other Room" };
    expect(replay(t, edited).mismatches[0]).toMatchObject({ step: -1, field: "levelHash" });
  });
});
