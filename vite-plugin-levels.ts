/**
 * Build-time level validation for the browser game. `virtual:fq-levels` lists the shipped levels (a small
 * catalogue for the map) and loads each one lazily from `virtual:fq-level/<id>`, already validated and
 * normalised by `parseLevel` here in Node. A broken level file fails the build (or the dev server request)
 * with the file and field at fault, and the game's play path never ships zod.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Plugin } from "vite";
import { randomPlayer, scoreHistogram } from "./src/engine/analyze.ts";
import { compileLevel } from "./src/engine/compile.ts";
import { type Level, parseLevel } from "./src/engine/level.ts";
import { parseJsonText } from "./src/pit-sim/validation.ts";

const CATALOG = "virtual:fq-levels";
const ONE = "virtual:fq-level/";

/** What the level map needs of each level; the full level loads when it is played. */
export interface LevelMeta {
  readonly id: string;
  readonly title: string;
  readonly order: number;
  readonly tier: number;
  readonly scene: string;
}

export function readShippedLevels(dir: string): Level[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => {
      const file = join(dir, f);
      const source = `src/levels/${f}`;
      return parseLevel(parseJsonText(readFileSync(file, "utf8"), source), source);
    })
    .sort((a, b) => a.order - b.order);
}

/** How many random players the results screen compares a play with. */
export const RANDOM_RUNS = 200;

/**
 * The scores of RANDOM_RUNS uniformly random legal players on the level (seeded, so every build agrees),
 * in ten bins of 20 points: the results screen shows where a play stands among them.
 */
export function randomScores(level: Level): { runs: number; histogram: number[]; mean: number } {
  const { scores } = randomPlayer(compileLevel(level), level.seed, RANDOM_RUNS);
  const mean = Math.round(scores.reduce((a, b) => a + b, 0) / Math.max(1, scores.length));
  return { runs: scores.length, histogram: scoreHistogram(scores), mean };
}

export function levelsPlugin(): Plugin {
  const dir = resolve(import.meta.dirname, "src/levels");
  return {
    name: "fq-levels",
    resolveId(id) {
      if (id === CATALOG) return `\0${CATALOG}`;
      if (id.startsWith(ONE)) return `\0${id}`;
      return null;
    },
    load(id) {
      if (!id.startsWith("\0virtual:fq-level")) return null;
      for (const f of readdirSync(dir)) if (f.endsWith(".json")) this.addWatchFile(join(dir, f));
      const levels = readShippedLevels(dir);
      if (id === `\0${CATALOG}`) {
        const meta: LevelMeta[] = levels.map(({ id, title, order, tier, scene }) => ({
          id,
          title,
          order,
          tier,
          scene,
        }));
        const loaders = levels.map((l) => `  ${JSON.stringify(l.id)}: () => import("${ONE}${l.id}"),`);
        return [
          `export const LEVEL_META = ${JSON.stringify(meta)};`,
          `const loaders = {\n${loaders.join("\n")}\n};`,
          "export async function loadShippedLevel(id) {",
          "  const load = Object.hasOwn(loaders, id) ? loaders[id] : undefined;",
          "  return load ? (await load()).default : undefined;",
          "}",
          "export async function loadRandomScores(id) {",
          "  const load = Object.hasOwn(loaders, id) ? loaders[id] : undefined;",
          "  return load ? (await load()).random : undefined;",
          "}",
        ].join("\n");
      }
      const wanted = id.slice(`\0${ONE}`.length);
      const level = levels.find((l) => l.id === wanted);
      if (!level) throw new Error(`virtual:fq-level: no shipped level has id "${wanted}"`);
      return [
        `export default JSON.parse(${JSON.stringify(JSON.stringify(level))});`,
        `export const random = ${JSON.stringify(randomScores(level))};`,
      ].join("\n");
    },
  };
}
