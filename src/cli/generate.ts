/**
 * `fq generate --tier N [--seed S] [--count K] [--out dir] [--band shipped|none]`: endless level variants
 * (docs/generator.md). Each level passes the checks every shipped level passes; with `--band shipped`
 * (the default) its difficulty metrics also fall inside the range the shipped levels of its tier span.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type Band,
  bandOf,
  type GeneratorTier,
  generateLevel,
  GenerationError,
  levelMetrics,
  NO_BAND,
} from "../engine/index.ts";
import { LEVELS } from "../levels/index.ts";

/** The band the shipped levels of a tier span. */
export function shippedBand(tier: number): Band {
  return bandOf(LEVELS.filter((l) => l.tier === tier).map((l) => levelMetrics(l)));
}

export interface GenerateArgs {
  readonly tier: GeneratorTier;
  readonly seed: number;
  readonly count: number;
  readonly out: string | null;
  readonly band: "shipped" | "none";
}

/** Generates the levels; returns the exit code (1 when some seed yields no level). */
export function generateCmd(a: GenerateArgs, out: (s: string) => void, err: (s: string) => void): number {
  const band = a.band === "shipped" ? shippedBand(a.tier) : NO_BAND;
  if (a.out) mkdirSync(a.out, { recursive: true });
  let failed = 0;
  const t0 = performance.now();
  for (let i = 0; i < a.count; i++) {
    const seed = (a.seed + i) >>> 0;
    try {
      const g = generateLevel(a.tier, seed, band);
      const m = g.metrics;
      const text = `${JSON.stringify({ $schema: "../../docs/level.schema.json", ...g.level }, null, 2)}\n`;
      const line = `${g.level.id}  "${g.level.title}"  calls ${m.calls}, states ${m.states}, branching ${m.branching}, random ${m.random}, optimum ${g.level.solutions.reference.score} (${g.attempts + 1} candidate(s))`;
      if (a.out) {
        writeFileSync(join(a.out, `${g.level.id}.json`), text);
        out(line);
      } else if (a.count === 1) {
        out(text.trimEnd());
        err(line);
      } else out(line);
    } catch (e) {
      if (!(e instanceof GenerationError)) throw e;
      failed++;
      err(`fq generate: ${e.message}`);
    }
  }
  const secs = (performance.now() - t0) / 1000;
  if (a.count > 1)
    err(
      `${a.count - failed} of ${a.count} tier-${a.tier} level(s) in ${secs.toFixed(1)} s (${((a.count - failed) / secs).toFixed(1)}/s)`,
    );
  return failed ? 1 : 0;
}
