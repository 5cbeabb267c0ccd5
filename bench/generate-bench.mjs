/**
 * Level generator benchmark (`npm run bench`): levels per second generated, validated and solved, by tier
 * (issue floors: at least 100/s for tiers 1–2 and 5/s for tier 4), with and without the shipped band
 * check (which also measures each candidate's state space and 200 random players). Printed, and merged
 * into bench/results.json under "generator".
 */
import { readFileSync, writeFileSync } from "node:fs";
import { shippedBand } from "../dist-lib/cli/generate.js";
import { generateLevel } from "../dist-lib/engine/index.js";

const ANY = { calls: [0, 1e9], states: [0, 1e9], branching: [0, 1e9], random: [0, 200] };
const FLOOR = { 1: 100, 2: 100, 3: null, 4: 5 };
const COUNT = { 1: 40, 2: 20, 3: 6, 4: 4 };
const results = {};
// Warm the JIT first (the first tier measured would otherwise pay for compiling the engine).
for (let seed = 1000; seed < 1010; seed++) generateLevel(1 + (seed % 2), seed, ANY);
console.log("Level generator (dist-lib, one core, after a warm-up of 10 levels):");
for (const tier of [1, 2, 3, 4]) {
  const row = {};
  for (const [name, band] of [
    ["valid and solved", ANY],
    ["and in the shipped band", shippedBand(tier)],
  ]) {
    const t0 = process.cpuUsage();
    let made = 0;
    let failed = 0;
    for (let seed = 1; seed <= COUNT[tier]; seed++) {
      try {
        generateLevel(tier, seed, band);
        made++;
      } catch {
        failed++;
      }
    }
    const c = process.cpuUsage(t0);
    const perSec = made / ((c.user + c.system) / 1e6);
    row[name] = { perCpuSecond: perSec, made, failed };
    const floor = FLOOR[tier];
    console.log(
      `  tier ${tier}, ${name.padEnd(24)} ${perSec.toFixed(1).padStart(7)} levels/CPU-s  (${made} made${failed ? `, ${failed} without a level in ${"band"}` : ""})${floor ? `  floor ≥ ${floor}/s: ${perSec >= floor ? "met" : "NOT met"}` : ""}`,
    );
  }
  results[tier] = row;
}
const file = "bench/results.json";
let previous = {};
try {
  previous = JSON.parse(readFileSync(file, "utf8"));
} catch {}
writeFileSync(file, `${JSON.stringify({ ...previous, generator: results }, null, 2)}\n`);
