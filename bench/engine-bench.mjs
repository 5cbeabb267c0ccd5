// @ts-check
/**
 * Engine benchmark (`npm run bench`). Figures are printed and written to bench/results.json; nothing is
 * asserted (floors are printed beside each figure, "met" or "NOT MET").
 *
 * Honest under load: each contender runs alternately with its baseline in the same process (A, B, A, B,
 * ROUNDS rounds), so a busy neighbour slows both alike; every figure is the median with min–max over the
 * rounds, per CPU-second (process.cpuUsage) as well as per wall-second.
 *
 * It runs the library as Node users get it (`dist-lib`, emitted by tsc on `npm ci`), under plain node:
 * tsx's transform costs about 40% here.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import {
  analyzeLevel,
  compileLevel,
  computePar,
  createEnv,
  DatasetReader,
  datasetHeader,
  ENGINE_VERSION,
  hashState,
  recordEpisode,
  solve,
  toJsonl,
} from "../dist-lib/engine/index.js";
import { getLevel, LEVELS } from "../dist-lib/levels/index.js";

/** @typedef {import("../dist-lib/engine/index.js").Level} Level */

const ROUNDS = 7;
const ROUND_SECONDS = 0.6;
/** @type {Record<string, unknown>} */
const results = { engine_version: ENGINE_VERSION, node: process.version, rounds: ROUNDS };

/** @param {number} n */
const fmt = (n) => Math.round(n).toLocaleString("en-US");
/** @param {number[]} xs */
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? /** @type {number} */ (s[(s.length - 1) / 2])
    : ((s[s.length / 2 - 1] ?? 0) + (s[s.length / 2] ?? 0)) / 2;
};
/** @param {number[]} xs */
const spread = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
/** @param {{median: number, min: number, max: number}} s */
const show = (s) => `${fmt(s.median).padStart(11)}  (${fmt(s.min)}–${fmt(s.max)})`;

/**
 * Runs `work(budget)` (which returns how many steps it made) for about ROUND_SECONDS; returns steps per
 * CPU-second and per wall-second.
 * @param {(n: number) => number} work
 */
function round(work) {
  let steps = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < ROUND_SECONDS * 1000) steps += work(2000);
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { cpu: steps / ((c.user + c.system) / 1e6), wall: steps / wall };
}

/**
 * Contender A and baseline B, alternately, ROUNDS times each after a warm-up.
 * @param {(n: number) => number} a
 * @param {(n: number) => number} b
 */
function alternate(a, b) {
  round(a);
  round(b);
  /** @type {{cpu: number, wall: number}[]} */
  const ra = [];
  /** @type {{cpu: number, wall: number}[]} */
  const rb = [];
  for (let i = 0; i < ROUNDS; i++) {
    ra.push(round(a));
    rb.push(round(b));
  }
  return {
    a: { cpu: spread(ra.map((r) => r.cpu)), wall: spread(ra.map((r) => r.wall)) },
    b: { cpu: spread(rb.map((r) => r.cpu)), wall: spread(rb.map((r) => r.wall)) },
  };
}

/** A small seeded generator for the benchmark's own choices (the engine has its own). */
function lcg(seed = 12345) {
  let x = seed >>> 0;
  return (/** @type {number} */ n) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x % n;
  };
}

/**
 * Random legal play through the training API: the mask read every step, a legal action drawn from it;
 * with `hash`, the env's state hash taken after every step too (what recording and verifying pay).
 * @param {Level} level
 */
function fastPlayer(level, hash = false) {
  const env = createEnv({ level, seed: 1 });
  const rnd = lcg();
  const legal = new Int32Array(env.actionSpace.n);
  let r = env.fastReset(1);
  return (/** @type {number} */ budget) => {
    for (let s = 0; s < budget; s++) {
      const m = r.mask;
      let k = 0;
      for (let i = 0; i < m.length; i++) if (m[i]) legal[k++] = i;
      if (k === 0 || r.terminated || r.truncated) {
        r = env.fastReset();
        continue;
      }
      r = env.fastStep(/** @type {number} */ (legal[rnd(k)]));
      if (hash) env.stateHash();
    }
    return budget;
  };
}

/**
 * The same random legal play through the general API: `step` with events, observation objects, labels.
 * @param {Level} level
 */
function fullPlayer(level) {
  const env = createEnv({ level, seed: 1 });
  const rnd = lcg();
  const mask = new Uint8Array(env.actionSpace.n);
  const legal = new Int32Array(env.actionSpace.n);
  env.reset({ seed: 1 });
  let over = false;
  return (/** @type {number} */ budget) => {
    for (let s = 0; s < budget; s++) {
      env.actionMask(mask);
      let k = 0;
      for (let i = 0; i < mask.length; i++) if (mask[i]) legal[k++] = i;
      if (k === 0 || over) {
        env.reset();
        over = false;
        continue;
      }
      const r = env.step(/** @type {number} */ (legal[rnd(k)]));
      over = r.terminated || r.truncated;
    }
    return budget;
  };
}

