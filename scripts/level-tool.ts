/**
 * Designer's helper: `npx tsx scripts/level-tool.ts src/levels/x.json [--basic "a,b,c"]`
 * Validates the file, computes par and the solver's optimum, writes both into the file as `par` and
 * `solutions.reference` (keeping the file's reference steps when they already score the optimum), with
 * `meanScore` over the documented seeds and every world's par (`worlds`) when the scenario draws from the
 * seed, and, with --basic, plays the given steps and writes them as `solutions.basic` with the score they
 * reach. The test suite re-checks everything this writes.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { compileLevel, computePar, createEnv, parseLevel, solve } from "../src/engine/index.ts";
import { playSteps, seedSpread, worldPars } from "../src/engine/level-check.ts";
import { isSeeded } from "../src/engine/world.ts";

const [file, ...rest] = process.argv.slice(2);
if (!file) throw new Error("usage: level-tool <level.json> [--basic a,b,c]");
const raw = JSON.parse(readFileSync(file, "utf8"));
const level = parseLevel(raw, file);
const ctx = compileLevel(level);
let t = performance.now();
const par = computePar(ctx);
console.log(
  `par ${JSON.stringify(par)} in ${(performance.now() - t).toFixed(0)} ms; ${ctx.actions.length} actions`,
);
raw.par = par;
t = performance.now();
const sol = solve(compileLevel(parseLevel({ ...raw }, file)));
if (!sol.found || !sol.score) throw new Error(`no optimum: ${sol.capped ? "capped" : "unsolvable"}`);
console.log(
  `optimum ${sol.score.total} (${sol.score.tier}) in ${(performance.now() - t).toFixed(0)} ms, ${sol.expanded} states: ${sol.actions.join(" | ")}`,
);
for (const it of sol.score.items)
  if (it.points <= 0 || it.code === "elegance") console.log(`   ${it.points} ${it.reason}`);
const kept = playSteps(parseLevel({ ...raw }, file), raw.solutions.reference.steps);
const steps = kept.score?.total === sol.score.total ? raw.solutions.reference.steps : sol.actions;
raw.solutions.reference = { steps, score: sol.score.total };
delete raw.worlds;
if (isSeeded(ctx)) {
  t = performance.now();
  const { worlds, problems } = worldPars(compileLevel(parseLevel({ ...raw }, file)));
  if (problems.length) throw new Error(problems.join("; "));
  raw.worlds = worlds;
  console.log(`${worlds.length} world(s) searched in ${(performance.now() - t).toFixed(0)} ms`);
  const spread = seedSpread(parseLevel({ ...raw }, file), steps);
  raw.solutions.reference.meanScore = spread.mean;
  console.log(
    `seeded: ${spread.worlds} world(s), ${spread.outcomes} outcome(s) over ${spread.seeds.length} seeds, mean ${spread.mean}, lost on ${spread.lost.join(", ") || "none"}`,
  );
}
const bi = rest.indexOf("--basic");
if (bi >= 0) {
  const steps = (rest[bi + 1] ?? "").split(",").map((s) => s.trim());
  const env = createEnv({ level: parseLevel({ ...raw }, file) });
  env.reset();
  for (const a of steps) env.step(a);
  const s = env.state();
  console.log(`basic: ${s.status} ${s.score?.total} (${s.score?.tier})`);
  for (const it of s.score?.items ?? []) console.log(`   ${it.points} ${it.dimension} ${it.reason}`);
  raw.solutions.basic = { steps, score: s.score?.total ?? 0 };
}
writeFileSync(file, `${JSON.stringify(raw, null, 2)}\n`);
