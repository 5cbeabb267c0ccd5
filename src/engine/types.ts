import type {
  Allocation,
  ArbitrationPolicy,
  FailureKind,
  PitState,
  ReclaimKind,
  RngState,
} from "../pit-sim/index.ts";
import type { FlowState } from "./flow.ts";

/** One function call inside an action: the function and its positional arguments. */
export interface Call {
  readonly fn: string;
  readonly args: readonly string[];
}

/** An action is a group of calls run together (one call for a plain action). */
export interface Action {
  readonly calls: readonly Call[];
}

/** One entry of a level's discrete action space. */
export interface ActionSpec {
  readonly index: number;
  /** `find_key`, `unlock_door(rusty_key)`, `prewarm(oven)`, `a + b` for a parallel group. */
  readonly label: string;
  readonly calls: readonly Call[];
  /** The label of each call, and its index among the single-call actions (precomputed for the hot path). */
  readonly callLabels: readonly string[];
  readonly members: readonly number[];
}

export type RejectionCode =
  | "unknown-action"
  | "episode-over"
  | "not-callable"
  | "broken"
  | "permission"
  | "missing-fact"
  | "missing-input"
  | "bad-argument"
  | "quality"
  | "capacity"
  | "no-cold-slot"
  | "not-independent"
  | "group-too-large"
  | "decision-pending"
  | "no-decision";

/** Why an action is not legal now. Returned, never thrown. */
export interface Rejection {
  readonly code: RejectionCode;
  readonly fn: string | null;
  readonly message: string;
}

export type Outcome = "ok" | "failed" | "skipped" | "rejected";

export interface CallRecord {
  readonly step: number;
  readonly fn: string;
  readonly label: string;
  readonly outcome: Outcome;
  readonly outputs: readonly string[];
  readonly redundant: boolean;
  readonly startTick: number;
  readonly endTick: number;
}

export interface Metrics {
  rejected: number;
  redundant: number;
  wrongArgs: number;
  warnings: number;
  backToBack: number;
  unhandled: number;
  reclaims: number;
  units: number;
  calls: number;
  retries: number;
  fallbacks: number;
  reconstructions: number;
  skips: number;
  undos: number;
  prewarmUsed: number;
  recycledUsed: number;
  parallelGroups: number;
  conflicts: number;
  /** Retries the player chose after a permanent failure (they cannot succeed). */
  wastedRetries: number;
  /** Recovery decisions taken (levels with `recovery: "choose"`). */
  decisions: number;
}

export type Status = "playing" | "won" | "stuck" | "truncated";

/** The whole game state: plain JSON data, including the generator state. */
export interface GameState {
  readonly v: 1;
  readonly levelId: string;
  readonly seed: number;
  rng: RngState;
  tick: number;
  step: number;
  status: Status;
  facts: string[];
  pit: PitState;
  attempts: Record<string, number>;
  broken: string[];
  /** Keys (`artifact:x`, `fact:y`) read by successful calls. */
  used: string[];
  calls: CallRecord[];
  /** The label of every step taken, rejected ones included. */
  history: string[];
  m: Metrics;
  /** Step index of the last stability warning, -1 if none. */
  lastWarnStep: number;
  score: ScoreBreakdown | null;
  /** A failed call waiting for the player's recovery decision (levels with `recovery: "choose"`). */
  pending: PendingDecision | null;
}

/** A recovery decision the player can take: the strategies a `"choose"` level offers after a failure. */
export type Decision = "retry" | "fallback" | "skip";

/**
 * A call paused in the flow's `deciding` phase: it failed, and the level lets the player choose how to
 * recover. Its slots went back (warm) when it failed; a retry or a fallback activates again.
 */
export interface PendingDecision {
  /** The function the player called. */
  readonly fn: string;
  /** The function that failed: `fn`, or the fallback that ran for it. */
  readonly failed: string;
  readonly label: string;
  readonly args: readonly string[];
  readonly kind: "transient" | "permanent" | "corrupt";
  readonly attempt: number;
  readonly attemptsLeft: number;
  /** Functions tried for this call so far (the main one, then fallbacks). */
  readonly tried: readonly string[];
  /** What the player may decide now: declared by the failed function, with requirements holding. */
  readonly options: readonly Decision[];
  readonly reason: string;
  /** The step the call was made in, where it started, where its current attempt started, when it failed. */
  readonly step: number;
  readonly firstStart: number;
  readonly startUse: number;
  readonly tick: number;
  readonly wasDone: boolean;
  /** Another call of the same step that paused too: decided after this one. */
  readonly next: PendingDecision | null;
  /** Its activation; it holds no slots while paused (they went back, warm, when it failed). */
  readonly act: { readonly allocs: readonly Allocation[]; readonly start: number; readonly extra: number };
}

export type Dimension = "base" | "efficiency" | "stability" | "optimization";
export const DIMENSION_MAX: Readonly<Record<Dimension, number>> = {
  base: 100,
  efficiency: 50,
  stability: 30,
  optimization: 20,
};

