import { readFileSync } from "node:fs";
import { type Level, type LevelInput, parseLevel } from "../src/engine/index.ts";

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

/** A seeded sampler for tests (mulberry32), so "random" actions are the same on every run. */
export function sampler(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}
