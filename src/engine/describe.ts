/**
 * The one way to put the engine's events into words. The CLI's `play` log, the flow strip, the failures
 * panel, the scene's captions and the Pit inspector all read `describeEvent`, so a recovery, a failure
 * or a warning reads the same everywhere. The Chambering Flow's names for the screen live here too.
 */
import type { FlowState } from "./flow.ts";
import type { EngineEvent } from "./types.ts";

/** How an event reads: good news, bad news, or plain information. */
export type Tone = "good" | "bad" | "info";

/**
 * What kind of incident an event is, for the views that list them: the failures panel lists failures,
 * recoveries and reclaims; the stability panel lists warnings; the flow strip notes all of them.
 */
export type Incident = "failure" | "recovery" | "warning" | "arbitration" | "reclaim";

export interface EventText {
  /** The full sentence (logs, panels, the inspector, the CLI). */
  readonly text: string;
  /** At most a few words, for a caption over the scene. */
  readonly short: string;
  readonly tone: Tone;
  /** The kind of incident, or null for an ordinary event (a call stored an artifact, the goal was reached). */
  readonly incident: Incident | null;
}

const t = (text: string, short: string, tone: Tone, incident: Incident | null = null): EventText => ({
  text,
  short,
  tone,
  incident,
});

/** The words for an event, or null for the bookkeeping events nobody needs to read (flow phases, duties). */
export function describeEvent(e: EngineEvent): EventText | null {
  switch (e.type) {
    case "CallRejected":
      return t(`✗ Rejected: ${e.reason}`, `✗ ${e.reason}`, "bad");
    case "ResourceAllocated":
      return t(
        `Allocated ${e.slots} ${e.pool} slot(s) to ${e.fn}${e.warm ? " (warm)" : e.coldTicks ? ` (cold start +${e.coldTicks} ticks)` : ""}`,
        `${e.pool} slot`,
        "info",
      );
    case "ArtifactStored":
      return t(`Stored ${e.artifact} v${e.version} (${e.quality})`, `+ ${e.artifact}`, "info");
    case "ConflictArbitrated":
      return t(
        `⚖ Arbitration (${e.policy}): ${e.winner} before ${e.loser} on ${e.resource}`,
        `⚖ ${e.winner} first`,
        "info",
        "arbitration",
      );
    case "StabilityWarning":
      return t(
        `⚠ ${e.kind} on ${e.pool}: ${e.value} over ${e.limit} (tick ${e.tick})`,
        `⚠ ${e.kind} on ${e.pool}`,
        "bad",
        "warning",
      );
    case "CallFailed":
      return t(
        // The reason names the function and the kind already ("calibrate_systems failed (permanent)").
        `✗ ${e.reason}${e.handled ? "" : " — unhandled"}`,
        `✗ ${e.fn} failed (${e.kind})`,
        "bad",
        "failure",
      );
    case "RetryAttempted":
      return t(`↻ Recovery: retry ${e.fn} (attempt ${e.attempt})`, `↻ retry ${e.fn}`, "good", "recovery");
    case "FallbackActivated":
      return t(
        `⇢ Recovery: ${e.fn} fell back to ${e.fallback}`,
        `⇢ fallback: ${e.fallback}`,
        "good",
        "recovery",
      );
    case "ReverseReconstructed":
      return t(
        `⟲ Recovery: rebuilt ${e.artifact} from ${e.from.join(", ")}`,
        `⟲ rebuilt ${e.artifact}`,
        "good",
        "recovery",
      );
    case "DecisionAwaited":
      return t(
        `‖ ${e.fn} failed (${e.kind}), waiting for your decision: ${e.options.map((o) => `${o}(${e.fn})`).join(", ")}`,
        `‖ decide: ${e.fn}`,
        "bad",
        "failure",
      );
    case "RecoveryChosen":
      return t(
        `➜ You chose ${e.decision} for ${e.fn}${e.decision === "retry" && e.kind === "permanent" ? ": a permanent failure does not go away" : ""}`,
        `➜ ${e.decision} ${e.fn}`,
        e.decision === "retry" && e.kind === "permanent" ? "bad" : "info",
        "recovery",
      );
    case "GracefullySkipped":
      return t(`↷ Recovery: ${e.fn} skipped gracefully`, `↷ skipped ${e.fn}`, "good", "recovery");
    case "ArtifactRejected":
      return t(`✗ ${e.artifact} rejected: ${e.reason}`, `✗ ${e.artifact} rejected`, "bad", "failure");
    case "RedundantCall":
      return t(`Redundant: ${e.reason}`, "redundant call", "bad");
    case "StaleReclaimed":
      return t(
        `♻ Stale Manager reclaimed ${e.kind} ${e.id} (idle ${e.idleTicks} ticks)`,
        `♻ ${e.id} reclaimed`,
        e.costly ? "bad" : "info",
        "reclaim",
      );
    case "PredictiveAllocation":
      return t(`Prewarmed a ${e.pool} slot`, `prewarmed ${e.pool}`, "good");
    case "GoalReached":
      return t(`★ Goal reached at tick ${e.tick}`, "★ goal reached", "good");
    case "EpisodeEnded":
      return t(`Episode over (${e.status}): ${e.total} / 200, ${e.tier}`, `${e.total} / 200`, "info");
    default:
      return null;
  }
}

