/**
 * Walks the screen through each call's Chambering Flow phases after a step. The engine has already
 * decided everything; this only paces what the player sees, by the speed setting, and publishes the
 * frame (call and phase) to the store's ui slice, where the flow strip, the scene and the window hook
 * read it. A new step cuts the previous animation short.
 */
import type { EngineEvent, FlowState } from "../engine/index.ts";
import type { FlowFrame, UiSlice } from "./store.ts";

/** The Pit components, in the order the flow strip shows them. */
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
  fallingBack: ["Arbitration"],
  skipping: ["DAG Tracker"],
  returning: ["Pool Manager", "Stale Manager"],
  updating: ["DAG Tracker", "Artifact Store"],
  rejected: ["Arbitration"],
  done: [],
};

/** The phases every successful call walks through, in order (the flow strip always shows these). */
export const FLOW_MAIN: FlowState[] = [
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
  fallingBack: "fall back",
  skipping: "skip",
  returning: "return & unload",
  updating: "update",
  rejected: "rejected",
  done: "done",
};

/** Milliseconds per phase at each speed. */
export const PHASE_MS: Readonly<Record<UiSlice["speed"], number>> = { "1x": 220, "2x": 110, instant: 0 };

/** The frames of a step: each call's phases in order. */
export function flowFrames(events: readonly EngineEvent[]): FlowFrame[] {
  const phases = events.filter((e) => e.type === "FlowPhase");
  const calls = phases.filter((e) => e.phase === "requesting").length;
  const out: FlowFrame[] = [];
  let call = -1;
  for (const e of phases) {
    if (e.phase === "requesting") call++;
    out.push({ fn: e.fn, phase: e.phase, call: Math.max(0, call), calls: Math.max(1, calls) });
  }
  return out;
}

export interface Animator {
  /** Starts animating a step's events (instantly when the speed is instant). */
  play(events: readonly EngineEvent[], speed: UiSlice["speed"]): void;
  /** Stops and clears the frame. */
  stop(): void;
}

/** An animator that publishes frames with `publish`, timed with the browser's timers. */
export function createAnimator(publish: (frame: FlowFrame | null) => void): Animator {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const stop = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return {
    play(events, speed) {
      stop();
      const frames = flowFrames(events);
      const ms = PHASE_MS[speed];
      if (frames.length === 0 || ms === 0) {
        // Instant: show the last call's final phase, so the strip still says how the step ended.
        publish(frames.at(-1) ?? null);
        return;
      }
      let i = 0;
      const next = () => {
        const f = frames[i++];
        publish(f ?? (frames.at(-1) as FlowFrame));
        timer = f ? setTimeout(next, ms) : null;
      };
      next();
    },
    stop() {
      stop();
      publish(null);
    },
  };
}
