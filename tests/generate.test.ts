/**
 * The level generator (docs/generator.md): every generated level passes the checks a shipped level
 * passes, is solved, is the same for the same tier and seed, and sits in the band the shipped levels of
 * its tier span (tests/generate-1000-*.test.ts check 1,000 levels of tiers 1–3 and 24 of tier 4).
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli/fq.ts";
import { shippedBand } from "../src/cli/generate.ts";
import {
  type Band,
  type GeneratorTier,
  generateLevel,
  levelProblems,
  outOfBand,
  parseLevel,
} from "../src/engine/index.ts";

const ANY: Band = { calls: [0, 1e9], states: [0, 1e9], branching: [0, 1e9], random: [0, 200] };

describe("generated levels", () => {
  const cases: [GeneratorTier, number, boolean][] = [
    [1, 12, true],
    [2, 6, true],
    [3, 2, true],
    [4, 2, true],
  ];
  for (const [tier, seeds, banded] of cases)
    it(`tier ${tier}: ${seeds} seeds are valid, solved, deterministic${banded ? " and in the shipped band" : ""}`, () => {
      const band = banded ? shippedBand(tier) : ANY;
      const titles = new Set<string>();
      for (let seed = 1; seed <= seeds; seed++) {
        const g = generateLevel(tier, seed, band);
        const where = `tier ${tier} seed ${seed}`;
        // The same validation as a shipped file: the schema (through JSON), then every level check.
        const level = parseLevel(JSON.parse(JSON.stringify(g.level)), where);
        expect(levelProblems(level), where).toEqual([]);
        expect(level.tier, where).toBe(tier);
        expect(level.par, where).toBeDefined();
        expect(level.solutions.reference.score, where).toBeGreaterThanOrEqual(181);
        expect(level.solutions.basic.score, where).toBeLessThanOrEqual(100);
        if (banded) expect(outOfBand(g.metrics, band), where).toEqual([]);
        // Deterministic: the same tier and seed give the same level, byte for byte.
        expect(JSON.stringify(generateLevel(tier, seed, band).level), where).toBe(JSON.stringify(g.level));
        titles.add(`${level.title}|${level.functions.map((f) => `${f.id}:${f.duration}`).join(",")}`);
      }
      // Different seeds give different levels.
      expect(titles.size).toBeGreaterThan(1);
    });
});

describe("fq generate", () => {
  it("writes levels that the rest of fq loads and solves, and names a bad option", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fq-gen-"));
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
      ["generate", "--tier", "1", "--seed", "3", "--count", "2", "--out", dir],
      (s) => out.push(s),
      (s) => err.push(s),
    );
    expect(code).toBe(0);
    const files = readdirSync(dir).sort();
    expect(files).toEqual(["generated-t1-3.json", "generated-t1-4.json"]);
    expect(out.join("\n")).toMatch(
      /generated-t1-3 .* calls \d+, states \d+, branching [\d.]+, random [\d.]+/,
    );
    const file = join(dir, files[0] as string);
    const level = JSON.parse(readFileSync(file, "utf8"));
    const solved: string[] = [];
    expect(
      await main(
        ["solve", file],
        (s) => solved.push(s),
        () => {},
      ),
    ).toBe(0);
    expect(solved.join("\n")).toContain(`${level.solutions.reference.score}`);
    const bad: string[] = [];
    expect(
      await main(
        ["generate", "--tier", "5"],
        () => {},
        (s) => bad.push(s),
      ),
    ).toBe(2);
    expect(bad.join("\n")).toContain("--tier must be 1, 2, 3 or 4");
  });
});
