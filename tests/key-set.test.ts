import { describe, expect, it } from "vitest";
import { KeySet } from "../src/engine/search-keys.ts";

describe("KeySet (the searches' set of 53-bit state keys)", () => {
  it("agrees with a Set<number> on 50,000 keys across the 53-bit range, through its growth", () => {
    const keys = new KeySet();
    const ref = new Set<number>();
    let x = 12345;
    const next = () => {
      // A deterministic generator of 53-bit keys, with repeats (a small range half the time).
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const hi = x & 0x1fffff;
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x & 1 ? hi * 4294967296 + x : x % 5000;
    };
    for (let i = 0; i < 50_000; i++) {
      const k = next();
      expect(keys.add(k), `add ${k}`).toBe(!ref.has(k));
      ref.add(k);
    }
    expect(keys.size).toBe(ref.size);
    for (let i = 0; i < 5000; i++) {
      const k = next();
      expect(keys.has(k), `has ${k}`).toBe(ref.has(k));
    }
    // Keys that differ only in their high or low 32 bits are different keys.
    const a = new KeySet();
    expect(a.add(2 ** 52 + 7)).toBe(true);
    expect(a.has(7)).toBe(false);
    expect(a.add(7)).toBe(true);
    expect(a.has(2 ** 52 + 7)).toBe(true);
    expect(a.add(0)).toBe(true);
    expect(a.add(0)).toBe(false);
  });
});
