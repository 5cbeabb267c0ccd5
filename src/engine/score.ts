import type { CompiledLevel, Opportunity, Par } from "./compile.ts";
import { goalMet } from "./state.ts";
import type { Dimension, GameState, ScoreBreakdown, ScoreItem, Tier } from "./types.ts";
import { DIMENSION_MAX } from "./types.ts";

/**
 * How a score is read:
 * - `final`: the episode is over; this is the score.
 * - `optimistic`: the best the episode could still end with (the solver searches on it; it never rises
 *   along a path and equals `final` at the end).
 * - `earned`: only what is already certain (the reward potential; it equals `final` at the end).
 */
export type ScoreMode = "final" | "optimistic" | "earned";

/** Points per rule; documented in docs/scoring.md. */
export const RULES = {
  goal: 60,
  correctness: 25,
  completeness: 15,
  rejectedCall: 10,
  wrongArgument: 10,
  skippedStep: 5,
  speed: 25,
  resources: 15,
  density: 10,
  wastedCall: 5,
  warning: 10,
  backToBack: 10,
  unhandledFailure: 15,
  staleReclaim: 10,
} as const;

const OPPORTUNITY_TEXT: Record<Opportunity, [string, string]> = {
  predictive: [
    "Predictive allocation: a prewarmed slot served a call",
    "No prewarmed slot ever served a call",
  ],
  parallel: [
    "Parallel execution: independent calls ran together",
    "Independent calls were never run in parallel",
  ],
  recycling: ["Resource recycling: a warm slot was reused", "No warm slot was ever reused"],
  elegance: [
    "Elegant pattern: no rejected, redundant or wasted call, no warning, no unhandled failure",
    "The pattern had rejected, redundant or wasted calls, hopeless retries, warnings or unhandled failures",
  ],
};

/** Points for a measure against its optimum: all of `max` at or under it, none at 1.5 times it. */
function slack(max: number, value: number, optimum: number): number {
  if (value <= optimum) return max;
  return Math.max(0, Math.round(max * (1 - (2 * (value - optimum)) / Math.max(1, optimum))));
}

/**
 * The highest total an episode that did not reach its goal can have: correctness, completeness short of its
 * last point, and a healthy system (no goal points, efficiency only for a solution that reaches the goal,
 * optimization only for a win). A total above it was a win.
 */
export const BEST_WITHOUT_GOAL = RULES.correctness + RULES.completeness - 1 + DIMENSION_MAX.stability;

/** Tier of a total score (seed 000). */
export function tierOf(total: number): Tier {
  if (total >= 181) return "Grand Maestro";
  if (total >= 151) return "Master";
  if (total >= 101) return "Journeyman";
  return "Apprentice";
}

/** Successful calls whose results nothing ever used (the seed's "unnecessary step"). */
export function wastedCalls(ctx: CompiledLevel, s: GameState): string[] {
  const out: string[] = [];
  for (const c of s.calls) {
    if (c.outcome !== "ok" || c.redundant || c.outputs.length === 0) continue;
    if (!c.outputs.some((k) => s.used.includes(k) || ctx.goalKeys.includes(k))) out.push(c.fn);
  }
  return out;
}

/** True while the pattern is clean: no rejected, redundant or wasted call, no warning, no unhandled failure. */
function isElegant(s: GameState, wasted: number): boolean {
  const m = s.m;
  return m.rejected + m.redundant + wasted + m.unhandled + m.wrongArgs + m.warnings + m.wastedRetries === 0;
}

/** Whether the play so far has taken an opportunity (elegance: whether it still holds). */
function opportunityTaken(s: GameState, op: Opportunity, elegant: boolean): boolean {
  const m = s.m;
  if (op === "predictive") return m.prewarmUsed > 0;
  if (op === "parallel") return m.parallelGroups > 0;
  if (op === "recycling") return m.recycledUsed > 0;
  return elegant;
}

/**
 * The level's opportunities and whether the play so far has taken each: the rule the optimization score
 * counts at the end (a win is needed too), for the screen's hints mid-episode.
 */
export function opportunitiesTaken(
  ctx: CompiledLevel,
  s: GameState,
): { readonly op: Opportunity; readonly taken: boolean }[] {
  // As the score counts it: a result not used yet mid-episode is not waste until the episode is over.
  const elegant = isElegant(s, s.status === "playing" ? 0 : wastedCalls(ctx, s).length);
  return ctx.opportunities.map((op) => ({ op, taken: opportunityTaken(s, op, elegant) }));
}

