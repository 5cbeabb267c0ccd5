import type { Allocation } from "../pit-sim/index.ts";
import type { CompiledLevel } from "./compile.ts";
import type { Events } from "./call-flow.ts";
import type { LevelFunction } from "./level.ts";
import type { GameState } from "./types.ts";

/**
 * The Pool Manager's part of a call: activation (slots, cold starts, heat and overheating) and unloading
 * (slots back, warm, and the slot-ticks they cost), with the stability warnings they raise.
 */

export interface Activation {
  allocs: Allocation[];
  start: number;
  extra: number;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Reports a stability warning; a warning on the step right after another is also back-to-back. */
export function warn(
  s: GameState,
  ev: Events,
  w: { kind: "overheat" | "utilisation"; pool: string; value: number; limit: number; tick: number },
): void {
  ev?.push({
    type: "StabilityWarning",
    kind: w.kind,
    pool: w.pool,
    value: round2(w.value),
    limit: w.limit,
    tick: w.tick,
  });
  s.m.warnings++;
  if (s.lastWarnStep === s.step - 1) {
    s.m.backToBack++;
    ev?.push({
      type: "StabilityWarning",
      kind: "back-to-back",
      pool: w.pool,
      value: round2(w.value),
      limit: w.limit,
      tick: w.tick,
    });
  }
  s.lastWarnStep = s.step;
}

/** Activation: allocates every pool a function needs, no earlier than `from`, and adds its heat. */
export function activate(
  ctx: CompiledLevel,
  s: GameState,
  f: LevelFunction,
  from: number,
  ev: Events,
): Activation {
  let start = from;
  // Reconstruction runs under a synthetic id: fall back to its own resources.
  const needs = ctx.needsOf.get(f.id) ?? Object.entries(f.resources);
  for (const [pool, n] of needs) start = Math.max(start, ctx.pit.pools.freeAt(pool, n, from));
  const allocs: Allocation[] = [];
  let extra = 0;
  for (const [pool, n] of needs) {
    const r = ctx.pit.pools.allocate({ pool, amount: n, owner: f.id, tick: start });
    if (!r.ok) throw new Error(`activation of ${f.id}: ${r.reason}`); // checkCall guarantees capacity
    const a = r.value;
    allocs.push(a);
    extra = Math.max(extra, a.coldTicks);
    if (a.usedPrewarm) s.m.prewarmUsed++;
    else if (a.usedRecycled) s.m.recycledUsed++;
    ev?.push({
      type: "ResourceAllocated",
      fn: f.id,
      pool,
      slots: n,
      warm: a.warm,
      coldTicks: a.coldTicks,
      tick: start,
    });
    if (f.heat > 0) {
      const h = ctx.pit.pools.addHeat(pool, f.heat, start);
      if (h.overloaded) {
        extra += ctx.poolById.get(pool)?.recoveryTicks ?? 0;
        warn(s, ev, { kind: "overheat", pool, value: h.heat, limit: h.limit, tick: start });
      }
    }
  }
  return { allocs, start, extra };
}

/** Unloading: returns a call's slots to their pools and counts the slot-ticks it held them. */
export function release(
  ctx: CompiledLevel,
  s: GameState,
  o: { fn: string; act: Activation; tick: number; ev: Events },
): void {
  for (const a of o.act.allocs) {
    ctx.pit.pools.release(a.id, o.tick);
    s.m.units += a.slots.length * Math.max(1, o.tick - o.act.start);
    o.ev?.push({ type: "ResourceReleased", fn: o.fn, pool: a.pool, slots: a.slots.length, tick: o.tick });
  }
}
