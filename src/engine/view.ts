/**
 * The view model: everything the browser shows about a play, worked out by the engine from the state.
 * Panels, the flow strip, the palette and the Phaser scene render a `PlayView` and nothing else, so no
 * rule is computed twice and the screen cannot disagree with the score (docs/game.md).
 */
import { heatAt, type NodeStatus, type Quality, type SlotPhase, slotPhaseAt } from "../pit-sim/index.ts";
import {
  actionIndexOf,
  type CompiledLevel,
  isDecision,
  type Opportunity,
  type Par,
  parseActionText,
} from "./compile.ts";
import { describeEvent, type Incident, type Tone } from "./describe.ts";
import { keyId } from "./keys.ts";
import { actionMask, checkAction } from "./legality.ts";
import { hasKey } from "./state.ts";
import { computeScore, opportunitiesTaken, parOf, wastedCalls } from "./score.ts";
import { solve } from "./search.ts";
import type { EngineEvent, GameState, Rejection, ScoreBreakdown, Status } from "./types.ts";
import { DIMENSION_MAX } from "./types.ts";

/** One line of text with its tone (good news, bad news, or information). */
export interface ViewLine {
  readonly text: string;
  readonly tone: Tone;
}

/** An incident of the play in words: at which step (1-based), and what kind. */
export interface IncidentLine extends ViewLine {
  readonly step: number;
  readonly kind: Incident;
}

/** A function card of the palette: a single-call action, whether it can run now, and why not. */
export interface PaletteEntry {
  readonly index: number;
  readonly label: string;
  readonly fn: string;
  readonly description: string;
  readonly legal: boolean;
  /** The engine's rejection reason when it cannot run now (null when it can). */
  readonly reason: string | null;
}

export interface PoolView {
  readonly id: string;
  readonly label: string;
  readonly capacity: number;
  readonly coldStart: number;
  /** Each slot's phase now (a warm slot whose warmth ran out reads cold). */
  readonly slots: readonly SlotPhase[];
  readonly warm: number;
  readonly prewarmed: number;
  readonly busy: number;
  readonly cold: number;
  /** Heat after cooling, rounded to 0.1. */
  readonly heat: number;
  readonly heatLimit: number;
  /** Some function of the level heats this pool (so its heat is worth showing). */
  readonly heats: boolean;
  /** Peak utilisation (0..1) of the last 24 steps, oldest first. */
  readonly history: readonly number[];
}

export interface ArtifactRow {
  readonly id: string;
  readonly version: number;
  readonly quality: Quality;
  readonly producer: string;
  readonly consumers: readonly string[];
}

export interface PlayView {
  readonly levelId: string;
  readonly step: number;
  readonly tick: number;
  readonly status: Status;
  readonly history: readonly string[];
  /** Facts that hold now, in the order they became true. */
  readonly facts: readonly string[];
  /** The optimum found by the solver (null only for a level the solver could not finish). */
  readonly par: Par | null;
  /** The best total this level allows (the solver's optimum, which its reference solution reaches). */
  readonly bestPossible: number;
  readonly units: number;
  /** A parallel group can be composed on this level (its `maxParallel` is above 1). */
  readonly canCompose: boolean;
  readonly maxParallel: number;
  readonly undoPenalty: number;
  readonly goal: {
    readonly met: number;
    readonly total: number;
    readonly items: readonly { readonly id: string; readonly done: boolean }[];
  };
  /**
   * The function cards; while a failed call waits for a recovery decision (a "choose" level), its
   * decisions come first (keys 1–3) and every other card is greyed with the reason.
   */
  readonly palette: readonly PaletteEntry[];
  /** The failed call waiting for a decision, or null. */
  readonly decision: {
    readonly fn: string;
    readonly kind: string;
    readonly reason: string;
    /** Calls of this step that failed too and wait their turn. */
    readonly queued: readonly string[];
  } | null;
  readonly pools: readonly PoolView[];
  readonly opportunities: readonly { readonly op: Opportunity; readonly taken: boolean }[];
  /** Efficiency advice on what the play so far is wasting ("No waste so far." when nothing). */
  readonly hints: readonly string[];
  readonly stability: {
    readonly points: number;
    readonly max: number;
    readonly warnings: number;
    readonly unhandled: number;
    readonly reclaims: number;
  };
  /** The DAG Tracker's status of each function, in the level's order. */
  readonly dag: Readonly<Record<string, NodeStatus>>;
  readonly artifacts: readonly ArtifactRow[];
  /** Failures, recoveries, arbitration, warnings and reclaims of every step so far, oldest first. */
  readonly incidents: readonly IncidentLine[];
  /** The last step in words: its rejection and incidents (the flow strip's note). */
  readonly lastStep: readonly ViewLine[];
  /**
   * What was played, in words (from the state, never from the level's story): the goal, calls and time
   * against the optimum, and what went wrong. Empty while the episode runs.
   */
  readonly outcome: string;
  /** Points earned so far (the final score once the episode is over), with every reason. */
  readonly score: ScoreBreakdown;
}