/**
 * The baseline: a minimal hand-written loop making the same kind of state changes (needs checked, facts and
 * artifacts added, ticks and slot-ticks counted) with none of the machinery.
 * @param {Level} level
 */
function minimalPlayer(level) {
  const fns = level.functions.filter((f) => f.callable);
  const rnd = lcg();
  let facts = new Set(level.initial.facts);
  /** @type {Map<string, number>} */
  let artifacts = new Map(level.initial.artifacts.map((a) => [a.id, 1]));
  let tick = 0;
  let units = 0;
  let steps = 0;
  return (/** @type {number} */ budget) => {
    for (let s = 0; s < budget; s++) {
      const ready = fns.filter(
        (f) => f.needs.facts.every((x) => facts.has(x)) && f.needs.artifacts.every((a) => artifacts.has(a)),
      );
      const f = ready[rnd(Math.max(1, ready.length))];
      if (!f || ++steps > 40) {
        facts = new Set(level.initial.facts);
        artifacts = new Map(level.initial.artifacts.map((a) => [a.id, 1]));
        tick = 0;
        steps = 0;
        continue;
      }
      for (const x of f.produces.facts) facts.add(x);
      for (const a of f.produces.artifacts) artifacts.set(a.id, (artifacts.get(a.id) ?? 0) + 1);
      tick += f.duration;
      for (const n of Object.values(f.resources)) units += n * f.duration;
    }
    if (units < 0) throw new Error("unreachable");
    return budget;
  };
}

console.log(
  `Function Quest V2 engine benchmark (node ${process.version}, engine ${ENGINE_VERSION}, one thread)`,
);
console.log(`each figure: median (min–max) over ${ROUNDS} alternating rounds of ${ROUND_SECONDS} s`);
console.log("");

// 1. Env steps with legal random actions, the mask read each step.
const FLOORS = { "the-flood-defences": 1_000_000, "escape-the-room": 3_000_000, "launch-the-spaceship": 0 };
/** @type {Record<string, unknown>} */
const steps = {};
console.log(
  "env steps, random legal actions, mask read each step            steps/CPU-s              steps/wall-s",
);
for (const [id, floor] of Object.entries(FLOORS)) {
  const level = /** @type {Level} */ (getLevel(id));
  const fast = alternate(fastPlayer(level), minimalPlayer(level));
  const full = alternate(fullPlayer(level), minimalPlayer(level));
  const verdict = floor
    ? `  floor ${fmt(floor)}/CPU-s: ${fast.a.cpu.median >= floor ? "met" : "NOT MET"}`
    : "";
  console.log(`${id}`);
  console.log(`  fastStep (training API)        ${show(fast.a.cpu)}  ${show(fast.a.wall)}${verdict}`);
  console.log(`  step (events, observations)    ${show(full.a.cpu)}  ${show(full.a.wall)}`);
  console.log(`  minimal hand-written loop      ${show(fast.b.cpu)}  ${show(fast.b.wall)}`);
  console.log(`  fastStep / minimal loop: ${(fast.a.cpu.median / fast.b.cpu.median).toFixed(3)}`);
  steps[id] = { fastStep: fast.a, step: full.a, minimal: fast.b, floor };
}
results.steps = steps;

// 2. The state hash against a step: random legal play with and without hashing after every step (what
//    recording and verification pay), and one from-scratch hash of a finished episode.
{
  const level = /** @type {Level} */ (getLevel("the-flood-defences"));
  const h = alternate(fastPlayer(level, true), fastPlayer(level));
  const withUs = 1e6 / h.a.cpu.median;
  const stepUs = 1e6 / h.b.cpu.median;
  const env = createEnv({ level, seed: 1 });
  env.reset();
  for (const a of level.solutions.basic.steps) env.step(a);
  const s = env.state();
  const t = performance.now();
  for (let i = 0; i < 20_000; i++) hashState(env.ctx, s);
  const scratchUs = ((performance.now() - t) * 1000) / 20_000;
  console.log("");
  console.log(
    `state hash on The Flood Defences: ${(withUs - stepUs).toFixed(2)} µs per step for the env's running hash, against ${stepUs.toFixed(2)} µs for the step itself (fastStep); ${scratchUs.toFixed(2)} µs from scratch for a finished episode`,
  );
  results.hash = { runningHashMicros: withUs - stepUs, fastStepMicros: stepUs, fromScratchMicros: scratchUs };
}

