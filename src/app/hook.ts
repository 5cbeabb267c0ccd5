/**
 * The read-only window hook for tests and automation (docs/automation.md): `window.fq` exposes the
 * current screen, level, score, status, sequence and Chambering Flow state. Every getter returns a copy,
 * and the object is frozen, so nothing outside can change the game through it.
 */
import type { ScoreBreakdown } from "../engine/api/rl.ts";
import { ourTimeMs } from "../ui/perf.ts";
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
  /** The demonstration being recorded: its id, steps written or queued, and status. */
  readonly recording: { readonly episodeId: string; readonly steps: number; readonly status: string } | null;
  /** Resolves when every recorded step so far is committed to IndexedDB. */
  flushed(): Promise<void>;
  /**
   * Recording timings (ms per step, for the bench): the store building each step record, the recorder
   * turning it into a stored step, and the write latency.
   */
  readonly recorderStats: {
    readonly recordMs: readonly number[];
    readonly syncMs: readonly number[];
    readonly writeMs: readonly number[];
  } | null;
}

export interface RecordingView {
  current(): { episode_id: string; steps: number; status: string } | null;
  flushed(): Promise<void>;
  stats: { syncMs: number[]; writeMs: number[] };
}

declare global {
  interface Window {
    fq?: FqHook;
  }
}

export function installHook(
  store: GameStoreApi,
  screen: () => string,
  recording: () => RecordingView | null,
): void {
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
    get recording() {
      const c = recording()?.current();
      return c ? { episodeId: c.episode_id, steps: c.steps, status: c.status } : null;
    },
    flushed() {
      return recording()?.flushed() ?? Promise.resolve();
    },
    get recorderStats() {
      const r = recording();
      return r
        ? { recordMs: [...store.recordMs], syncMs: [...r.stats.syncMs], writeMs: [...r.stats.writeMs] }
        : null;
    },
  });
  Object.defineProperty(window, "fq", { value: hook, writable: false, configurable: false });
}