/** What the view needs besides the state: the steps' events (for the logs) and the last rejection. */
export interface ViewInput {
  readonly eventLog: readonly (readonly EngineEvent[])[];
  readonly lastRejection: Rejection | null;
  /** The state's action mask, when the caller has it already (it is worked out otherwise). */
  readonly mask?: ArrayLike<number>;
}

/** Every key (`artifact:x`, `fact:y`) some function of the level needs, or the goal. */
function neededKeys(ctx: CompiledLevel): Set<string> {
  const out = new Set<string>(ctx.goalKeys);
  for (const f of ctx.level.functions) {
    for (const a of [...f.needs.artifacts, ...f.needs.optional]) out.add(`artifact:${a}`);
    for (const x of [...f.needs.facts, ...f.permission]) out.add(`fact:${x}`);
  }
  return out;
}

function efficiencyHints(
  ctx: CompiledLevel,
  s: GameState,
  overheated: ReadonlyMap<string, number>,
): string[] {
  const hints: string[] = [];
  for (const [pool, n] of overheated) {
    const label = ctx.level.pools.find((p) => p.id === pool)?.label ?? pool;
    hints.push(`${label} overheated (${n} warning(s)): space its heavy calls apart and let it cool.`);
  }
  // Waste is certain only when nothing in the level could ever use a call's result; results not used yet
  // are normal mid-level (the final score counts them if they stay unused).
  const needed = neededKeys(ctx);
  const useless = wastedCalls(ctx, s).filter((fn) =>
    s.calls.some((c) => c.fn === fn && c.outputs.length > 0 && c.outputs.every((k) => !needed.has(k))),
  );
  if (useless.length)
    hints.push(`Nothing in this level needs what ${[...new Set(useless)].join(", ")} produced: wasted work.`);
  if (s.m.redundant) hints.push(`${s.m.redundant} call(s) repeated work already done.`);
  if (s.m.rejected) hints.push(`${s.m.rejected} call(s) were rejected: check what a function needs first.`);
  if (s.m.wrongArgs) hints.push(`${s.m.wrongArgs} call(s) used a wrong argument.`);
  const par = parOf(ctx, s);
  if (par && s.tick > par.ticks) hints.push(`You are ${s.tick - par.ticks} tick(s) past the optimal time.`);
  if (hints.length === 0) hints.push("No waste so far.");
  return hints;
}

function poolViews(ctx: CompiledLevel, s: GameState): PoolView[] {
  return ctx.pools.map((cfg, i) => {
    const p = s.pit.pools[i] as GameState["pit"]["pools"][number];
    const slots = p.slots.map((sl) => slotPhaseAt(sl, s.tick));
    const count = (ph: SlotPhase) => slots.filter((x) => x === ph).length;
    return {
      id: cfg.id,
      label: ctx.level.pools.find((lp) => lp.id === cfg.id)?.label ?? cfg.id,
      capacity: cfg.capacity,
      coldStart: cfg.coldStart,
      slots,
      warm: count("warm"),
      prewarmed: count("prewarmed"),
      busy: count("busy"),
      cold: count("cold"),
      heat: Math.round(heatAt(cfg, p, s.tick) * 10) / 10,
      heatLimit: cfg.heatLimit,
      heats: ctx.level.functions.some((f) => f.heat > 0 && (f.resources[cfg.id] ?? 0) > 0),
      history: p.history.slice(-24),
    };
  });
}

