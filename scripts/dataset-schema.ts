/** Writes docs/trajectory.schema.json (the episode line and the header line) from the dataset validator. */
import { writeFileSync } from "node:fs";
import { datasetJsonSchema } from "../src/engine/index.ts";

writeFileSync(
  new URL("../docs/trajectory.schema.json", import.meta.url),
  `${JSON.stringify(datasetJsonSchema(), null, 2)}\n`,
);
console.log("docs/trajectory.schema.json written");
