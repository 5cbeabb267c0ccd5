/** What the dependency graph alone says about a level: lower bounds on the work left, and the functions that matter. */
import type { CompiledLevel } from "./compile.ts";
import { artifactKey, factKey, isFactKey, keyId } from "./keys.ts";
import { presence } from "./legality.ts";
import type { GameState } from "./types.ts";

/**
 * Lower bounds on what is left to do, from the dependency graph alone: the longest chain of producers
 * still needed for the goal, in ticks, slot-ticks and calls. Each step can advance every chain by at
 * most one call, and a call takes at least its nominal duration, so the bounds are admissible and
 * consistent: A* with them stays exact.
 */
export interface Remaining {
  ticks(s: GameState): number;
  units(s: GameState): number;
  calls(s: GameState): number;
}

export function remainingBounds(ctx: CompiledLevel): Remaining {
  // Keys are the level's bit ids (facts, then artifacts); a key outside them can never be present.
  const nKeys = ctx.factIds.length + ctx.artifactIds.length;
  const bitOf = (k: string): number => {
    const id = keyId(k);
    const b = isFactKey(k) ? ctx.bits.factBit.get(id) : ctx.bits.artifactBit.get(id);
    return b ?? -1;
  };
  interface Producer {
    fn: string;
    needs: Int32Array;
    ticks: number;
    units: number;
  }
  const slots = (res: Record<string, number>) => Object.values(res).reduce((n, x) => n + x, 0);
  const producers: Producer[][] = [];
  const keyName = (b: number): string =>
    b < ctx.factIds.length
      ? factKey(ctx.factIds[b] as string)
      : artifactKey(ctx.artifactIds[b - ctx.factIds.length] as string);
  for (let b = 0; b < nKeys; b++) {
    const k = keyName(b);
    const list: Producer[] = [];
    for (const id of ctx.producers.get(k) ?? []) {
      const f = ctx.fns.get(id);
      if (!f) continue;
      list.push({
        fn: id,
        needs: Int32Array.from((ctx.keysIn.get(id) ?? []).map(bitOf)),
        ticks: f.duration,
        units: slots(f.resources) * f.duration,
      });
    }
    const r = isFactKey(k) ? undefined : ctx.reconstructions.get(keyId(k));
    if (r)
      list.push({
        fn: "",
        needs: Int32Array.from(r.from.map((a) => bitOf(artifactKey(a)))),
        ticks: r.duration,
        units: slots(r.resources) * r.duration,
      });
    producers.push(list);
  }
  const goal = Int32Array.from(ctx.goalKeys.map(bitOf));
  // Needs before the keys that need them (a depth-first post-order): in this order the first pass of the
  // relaxation below settles an acyclic graph, and the second only confirms it.
  const order: number[] = [];
  const seen = new Uint8Array(nKeys);
  const visit = (b: number): void => {
    if (b < 0 || seen[b]) return;
    seen[b] = 1;
    for (const p of producers[b] as Producer[]) for (const n of p.needs) visit(n);
    order.push(b);
  };
  for (let b = 0; b < nKeys; b++) visit(b);
  const bound = (which: "ticks" | "units" | "calls") => {
    const dist = new Float64Array(nKeys);
    const cost = (p: Producer) => (which === "calls" ? 1 : p[which]);
    const need = (b: number) => (b < 0 ? Number.POSITIVE_INFINITY : (dist[b] as number));
    return (s: GameState): number => {
      const have = presence(ctx, s);
      for (let b = 0; b < nKeys; b++)
        dist[b] = (((have[b >>> 5] as number) >>> (b & 31)) & 1) === 1 ? 0 : Number.POSITIVE_INFINITY;
      // The cheapest way to make each key, relaxed to a fixed point (Knuth's generalisation of shortest
      // paths to AND-OR graphs): a producer costs its own figure plus the dearest of its needs. The graph may
      // have cycles (a reconstruction from what its artifact makes), so no key's figure is settled before
      // the fixed point: a memoised depth-first walk would fix a key at "unreachable" while a cycle through
      // it is open, and overestimate.
      for (let changed = true; changed; ) {
        changed = false;
        for (const b of order) {
          let best = dist[b] as number;
          if (best === 0) continue;
          for (const p of producers[b] as Producer[]) {
            if (p.fn && s.broken.length && s.broken.includes(p.fn)) continue;
            let n = 0;
            for (let i = 0; i < p.needs.length && n !== Number.POSITIVE_INFINITY; i++)
              n = Math.max(n, need(p.needs[i] as number));
            const c = cost(p) + n;
            if (c < best) best = c;
          }
          if (best < (dist[b] as number)) {
            dist[b] = best;
            changed = true;
          }
        }
      }
      let h = 0;
      for (let i = 0; i < goal.length; i++) h = Math.max(h, need(goal[i] as number));
      return Number.isFinite(h) ? h : 0;
    };
  };
  return { ticks: bound("ticks"), units: bound("units"), calls: bound("calls") };
}

/**
 * Functions that can contribute to the goal: producers of what the goal needs, transitively (through
 * needs, optional needs, permissions, retry preconditions, arguments, fallbacks and reconstructions).
 * A call of any other function only adds ticks, slot-ticks, heat and waste, and the warm slot it might
 * leave behind a prewarm gives for less, so searches never need to expand it.
 */
export function relevantFunctions(ctx: CompiledLevel): Set<string> {
  const keys = [...ctx.goalKeys];
  const seenKeys = new Set<string>(keys);
  const fns = new Set<string>();
  const need = (k: string) => {
    if (!seenKeys.has(k)) {
      seenKeys.add(k);
      keys.push(k);
    }
  };
  const addFn = (id: string) => {
    const f = ctx.fns.get(id);
    if (!f || fns.has(id)) return;
    fns.add(id);
    for (const a of [...f.needs.artifacts, ...f.needs.optional]) need(`artifact:${a}`);
    for (const x of [...f.needs.facts, ...f.permission, ...f.recovery.retryRequires]) need(`fact:${x}`);
    for (const p of f.params) for (const v of p.accepts) need(`artifact:${v}`);
    if (f.recovery.fallback) addFn(f.recovery.fallback);
  };
  while (keys.length) {
    const k = keys.pop() as string;
    for (const id of ctx.producers.get(k) ?? []) addFn(id);
    const r = k.startsWith("artifact:") ? ctx.reconstructions.get(k.slice(9)) : undefined;
    if (r) for (const a of r.from) need(`artifact:${a}`);
  }
  return fns;
}
