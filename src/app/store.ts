/**
 * The game store: one vanilla Zustand store per game (a factory, not a singleton), with Immer recipes at
 * this one boundary. It holds the only compiled level of a play (inside one undoable env, with its par),
 * steps that env for every intent, and publishes what the engine says: the view model every panel, the
 * scene and the flow strip render, and the step record the demonstration recorder writes as it is.
 * The rules live in the engine; nothing here decides one. Data flow: docs/game.md.
 */
import { castDraft } from "immer";
import { subscribeWithSelector } from "zustand/middleware";
import { immer } from "zustand/middleware/immer";
import { createStore } from "zustand/vanilla";
import {
  actionIndexOf,
  type CompiledLevel,
  composeGroup,
  createEnv,
  type EngineEvent,
  type Env,
  type EnvStep,
  type FlowFrame,
  type GameState,
  type Level,
  type Panel,
  type PlayView,
  playView,
  type Rejection,
  type ScoreBreakdown,
  UNDO_ACTION,
} from "../engine/api/rl.ts";

/** What the player asked for: an action of the level's action space, an undo, or a fresh start. */
export type Intent =
  | { readonly kind: "act"; readonly index: number }
  | { readonly kind: "undo" }
  | { readonly kind: "restart" };

/** One step as the engine played it: what the recorder stores, field for field (docs/trajectories.md). */
export interface StepRecord {
  /** The episode this step belongs to (see `LevelSlice.episode`). */
  readonly episode: number;
  readonly action: number;
  readonly label: string;
  /** The action mask the step was chosen from. */
  readonly mask: readonly (0 | 1)[];
  /** The observation after the step. */
  readonly observation: readonly number[];
  readonly reward: number;
  readonly terminated: boolean;
  readonly truncated: boolean;
  readonly stateHash: string;
  readonly events: readonly EngineEvent[];
  readonly score: ScoreBreakdown;
}

/** The level being played: the engine's state and what the last step produced. */
export interface LevelSlice {
  readonly level: Level | null;
  readonly seed: number;
  /** Counts episodes: a load or a restart starts a new one (the recorder starts a new demonstration). */
  readonly episode: number;
  /** The start of the episode: what a recording's header keeps. */
  readonly initial: { readonly observation: readonly number[]; readonly stateHash: string } | null;
  /** A copy of the engine's state (for the window hook and tests; views read `view`). */
  readonly state: GameState | null;
  /** The view model built by the engine after the last intent: what every panel and the scene render. */
  readonly view: PlayView | null;
  /** How many steps an undo can still roll back. */
  readonly undoable: number;
  readonly lastEvents: readonly EngineEvent[];
  /** The events of every step so far (undo drops the last). */
  readonly eventLog: readonly (readonly EngineEvent[])[];
  readonly lastRejection: Rejection | null;
  readonly mask: readonly (0 | 1)[];
  /** Points earned so far, with reasons (the final score once the episode is over). */
  readonly score: ScoreBreakdown | null;
  /** The intent behind the last change (null after a load). */
  readonly lastIntent: Intent | null;
  /** The last step as played (null after a load or restart). */
  readonly record: StepRecord | null;
}

/** Presentation state: settings, the call being animated, and the play screen's own controls. */
export interface UiSlice {
  readonly speed: "1x" | "2x" | "instant";
  readonly reducedMotion: boolean;
  readonly sound: boolean;
  /** Developer tools shown (the Pit inspector); a setting. */
  readonly developer: boolean;
  /** null when no call is being animated (the machine rests in idle). */
  readonly flow: FlowFrame | null;
  /** The story intro has been read (play has begun). */
  readonly started: boolean;
  /** Composing a parallel group, the calls picked so far, and why the last group was not run. */
  readonly composing: boolean;
  readonly group: readonly string[];
  readonly groupError: string | null;
  readonly inspectorOpen: boolean;
  /** The panel tab open on levels whose panels sit in tabs (null: the first). */
  readonly panelTab: Panel | null;
  /** The walkthrough step showing (null: none). */
  readonly tour: number | null;
  /** Set when a finished play was saved: whether it is a new best, and a problem saving it. */
  readonly finish: { readonly best: boolean; readonly problem: string | null } | null;
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
  /** Runs the group being composed, or says why the level cannot run it. */
  runGroup(): void;
  /** Rolls back the last step; each undo costs points as the level defines. */
  undo(): void;
  /** Starts the same level and seed over (an explicit intent: the recorder starts a new demonstration). */
  restart(): void;
  setUi(patch: Partial<UiSlice>): void;
}

export type GameStore = GameStoreState & GameStoreActions;

const emptyPlay: LevelSlice = {
  level: null,
  seed: 0,
  episode: 0,
  initial: null,
  state: null,
  view: null,
  undoable: 0,
  lastEvents: [],
  eventLog: [],
  lastRejection: null,
  mask: [],
  score: null,
  lastIntent: null,
  record: null,
};

