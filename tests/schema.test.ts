import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import {
  datasetHeader,
  datasetJsonSchema,
  type Level,
  levelJsonSchema,
  recordEpisode,
  toJsonl,
} from "../src/engine/index.ts";
import { getLevel, LEVEL_FILES, LEVELS } from "../src/levels/index.ts";
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

describe("the dataset JSON Schema (docs/trajectory.schema.json)", () => {
  const committedDataset = JSON.parse(readFileSync("docs/trajectory.schema.json", "utf8"));

  it("is the one the validators generate (run npm run dataset:schema after changing the format)", () => {
    expect(committedDataset).toEqual(datasetJsonSchema());
  });

  it("accepts every line of an exported dataset and refuses a broken episode", () => {
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(committedDataset);
    const level = getLevel("the-print-shop") as Level;
    const eps = [
      recordEpisode({ level, actions: level.solutions.basic.steps, provenance: "agent", episodeId: "a-1" }),
    ];
    const text = toJsonl(datasetHeader("schema-test", eps, LEVELS), eps);
    for (const line of text.trimEnd().split("\n"))
      expect(validate(JSON.parse(line)), JSON.stringify(validate.errors)).toBe(true);
    const broken = { ...(eps[0] as Record<string, unknown>), provenance: "alien" };
    expect(validate(broken)).toBe(false);
  });
});
