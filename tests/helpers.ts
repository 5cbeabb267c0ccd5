import { readFileSync } from "node:fs";
import { type Level, type LevelInput, parseLevel } from "../src/engine/index.ts";
import { nextInt, seedRng } from "../src/pit-sim/index.ts";

/** The raw JSON of a shipped level file, as a fresh mutable object. */
export function rawLevel(id: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../src/levels/${id}.json`, import.meta.url), "utf8"));
}

/** A small level built in a test, validated like any other. */
export function makeLevel(over: Partial<LevelInput> & Pick<LevelInput, "functions" | "goal">): Level {
  return parseLevel(
    {
      formatVersion: 1,
      id: "test-level",
      title: "Test level",
      order: 1,
      tier: 1,
      scene: "room",
      story: { intro: "A test.", goal: "Reach the goal.", success: "Done." },
      concepts: ["sequencing"],
      panels: ["progress"],
      pools: [{ id: "hands", label: "Hands", capacity: 2 }],
      solutions: {
        reference: { steps: [over.functions[0]?.id ?? "x"], score: 0 },
        basic: { steps: [over.functions[0]?.id ?? "x"], score: 0 },
      },
      ...over,
    },
    "test-level",
  );
}

/** A seeded sampler for tests (the engine's own generator), so "random" actions are the same on every run. */
export function sampler(seed: number): (n: number) => number {
  const rng = seedRng(seed);
  return (n: number) => nextInt(rng, n);
}
