/**
 * Walks the screen through each call's Chambering Flow phases after a step. The engine has already
 * decided everything; this only paces what the player sees, by the speed setting, and publishes the
 * frame (call and phase) to the store's ui slice, where the flow strip, the scene and the window hook
 * read it. A new step cuts the previous animation short.
 */
import { type EngineEvent, type FlowFrame, flowFrames } from "../engine/api/view.ts";
import type { UiSlice } from "./store.ts";

/** Milliseconds per phase at each speed. */
export const PHASE_MS: Readonly<Record<UiSlice["speed"], number>> = { "1x": 220, "2x": 110, instant: 0 };

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
