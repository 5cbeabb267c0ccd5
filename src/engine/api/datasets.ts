/** The engine for demonstration datasets: recording, reading, verifying (docs/trajectories.md). */
export {
  DATASET_FORMAT_VERSION,
  MAX_DATASET_BYTES,
  datasetHeader,
  recordEpisode,
  toJsonl,
  type Episode,
  type DatasetHeader,
  type EventMode,
} from "../dataset.ts";
export { parseJsonl, verifyEpisode, EnvCache, type ImportOptions } from "../dataset-read.ts";
export { ENGINE_VERSION, datasetFormatOf } from "../version.ts";
export { levelHash } from "../trajectory.ts";
export { rldsFlags, UNDO_ACTION } from "../env.ts";
export { scoreNumbers } from "../score.ts";
