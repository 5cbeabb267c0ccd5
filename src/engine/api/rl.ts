/**
 * The engine for players and trainers: levels in, an environment out (Gymnasium-shaped), plus the view
 * model the browser's store publishes after every intent. Node trainers use `src/engine/index.ts`, which
 * exports this and more.
 */
export * from "./view.ts";
export { parseLevel, type LevelInput } from "../level.ts";
export { ValidationError } from "../../pit-sim/index.ts";
export { parseScenario, type Scenario } from "../../pit-sim/index.ts";
export {
  createEnv,
  REWARD_SCALE,
  UNDO_ACTION,
  type Env,
  type EnvOptions,
  type EnvStep,
  type FastStep,
  type StepInfo,
} from "../env.ts";
export { actionIndexOf } from "../compile.ts";
export { playView, composeGroup, type ViewInput } from "../view.ts";
export { hashState } from "../state-hash.ts";
export { SEED_MAX, checkSeed, parseSeedText } from "../seed.ts";
export { tierOf, BEST_WITHOUT_GOAL, scoreNumbers } from "../score.ts";
export type { GameState, Rejection, ActionSpec } from "../types.ts";
export type { CompiledLevel } from "../compile.ts";