/** The par an episode is measured against: its seed's world's (`ensurePar`), or the level's. */
export function parOf(ctx: CompiledLevel, s: GameState): Par | null {
  return ctx.parBySeed ? ctx.parBySeed(s.seed) : ctx.par;
}

const NOTHING_AHEAD = { ticks: 0, units: 0 } as const;

export interface ScoreOptions {
  /** Lower bounds on the ticks and slot-ticks still to come (optimistic mode; the solver passes them). */
  readonly ahead?: { readonly ticks: number; readonly units: number };
  /** False skips building the items (the reasons): the env's per-step reward needs only the numbers. */
  readonly detail?: boolean;
}

/** The four-dimensional score with every point gained or lost and its reason. */
export function computeScore(
  ctx: CompiledLevel,
  s: GameState,
  mode: ScoreMode,
  options: ScoreOptions = {},
): ScoreBreakdown {
  const ahead = options.ahead ?? NOTHING_AHEAD;
  const detail = options.detail ?? true;
  const items: ScoreItem[] = [];
  const dims = { base: 0, efficiency: 0, stability: 0, optimization: 0 } as Record<Dimension, number>;
  const add = (dimension: Dimension, points: number, code: string, reason: () => string) => {
    if (points === 0) return;
    dims[dimension] += points;
    if (detail) items.push({ dimension, points, code, reason: reason() });
  };
  // A finished episode has one score, whatever the mode.
  const eff: ScoreMode = s.status === "playing" ? mode : "final";
  const won = s.status === "won";
  const assumeWin = won || eff === "optimistic";
  const over = eff === "final";
  const m = s.m;

  // Base: goal, correctness, completeness.
  const met = assumeWin ? ctx.goalKeys.length : goalMet(ctx, s);
  if (assumeWin)
    add("base", RULES.goal, "goal", () =>
      won ? `Goal reached: ${ctx.level.story.goal}` : "Goal (not reached yet)",
    );
  add("base", RULES.correctness, "correctness", () => "Correct functions in a workable order");
  if (m.rejected)
    add(
      "base",
      -RULES.rejectedCall * m.rejected,
      "rejected",
      () => `${m.rejected} rejected call(s): wasted orchestration`,
    );
  if (m.wrongArgs)
    add(
      "base",
      -RULES.wrongArgument * m.wrongArgs,
      "wrong-argument",
      () => `${m.wrongArgs} call(s) with the wrong argument`,
    );
  if (m.undos && ctx.level.undoPenalty)
    add(
      "base",
      -ctx.level.undoPenalty * m.undos,
      "undo",
      () => `${m.undos} undo(s): rollback costs ${ctx.level.undoPenalty} each`,
    );
  const completeness = assumeWin
    ? RULES.completeness
    : Math.floor((RULES.completeness * met) / Math.max(1, ctx.goalKeys.length));
  // Each line says only what it pays for, so no line contradicts another (a skip is deducted below).
  add("base", completeness, "completeness", () =>
    assumeWin
      ? m.skips
        ? "Every goal item in place"
        : "Every necessary step included"
      : `${met} of ${ctx.goalKeys.length} goal items in place`,
  );
  if (m.skips)
    add(
      "base",
      -RULES.skippedStep * m.skips,
      "skipped",
      () => `${m.skips} step(s) gracefully skipped: their results are missing`,
    );

  // Efficiency: against the level's par; only for a solution that reaches the goal.
  const wasted = over ? wastedCalls(ctx, s).length : 0;
  if (assumeWin) {
    const par = parOf(ctx, s) ?? { ticks: s.tick, units: m.units, steps: s.step };
    // Full points at par, none at 1.5 times par: the slack of a naive solution shows.
    const later = eff === "optimistic" ? ahead : NOTHING_AHEAD;
    const speed = slack(RULES.speed, s.tick + later.ticks, par.ticks);
    const res = slack(RULES.resources, m.units + later.units, par.units);
    // Kept even at 0 points: the player should see why speed earned nothing.
    dims.efficiency += speed + res;
    if (detail) {
      items.push({
        dimension: "efficiency",
        points: speed,
        code: "speed",
        reason: `Execution speed: ${s.tick} ticks (optimum ${par.ticks})`,
      });
      items.push({
        dimension: "efficiency",
        points: res,
        code: "resources",
        reason: `Resource usage: ${m.units} slot-ticks (optimum ${par.units})`,
      });
    }
    // Each waste costs 5 of density's 10, in this order: redundant calls, wasted calls, hopeless retries.
    const waste = Math.min(RULES.density, RULES.wastedCall * (m.redundant + wasted + m.wastedRetries));
    add("efficiency", RULES.density, "density", () =>
      waste
        ? "Operation density, before the calls deducted below"
        : "Operation density: every call meaningful",
    );
    let left = waste;
    const take = (n: number) => {
      const x = Math.min(left, RULES.wastedCall * n);
      left -= x;
      return x;
    };
    const r1 = take(m.redundant);
    if (m.redundant) add("efficiency", -r1, "redundant", () => `${m.redundant} redundant call(s)`);
    const r2 = take(wasted);
    if (wasted)
      add("efficiency", -r2, "wasted", () => `${wasted} unnecessary call(s) whose results nothing used`);
    const r3 = take(m.wastedRetries);
    if (m.wastedRetries)
      add(
        "efficiency",
        -r3,
        "hopeless-retry",
        () => `${m.wastedRetries} retry(ies) of a permanent failure, which cannot succeed`,
      );
  }

  // Stability: health of the system over the whole episode.
  const unhealthy = m.warnings + m.unhandled + m.reclaims > 0;
  add("stability", DIMENSION_MAX.stability, "stability", () =>
    unhealthy ? "System health, before the incidents deducted below" : "System kept healthy",
  );
  if (m.warnings - m.backToBack > 0)
    add(
      "stability",
      -RULES.warning * (m.warnings - m.backToBack),
      "warning",
      () => `${m.warnings - m.backToBack} stability warning(s)`,
    );
  if (m.backToBack)
    add(
      "stability",
      -(RULES.warning + RULES.backToBack) * m.backToBack,
      "back-to-back",
      () => `${m.backToBack} back-to-back overload warning(s)`,
    );
  if (m.unhandled)
    add(
      "stability",
      -RULES.unhandledFailure * m.unhandled,
      "unhandled",
      () => `${m.unhandled} unhandled failure(s)`,
    );
  if (m.reclaims)
    add(
      "stability",
      -RULES.staleReclaim * m.reclaims,
      "stale",
      () => `${m.reclaims} stale reclaim(s): resources or artifacts left behind`,
    );

  // Optimization: each opportunity the level offers is worth an equal share of 20.
  const ops = ctx.opportunities;
  const share = Math.floor(DIMENSION_MAX.optimization / ops.length);
  const elegant = isElegant(s, wasted);
  ops.forEach((op, i) => {
    const pts = share + (i === 0 ? DIMENSION_MAX.optimization - share * ops.length : 0);
    const earned = opportunityTaken(s, op, elegant);
    const counted = eff === "optimistic" ? op !== "elegance" || elegant : won && earned;
    if (counted) add("optimization", pts, op, () => OPPORTUNITY_TEXT[op][0]);
  });

  // Clamp each dimension into its range, and say so, so the items still add up.
  for (const d of Object.keys(dims) as Dimension[]) {
    if (dims[d] < 0) {
      if (detail)
        items.push({ dimension: d, points: -dims[d], code: "floor", reason: `${d} cannot fall below 0` });
      dims[d] = 0;
    } else if (dims[d] > DIMENSION_MAX[d]) {
      if (detail)
        items.push({
          dimension: d,
          points: DIMENSION_MAX[d] - dims[d],
          code: "cap",
          reason: `${d} is capped at ${DIMENSION_MAX[d]}`,
        });
      dims[d] = DIMENSION_MAX[d];
    }
  }
  const total = dims.base + dims.efficiency + dims.stability + dims.optimization;
  return {
    base: dims.base,
    efficiency: dims.efficiency,
    stability: dims.stability,
    optimization: dims.optimization,
    total,
    tier: tierOf(total),
    items,
    final: eff === "final",
  };
}

/** The numbers of a breakdown, without its reasons: what a recorded episode keeps. */
export function scoreNumbers(sc: ScoreBreakdown): {
  total: number;
  base: number;
  efficiency: number;
  stability: number;
  optimization: number;
  tier: Tier;
} {
  return {
    total: sc.total,
    base: sc.base,
    efficiency: sc.efficiency,
    stability: sc.stability,
    optimization: sc.optimization,
    tier: sc.tier,
  };
}

/** Missed opportunities of a finished episode, for hints and the results screen. */
export function missedOpportunities(ctx: CompiledLevel, s: GameState): string[] {
  const sc = s.score ?? computeScore(ctx, s, "final");
  return ctx.opportunities
    .filter((op) => !sc.items.some((i) => i.code === op))
    .map((op) => OPPORTUNITY_TEXT[op][1]);
}