const PLAY_UI = { composing: false, group: [], groupError: null, finish: null } as const;

/** Creates a store. The env (and its compiled level) lives outside the frozen state. */
export function createGameStore(ui: Partial<UiSlice> = {}) {
  let env: Env | null = null;
  /** Milliseconds per step spent building the step record (observation copy, state hash). */
  const recordMs: number[] = [];
  const ctxOf = (): CompiledLevel => (env as Env).ctx;
  /** The engine's view of the env's state now, and the derived fields the slice keeps. */
  const publish = (
    s: GameState,
    eventLog: readonly (readonly EngineEvent[])[],
    lastRejection: Rejection | null,
  ) => {
    // One mask per state: the view's palette reads it, and the next step's record keeps it.
    const mask = [...(env as Env).actionMask()] as (0 | 1)[];
    const view = playView(ctxOf(), s, { eventLog, lastRejection, mask });
    return { state: s, view, score: view.score, mask, lastRejection };
  };
  /** The step as the env played it, for the recorder (`mask` is the one the action was chosen from). */
  const recordOf = (action: number, mask: (0 | 1)[], r: EnvStep, score: ScoreBreakdown): StepRecord => ({
    episode: store.getState().play.episode,
    action,
    label: r.info.action,
    mask,
    observation: [...r.observation.vector],
    reward: r.reward,
    terminated: r.terminated,
    truncated: r.truncated,
    stateHash: (env as Env).stateHash(),
    events: r.info.events,
    score,
  });
  const store = createStore<GameStore>()(
    subscribeWithSelector(
      immer((set, get) => {
        const begin = (level: Level, seed: number, intent: Intent | null) => {
          env = createEnv({ level, seed, undoable: true });
          const first = env.reset({ seed });
          const s = env.state();
          const episode = get().play.episode + 1;
          set((d) => {
            d.play = castDraft({
              ...emptyPlay,
              level,
              seed,
              episode,
              initial: { observation: [...first.observation.vector], stateHash: env?.stateHash() ?? "" },
              lastIntent: intent,
              ...publish(s, [], null),
            });
            Object.assign(d.ui, PLAY_UI);
          });
        };
        return {
          play: emptyPlay,
          ui: {
            speed: "1x",
            reducedMotion: false,
            sound: true,
            developer: false,
            flow: null,
            started: false,
            inspectorOpen: false,
            tour: null,
            panelTab: null,
            ...PLAY_UI,
            ...ui,
          },
          loadLevel(level, seed = level.seed) {
            begin(level, seed, null);
          },
          act(action) {
            if (!env || get().play.view?.status !== "playing") return;
            // Only actions of the level's action space are played, so every step is recorded by index.
            const index = typeof action === "number" ? action : actionIndexOf(env.ctx, action);
            if (index === null || index < 0 || index >= env.actionSpace.n) return;
            // The mask the action was chosen from: the one published with the state it was chosen in.
            const mask = get().play.mask as (0 | 1)[];
            const r = env.step(index);
            const eventLog = [...get().play.eventLog, r.info.events];
            const published = publish(env.state(), eventLog, r.info.rejection);
            const t0 = performance.now();
            const record = recordOf(index, mask, r, published.score);
            recordMs.push(performance.now() - t0);
            set((d) => {
              Object.assign(d.play, castDraft(published));
              d.play.undoable += 1;
              d.play.lastEvents = castDraft(r.info.events);
              d.play.eventLog.push(castDraft(r.info.events));
              d.play.lastIntent = { kind: "act", index };
              d.play.record = castDraft(record);
            });
          },
          runGroup() {
            const { ui: u, play } = get();
            if (!env || !play.state) return;
            const g = composeGroup(env.ctx, play.state, u.group);
            if (!g.ok) {
              set((d) => {
                d.ui.groupError = `Not run: ${g.reason}`;
              });
              return;
            }
            set((d) => {
              Object.assign(d.ui, PLAY_UI);
            });
            get().act(g.index);
          },
          undo() {
            if (!env || get().play.undoable === 0) return;
            const mask = get().play.mask as (0 | 1)[];
            const r = env.undo();
            if (!r) return;
            const eventLog = get().play.eventLog.slice(0, -1);
            const published = publish(env.state(), eventLog, null);
            const record = recordOf(UNDO_ACTION, mask, r, published.score);
            set((d) => {
              Object.assign(d.play, castDraft(published));
              d.play.undoable -= 1;
              d.play.lastEvents = [];
              d.play.eventLog.pop();
              d.play.lastIntent = { kind: "undo" };
              d.play.record = castDraft(record);
            });
          },
          restart() {
            const { level, seed } = get().play;
            if (level) begin(level, seed, { kind: "restart" });
          },
          setUi(patch) {
            set((d) => {
              Object.assign(d.ui, castDraft(patch));
            });
          },
        };
      }),
    ),
  );
  return Object.assign(store, { recordMs });
}

export type GameStoreApi = ReturnType<typeof createGameStore>;
