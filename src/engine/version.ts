/**
 * Bumped whenever a rule change, or a change to the state hash, could alter a recorded trajectory.
 * 2.1.0: the state hash became `hashState` (dataset format 2); the rules are those of 2.0.0.
 */
export const ENGINE_VERSION = "2.1.0";

/** The dataset format an engine version wrote (docs/trajectories.md, "Versions"). */
export function datasetFormatOf(engineVersion: string): number {
  return /^2\.0\./.test(engineVersion) ? 1 : 2;
}
