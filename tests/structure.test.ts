/**
 * The browser code's shape, checked from its sources (Biome's import rules enforce the same directions
 * on every lint; this test also covers what a lint rule cannot count). docs/game.md explains the layers.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "../src");
const BROWSER = ["app", "ui", "scenes"];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

const browserFiles = BROWSER.flatMap((d) => files(join(SRC, d)));
const text = new Map(browserFiles.map((f) => [f, readFileSync(f, "utf8")]));

/** Every relative module a file imports (static or dynamic), as a path under src/. */
function imports(file: string): string[] {
  const src = text.get(file) as string;
  const specs = [...src.matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+)"/g)].map((m) => m[1] as string);
  return specs.map((s) => relative(SRC, resolve(dirname(file), s)));
}

describe("the browser code's layers", () => {
  it("finds the files it checks", () => {
    expect(browserFiles.length).toBeGreaterThan(15);
    expect(browserFiles.some((f) => f.endsWith("app/store.ts"))).toBe(true);
  });

  it("ui/ and scenes/ never import app/", () => {
    for (const f of browserFiles.filter((x) => !relative(SRC, x).startsWith("app/")))
      for (const i of imports(f))
        expect(i.startsWith("app/"), `${relative(SRC, f)} imports ${i}`).toBe(false);
  });

  it("browser code never imports pit-sim or an engine file past its entry points", () => {
    for (const f of browserFiles)
      for (const i of imports(f)) {
        expect(i.startsWith("pit-sim/"), `${relative(SRC, f)} imports ${i}`).toBe(false);
        if (i.startsWith("engine/"))
          expect(i, relative(SRC, f)).toMatch(/^engine\/api\/(rl|view|analysis|datasets|terms)\.ts$/);
      }
  });

  it("views (ui/, scenes/) read only the engine's view entry point", () => {
    for (const f of browserFiles.filter((x) => !relative(SRC, x).startsWith("app/")))
      for (const i of imports(f).filter((x) => x.startsWith("engine/")))
        expect(i, relative(SRC, f)).toBe("engine/api/view.ts");
  });

  it("a level is compiled, or an env created, in at most two places", () => {
    const sites = browserFiles.flatMap((f) =>
      [...(text.get(f) as string).matchAll(/\b(compileLevel|createEnv)\(/g)].map(() => relative(SRC, f)),
    );
    expect(sites.length, sites.join(", ")).toBeGreaterThan(0);
    expect(sites.length, sites.join(", ")).toBeLessThanOrEqual(2);
  });

  it("no file in app/, ui/ or scenes/ is over 500 lines", () => {
    for (const f of browserFiles)
      expect((text.get(f) as string).split("\n").length, relative(SRC, f)).toBeLessThanOrEqual(500);
  });

  it("no file in engine/ or pit-sim/ is over 500 lines: the layout says where a rule lives", () => {
    for (const f of ["engine", "engine/api", "pit-sim"].flatMap((d) => files(join(SRC, d))))
      expect(readFileSync(f, "utf8").split("\n").length, relative(SRC, f)).toBeLessThanOrEqual(500);
  });

  it("no rule is worked out in browser code: the engine's rule functions are not called there", () => {
    const rules =
      /(?<!\.)\b(computeScore|wastedCalls|goalMet|hasKey|checkAction|checkCall|actionMask|observe|slotPhaseAt|heatAt|opportunitiesTaken)\(/;
    for (const f of browserFiles)
      expect(rules.exec(text.get(f) as string)?.[0] ?? null, relative(SRC, f)).toBeNull();
  });
});

describe("the engine's imports", () => {
  it("only the machine's own module imports XState: the engine runs the table derived from its config", () => {
    const engine = ["engine", "pit-sim"].flatMap((d) => files(join(SRC, d)));
    const importers = engine
      .filter((f) => /from\s+"xstate/.test(readFileSync(f, "utf8")))
      .map((f) => relative(SRC, f));
    expect(importers).toEqual(["engine/flow-machine.ts"]);
  });
});
