/**
 * The engine for views (`src/ui`, `src/scenes`): the view model's types and the words and names the screen
 * shows. Views render a `PlayView`; they never compute a rule (docs/game.md).
 */
export type {
  ArtifactRow,
  PaletteEntry,
  PlayView,
  PoolView,
  ViewLine,
  IncidentLine,
} from "../view.ts";
export type { Dimension, EngineEvent, ScoreBreakdown, ScoreItem, Status, Tier } from "../types.ts";
export type { Level, Panel } from "../level.ts";
export type { FlowState, FlowEvent, FlowEventType } from "../flow.ts";
export type { Opportunity, Par } from "../compile.ts";
export type { NodeStatus, SlotPhase } from "../../pit-sim/types.ts";
export type { Analysis } from "../analyze.ts";
export { DIMENSION_MAX } from "../types.ts";
export { FLOW_TABLE } from "../flow.ts";
// The XState machine: import it only where XState may load (the inspector is a lazy chunk).
export { chamberingFlow } from "../flow-machine.ts";
export {
  describeEvent,
  FLOW_MAIN,
  PHASE_COMPONENTS,
  PHASE_TEXT,
  PIT_COMPONENTS,
  type EventText,
  type FlowFrame,
  flowFrames,
  type PitComponent,
  type Tone,
  type Incident,
} from "../describe.ts";
