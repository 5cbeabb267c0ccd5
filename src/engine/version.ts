/**
 * Bumped whenever a rule change, or a change to the state hash, could alter a recorded trajectory.
 * 2.1.0: the state hash became `hashState` (dataset format 2); the rules are those of 2.0.0.
 * 2.2.0: seeds matter (a scenario's random failures and jitter are drawn per function and attempt from the
 * seed, `world.ts`), par is per seed and is the best play's figures (`computePar`), and the tier-3 and
 * tier-4 levels draw from their seeds (their content, so their level hashes, changed). Dataset format 2
 * still; an episode of a changed level is refused naming the engine that recorded it.
 */
export const ENGINE_VERSION = "2.2.0";

/** The dataset format an engine version wrote (docs/trajectories.md, "Versions"). */
export function datasetFormatOf(engineVersion: string): number {
  return /^2\.0\./.test(engineVersion) ? 1 : 2;
}
