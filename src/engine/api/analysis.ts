/** The engine for level designers: validation, difficulty analysis and the solver. */
export { parseLevel, type Level, type LevelInput } from "../level.ts";
export { ValidationError, parseJsonText } from "../../pit-sim/index.ts";
export {
  analyzeLevel,
  randomPlayer,
  greedyPlayer,
  rateDifficulty,
  type Analysis,
  type AnalyzeOptions,
} from "../analyze.ts";
export { solve, computePar, type Solution } from "../search.ts";
export { generateLevel, GenerationError, type Generated, type Tier as GeneratorTier } from "../generate.ts";
export { NO_BAND, type LevelMetrics } from "../level-check.ts";
