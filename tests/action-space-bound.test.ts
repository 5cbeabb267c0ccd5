import { describe, expect, it } from "vitest";
import { main } from "../src/cli/fq.ts";
import {
  compileLevel,
  type LevelInput,
  MAX_ACTIONS,
  MAX_SINGLE_CALLS,
  parseLevel,
} from "../src/engine/index.ts";
import { LEVELS } from "../src/levels/index.ts";
import { ValidationError } from "../src/pit-sim/index.ts";
import { rawLevel } from "./helpers.ts";

/** A level the schema allows whose action space explodes: n functions, each taking params × values. */
function wide(n: number, params: number, values: number, maxParallel = 1): Record<string, unknown> {
  const raw = rawLevel("escape-the-room");
  const vals = Array.from({ length: values }, (_, i) => `v${i}`);
  raw.initial = { facts: [], artifacts: vals.map((id) => ({ id, size: 1 })) };
  raw.functions = Array.from({ length: n }, (_, i) => ({
    id: `f${i}`,
    description: `function ${i}`,
    params: Array.from({ length: params }, (_, k) => ({ name: `p${k}`, values: vals, accepts: vals })),
    produces: { facts: [`done${i}`] },
    resources: { hands: 1 },
    duration: 1,
  }));
  raw.goal = { facts: ["done0"], artifacts: [] };
  raw.maxParallel = maxParallel;
  const call = `f0(${Array.from({ length: params }, () => "v0").join(", ")})`;
  raw.solutions = { reference: { steps: [call], score: 200 }, basic: { steps: [call], score: 200 } };
  delete raw.par;
  return raw;
}

function refusal(raw: Record<string, unknown>): string {
  try {
    parseLevel(raw as unknown as LevelInput, "wide.json");
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).message;
  }
  throw new Error("expected the level to be refused");
}

describe("the action space is bounded when a level is validated", () => {
  it("refuses 24 functions × 2 parameters × 6 values at once, naming the product", () => {
    const t = performance.now();
    const message = refusal(wide(24, 2, 6));
    expect(performance.now() - t).toBeLessThan(500); // refused, not explored (a budget, not a benchmark)
    expect(message).toContain("functions: the action space would have 864 single calls");
    expect(message).toContain("f0: 6 p0 × 6 p1 = 36");
    expect(message).toContain(`at most ${MAX_SINGLE_CALLS}`);
  });

  it("refuses groups that multiply past the bound, naming maxParallel", () => {
    const message = refusal(wide(24, 1, 6, 4));
    expect(message).toContain("maxParallel: groups of up to 4 independent calls from 144 single calls");
    expect(message).toContain(`more than ${MAX_ACTIONS} actions`);
  });

  it("accepts every shipped level and a wide level within the bounds", () => {
    for (const level of LEVELS) expect(compileLevel(level).actions.length).toBeLessThanOrEqual(MAX_ACTIONS);
    const ok = parseLevel(wide(8, 1, 6, 2) as unknown as LevelInput, "ok.json");
    expect(compileLevel(ok).actions.length).toBeLessThanOrEqual(MAX_ACTIONS);
  });

  it("fq analyze and fq play refuse such a file at once with exit 2", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const file = join(mkdtempSync(join(tmpdir(), "fq-")), "wide.json");
    writeFileSync(file, JSON.stringify(wide(24, 2, 6)));
    for (const cmd of ["analyze", "play", "solve"]) {
      const err: string[] = [];
      const code = await main(
        [cmd, file, ...(cmd === "play" ? ["f0(v0, v0)"] : [])],
        () => {},
        (s) => err.push(s),
      );
      expect(code, cmd).toBe(2);
      expect(err.join("\n")).toContain("864 single calls");
    }
  });
});

describe("a search that runs out of budget is a level problem, reported like one", () => {
  it("computePar past its budget throws a ValidationError naming par and the way out", async () => {
    const { computePar } = await import("../src/engine/index.ts");
    const level = LEVELS.find((l) => l.id === "launch-the-spaceship") as (typeof LEVELS)[number];
    try {
      computePar(compileLevel({ ...level }), { maxExpansions: 3 });
      throw new Error("expected the search to be capped");
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).issues[0]?.path).toBe("par");
      expect((e as ValidationError).message).toContain("search capped at 3 states; state the level's par");
    }
  });
});
