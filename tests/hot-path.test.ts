import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkAction,
  createEnv,
  encodeObservation,
  encodeState,
  type Level,
  observe,
  stepInPlace,
} from "../src/engine/index.ts";
import { LEVELS } from "../src/levels/index.ts";
import { hashValue, parseScenario } from "../src/pit-sim/index.ts";

/**
 * The hot path answers with compiled bitsets, reused buffers and no events; the explaining path with
 * `checkAction`, JSON and events. Both read the same rules, so on any reachable state they must agree.
 */
const arbPlay = fc.record({
  level: fc.constantFrom(...LEVELS),
  seed: fc.nat({ max: 0xffffffff }),
  failure: fc.double({ min: 0, max: 0.4, noNaN: true }),
  picks: fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
});

function scenarioFor(level: Level, failure: number) {
  return parseScenario({
    id: "hot-path",
    jitter: 1,
    failures: Object.fromEntries(
      level.functions.map((f) => [f.id, { probability: failure, kind: "transient" }]),
    ),
  });
}

function envFor(p: { level: Level; seed: number; failure: number }) {
  const env = createEnv({ level: p.level, seed: p.seed, scenario: scenarioFor(p.level, p.failure) });
  env.reset({ seed: p.seed });
  return env;
}

describe("the hot path agrees with the explaining path", () => {
  it("the bitset mask equals checkAction on every action of every reachable state", () => {
    fc.assert(
      fc.property(arbPlay, (p) => {
        const env = envFor(p);
        for (const n of p.picks) {
          const s = env.state();
          const mask = env.actionMask();
          for (const a of env.actionSpace.actions) {
            const legal = s.status === "playing" && checkAction(env.ctx, s, a) === null;
            if ((mask[a.index] === 1) !== legal)
              throw new Error(`${p.level.id} step ${s.step}: mask says ${mask[a.index]} for ${a.label}`);
          }
          const legalNow = [...mask].flatMap((m, i) => (m ? [i] : []));
          const r = env.step(
            n % 5 === 0 ? n % env.actionSpace.n : (legalNow[n % Math.max(1, legalNow.length)] ?? 0),
          );
          if (r.terminated || r.truncated) break;
        }
      }),
      { numRuns: 120, seed: 11 },
    );
  });

  it("encodeState writes the same numbers as encoding the JSON observation", () => {
    fc.assert(
      fc.property(arbPlay, (p) => {
        const env = envFor(p);
        for (const n of p.picks) {
          const s = env.state();
          const direct = encodeState(env.ctx, s, new Float64Array(env.observationSpace.size));
          const viaJson = encodeObservation(env.ctx, observe(env.ctx, s));
          expect([...direct]).toEqual([...viaJson]);
          const r = env.step(n % env.actionSpace.n);
          if (r.terminated || r.truncated) break;
        }
      }),
      { numRuns: 80, seed: 12 },
    );
  });

  it("fastStep gives the rewards, flags, observations, masks and states of step", () => {
    for (const level of LEVELS) {
      const scenario = scenarioFor(level, 0.2);
      const slow = createEnv({ level, seed: 5, scenario });
      const fast = createEnv({ level, seed: 5, scenario });
      slow.reset({ seed: 5 });
      let f = fast.fastReset(5);
      let pick = 7;
      for (let i = 0; i < 60; i++) {
        const legal = [...slow.actionMask()].flatMap((m, k) => (m ? [k] : []));
        expect([...f.mask]).toEqual([...slow.actionMask()]);
        if (!legal.length) break;
        pick = (pick * 31 + 17) % 1009;
        const a = i % 9 === 8 ? pick % slow.actionSpace.n : (legal[pick % legal.length] as number);
        const r = slow.step(a);
        f = fast.fastStep(a);
        expect(f.reward).toBe(r.reward);
        expect(f.terminated).toBe(r.terminated);
        expect(f.truncated).toBe(r.truncated);
        expect(f.rejected).toBe(r.info.rejection?.code ?? null);
        expect([...f.observation]).toEqual([...r.observation.vector]);
        expect(fast.stateHash()).toBe(slow.stateHash());
        if (r.terminated || r.truncated) break;
      }
    }
  });

  it("stepping without events changes the state exactly as stepping with them", () => {
    for (const level of LEVELS) {
      const env = createEnv({ level, seed: 9 });
      env.reset({ seed: 9 });
      const a = env.state();
      const b = env.state();
      for (const label of level.solutions.basic.steps) {
        const withEvents = stepInPlace(env.ctx, a, label);
        const without = stepInPlace(env.ctx, b, label, { events: false });
        expect(withEvents.events.length).toBeGreaterThan(0);
        expect(without.events).toEqual([]);
        expect(hashValue(b)).toBe(hashValue(a));
      }
      expect(a.status).toBe("won");
    }
  });

  it("a JSON observation read after the env moved on is refused, not stale", () => {
    const env = createEnv({ level: LEVELS[0] as Level });
    const first = env.reset();
    env.step(0);
    expect(() => first.observation.json).toThrow(/moved on/);
    const fresh = env.step(0);
    expect(fresh.observation.json.step).toBe(2);
  });
});
