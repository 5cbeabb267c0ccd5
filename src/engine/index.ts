/** The engine's public API: levels in, actions in; observations, events, rewards and scores out. */
export type * from "./types.ts";
export { DUTY_EVENTS, DIMENSION_MAX } from "./types.ts";
export {
  LevelSchema,
  FunctionSchema,
  ConceptSchema,
  PanelSchema,
  CONCEPTS,
  PANELS,
  parseLevel,
  levelJsonSchema,
  checkLevelReferences,
  type Level,
  type LevelInput,
  type LevelFunction,
  type Concept,
  type Panel,
} from "./level.ts";
export {
  compileLevel,
  simPitFactory,
  type CompileOptions,
  actionSpaceProblem,
  MAX_SINGLE_CALLS,
  MAX_ACTIONS,
  poolConfigs,
  actionIndexOf,
  parseActionText,
  actionLabel,
  callLabel,
  PREWARM,
  isDecision,
  type CompiledLevel,
  type Par,
  type Opportunity,
} from "./compile.ts";
export { chamberingFlow, type FlowPhaseEmitted } from "./flow-machine.ts";
export {
  deriveFlowTable,
  flowTransition,
  flowGuards,
  FLOW_TABLE,
  FLOW_STATES,
  type FlowEvent,
  type FlowEventType,
  type FlowState,
  type FlowTable,
} from "./flow.ts";
export { initialState, cloneState, goalMet, hasKey } from "./state.ts";
export { step, stepInPlace, undo, type StepOptions } from "./step.ts";
export { hashState, StateHasher } from "./state-hash.ts";
export {
  describeEvent,
  PIT_COMPONENTS,
  PHASE_COMPONENTS,
  FLOW_MAIN,
  PHASE_TEXT,
  type EventText,
  type FlowFrame,
  flowFrames,
  type Tone,
  type Incident,
  type PitComponent,
} from "./describe.ts";
export {
  playView,
  composeGroup,
  type PlayView,
  type PaletteEntry,
  type PoolView,
  type ViewInput,
  type ViewLine,
  type IncidentLine,
} from "./view.ts";
export { checkAction, checkCall, actionMask, resolveAction } from "./legality.ts";
export { artifactKey, factKey, isFactKey, keyId, type Key } from "./keys.ts";
export {
  computeScore,
  tierOf,
  wastedCalls,
  opportunitiesTaken,
  missedOpportunities,
  scoreNumbers,
  RULES,
  BEST_WITHOUT_GOAL,
  type ScoreMode,
  type ScoreOptions,
} from "./score.ts";
export {
  solve,
  computePar,
  ensurePar,
  parForSeed,
  MAX_SEED_WORLDS,
  nominalOf,
  MAX_GENERATED,
  searchableActions,
  type Solution,
  type SearchResult,
} from "./search.ts";
export { physicalKey } from "./search-keys.ts";
export {
  observe,
  encodeObservation,
  encodeState,
  observationNames,
  type Observation,
  type FunctionStatus,
} from "./observation.ts";
export {
  createEnv,
  REWARD_SCALE,
  UNDO_ACTION,
  rldsFlags,
  type Env,
  type EnvOptions,
  type EnvStep,
  type EnvObservation,
  type FastStep,
  type StepInfo,
} from "./env.ts";
export {
  record,
  replay,
  levelHash,
  type Trajectory,
  type TrajectoryStep,
  type ReplayResult,
  type ReplayMismatch,
} from "./trajectory.ts";
export { ENGINE_VERSION, datasetFormatOf } from "./version.ts";
export { SEED_MAX, checkSeed, parseSeedText } from "./seed.ts";
export { parseScenario, ValidationError, type Scenario, type ValidationIssue } from "../pit-sim/index.ts";
export {
  analyzeLevel,
  explore,
  randomPlayer,
  scoreHistogram,
  greedyPlayer,
  greedyChoice,
  rateDifficulty,
  type Analysis,
  type AnalyzeOptions,
  type DifficultyContribution,
} from "./analyze.ts";
export {
  EpisodeSchema,
  DatasetHeaderSchema,
  DATASET_FORMAT_VERSION,
  MAX_DATASET_BYTES,
  EVENT_MODES,
  keepsEvent,
  eventsFor,
  recordEpisode,
  datasetHeader,
  headerFor,
  levelSpaces,
  toJsonl,
  datasetJsonSchema,
  type Episode,
  type DatasetHeader,
  type EventMode,
} from "./dataset.ts";
export {
  DatasetReader,
  EpisodeChecker,
  EnvCache,
  type EpisodeCheck,
  parseJsonl,
  verifyEpisode,
  utf8Length,
  type ImportOptions,
} from "./dataset-read.ts";
export {
  levelProblems,
  levelMetrics,
  bandOf,
  outOfBand,
  NO_BAND,
  playSteps,
  stepFunctions,
  PANELS_BY_TIER,
  METRIC_STATES,
  seedSpread,
  expectedOptimum,
  worldPars,
  type StatedWorld,
  type SeedSpread,
  type LevelMetrics,
  type Band,
} from "./level-check.ts";
export {
  EXPECTED_SEEDS,
  expectedSeeds,
  isSeeded,
  worldKey,
  worldCount,
  drawUnit,
} from "./world.ts";
export {
  generateLevel,
  GenerationError,
  MAX_ATTEMPTS,
  type Generated,
  type Tier as GeneratorTier,
} from "./generate.ts";
export { THEMES, type Theme } from "./generate-themes.ts";
export { TERMS, termHelp } from "./terms.ts";
