/** The Pit: its interface, the simulation behind it, scenarios, and the seeded tools it runs on. */
export type * from "./types.ts";
export {
  SimPit,
  initialPitState,
  clonePitState,
  makeArbitration,
} from "./sim-pit.ts";
export { idMap, copyIdMap, idDict, copyIdDict } from "./id-map.ts";
export { slotPhaseAt, heatAt } from "./slots.ts";
export { RecordingPit, recordingPitFactory, type PitCall } from "./recording-pit.ts";
export { seedRng, nextUint32, nextFloat, nextInt, type RngState } from "./rng.ts";
export { canonicalJson, fnv1a64, hashValue } from "./hash.ts";
export {
  ScenarioSchema,
  FailureKindSchema,
  NOMINAL_SCENARIO,
  parseScenario,
  type Scenario,
  type ScenarioInput,
  type FailureKind,
} from "./scenario.ts";
export {
  ValidationError,
  formatPath,
  fromZodIssues,
  findPrototypeKeys,
  MAX_DEPTH,
  parseJsonText,
  type ValidationIssue,
} from "./validation.ts";
