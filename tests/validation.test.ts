import { describe, expect, it } from "vitest";
import { parseLevel } from "../src/engine/index.ts";
import { loadLevelText } from "../src/levels/index.ts";
import { parseScenario, ValidationError } from "../src/pit-sim/index.ts";
import { rawLevel } from "./helpers.ts";

const FILE = "levels/broken.json";

function errorsOf(data: unknown): ValidationError {
  try {
    parseLevel(data, FILE);
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error("expected the level to be rejected");
}

type Fns = {
  id: string;
  needs?: { artifacts?: string[]; facts?: string[] };
  produces?: { facts?: string[] };
}[];

describe("level validation names the file, the field and the problem", () => {
  it("accepts the shipped level it starts from", () => {
    expect(parseLevel(rawLevel("escape-the-room"), FILE).id).toBe("escape-the-room");
  });

  it("an unknown function in a solution", () => {
    const l = rawLevel("escape-the-room");
    (l.solutions as { reference: { steps: string[] } }).reference.steps[1] = "kick_door";
    const e = errorsOf(l);
    expect(e.message).toContain(FILE);
    expect(e.issues).toContainEqual({
      path: "solutions.reference.steps[1]",
      message: 'unknown function "kick_door"',
    });
  });

  it("a dependency cycle", () => {
    const l = rawLevel("escape-the-room");
    const fns = l.functions as Record<string, unknown>[];
    const fn = (id: string, need: string, make: string) => ({
      id,
      description: `${id} (part of a cycle)`,
      needs: { facts: [need] },
      produces: { facts: [make] },
      duration: 1,
    });
    fns.push(fn("brew_tea", "kettle_hot", "tea_ready"), fn("heat_kettle", "tea_ready", "kettle_hot"));
    const e = errorsOf(l);
    expect(e.message).toContain(FILE);
    expect(e.issues).toContainEqual({
      path: "functions",
      message: "dependency cycle: brew_tea -> heat_kettle -> brew_tea (each must run before the next)",
    });
  });

  it("a goal whose only producer can never run", () => {
    const l = rawLevel("escape-the-room");
    const fns = l.functions as Record<string, unknown>[];
    fns.push({
      id: "climb_out",
      description: "Climb out of a window that needs a ladder nobody can make.",
      needs: { facts: ["ladder_ready"] },
      produces: { facts: ["outside"] },
      duration: 1,
    });
    fns.push({
      id: "build_ladder",
      description: "Needs to be outside first.",
      needs: { facts: ["outside"] },
      produces: { facts: ["ladder_ready"] },
      duration: 1,
    });
    (l.goal as { facts: string[] }).facts = ["door_open", "outside"];
    const e = errorsOf(l);
    expect(e.issues.map((i) => `${i.path}: ${i.message}`)).toContain(
      "functions: dependency cycle: climb_out -> build_ladder -> climb_out (each must run before the next)",
    );
  });

  it("a goal that no callable function reaches", () => {
    const l = rawLevel("escape-the-room");
    const fns = l.functions as Record<string, unknown>[];
    const open = fns.find((f) => f.id === "open_door") as Record<string, unknown>;
    open.permission = ["warden_approval"];
    fns.push({
      id: "ask_warden",
      description: "The warden never answers.",
      callable: false,
      produces: { facts: ["warden_approval"] },
      duration: 1,
    });
    const e = errorsOf(l);
    expect(e.issues).toEqual([
      { path: "goal", message: "the goal cannot be reached: nothing callable ever provides door_open" },
    ]);
  });

  it("a duplicate id", () => {
    const l = rawLevel("escape-the-room");
    const fns = l.functions as Fns;
    fns.push({ ...(fns[0] as Fns[number]) });
    const e = errorsOf(l);
    expect(e.issues).toContainEqual({
      path: `functions[${fns.length - 1}].id`,
      message: 'duplicate id "find_key" (also functions[0])',
    });
  });

  it("a wrong type", () => {
    const l = rawLevel("escape-the-room");
    (l.functions as Record<string, unknown>[])[0] = {
      ...(l.functions as Record<string, unknown>[])[0],
      duration: "two",
    };
    const e = errorsOf(l);
    expect(e.issues).toContainEqual({
      path: "functions[0].duration",
      message: expect.stringMatching(/expected number/i),
    });
  });

  it("a missing field", () => {
    const l = rawLevel("escape-the-room");
    delete l.title;
    const e = errorsOf(l);
    expect(e.issues).toContainEqual({ path: "title", message: expect.stringMatching(/expected string/i) });
  });

  it("an unknown field, an unknown pool and an unknown artifact, all at once", () => {
    const l = rawLevel("escape-the-room");
    const fns = l.functions as Record<string, unknown>[];
    fns[0] = { ...fns[0], resources: { feet: 1 } };
    fns[1] = { ...fns[1], needs: { artifacts: ["unicorn"] } };
    l.colour = "blue";
    const e = errorsOf(l);
    expect(e.issues).toContainEqual({ path: "", message: expect.stringContaining('"colour"') });
    delete l.colour;
    const again = errorsOf(l);
    expect(again.issues).toEqual(
      expect.arrayContaining([
        { path: "functions[0].resources.feet", message: 'unknown pool "feet"' },
        {
          path: "functions[1].needs.artifacts[0]",
          message: 'no function, initial artifact or reconstruction produces "unicorn"',
        },
      ]),
    );
  });

  it("prototype-polluting keys", () => {
    const text = `{"__proto__": {"polluted": true}, "formatVersion": 1}`;
    expect(() => loadLevelText(text, FILE)).toThrow(/__proto__/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("text that is not JSON, naming the file", () => {
    expect(() => loadLevelText("{ nope", FILE)).toThrow(new RegExp(`${FILE}.*not valid JSON`, "s"));
  });

  it("a scenario that names unknown functions, and a bad scenario file", () => {
    const l = rawLevel("escape-the-room");
    l.scenario = { id: "chaos", failures: { fly_away: { probability: 0.5, kind: "transient" } } };
    expect(errorsOf(l).issues).toContainEqual({
      path: "scenario.failures.fly_away",
      message: 'unknown function "fly_away"',
    });
    expect(() =>
      parseScenario({ id: "x", failures: { f: { probability: 2, kind: "transient" } } }, "scenarios/x.json"),
    ).toThrow(/scenarios\/x\.json[\s\S]*failures\.f\.probability/);
  });
});
