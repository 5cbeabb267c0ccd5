import { hashValue, type Scenario } from "../pit-sim/index.ts";
import { actionLabel, type CompiledLevel, compileLevel } from "./compile.ts";
import { actionMask, cloneState, initialState, resolveAction, stepInPlace, undo } from "./game.ts";
import type { Level } from "./level.ts";
import { encodeObservation, type Observation, observationNames, observe } from "./observation.ts";
import { computeScore } from "./score.ts";
import { ensurePar } from "./search.ts";
import type { Action, ActionSpec, EngineEvent, GameState, Rejection, ScoreBreakdown } from "./types.ts";

/** Rewards are score points divided by this, so an episode's rewards sum to its final score / 200. */
export const REWARD_SCALE = 200;

export interface EnvOptions {
  readonly level: Level;
  readonly seed?: number;
  /** Replaces the level's own scenario. */
  readonly scenario?: Scenario;
  /** Overrides the level's step limit (truncation). */
  readonly maxSteps?: number;
  /** Keep the states before each step so `undo()` can roll back (costs a state copy per step). */
  readonly undoable?: boolean;
}

export interface EnvObservation {
  readonly json: Observation;
  readonly vector: Float64Array;
}

export interface StepInfo {
  readonly events: readonly EngineEvent[];
  readonly rejection: Rejection | null;
  readonly action: string;
  /**
   * Points earned so far. Mid-episode its items are left empty to keep steps fast (call `computeScore`
   * for the reasons); once the episode is over it is the final score with every reason.
   */
  readonly score: ScoreBreakdown;
  readonly step: number;
  readonly tick: number;
}

export interface EnvStep {
  readonly observation: EnvObservation;
  readonly reward: number;
  readonly terminated: boolean;
  readonly truncated: boolean;
  readonly info: StepInfo;
}

/** The headless environment, shaped like Gymnasium's `Env`. */
export interface Env {
  readonly ctx: CompiledLevel;
  readonly actionSpace: { readonly n: number; readonly actions: readonly ActionSpec[] };
  readonly observationSpace: { readonly size: number; readonly names: readonly string[] };
  reset(options?: { seed?: number }): {
    observation: EnvObservation;
    info: { seed: number; score: ScoreBreakdown };
  };
  step(action: number | string | Action): EnvStep;
  actionMask(): Uint8Array;
  legalActions(): ActionSpec[];
  /** A copy of the current state. */
  state(): GameState;
  /** Continues from a state (for undo, replay and tests). */
  setState(s: GameState): void;
  /** Hash of the current state (canonical JSON, FNV-1a 64). */
  stateHash(): string;
  /**
   * Rolls back the last step (the seed's rollback; each undo costs points as the level defines). Needs
   * `undoable: true`; returns null when there is nothing to undo or the episode is over.
   */
  undo(): EnvStep | null;
}

/** RLDS's per-observation flags for an episode of `n` steps whose last step did or did not terminate. */
export function rldsFlags(
  n: number,
  terminated: boolean,
): { is_first: boolean[]; is_last: boolean[]; is_terminal: boolean[] } {
  return {
    is_first: Array.from({ length: n + 1 }, (_, i) => i === 0),
    is_last: Array.from({ length: n + 1 }, (_, i) => i === n),
    is_terminal: Array.from({ length: n + 1 }, (_, i) => i === n && terminated),
  };
}

/** The action index that stands for an undo in recorded episodes (docs/trajectories.md). */
export const UNDO_ACTION = -1;

/** Creates a headless environment for a level. Deterministic for a given level, seed, scenario and actions. */
export function createEnv(options: EnvOptions): Env {
  const level = options.maxSteps ? { ...options.level, maxSteps: options.maxSteps } : options.level;
  const ctx = compileLevel(level, options.scenario);
  ensurePar(ctx);
  const names = observationNames(ctx);
  let s: GameState = initialState(ctx, options.seed ?? level.seed);
  let potential = 0;
  const past: GameState[] = [];

  const obs = (): EnvObservation => {
    const json = observe(ctx, s);
    return { json, vector: encodeObservation(ctx, json, new Float64Array(names.length)) };
  };

  return {
    ctx,
    actionSpace: { n: ctx.actions.length, actions: ctx.actions },
    observationSpace: { size: names.length, names },
    reset(opts = {}) {
      const seed = opts.seed ?? s.seed;
      s = initialState(ctx, seed);
      potential = 0;
      past.length = 0;
      return { observation: obs(), info: { seed, score: computeScore(ctx, s, "earned") } };
    },
    step(action) {
      if (options.undoable) past.push(cloneState(s));
      const r = stepInPlace(ctx, s, action);
      s = r.state;
      // Potential-based: the reward is the change in points already earned; the last step's brings the
      // sum to exactly the final score.
      const score = s.score ?? computeScore(ctx, s, "earned", undefined, false);
      const reward = (score.total - potential) / REWARD_SCALE;
      potential = score.total;
      const resolved = resolveAction(ctx, action);
      return {
        observation: obs(),
        reward,
        terminated: s.status === "won" || s.status === "stuck",
        truncated: s.status === "truncated",
        info: {
          events: r.events,
          rejection: r.ok ? null : r.rejection,
          action: resolved ? actionLabel(resolved.calls) : String(action),
          score,
          step: s.step,
          tick: s.tick,
        },
      };
    },
    actionMask: () => actionMask(ctx, s),
    legalActions() {
      const m = actionMask(ctx, s);
      return ctx.actions.filter((_, i) => m[i]);
    },
    state: () => cloneState(s),
    setState(next) {
      s = cloneState(next);
      potential = s.step === 0 ? 0 : (s.score?.total ?? computeScore(ctx, s, "earned").total);
    },
    stateHash: () => hashValue(s),
    undo() {
      const previous = past.pop();
      if (!previous || s.status !== "playing") return null;
      s = undo(previous, s);
      const score = computeScore(ctx, s, "earned", undefined, false);
      const reward = (score.total - potential) / REWARD_SCALE;
      potential = score.total;
      return {
        observation: obs(),
        reward,
        terminated: false,
        truncated: false,
        info: { events: [], rejection: null, action: "undo", score, step: s.step, tick: s.tick },
      };
    },
  };
}
