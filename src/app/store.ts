/**
 * The game store: one vanilla Zustand store per game (a factory, not a singleton), with Immer recipes at
 * this one boundary. Actions call the engine and set what it returns; the rules live in the engine.
 * Views subscribe with selectors (subscribeWithSelector) and unsubscribe when they unmount.
 */
import { castDraft } from "immer";
import { subscribeWithSelector } from "zustand/middleware";
import { immer } from "zustand/middleware/immer";
import { createStore } from "zustand/vanilla";
import {
  actionIndexOf,
  actionMask,
  type CompiledLevel,
  compileLevel,
  computeScore,
  type EngineEvent,
  ensurePar,
  type FlowState,
  type GameState,
  initialState,
  type Level,
  type Rejection,
  type ScoreBreakdown,
  step,
  undo,
} from "../engine/index.ts";

/** The level being played: the engine's state and what the last step produced. */
export interface LevelSlice {
  readonly level: Level | null;
  readonly seed: number;
  readonly state: GameState | null;
  /** States before each step, newest last: the seed's rollback. */
  readonly past: readonly GameState[];
  readonly lastEvents: readonly EngineEvent[];
  /** The events of every step so far (parallel to `past`; undo drops the last). */
  readonly eventLog: readonly (readonly EngineEvent[])[];
  readonly lastRejection: Rejection | null;
  readonly mask: readonly number[];
  /** Points earned so far, with reasons (the final score once the episode is over). */
  readonly score: ScoreBreakdown | null;
  /** The intent behind the last change, for the demonstration recorder (null after a load). */
  readonly lastIntent: Intent | null;
}

/** What the player asked for: an action of the level's action space, or an undo. */
export type Intent = { readonly kind: "act"; readonly index: number } | { readonly kind: "undo" };

/** The call the screen is walking through the Chambering Flow right now (presentation only). */
export interface FlowFrame {
  readonly fn: string;
  readonly phase: FlowState;
  /** Index of this call within the step, and how many calls the step has. */
  readonly call: number;
  readonly calls: number;
}

/** Presentation settings and what the screen is animating; they never affect the engine. */
export interface UiSlice {
  readonly speed: "1x" | "2x" | "instant";
  readonly reducedMotion: boolean;
  readonly sound: boolean;
  /** null when no call is being animated (the machine rests in idle). */
  readonly flow: FlowFrame | null;
}

export interface GameStoreState {
  readonly play: LevelSlice;
  readonly ui: UiSlice;
}

export interface GameStoreActions {
  /** Starts a level (a fresh episode). */
  loadLevel(level: Level, seed?: number): void;
  /** Sends an action intent (index in the action space, or its label) to the engine. */
  act(action: number | string): void;
  /** Rolls back the last step; each undo costs points as the level defines. */
  undo(): void;
  restart(): void;
  setUi(patch: Partial<UiSlice>): void;
}

export type GameStore = GameStoreState & GameStoreActions;

const emptyPlay: LevelSlice = {
  level: null,
  seed: 0,
  state: null,
  past: [],
  lastEvents: [],
  eventLog: [],
  lastRejection: null,
  mask: [],
  score: null,
  lastIntent: null,
};

/** Creates a store. `compiled` caches the compiled level outside the (frozen) state. */
export function createGameStore(ui: Partial<UiSlice> = {}) {
  let ctx: CompiledLevel | null = null;
  const derive = (s: GameState) => ({
    mask: [...actionMask(ctx as CompiledLevel, s)],
    score: s.score ?? computeScore(ctx as CompiledLevel, s, "earned"),
  });
  const store = createStore<GameStore>()(
    subscribeWithSelector(
      immer((set, get) => ({
        play: emptyPlay,
        ui: { speed: "1x", reducedMotion: false, sound: true, flow: null, ...ui },
        loadLevel(level, seed = level.seed) {
          ctx = compileLevel(level);
          ensurePar(ctx);
          const s = initialState(ctx, seed);
          set((d) => {
            d.play = castDraft({
              level,
              seed,
              state: s,
              past: [],
              lastEvents: [],
              eventLog: [],
              lastRejection: null,
              lastIntent: null,
              ...derive(s),
            });
          });
        },
        act(action) {
          const { state } = get().play;
          if (!ctx || !state) return;
          // Only actions of the level's action space are played, so every step can be recorded by index.
          const index = typeof action === "number" ? action : actionIndexOf(ctx, action);
          if (index === null || index < 0 || index >= ctx.actions.length) return;
          const r = step(ctx, state, index);
          set((d) => {
            d.play.past = castDraft([...get().play.past, state]);
            d.play.state = castDraft(r.state);
            d.play.lastEvents = castDraft(r.events);
            d.play.eventLog.push(castDraft(r.events));
            d.play.lastRejection = r.ok ? null : r.rejection;
            d.play.lastIntent = { kind: "act", index };
            Object.assign(d.play, castDraft(derive(r.state)));
          });
        },
        undo() {
          const { state, past } = get().play;
          const previous = past.at(-1);
          if (!ctx || !state || !previous) return;
          const s = undo(previous, state);
          set((d) => {
            d.play.past = castDraft(past.slice(0, -1));
            d.play.state = castDraft(s);
            d.play.lastEvents = [];
            d.play.eventLog.pop();
            d.play.lastIntent = { kind: "undo" };
            d.play.lastRejection = null;
            Object.assign(d.play, castDraft(derive(s)));
          });
        },
        restart() {
          const { level, seed } = get().play;
          if (level) get().loadLevel(level, seed);
        },
        setUi(patch) {
          set((d) => {
            Object.assign(d.ui, castDraft(patch));
          });
        },
      })),
    ),
  );
  return store;
}

export type GameStoreApi = ReturnType<typeof createGameStore>;
