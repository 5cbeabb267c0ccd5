// @ts-check
/**
 * Engine benchmark: env steps per second on the largest level, for
 *  (a) the full engine: Chambering Flow, the Pit simulation, scoring, observations, events;
 *  (b) a minimal hand-written loop making the same state changes (facts, artifacts, ticks, slot-ticks),
 * and the ratio a/b. Also: par and solver time per level. Run with `npm run bench`; figures are printed,
 * not asserted (the floor for (a) is 100,000 steps/s on one core).
 *
 * It runs the library as Node users get it (`dist-lib`, emitted by tsc on `npm ci`), under plain node:
 * tsx's transform wraps every closure in a naming helper and costs about 40% here.
 */
import {
  analyzeLevel,
  compileLevel,
  computePar,
  createEnv,
  datasetHeader,
  parseJsonl,
  recordEpisode,
  solve,
  toJsonl,
} from "../dist-lib/engine/index.js";
import { LEVELS } from "../dist-lib/levels/index.js";

/** @typedef {import("../dist-lib/engine/index.js").Level} Level */

const FLOOR = 100_000;
// The level with the most functions (ties: the larger action space) is the heaviest to step.
const size = (/** @type {Level} */ l) => l.functions.length * 1000 + compileLevel(l).actions.length;
const largest = LEVELS.reduce((a, b) => (size(b) > size(a) ? b : a));

/**
 * A deterministic cycle of actions: the reference and basic solutions, alternately.
 * @param {Level} level
 * @returns {string[][]}
 */
function script(level) {
  return [level.solutions.reference.steps, level.solutions.basic.steps];
}

/** @param {Level} level @param {number} seconds */
function benchFull(level, seconds) {
  const env = createEnv({ level });
  const episodes = script(level);
  let steps = 0;
  let checksum = 0;
  const end = performance.now() + seconds * 1000;
  let e = 0;
  while (performance.now() < end) {
    env.reset();
    for (const a of episodes[e++ % episodes.length] ?? []) {
      const r = env.step(a);
      checksum += r.reward + r.observation.vector.length;
      steps++;
    }
  }
  const elapsed = seconds;
  if (!Number.isFinite(checksum)) throw new Error("bad checksum");
  return { steps, perSec: steps / elapsed };
}

/** The same state changes with none of the machinery: look up a function, check needs, apply effects. */
/** @param {Level} level @param {number} seconds */
function benchMinimal(level, seconds) {
  const fns = new Map(level.functions.map((f) => [f.id, f]));
  const episodes = script(level).map((steps) =>
    steps.map((s) => s.split("+").map((c) => c.trim().replace(/\(.*\)$/, ""))),
  );
  let steps = 0;
  let checksum = 0;
  const end = performance.now() + seconds * 1000;
  let e = 0;
  while (performance.now() < end) {
    const facts = new Set(level.initial.facts);
    /** @type {Map<string, number>} */
    const artifacts = new Map();
    let tick = 0;
    let units = 0;
    for (const group of episodes[e++ % episodes.length] ?? []) {
      let span = 0;
      for (const id of group) {
        const f = fns.get(id);
        if (!f) continue;
        if (!f.needs.facts.every((x) => facts.has(x)) || !f.needs.artifacts.every((a) => artifacts.has(a)))
          continue;
        for (const x of f.produces.facts) facts.add(x);
        for (const a of f.produces.artifacts) artifacts.set(a.id, (artifacts.get(a.id) ?? 0) + 1);
        span = Math.max(span, f.duration);
        for (const n of Object.values(f.resources)) units += n * f.duration;
      }
      tick += span;
      steps++;
      checksum += tick + units + facts.size;
    }
  }
  if (!Number.isFinite(checksum)) throw new Error("bad checksum");
  return { steps, perSec: steps / seconds };
}

/** @param {number} n */
const fmt = (n) => Math.round(n).toLocaleString("en-US");
console.log(`Function Quest V2 engine benchmark (node ${process.version}, one thread)`);
console.log(
  `largest level: ${largest.id} (${largest.functions.length} functions, ${largest.pools.length} pools)`,
);
benchFull(largest, 0.5); // warm up the JIT
benchMinimal(largest, 0.3);
const full = benchFull(largest, 3);
const minimal = benchMinimal(largest, 2);
console.log(
  `(a) full engine env.step:      ${fmt(full.perSec).padStart(12)} steps/s   (floor ${fmt(FLOOR)}: ${full.perSec >= FLOOR ? "met" : "NOT MET"})`,
);
console.log(`(b) minimal hand-written loop: ${fmt(minimal.perSec).padStart(12)} steps/s`);
console.log(
  `ratio a/b: ${(full.perSec / minimal.perSec).toFixed(4)}  (b is ${(minimal.perSec / full.perSec).toFixed(1)}x faster)`,
);
console.log("");
console.log("level                        par (ms)  solve (ms)  states  optimum  analyze (ms, floor 1000)");
for (const level of LEVELS) {
  const ctx = compileLevel(level);
  let t = performance.now();
  ctx.par = computePar(compileLevel(level));
  const parMs = performance.now() - t;
  t = performance.now();
  const sol = solve(ctx);
  const solveMs = performance.now() - t;
  t = performance.now();
  analyzeLevel(level);
  const analyzeMs = performance.now() - t;
  console.log(
    `${level.id.padEnd(28)} ${parMs.toFixed(0).padStart(8)}  ${solveMs.toFixed(0).padStart(10)}  ${String(sol.expanded).padStart(6)}  ${String(sol.score?.total ?? "-").padStart(7)}  ${analyzeMs.toFixed(0).padStart(8)}${analyzeMs < 1000 ? "" : "  OVER"}`,
  );
}

// Demonstration datasets: export time for 10,000 steps and verification throughput (issue 5).
{
  /** @type {import("../dist-lib/engine/index.js").Episode[]} */
  const episodes = [];
  let steps = 0;
  for (let i = 0; steps < 10_000; i++) {
    const level = /** @type {Level} */ (LEVELS[i % LEVELS.length]);
    const actions = i % 2 ? level.solutions.reference.steps : level.solutions.basic.steps;
    const ep = recordEpisode({ level, actions, provenance: "bot", episodeId: `bench-${i}` });
    episodes.push(ep);
    steps += ep.actions.length;
  }
  let t = performance.now();
  const text = toJsonl(datasetHeader("bench", episodes, LEVELS), episodes);
  const exportMs = performance.now() - t;
  t = performance.now();
  parseJsonl(text, "bench.jsonl", { levels: LEVELS });
  const verifySecs = (performance.now() - t) / 1000;
  console.log("");
  console.log(`dataset: ${episodes.length} episodes, ${steps} steps, ${(text.length / 1e6).toFixed(1)} MB`);
  console.log(`  export (toJsonl) of ${steps} steps: ${exportMs.toFixed(0)} ms`);
  console.log(`  import + verify (re-simulation): ${fmt(steps / verifySecs)} steps/s`);
}
