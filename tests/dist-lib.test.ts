import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createEnv, type Level } from "../src/engine/index.ts";
import { getLevel } from "../src/levels/index.ts";

// The headless environment must run under plain Node from what `npm ci` builds, with no bundler.
describe("the built library (dist-lib)", () => {
  it("runs an episode under plain node and matches the TypeScript engine", () => {
    expect(existsSync("dist-lib/engine/index.js"), "dist-lib is missing: run npm run build:lib").toBe(true);
    const script = `
      import { createEnv } from "./dist-lib/engine/index.js";
      import { getLevel } from "./dist-lib/levels/index.js";
      const level = getLevel("escape-the-room");
      const env = createEnv({ level });
      env.reset();
      let r;
      for (const a of level.solutions.reference.steps) r = env.step(a);
      console.log(JSON.stringify({ total: r.info.score.total, hash: env.stateHash() }));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    expect(out.total).toBe(200);
    const level = getLevel("escape-the-room") as Level;
    const env = createEnv({ level });
    env.reset();
    for (const a of level.solutions.reference.steps) env.step(a);
    expect(out.hash).toBe(env.stateHash());
  });
});
