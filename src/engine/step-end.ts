import type { Reclaim } from "../pit-sim/index.ts";
import { abandonPending, strategiesOf, type Events, warn } from "./call.ts";
import type { CompiledLevel } from "./compile.ts";
import { forgetPresence, hasLegalAction, needsMet } from "./legality.ts";
import type { LevelFunction } from "./level.ts";
import { computeScore } from "./score.ts";
import { goalMet } from "./state.ts";
import type { GameState } from "./types.ts";

/**
 * The end of a step: the inter-action duties (state synchronisation, dependency analysis, failure
 * preparedness), the Stale Manager's sweep, utilisation checks, and the end of the episode.
 */
export function finishStep(
  ctx: CompiledLevel,
  s: GameState,
  o: { ev: Events; end: number; ran: boolean },
): void {
  const ev = o.ev;
  s.tick = Math.max(s.tick, o.end);
  if (o.ran) {
    for (const p of ctx.pit.pools.closeStep()) {
      if (p.peak > p.healthyMax + 1e-9)
        warn(s, ev, { kind: "utilisation", pool: p.pool, value: p.peak, limit: p.healthyMax, tick: s.tick });
    }
    for (const r of ctx.pit.stale.sweep(s.tick)) {
      // An unused prewarmed slot was wasted; an artifact past its TTL is ordinary cleanup unless a
      // function that has not run yet still needs it (then the player let it go stale).
      reclaimed(s, ev, r, r.kind === "prewarmed-slot" || stillNeeded(ctx, s, r.id));
    }
  }
  s.step++;
  if (goalMet(ctx, s) === ctx.goalKeys.length) {
    s.status = "won";
    ev?.push({ type: "GoalReached", tick: s.tick, step: s.step });
  } else if (s.step >= ctx.maxSteps) {
    s.status = "truncated";
  } else {
    if (ev) analyzeDependencies(ctx, s, ev);
    if (!hasLegalAction(ctx, s)) s.status = "stuck";
  }
  ev?.push({ type: "StateSynchronized", step: s.step, tick: s.tick });
  if (s.status !== "playing") {
    // A call still waiting for a decision when the episode ends was never recovered.
    abandonPending(s, ev);
    endEpisode(ctx, s, ev);
  }
}

/** Dependency analysis and failure preparedness: which pending functions are ready, and how each could recover. */
function analyzeDependencies(ctx: CompiledLevel, s: GameState, ev: NonNullable<Events>): void {
  const ready: string[] = [];
  const blocked: string[] = [];
  for (const f of ctx.level.functions) {
    if (s.pit.dag[f.id] !== "pending") continue;
    if (!s.broken.includes(f.id) && needsMet(s, f)) ready.push(f.id);
    else blocked.push(f.id);
  }
  ev.push({ type: "DependencyAnalyzed", ready, blocked });
  for (const id of ready) {
    const f = ctx.fns.get(id) as LevelFunction;
    const strategies = strategiesOf(f, s);
    if (f.needs.artifacts.some((a) => ctx.reconstructions.has(a))) strategies.push("reverse-reconstruction");
    if (strategies.length) ev.push({ type: "FailurePrepared", fn: id, strategies });
  }
}

/** True when a function that has not run yet reads the artifact. */
function stillNeeded(ctx: CompiledLevel, s: GameState, artifact: string): boolean {
  for (const f of ctx.level.functions) {
    if (s.pit.dag[f.id] === "done" || s.broken.includes(f.id)) continue;
    if (f.needs.artifacts.includes(artifact) || f.needs.optional.includes(artifact)) return true;
    if (f.params.some((p) => p.accepts.includes(artifact))) return true;
  }
  return false;
}

/** Reports one Stale Manager reclaim; a costly one counts against stability. */
function reclaimed(s: GameState, ev: Events, r: Reclaim, costly: boolean): void {
  if (costly) s.m.reclaims++;
  ev?.push({
    type: "StaleReclaimed",
    kind: r.kind,
    id: r.id,
    pool: r.pool ?? null,
    idleTicks: r.idleTicks,
    tick: s.tick,
    costly,
  });
}

function endEpisode(ctx: CompiledLevel, s: GameState, ev: Events): void {
  // Everything the end sweep finds was left behind: prewarmed and never used, or made and never read.
  for (const r of ctx.pit.stale.sweepAll(s.tick)) reclaimed(s, ev, r, true);
  forgetPresence(ctx);
  if (ctx.par) {
    s.score = computeScore(ctx, s, "final");
    ev?.push({ type: "EpisodeEnded", status: s.status, total: s.score.total, tier: s.score.tier });
  }
}
