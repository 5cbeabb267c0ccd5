import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { canonicalJson, fnv1a64, hashValue } from "../src/pit-sim/index.ts";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

describe("the engine and the Pit simulation stay headless and deterministic", () => {
  const files = [...sources("src/engine"), ...sources("src/pit-sim")].filter(
    (f) => !f.endsWith("contract.ts"),
  );
  it.each(files)("%s uses no wall clock, no unseeded randomness, no DOM and no Phaser", (file) => {
    const text = readFileSync(file, "utf8").replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, "");
    expect(text).not.toMatch(/Math\.random|Date\.now|performance\.now|new Date\b/);
    expect(text).not.toMatch(/\b(window|document|localStorage|indexedDB|navigator)\./);
    expect(text).not.toMatch(/from\s+["'](phaser|zustand|node:[a-z]+)["']/);
  });
});

describe("hashing", () => {
  it("matches a BigInt reference implementation of 64-bit FNV-1a", () => {
    const reference = (s: string) => {
      let h = 0xcbf29ce484222325n;
      for (let i = 0; i < s.length; i++) {
        h ^= BigInt(s.charCodeAt(i));
        h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
      }
      return h.toString(16).padStart(16, "0");
    };
    for (const s of ["", "a", "foobar", "Function Quest V2 ✓ 963 Hz", "x".repeat(1000)])
      expect(fnv1a64(s)).toBe(reference(s));
  });

  it("does not depend on key order", () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
    expect(hashValue({ x: 1, y: 2 })).toBe(hashValue({ y: 2, x: 1 }));
    expect(hashValue({ x: 1 })).not.toBe(hashValue({ x: 2 }));
  });
});
