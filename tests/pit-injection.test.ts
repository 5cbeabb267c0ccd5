/**
 * The Pit by dependency injection (ADR-004): `createEnv` and `compileLevel` take a Pit factory, the
 * simulation is only the default, and the engine reaches the Pit through nothing else.
 */
import { describe, expect, it } from "vitest";
import { compileLevel, createEnv, type Level, simPitFactory } from "../src/engine/index.ts";
import { LEVELS } from "../src/levels/index.ts";
import { type RecordingPit, recordingPitFactory } from "../src/pit-sim/index.ts";

describe("the Pit is injected", () => {
  it("compileLevel uses the factory it is given, and the simulation otherwise", () => {
    const made: RecordingPit[] = [];
    const level = LEVELS[0] as Level;
    const ctx = compileLevel(level, undefined, { pit: recordingPitFactory(simPitFactory, made) });
    expect(made).toHaveLength(1);
    expect(ctx.pit).toBe(made[0]);
    expect(compileLevel(level).pitFactory).toBe(simPitFactory);
  });

  for (const level of LEVELS)
    it(`${level.id}: plays the same through a recording Pit, and every call goes through it`, () => {
      const made: RecordingPit[] = [];
      const env = createEnv({ level, pit: recordingPitFactory(simPitFactory, made) });
      const plain = createEnv({ level });
      env.reset();
      plain.reset();
      expect(env.stateHash()).toBe(plain.stateHash());
      for (const a of level.solutions.reference.steps) {
        const r = env.step(a);
        const p = plain.step(a);
        expect(r.reward, a).toBe(p.reward);
        expect(env.stateHash(), a).toBe(plain.stateHash());
        expect([...r.observation.vector], a).toEqual([...p.observation.vector]);
      }
      expect(env.state().score?.total).toBe(level.solutions.reference.score);
      // The env's Pit is the recording one (the solver's nominal copy of the level got one too).
      const calls = new Set(made.flatMap((m) => m.calls));
      for (const c of ["attach", "pools.allocate", "pools.release", "dag.mark", "artifacts.store"])
        if (c !== "artifacts.store" || level.functions.some((f) => f.produces.artifacts.length))
          expect(calls.has(c), c).toBe(true);
      expect(made.some((m) => m === env.ctx.pit)).toBe(true);
    });
});
