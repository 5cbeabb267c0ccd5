import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileLevel, computePar, createEnv, parseLevel, solve } from "../src/engine/index.ts";
import { LEVEL_FILES, LEVELS } from "../src/levels/index.ts";

/** Plays a solution; returns the final state and the steps the engine rejected. */
function play(level: (typeof LEVELS)[number], steps: readonly string[]) {
  const env = createEnv({ level });
  env.reset();
  const rejected: string[] = [];
  for (const s of steps) if (env.step(s).info.rejection) rejected.push(s);
  return { ...env.state(), rejected };
}

describe.each(LEVELS.map((l) => [l.id, l] as const))("level %s", (_id, level) => {
  it("validates, and its file's id matches its name", () => {
    const file = Object.entries(LEVEL_FILES).find(
      ([, data]) => (data as { id: string }).id === level.id,
    )?.[0];
    expect(file).toBe(`${level.id}.json`);
    expect(parseLevel(JSON.parse(JSON.stringify(LEVEL_FILES[file as string])), file)).toEqual(level);
  });

  it("states the par it computes: the figures of its best play, which the reference meets in full", () => {
    const par = computePar(compileLevel(level));
    if (level.par) expect(level.par).toEqual(par);
    // The reference is a best play: never "optimum N" below what it achieved, full speed and resources.
    const ref = play(level, level.solutions.reference.steps);
    expect(ref.tick).toBeLessThanOrEqual(par.ticks);
    expect(ref.m.units).toBeLessThanOrEqual(par.units);
    const eff = ref.score?.items.filter((i) => i.code === "speed" || i.code === "resources");
    expect(eff?.map((i) => i.points)).toEqual([25, 15]);
  });

  it("its reference solution reaches the goal with the score it claims, at Grand Maestro", () => {
    const s = play(level, level.solutions.reference.steps);
    expect(s.rejected).toEqual([]);
    expect(s.status).toBe("won");
    expect(s.score?.total).toBe(level.solutions.reference.score);
    expect(s.score?.tier).toBe("Grand Maestro");
  });

  it("its basic solution reaches the goal but scores no more than 100 (Apprentice), as it claims", () => {
    const s = play(level, level.solutions.basic.steps);
    expect(s.status).toBe("won");
    expect(s.score?.total).toBe(level.solutions.basic.score);
    expect(s.score?.tier).toBe("Apprentice");
  });

  it("the solver agrees with the reference solution's score", () => {
    const ctx = compileLevel(level);
    const sol = solve(ctx);
    expect(sol.found).toBe(true);
    expect(sol.score?.total).toBe(level.solutions.reference.score);
    // Replaying the solver's own sequence gives the same score.
    const again = play(level, sol.actions);
    expect(again.rejected).toEqual([]);
    expect(again.score?.total).toBe(sol.score?.total);
  });

  it("its state survives a JSON round trip at every step of the reference solution", () => {
    const env = createEnv({ level });
    env.reset();
    for (const a of level.solutions.reference.steps) {
      env.step(a);
      const s = env.state();
      expect(JSON.parse(JSON.stringify(s))).toEqual(s);
      const other = createEnv({ level });
      other.setState(JSON.parse(JSON.stringify(s)));
      expect(other.stateHash()).toBe(env.stateHash());
    }
  });
});

describe("the curriculum", () => {
  it("registers every level file in src/levels", () => {
    const files = readdirSync("src/levels")
      .filter((f) => f.endsWith(".json"))
      .sort();
    expect(Object.keys(LEVEL_FILES).sort()).toEqual(files);
  });

  it("has distinct ids, titles and orders", () => {
    for (const key of ["id", "title", "order"] as const)
      expect(new Set(LEVELS.map((l) => l[key])).size).toBe(LEVELS.length);
  });
});
