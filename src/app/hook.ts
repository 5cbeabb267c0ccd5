/**
 * The read-only window hook for tests and automation (docs/automation.md): `window.fq` exposes the
 * current screen, level, score, status, sequence and Chambering Flow state. Every getter returns a copy,
 * and the object is frozen, so nothing outside can change the game through it.
 */
import type { ScoreBreakdown } from "../engine/index.ts";
import { ourTimeMs } from "./perf.ts";
import type { GameStoreApi } from "./store.ts";

export interface FqHook {
  readonly version: 1;
  readonly screen: string;
  readonly level: {
    readonly id: string;
    readonly title: string;
    readonly tier: number;
    readonly seed: number;
  } | null;
  readonly status: string | null;
  readonly steps: readonly string[];
  readonly score: ScoreBreakdown | null;
  /** The Chambering Flow as the screen shows it: the machine's phase ("idle" between calls) and the call. */
  readonly flow: { readonly state: string; readonly fn: string | null };
  /** Milliseconds of our own rendering work since load (for the frame-time bench). */
  readonly ourTimeMs: number;
}

declare global {
  interface Window {
    fq?: FqHook;
  }
}

export function installHook(store: GameStoreApi, screen: () => string): void {
  const hook: FqHook = Object.freeze({
    version: 1 as const,
    get screen() {
      return screen();
    },
    get level() {
      const { level, seed } = store.getState().play;
      return level ? { id: level.id, title: level.title, tier: level.tier, seed } : null;
    },
    get status() {
      return store.getState().play.state?.status ?? null;
    },
    get steps() {
      return [...(store.getState().play.state?.history ?? [])];
    },
    get score() {
      const sc = store.getState().play.score;
      return sc ? structuredClone(sc) : null;
    },
    get flow() {
      const f = store.getState().ui.flow;
      return { state: f?.phase ?? "idle", fn: f?.fn ?? null };
    },
    get ourTimeMs() {
      return ourTimeMs();
    },
  });
  Object.defineProperty(window, "fq", { value: hook, writable: false, configurable: false });
}
