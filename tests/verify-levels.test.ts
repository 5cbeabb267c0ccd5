import { describe, expect, it } from "vitest";
import { brokenLevels, stateSpace } from "../src/cli/verify-levels.ts";
import { parseLevel } from "../src/engine/index.ts";
import { makeLevel } from "./helpers.ts";

describe("levels:verify measures", () => {
  it("counts reachable states and branching on a level small enough to count by hand", () => {
    // Two independent calls, one at a time: {} -> {a} or {b} -> {a, b}. Every playing state offers both
    // calls (a repeat is legal, just redundant), so the branching factor is exactly 2.
    const level = makeLevel({
      functions: [
        { id: "a", description: "Make a.", produces: { facts: ["a"] }, duration: 1 },
        { id: "b", description: "Make b.", produces: { facts: ["b"] }, duration: 1 },
      ],
      goal: { facts: ["a", "b"] },
    });
    expect(stateSpace(level)).toEqual({ states: 4, capped: false, branching: 2, maxBranching: 2 });
  });

  it("says when it stops counting", () => {
    const level = makeLevel({
      functions: ["a", "b", "c", "d"].map((id) => ({
        id,
        description: `Make ${id}.`,
        produces: { facts: [id] },
        duration: 1,
      })),
      goal: { facts: ["a", "b", "c", "d"] },
    });
    expect(stateSpace(level)).toMatchObject({ states: 16, capped: false });
    expect(stateSpace(level, 5)).toMatchObject({ capped: true });
  });

  it("has a broken level file for each mistake the issue names, each refused", () => {
    const cases = brokenLevels();
    expect(cases.map((c) => c.name).sort()).toEqual(
      [
        "dependency cycle",
        "duplicate id",
        "missing field",
        "unknown function in a solution",
        "unreachable goal",
        "wrong type",
      ].sort(),
    );
    for (const c of cases) expect(() => parseLevel(c.data, "broken.json"), c.name).toThrow(c.problem);
  });
});