/** The Pit components, in the order the screen shows them. */
export const PIT_COMPONENTS = [
  "Arbitration",
  "DAG Tracker",
  "Pool Manager",
  "Artifact Store",
  "Stale Manager",
] as const;
export type PitComponent = (typeof PIT_COMPONENTS)[number];

/** Which component is at work in each phase (docs/engine.md: the Chambering Flow). */
export const PHASE_COMPONENTS: Readonly<Record<FlowState, readonly PitComponent[]>> = {
  idle: [],
  requesting: ["Arbitration"],
  registering: ["DAG Tracker"],
  reconstructing: ["Artifact Store"],
  activating: ["Pool Manager"],
  using: ["Artifact Store"],
  recovering: ["Arbitration"],
  deciding: ["Arbitration"],
  fallingBack: ["Arbitration"],
  skipping: ["DAG Tracker"],
  returning: ["Pool Manager", "Stale Manager"],
  updating: ["DAG Tracker", "Artifact Store"],
  rejected: ["Arbitration"],
  done: [],
};

/** The phases every successful call walks through, in order. */
export const FLOW_MAIN: readonly FlowState[] = [
  "requesting",
  "registering",
  "activating",
  "using",
  "returning",
  "updating",
  "done",
];

/** What the player reads for each phase. */
export const PHASE_TEXT: Readonly<Record<FlowState, string>> = {
  idle: "idle",
  requesting: "request",
  registering: "register",
  reconstructing: "reconstruct",
  activating: "activate",
  using: "use",
  recovering: "recover",
  deciding: "your decision",
  fallingBack: "fall back",
  skipping: "skip",
  returning: "return & unload",
  updating: "update",
  rejected: "rejected",
  done: "done",
};

/** One frame of the screen's walk through a step: the call at work and its phase. */
export interface FlowFrame {
  readonly fn: string;
  readonly phase: FlowState;
  /** Index of this call within the step, and how many calls the step has. */
  readonly call: number;
  readonly calls: number;
}

/** The frames of a step: each call's Chambering Flow phases in order, from its FlowPhase events. */
export function flowFrames(events: readonly EngineEvent[]): FlowFrame[] {
  let calls = 0;
  for (const e of events) if (e.type === "FlowPhase" && e.phase === "requesting") calls++;
  const out: FlowFrame[] = [];
  let call = -1;
  for (const e of events) {
    if (e.type !== "FlowPhase") continue;
    if (e.phase === "requesting") call++;
    out.push({ fn: e.fn, phase: e.phase, call: Math.max(0, call), calls: Math.max(1, calls) });
  }
  return out;
}
