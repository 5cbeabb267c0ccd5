import { canonicalJson, hashValue, type Scenario } from "../pit-sim/index.ts";
import { createEnv } from "./env.ts";
import type { Level } from "./level.ts";
import type { Observation } from "./observation.ts";
import type { Action, EngineEvent, ScoreBreakdown } from "./types.ts";
import { ENGINE_VERSION } from "./version.ts";

export interface TrajectoryStep {
  readonly index: number;
  readonly action: string;
  readonly reward: number;
  readonly terminated: boolean;
  readonly truncated: boolean;
  readonly events: readonly EngineEvent[];
  readonly observation: Observation;
  /** Hash of the whole game state after the step. */
  readonly hash: string;
}

/** A recorded episode: enough to re-simulate it and check every step's state hash. */
export interface Trajectory {
  readonly format: "fq-trajectory";
  readonly version: 1;
  readonly engineVersion: string;
  readonly levelId: string;
  readonly levelHash: string;
  readonly seed: number;
  readonly scenario: Scenario | null;
  readonly initialObservation: Observation;
  readonly initialHash: string;
  readonly steps: readonly TrajectoryStep[];
  readonly score: ScoreBreakdown | null;
}

/** Content hash of a level, so a trajectory names exactly the level it was played on. */
export function levelHash(level: Level): string {
  // Levels are immutable once parsed, so the hash is computed once per level object.
  let h = levelHashes.get(level);
  if (h === undefined) {
    // `recovery` arrived in engine 2.2 with the default "auto": an automatic level hashes without it, as
    // it did before, so its recorded episodes still verify. `worlds` is derived data (each world's par,
    // checked by the verifier) and changes no play: never hashed.
    const { recovery, worlds: _worlds, ...rest } = level;
    h = hashValue(recovery === "auto" ? rest : { ...rest, recovery });
    levelHashes.set(level, h);
  }
  return h;
}

const levelHashes = new WeakMap<Level, string>();

/** Plays a sequence of actions and records every step. */
export function record(
  level: Level,
  actions: readonly (number | string | Action)[],
  options: { seed?: number; scenario?: Scenario } = {},
): Trajectory {
  const seed = options.seed ?? level.seed;
  const env = createEnv(options.scenario ? { level, seed, scenario: options.scenario } : { level, seed });
  const initialObservation = env.reset({ seed }).observation.json;
  const initialHash = env.stateHash();
  const steps: TrajectoryStep[] = [];
  let score: ScoreBreakdown | null = null;
  for (const a of actions) {
    const r = env.step(a);
    steps.push({
      index: steps.length,
      action: r.info.action,
      reward: r.reward,
      terminated: r.terminated,
      truncated: r.truncated,
      events: r.info.events,
      observation: r.observation.json,
      hash: env.stateHash(),
    });
    if (r.terminated || r.truncated) {
      score = r.info.score;
      break;
    }
  }
  return {
    format: "fq-trajectory",
    version: 1,
    engineVersion: ENGINE_VERSION,
    levelId: level.id,
    levelHash: levelHash(level),
    seed,
    scenario: options.scenario ?? null,
    initialObservation,
    initialHash,
    steps,
    score,
  };
}

export interface ReplayMismatch {
  readonly step: number;
  readonly field: string;
  readonly expected: string;
  readonly actual: string;
}

export interface ReplayResult {
  readonly ok: boolean;
  /** Mismatches, first one first: where the replay starts to differ. */
  readonly mismatches: readonly ReplayMismatch[];
  readonly replayed: Trajectory;
}

/** Re-simulates a trajectory and compares it, byte for byte, with what was recorded. */
export function replay(t: Trajectory, level: Level): ReplayResult {
  const mismatches: ReplayMismatch[] = [];
  if (t.levelHash !== levelHash(level))
    mismatches.push({ step: -1, field: "levelHash", expected: t.levelHash, actual: levelHash(level) });
  const again = record(
    level,
    t.steps.map((s) => s.action),
    t.scenario ? { seed: t.seed, scenario: t.scenario } : { seed: t.seed },
  );
  if (again.initialHash !== t.initialHash)
    mismatches.push({ step: -1, field: "initialHash", expected: t.initialHash, actual: again.initialHash });
  const n = Math.max(t.steps.length, again.steps.length);
  for (let i = 0; i < n; i++) {
    const a = t.steps[i];
    const b = again.steps[i];
    if (!a || !b) {
      mismatches.push({
        step: i,
        field: "length",
        expected: String(t.steps.length),
        actual: String(again.steps.length),
      });
      break;
    }
    if (a.hash !== b.hash) mismatches.push({ step: i, field: "hash", expected: a.hash, actual: b.hash });
    else if (canonicalJson(a) !== canonicalJson(b))
      mismatches.push({
        step: i,
        field: "record",
        expected: canonicalJson(a).slice(0, 200),
        actual: canonicalJson(b).slice(0, 200),
      });
  }
  if (canonicalJson(t.score) !== canonicalJson(again.score))
    mismatches.push({
      step: t.steps.length,
      field: "score",
      expected: String(t.score?.total),
      actual: String(again.score?.total),
    });
  return { ok: mismatches.length === 0, mismatches, replayed: again };
}
