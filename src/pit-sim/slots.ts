/**
 * How a pool reads at a tick: the Pool Manager's rules for warmth and cooling, in one place. The engine's
 * observation, legality and view model all ask these, so the screen and the score never disagree.
 */
import type { PoolConfig, PoolState, SlotPhase, SlotState, Tick } from "./types.ts";

/** A slot's phase at `tick`: a warm slot whose warmth ran out (`until <= tick`) is cold again. */
export function slotPhaseAt(slot: SlotState, tick: Tick): SlotPhase {
  return slot.phase === "warm" && slot.until <= tick ? "cold" : slot.phase;
}

/** A pool's heat at `tick`, after cooling since heat was last added (never below 0). */
export function heatAt(cfg: Pick<PoolConfig, "cooling">, pool: PoolState, tick: Tick): number {
  return Math.max(0, pool.heat - cfg.cooling * Math.max(0, tick - pool.heatTick));
}