// 3. Search: par from scratch for every level, the solver, and the analysis.
{
  console.log("");
  console.log(
    "level                        par (ms)  solve (ms)  states  optimum  analyze (ms, floor < 1000)",
  );
  let parTotal = 0;
  let analyzeMax = 0;
  /** @type {Record<string, unknown>} */
  const perLevel = {};
  for (const level of LEVELS) {
    let t = performance.now();
    // A copy of the level: par is cached per level object, and this measures it from scratch.
    const par = computePar(compileLevel({ ...level }));
    const parMs = performance.now() - t;
    parTotal += parMs;
    const ctx = compileLevel(level);
    ctx.par = par;
    t = performance.now();
    const sol = solve(ctx);
    const solveMs = performance.now() - t;
    t = performance.now();
    analyzeLevel({ ...level });
    const analyzeMs = performance.now() - t;
    analyzeMax = Math.max(analyzeMax, analyzeMs);
    perLevel[level.id] = { parMs, solveMs, analyzeMs };
    console.log(
      `${level.id.padEnd(28)} ${parMs.toFixed(0).padStart(8)}  ${solveMs.toFixed(0).padStart(10)}  ${String(sol.expanded).padStart(6)}  ${String(sol.score?.total ?? "-").padStart(7)}  ${analyzeMs.toFixed(0).padStart(8)}${analyzeMs < 1000 ? "" : "  OVER"}`,
    );
  }
  console.log(
    `par for all ${LEVELS.length} levels: ${parTotal.toFixed(0)} ms (floor < 2000: ${parTotal < 2000 ? "met" : "NOT MET"}); slowest analysis ${analyzeMax.toFixed(0)} ms (floor < 1000: ${analyzeMax < 1000 ? "met" : "NOT MET"})`,
  );
  results.search = { parTotalMs: parTotal, analyzeMaxMs: analyzeMax, perLevel };
}

// 4. Datasets at training scale: `fq demos all --bot random --episodes 200` in each event mode, its size
//    plain and gzip, and `fq verify` on it (the built CLI, as `npm run fq` runs it).
{
  console.log("");
  console.log("datasets: fq demos all --bot random --episodes 200 (4,000 episodes), then fq verify");
  const dir = mkdtempSync(join(tmpdir(), "fq-bench-"));
  /** @type {Record<string, unknown>} */
  const sets = {};
  let fullBytes = 0;
  try {
    for (const mode of ["full", "compact", "none"]) {
      const file = join(dir, `r-${mode}.jsonl`);
      const cli = (/** @type {string[]} */ ...args) =>
        execFileSync("node", ["dist-lib/cli/fq.js", ...args], {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "ignore"],
        });
      let t = performance.now();
      cli("demos", "all", "--bot", "random", "--episodes", "200", "--events", mode, "--out", file);
      const demosS = (performance.now() - t) / 1000;
      const bytes = statSync(file).size;
      if (mode === "full") fullBytes = bytes;
      const gz = gzipSync(readFileSync(file), { level: 6 }).length;
      t = performance.now();
      const out = cli("verify", file);
      const verifyS = (performance.now() - t) / 1000;
      const rate = Number(/\((\d+) steps\/s/.exec(out)?.[1] ?? 0);
      sets[mode] = {
        bytes,
        gzipBytes: gz,
        demosSeconds: demosS,
        verifyStepsPerSecond: rate,
        verifySeconds: verifyS,
      };
      console.log(
        `  ${mode.padEnd(8)} ${(bytes / 1e6).toFixed(1).padStart(6)} MB (${((100 * bytes) / fullBytes).toFixed(1)}% of full), gzip ${(gz / 1e6).toFixed(1)} MB (${((100 * gz) / fullBytes).toFixed(1)}%); written in ${demosS.toFixed(1)} s; fq verify ${fmt(rate)} steps/s (floor 100,000: ${rate >= 100_000 ? "met" : "NOT MET"})`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  results.datasets = sets;

  // Export of 10,000 steps in memory, and the browser-style import of it.
  /** @type {import("../dist-lib/engine/index.js").Episode[]} */
  const episodes = [];
  let n = 0;
  for (let i = 0; n < 10_000; i++) {
    const level = /** @type {Level} */ (LEVELS[i % LEVELS.length]);
    const actions = i % 2 ? level.solutions.reference.steps : level.solutions.basic.steps;
    const ep = recordEpisode({ level, actions, provenance: "bot", episodeId: `bench-${i}` });
    episodes.push(ep);
    n += ep.actions.length;
  }
  let t = performance.now();
  const text = toJsonl(datasetHeader("bench", episodes, LEVELS), episodes);
  const exportMs = performance.now() - t;
  t = performance.now();
  const reader = new DatasetReader("bench.jsonl", { levels: LEVELS });
  for (const line of text.trimEnd().split("\n")) reader.line(line);
  reader.finish();
  const importS = (performance.now() - t) / 1000;
  console.log(
    `  in memory: export of ${fmt(n)} steps ${exportMs.toFixed(0)} ms; import with re-simulation ${fmt(n / importS)} steps/s`,
  );
  results.memory = { steps: n, exportMs, importStepsPerSecond: n / importS };
}

let commit = "";
try {
  commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
} catch {}
results.commit = commit;
const file = "bench/results.json";
let previous = {};
try {
  previous = JSON.parse(readFileSync(file, "utf8"));
} catch {}
writeFileSync(file, `${JSON.stringify({ ...previous, engine: results }, null, 2)}\n`);
console.log("");
console.log(`figures written to ${file}`);
