import type { PitFactory, Scenario } from "../pit-sim/index.ts";
import { actionLabel, type CompiledLevel, compileLevel } from "./compile.ts";
import { actionMask, presence, resolveAction } from "./legality.ts";
import { cloneState, initialState } from "./state.ts";
import { checkSeed } from "./seed.ts";
import { StateHasher } from "./state-hash.ts";
import { stepInPlace, undo } from "./step.ts";
import type { Level } from "./level.ts";
import { encodeState, type Observation, observationNames, observe } from "./observation.ts";
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
  /** False leaves `info.events` empty and builds no event objects (faster; trainers rarely read them). */
  readonly events?: boolean;
  /** Makes the level's Pit (default: the simulation). docs/pit.md. */
  readonly pit?: PitFactory;
}

export interface EnvObservation {
  /**
   * The structured observation, built when first read. Read it before the env's next step, reset, undo
   * or setState: after that it refuses with an error rather than describe a state that moved on.
   */
  readonly json: Observation;
  /** The numeric observation: a fresh array per step, yours to keep. */
  readonly vector: Float64Array;
}

/**
 * What `fastStep` returns: one object per env, overwritten by each call. `observation` and `mask` are the
 * env's own buffers (the mask is the one for the next action), so copy them to keep them.
 */
export interface FastStep {
  reward: number;
  terminated: boolean;
  truncated: boolean;
  /** The step's rejection code, or null when the action ran. */
  rejected: string | null;
  /** Points so far: earned mid-episode, the final total once it is over (the rewards sum to this / 200). */
  score: number;
  readonly observation: Float64Array;
  readonly mask: Uint8Array;
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
  /** The action mask now: a new array, or written into `out`. */
  actionMask(out?: Uint8Array): Uint8Array;
  legalActions(): ActionSpec[];
  /** A copy of the current state. */
  state(): GameState;
  /** Continues from a state (for undo, replay and tests). */
  setState(s: GameState): void;
  /** Hash of the current state (`hashState`: FNV-1a 64 over a fixed walk; linear over an episode). */
  stateHash(): string;
  /**
   * The training hot path: steps by action index with no events and no JSON, and writes the observation
   * and the next action mask into the env's reused buffers. Same rules, rewards and states as `step`.
   */
  fastStep(action: number): FastStep;
  /** Resets for `fastStep`: the observation and mask land in the same buffers. */
  fastReset(seed?: number): FastStep;
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
  const ctx = compileLevel(level, options.scenario, options.pit ? { pit: options.pit } : {});
  ensurePar(ctx);
  const names = observationNames(ctx);
  const withEvents = options.events !== false;
  const hasher = new StateHasher(ctx);
  let s: GameState = initialState(ctx, checkSeed(options.seed ?? level.seed, "createEnv's seed"));
  let potential = 0;
  // Bumped whenever the state moves on: a lazy JSON observation of an older state refuses to be built.
  let version = 0;
  const past: GameState[] = [];
  const fast: FastStep = {
    reward: 0,
    terminated: false,
    truncated: false,
    rejected: null,
    score: 0,
    observation: new Float64Array(names.length),
    mask: new Uint8Array(ctx.actions.length),
  };

  const obs = (): EnvObservation => {
    const at = version;
    let json: Observation | null = null;
    return {
      get json(): Observation {
        if (json) return json;
        if (at !== version)
          throw new Error(
            "observation.json was read after the env moved on: read it before the next step, reset, undo or setState",
          );
        json = observe(ctx, s);
        return json;
      },
      vector: encodeState(ctx, s, new Float64Array(names.length)),
    };
  };
  /** The reward of the last step: the change in points already earned (potential-based, sums to the score). */
  const rewardNow = (): { reward: number; score: ScoreBreakdown } => {
    const score = s.score ?? computeScore(ctx, s, "earned", { detail: false });
    const reward = (score.total - potential) / REWARD_SCALE;
    potential = score.total;
    return { reward, score };
  };
  const restart = (seed: number): void => {
    s = initialState(ctx, seed);
    potential = 0;
    past.length = 0;
    version++;
  };

  return {
    ctx,
    actionSpace: { n: ctx.actions.length, actions: ctx.actions },
    observationSpace: { size: names.length, names },
    reset(opts = {}) {
      const seed = checkSeed(opts.seed ?? s.seed, "reset's seed");
      restart(seed);
      return { observation: obs(), info: { seed, score: computeScore(ctx, s, "earned") } };
    },
    step(action) {
      if (options.undoable) past.push(cloneState(s));
      version++;
      const r = stepInPlace(ctx, s, action, { events: withEvents });
      s = r.state;
      const { reward, score } = rewardNow();
      const resolved =
        typeof action === "number" ? (ctx.actions[action] ?? null) : resolveAction(ctx, action);
      return {
        observation: obs(),
        reward,
        terminated: s.status === "won" || s.status === "stuck",
        truncated: s.status === "truncated",
        info: {
          events: r.events,
          rejection: r.ok ? null : r.rejection,
          action: resolved
            ? "label" in resolved
              ? (resolved.label as string)
              : actionLabel(resolved.calls)
            : String(action),
          score,
          step: s.step,
          tick: s.tick,
        },
      };
    },
    fastStep(action) {
      if (options.undoable) past.push(cloneState(s));
      version++;
      const r = stepInPlace(ctx, s, action, { events: false });
      fast.reward = rewardNow().reward;
      fast.score = potential;
      fast.terminated = s.status === "won" || s.status === "stuck";
      fast.truncated = s.status === "truncated";
      fast.rejected = r.ok ? null : r.rejection.code;
      const have = presence(ctx, s);
      encodeState(ctx, s, fast.observation, have);
      actionMask(ctx, s, fast.mask, have);
      return fast;
    },
    fastReset(seed) {
      restart(checkSeed(seed ?? s.seed, "fastReset's seed"));
      fast.reward = 0;
      fast.terminated = false;
      fast.truncated = false;
      fast.rejected = null;
      fast.score = 0;
      encodeState(ctx, s, fast.observation);
      actionMask(ctx, s, fast.mask);
      return fast;
    },
    actionMask: (out) => actionMask(ctx, s, out),
    legalActions() {
      const m = actionMask(ctx, s);
      return ctx.actions.filter((_, i) => m[i]);
    },
    state: () => cloneState(s),
    setState(next) {
      s = cloneState(next);
      version++;
      potential = s.step === 0 ? 0 : (s.score?.total ?? computeScore(ctx, s, "earned").total);
    },
    stateHash: () => hasher.hash(s),
    undo() {
      const previous = past.pop();
      if (!previous || s.status !== "playing") return null;
      s = undo(previous, s);
      version++;
      const { reward, score } = rewardNow();
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
