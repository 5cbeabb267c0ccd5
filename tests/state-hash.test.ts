import { describe, expect, it } from "vitest";
import { createEnv, type GameState, hashState, type Level } from "../src/engine/index.ts";
import { getLevel, LEVELS } from "../src/levels/index.ts";

/** Rebuilds every object of a state with its keys inserted in reverse order (same data, other layout). */
function reversedKeys<T>(x: T): T {
  if (Array.isArray(x)) return x.map(reversedKeys) as T;
  if (x === null || typeof x !== "object") return x;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(x).reverse()) out[k] = reversedKeys((x as Record<string, unknown>)[k]);
  return out as T;
}

describe("state hash", () => {
  it("the env's running hash equals a from-scratch hash after every step, undo included", () => {
    for (const level of LEVELS) {
      const env = createEnv({ level, undoable: true });
      env.reset();
      const steps = level.solutions.basic.steps;
      steps.forEach((a, i) => {
        env.step(a);
        if (i === 1) {
          env.undo();
          expect(env.stateHash()).toBe(hashState(env.ctx, env.state()));
          env.step(steps[1] as string);
        }
        expect(env.stateHash()).toBe(hashState(env.ctx, env.state()));
      });
    }
  });

  it("does not depend on the order keys were written in, and survives a JSON round trip", () => {
    const level = getLevel("the-flood-defences") as Level;
    const env = createEnv({ level });
    env.reset();
    for (const a of level.solutions.reference.steps.slice(0, 4)) env.step(a);
    const s = env.state();
    expect(hashState(env.ctx, reversedKeys(s))).toBe(env.stateHash());
    expect(hashState(env.ctx, JSON.parse(JSON.stringify(s)) as GameState)).toBe(env.stateHash());
  });

  it("changes when any part of the state changes", () => {
    const level = getLevel("launch-the-spaceship") as Level;
    const env = createEnv({ level });
    env.reset();
    for (const a of level.solutions.reference.steps.slice(0, 3)) env.step(a);
    const base = env.state();
    const h = hashState(env.ctx, base);
    const edits: [string, (s: GameState) => void][] = [
      ["tick", (s) => s.tick++],
      ["rng", (s) => (s.rng[2] = (s.rng[2] + 1) >>> 0)],
      ["a fact", (s) => s.facts.pop()],
      ["a metric", (s) => s.m.units++],
      ["an attempt", (s) => (s.attempts[level.functions[0]?.id as string] = 9)],
      [
        "artifact quality",
        (s) => ((Object.values(s.pit.artifacts)[0] as { quality: string }).quality = "degraded"),
      ],
      ["artifact consumers", (s) => Object.values(s.pit.artifacts)[0]?.consumers.push("someone")],
      ["slot phase", (s) => ((s.pit.pools[0]?.slots[0] as { phase: string }).phase = "prewarmed")],
      ["heat", (s) => ((s.pit.pools[0] as { heat: number }).heat += 0.25)],
      ["utilisation history", (s) => s.pit.pools[0]?.history.push(0.5)],
      ["a call record", (s) => ((s.calls[0] as { endTick: number }).endTick += 1)],
      ["a step label", (s) => (s.history[0] = "other")],
      ["the used set", (s) => s.used.push("fact:x")],
      ["the dag", (s) => (s.pit.dag[level.functions[1]?.id as string] = "skipped")],
    ];
    for (const [what, edit] of edits) {
      const s = structuredClone(base);
      edit(s);
      expect(hashState(env.ctx, s), what).not.toBe(h);
    }
  });
});