/** What a recovery decision does, in words for its card. */
function decisionText(ctx: CompiledLevel, d: string, fn: string, kind: string): string {
  const f = ctx.fns.get(fn);
  if (d === "retry")
    return kind === "permanent"
      ? `Run ${fn} again. Its failure is permanent: it will fail again, costing time and heat.`
      : `Run ${fn} again on warm slots (${kind} failures often pass).`;
  if (d === "fallback") {
    const fb = f?.recovery.fallback ? ctx.fns.get(f.recovery.fallback) : undefined;
    return `Hand the work to ${fb?.id ?? "the fallback"}${fb?.quality === "degraded" ? " (its results are degraded)" : ""}: ${fb?.description ?? ""}`.trim();
  }
  const needed = ctx.goalKeys.some((k) => (ctx.keysOut.get(fn) ?? []).includes(k));
  return `Go on without ${fn}'s results (−5 completeness)${needed ? ": the goal needs them" : ""}.`;
}

function paletteOf(ctx: CompiledLevel, s: GameState, mask: ArrayLike<number>): PaletteEntry[] {
  const decisions: PaletteEntry[] = [];
  const out: PaletteEntry[] = [];
  const pd = s.pending;
  for (const a of ctx.actions) {
    if (a.calls.length !== 1) continue;
    const call = a.calls[0] as (typeof a.calls)[number];
    const fn = call.fn;
    const legal = mask[a.index] === 1;
    if (isDecision(fn)) {
      // Only the decisions offered now are cards; the others would only say "not now".
      if (legal && pd)
        decisions.push({
          index: a.index,
          label: a.label,
          fn,
          description: decisionText(ctx, fn, pd.failed, pd.kind),
          legal,
          reason: null,
        });
      continue;
    }
    out.push({
      index: a.index,
      label: a.label,
      fn,
      description:
        ctx.level.functions.find((f) => f.id === fn)?.description ??
        "Warm a slot ahead of need (predictive allocation).",
      legal,
      reason: legal
        ? null
        : s.status === "playing"
          ? (checkAction(ctx, s, a)?.message ?? "not allowed now")
          : "the level is over",
    });
  }
  return [...decisions, ...out];
}

/** The view of a state. `ctx` should carry its par (`ensurePar`), so the panels can show the optimum. */
export function playView(ctx: CompiledLevel, s: GameState, input: ViewInput): PlayView {
  const score = s.score ?? computeScore(ctx, s, "earned");
  const incidents: IncidentLine[] = [];
  const overheated = new Map<string, number>();
  input.eventLog.forEach((events, i) => {
    for (const e of events) {
      if (e.type === "StabilityWarning") overheated.set(e.pool, (overheated.get(e.pool) ?? 0) + 1);
      const d = describeEvent(e);
      if (d?.incident) incidents.push({ step: i + 1, text: d.text, tone: d.tone, kind: d.incident });
    }
  });
  const lastStep: ViewLine[] = [];
  if (input.lastRejection) lastStep.push({ text: `✗ Rejected: ${input.lastRejection.message}`, tone: "bad" });
  for (const e of input.eventLog.at(-1) ?? []) {
    const d = describeEvent(e);
    if (d?.incident) lastStep.push({ text: d.text, tone: d.tone });
  }
  const dag: Record<string, NodeStatus> = {};
  for (const f of ctx.level.functions) dag[f.id] = s.pit.dag[f.id] ?? "pending";
  return {
    levelId: s.levelId,
    step: s.step,
    tick: s.tick,
    status: s.status,
    history: s.history.slice(),
    facts: s.facts.slice(),
    par: parOf(ctx, s),
    // The reference is the optimum of the level's own seed; another seed has its own (the solver replays
    // the play that set that seed's par, so this costs no search once par is known).
    bestPossible: bestPossibleFor(ctx, s.seed),
    units: s.m.units,
    canCompose: ctx.level.maxParallel > 1,
    maxParallel: ctx.level.maxParallel,
    undoPenalty: ctx.level.undoPenalty,
    goal: {
      met: ctx.goalKeys.filter((k) => hasKey(s, k)).length,
      total: ctx.goalKeys.length,
      items: ctx.goalKeys.map((k) => ({ id: keyId(k), done: hasKey(s, k) })),
    },
    palette: paletteOf(ctx, s, input.mask ?? actionMask(ctx, s)),
    decision: s.pending
      ? {
          fn: s.pending.failed,
          kind: s.pending.kind,
          reason: s.pending.reason,
          queued: (() => {
            const q: string[] = [];
            for (let p = s.pending.next; p; p = p.next) q.push(p.failed);
            return q;
          })(),
        }
      : null,
    pools: poolViews(ctx, s),
    opportunities: opportunitiesTaken(ctx, s),
    hints: efficiencyHints(ctx, s, overheated),
    stability: {
      points: score.stability,
      max: DIMENSION_MAX.stability,
      warnings: s.m.warnings,
      unhandled: s.m.unhandled,
      reclaims: s.m.reclaims,
    },
    dag,
    artifacts: Object.keys(s.pit.artifacts).map((id) => {
      const a = s.pit.artifacts[id] as NonNullable<GameState["pit"]["artifacts"][string]>;
      return {
        id,
        version: a.version,
        quality: a.quality,
        producer: a.producer,
        consumers: a.consumers.slice(),
      };
    }),
    incidents,
    lastStep,
    outcome: outcomeOf(ctx, s),
    score,
  };
}

