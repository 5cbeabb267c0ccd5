/**
 * Writes docs/level.schema.json from the level validator (zod's JSON Schema export), so designers can
 * validate level files in their editor. `npm run levels:schema`; a test fails when the file is stale.
 */
import { writeFileSync } from "node:fs";
import { levelJsonSchema } from "../src/engine/index.ts";

writeFileSync(
  new URL("../docs/level.schema.json", import.meta.url),
  `${JSON.stringify(levelJsonSchema(), null, 2)}\n`,
);
console.log("docs/level.schema.json written");
