// Shared by the Node side (a Vitest browser command) and the browser side of the cross-runtime test:
// the same runs, recorded wherever this module is loaded.
import { type Level, parseScenario, record } from "../../src/engine/index.ts";
import { LEVELS } from "../../src/levels/index.ts";

export interface RunDigest {
  readonly level: string;
  readonly seed: number;
  readonly initialHash: string;
  readonly hashes: readonly string[];
  readonly total: number | null;
  readonly json: string;
}

/** Every level's two solutions, on the level's own scenario and on a random-failure one, over a few seeds. */
export function digestRuns(): RunDigest[] {
  const out: RunDigest[] = [];
  for (const level of LEVELS as readonly Level[]) {
    const chaos = parseScenario({
      id: "chaos",
      inject: level.scenario?.inject ?? [],
      jitter: 2,
      failures: Object.fromEntries(
        level.functions.map((f) => [f.id, { probability: 0.3, kind: "transient" }]),
      ),
    });
    for (const steps of [level.solutions.reference.steps, level.solutions.basic.steps]) {
      for (const seed of [1, 2, 3]) {
        for (const scenario of [undefined, chaos]) {
          const t = record(level, steps, scenario ? { seed, scenario } : { seed });
          out.push({
            level: level.id,
            seed,
            initialHash: t.initialHash,
            hashes: t.steps.map((s) => s.hash),
            total: t.score?.total ?? null,
            json: JSON.stringify(t),
          });
        }
      }
    }
  }
  return out;
}