const bestBySeed = new WeakMap<CompiledLevel, Map<number, number>>();

/** The best score a seed allows: the reference's for the level's own seed, the solver's for another. */
function bestPossibleFor(ctx: CompiledLevel, seed: number): number {
  const ref = ctx.level.solutions.reference.score;
  if (seed === ctx.level.seed) return ref;
  const m = bestBySeed.get(ctx) ?? new Map<number, number>();
  bestBySeed.set(ctx, m);
  let best = m.get(seed);
  if (best === undefined) {
    best = solve(ctx, { seed }).score?.total ?? ref;
    m.set(seed, best);
  }
  return best;
}

/** The outcome of a finished episode in words, from the state (empty while it runs). */
function outcomeOf(ctx: CompiledLevel, s: GameState): string {
  if (s.status === "playing") return "";
  const par = parOf(ctx, s);
  const calls = s.calls.length;
  const parts: string[] = [];
  parts.push(
    s.status === "won"
      ? `Goal reached in ${s.step} step(s), ${calls} call(s) and ${s.tick} tick(s)${par ? ` (optimum: ${par.steps} step(s), ${par.ticks} tick(s))` : ""}.`
      : s.status === "truncated"
        ? `Out of steps after ${s.step}: the goal was not reached.`
        : "Stuck: no call could make progress, and the goal was not reached.",
  );
  const m = s.m;
  const wasted = wastedCalls(ctx, s).length;
  const trouble = [
    m.rejected ? `${m.rejected} rejected call(s)` : "",
    m.wrongArgs ? `${m.wrongArgs} wrong argument(s)` : "",
    m.redundant ? `${m.redundant} repeated call(s)` : "",
    wasted ? `${wasted} call(s) whose results nothing used` : "",
    m.warnings ? `${m.warnings} overload warning(s)` : "",
    m.unhandled ? `${m.unhandled} unhandled failure(s)` : "",
    m.skips ? `${m.skips} step(s) skipped` : "",
    m.reclaims ? `${m.reclaims} stale reclaim(s)` : "",
    m.undos ? `${m.undos} undo(s)` : "",
  ].filter(Boolean);
  parts.push(trouble.length ? `Along the way: ${trouble.join(", ")}.` : "Nothing was wasted.");
  return parts.join(" ");
}

/**
 * A parallel group the player composed from single calls: the action that runs it, or why it cannot run
 * (dependent calls, too many at once, or not a group the level can run in parallel).
 */
export function composeGroup(
  ctx: CompiledLevel,
  s: GameState,
  labels: readonly string[],
): { readonly ok: true; readonly index: number } | { readonly ok: false; readonly reason: string } {
  const text = labels.join(" + ");
  const index = actionIndexOf(ctx, text);
  if (index !== null) return { ok: true, index };
  const parsed = parseActionText(text);
  const why = parsed.ok ? checkAction(ctx, s, { calls: parsed.calls }) : null;
  return {
    ok: false,
    reason: why?.message ?? `"${text}" is not a group this level can run in parallel`,
  };
}
