import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkSeed, createEnv, type Level, parseSeedText, SEED_MAX } from "../src/engine/index.ts";
import { getLevel } from "../src/levels/index.ts";

const level = getLevel("escape-the-room") as Level;

describe("seeds are uint32 everywhere, refused with the range named, never wrapped", () => {
  it("the env refuses seeds outside [0, 2^32 - 1] at creation, reset and fastReset", () => {
    for (const bad of [-1, 2 ** 32, 2 ** 64, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createEnv({ level, seed: bad }), String(bad)).toThrow(/from 0 to 4294967295/);
      const env = createEnv({ level });
      expect(() => env.reset({ seed: bad })).toThrow(RangeError);
      expect(() => env.fastReset(bad)).toThrow(/fastReset's seed must be/);
    }
    const env = createEnv({ level, seed: SEED_MAX });
    expect(env.reset({ seed: SEED_MAX }).info.seed).toBe(SEED_MAX);
    expect(env.state().seed).toBe(SEED_MAX);
  });

  it("text seeds (URL, flags) parse only when they are whole numbers within uint32", () => {
    expect(parseSeedText("0")).toBe(0);
    expect(parseSeedText("4294967295")).toBe(SEED_MAX);
    for (const bad of ["4294967296", "-1", "1.0", "1e3", "0x10", " 1", "", "99999999999", "2^64"])
      expect(parseSeedText(bad), bad).toBeNull();
    fc.assert(
      fc.property(fc.nat({ max: SEED_MAX }), (n) => parseSeedText(String(n)) === n && checkSeed(n) === n),
      { seed: 3 },
    );
  });
});
