import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { levelJsonSchema } from "../src/engine/index.ts";
import { LEVEL_FILES } from "../src/levels/index.ts";
import { rawLevel } from "./helpers.ts";

const committed = JSON.parse(readFileSync("docs/level.schema.json", "utf8"));

describe("the level JSON Schema (docs/level.schema.json)", () => {
  it("is the one the validator generates (run npm run levels:schema after changing the format)", () => {
    expect(committed).toEqual(levelJsonSchema());
  });

  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(committed);

  it.each(Object.keys(LEVEL_FILES))("accepts the shipped level %s", (file) => {
    const ok = validate(LEVEL_FILES[file]);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("refuses a level with a wrong type or a missing field, pointing at it", () => {
    const l = rawLevel("escape-the-room");
    (l.functions as Record<string, unknown>[])[0] = {
      ...(l.functions as Record<string, unknown>[])[0],
      duration: "two",
    };
    delete l.title;
    expect(validate(l)).toBe(false);
    const where = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    expect(where).toContain("/functions/0/duration must be integer");
    expect(where).toContain(" must have required property 'title'");
  });
});