export interface ScoreItem {
  readonly dimension: Dimension;
  readonly points: number;
  readonly code: string;
  readonly reason: string;
}

export type Tier = "Apprentice" | "Journeyman" | "Master" | "Grand Maestro";

export interface ScoreBreakdown {
  readonly base: number;
  readonly efficiency: number;
  readonly stability: number;
  readonly optimization: number;
  readonly total: number;
  readonly tier: Tier;
  /** Every point gained or lost, with its reason; per dimension they sum to its subtotal. */
  readonly items: readonly ScoreItem[];
  readonly final: boolean;
}

export type WarningKind = "overheat" | "utilisation" | "back-to-back";
export type Strategy = "retry" | "fallback" | "reverse-reconstruction" | "graceful-skip";

/** Domain events a step returns, so views animate what happened without diffing state. */
export type EngineEvent =
  | { type: "ActionRequested"; step: number; label: string; calls: string[]; tick: number }
  | { type: "FlowPhase"; fn: string; phase: FlowState; tick: number }
  | { type: "CallRejected"; fn: string | null; code: RejectionCode; reason: string }
  // The twelve automatic duties of seed 000: four before, four after, four between actions.
  | {
      type: "ResourceAllocated";
      fn: string;
      pool: string;
      slots: number;
      warm: boolean;
      coldTicks: number;
      tick: number;
    }
  | { type: "StatePrepared"; fn: string; attempt: number; tick: number }
  | { type: "PermissionVerified"; fn: string; permissions: string[] }
  | { type: "InputValidated"; fn: string; artifacts: string[]; facts: string[] }
  | {
      type: "ArtifactStored";
      fn: string;
      artifact: string;
      version: number;
      size: number;
      quality: string;
      tick: number;
    }
  | { type: "ProgressTracked"; fn: string; done: number; total: number; goalMet: number; goalTotal: number }
  | { type: "ResourceReleased"; fn: string; pool: string; slots: number; tick: number }
  | { type: "PerformanceLogged"; fn: string; ticks: number; units: number }
  | { type: "PredictiveAllocation"; pool: string; slot: number; tick: number }
  | { type: "StateSynchronized"; step: number; tick: number }
  | { type: "FailurePrepared"; fn: string; strategies: Strategy[] }
  | { type: "DependencyAnalyzed"; ready: string[]; blocked: string[] }
  // Domain events.
  | { type: "ConflictArbitrated"; resource: string; winner: string; loser: string; policy: ArbitrationPolicy }
  | { type: "StabilityWarning"; kind: WarningKind; pool: string; value: number; limit: number; tick: number }
  | {
      type: "CallFailed";
      fn: string;
      kind: FailureKind | "argument";
      reason: string;
      attempt: number;
      handled: boolean;
    }
  | { type: "RetryAttempted"; fn: string; attempt: number }
  | { type: "FallbackActivated"; fn: string; fallback: string }
  | { type: "ReverseReconstructed"; fn: string; artifact: string; from: string[]; tick: number }
  | {
      type: "DecisionAwaited";
      fn: string;
      kind: "transient" | "permanent" | "corrupt";
      options: Decision[];
      tick: number;
    }
  | {
      type: "RecoveryChosen";
      fn: string;
      decision: Decision;
      kind: "transient" | "permanent" | "corrupt";
      tick: number;
    }
  | { type: "GracefullySkipped"; fn: string }
  | { type: "ArtifactRejected"; fn: string; artifact: string; reason: string }
  | { type: "RedundantCall"; fn: string; reason: string }
  | {
      type: "StaleReclaimed";
      kind: ReclaimKind;
      id: string;
      pool: string | null;
      idleTicks: number;
      tick: number;
      /** True when it counts against stability: left behind unused, or gone stale while still needed. */
      costly: boolean;
    }
  | { type: "GoalReached"; tick: number; step: number }
  | { type: "EpisodeEnded"; status: Status; total: number; tier: Tier };

export type EngineEventType = EngineEvent["type"];

/** The twelve automatic duties of seed 000, each with the event that reports it. */
export const DUTY_EVENTS = {
  "resource-allocation": "ResourceAllocated",
  "state-preparation": "StatePrepared",
  "permission-verification": "PermissionVerified",
  "input-validation": "InputValidated",
  "result-storage": "ArtifactStored",
  "progress-tracking": "ProgressTracked",
  "resource-cleanup": "ResourceReleased",
  "performance-logging": "PerformanceLogged",
  "predictive-allocation": "PredictiveAllocation",
  "state-synchronization": "StateSynchronized",
  "failure-preparedness": "FailurePrepared",
  "dependency-analysis": "DependencyAnalyzed",
} as const satisfies Record<string, EngineEventType>;

export type StepResult =
  | { ok: true; state: GameState; events: EngineEvent[] }
  | { ok: false; state: GameState; events: EngineEvent[]; rejection: Rejection };
