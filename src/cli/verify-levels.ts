/**
 * `npm run levels:verify`: the curriculum's checks, printed as a table.
 * For every level file: it validates; its reference and basic solutions reach the goal with the scores they
 * claim (Grand Maestro and Apprentice); the solver agrees with the reference. Across levels: every concept
 * is taught, and difficulty (optimal length, reachable states, branching factor) rises tier by tier.
 * It also checks that broken level files fail with a message naming the file, the field and the problem.
 * Exits non-zero on any failure.
 */
import { readFileSync } from "node:fs";
import {
  CONCEPTS,
  compileLevel,
  EXPECTED_SEEDS,
  expectedOptimum,
  isSeeded,
  explore,
  type Level,
  levelProblems,
  parseLevel,
  stepFunctions,
  ValidationError,
} from "../engine/index.ts";
import { LEVEL_FILES, LEVELS } from "../levels/index.ts";

export interface Shape {
  readonly states: number;
  readonly capped: boolean;
  readonly branching: number;
  readonly maxBranching: number;
}

/** Reachable physical states (breadth first, capped) and the mean and largest number of legal actions. */
export function stateSpace(level: Level, cap = 2000): Shape {
  const ex = explore(compileLevel(level), level.seed, cap);
  return { states: ex.states, capped: ex.capped, branching: ex.meanBranching, maxBranching: ex.maxBranching };
}

interface Row {
  level: Level;
  calls: number;
  shape: Shape;
  problems: string[];
  /** Seeded levels: the optimum of the level's seed, and the expected optimum over the documented seeds. */
  expected: ReturnType<typeof expectedOptimum> | null;
}

function verifyLevel(file: string, data: unknown): Row | string[] {
  let level: Level;
  try {
    level = parseLevel(data, `src/levels/${file}`);
  } catch (e) {
    return [e instanceof Error ? e.message : String(e)];
  }
  // The checks every level must pass, shipped or generated (src/engine/level-check.ts).
  const problems = levelProblems(level);
  const calls = level.solutions.reference.steps.reduce((n, s) => n + stepFunctions(s).length, 0);
  const expected = isSeeded(compileLevel(level)) ? expectedOptimum(level) : null;
  return { level, calls, shape: stateSpace(level), problems, expected };
}

/** Broken variants of a shipped level, each with what the error must name. */
export function brokenLevels(): { name: string; data: unknown; field: string; problem: RegExp }[] {
  const base = () =>
    JSON.parse(readFileSync(new URL("../levels/escape-the-room.json", import.meta.url), "utf8"));
  const cases: { name: string; data: unknown; field: string; problem: RegExp }[] = [];
  let d = base();
  d.solutions.reference.steps[0] = "kick_door";
  cases.push({
    name: "unknown function in a solution",
    data: d,
    field: "solutions.reference.steps[0]",
    problem: /unknown function "kick_door"/,
  });
  d = base();
  d.functions.push(
    {
      id: "brew_tea",
      description: "Needs a hot kettle.",
      needs: { facts: ["kettle_hot"] },
      produces: { facts: ["tea_ready"] },
      duration: 1,
    },
    {
      id: "heat_kettle",
      description: "Needs tea.",
      needs: { facts: ["tea_ready"] },
      produces: { facts: ["kettle_hot"] },
      duration: 1,
    },
  );
  cases.push({
    name: "dependency cycle",
    data: d,
    field: "functions",
    problem: /dependency cycle: .*brew_tea.*heat_kettle/,
  });
  d = base();
  d.goal.facts = ["treasure_found"];
  cases.push({ name: "unreachable goal", data: d, field: "goal.facts[0]", problem: /cannot be reached/ });
  d = base();
  d.functions.push({ ...d.functions[1] });
  cases.push({
    name: "duplicate id",
    data: d,
    field: `functions[${d.functions.length - 1}].id`,
    problem: /duplicate id "search_bookshelf"/,
  });
  d = base();
  d.functions[0].duration = "two";
  cases.push({ name: "wrong type", data: d, field: "functions[0].duration", problem: /expected number/i });
  d = base();
  delete d.story.goal;
  cases.push({ name: "missing field", data: d, field: "story.goal", problem: /expected string/i });
  return cases;
}

function checkBroken(): string[] {
  const out: string[] = [];
  for (const c of brokenLevels()) {
    const file = `src/levels/broken-${c.name.replace(/ /g, "-")}.json`;
    try {
      parseLevel(c.data, file);
      out.push(`${c.name}: accepted, should have been rejected`);
    } catch (e) {
      const ok =
        e instanceof ValidationError &&
        e.message.includes(file) &&
        e.issues.some((i) => i.path === c.field && c.problem.test(i.message));
      if (!ok)
        out.push(
          `${c.name}: message does not name ${file}, ${c.field} and ${c.problem}: ${(e as Error).message}`,
        );
    }
  }
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** Runs every check; returns the report lines and the failures. */
export function verifyAll(): { lines: string[]; failures: string[] } {
  const lines: string[] = [];
  const failures: string[] = [];
  const rows: Row[] = [];
  for (const [file, data] of Object.entries(LEVEL_FILES)) {
    const r = verifyLevel(file, data);
    if (Array.isArray(r)) failures.push(`${file}: ${r.join("; ")}`);
    else {
      rows.push(r);
      for (const p of r.problems) failures.push(`${file}: ${p}`);
    }
  }
  rows.sort((a, b) => a.level.order - b.level.order);
  lines.push(
    `order  tier  level                          calls  states    branching  best  E[best]  ref mean  basic  concepts`,
  );
  for (const r of rows) {
    const states = `${r.shape.capped ? "≥" : ""}${r.shape.states}`;
    const exp = r.expected ? `${r.expected.mean}` : "=";
    const refMean = r.level.solutions.reference.meanScore ?? "=";
    lines.push(
      `${String(r.level.order).padStart(5)}  ${String(r.level.tier).padStart(4)}  ${r.level.id.padEnd(30)} ${String(r.calls).padStart(5)}  ${states.padStart(6)}  ${r.shape.branching.toFixed(1).padStart(5)} (${String(r.shape.maxBranching).padStart(2)})  ${String(r.level.solutions.reference.score).padStart(4)}  ${String(exp).padStart(7)}  ${String(refMean).padStart(8)}  ${String(r.level.solutions.basic.score).padStart(5)}  ${r.level.concepts.join(", ")}`,
    );
  }
  lines.push(
    `best: the optimum from the level's own seed; E[best]: the expected optimum, the mean of the per-seed optima over ${EXPECTED_SEEDS} seeds (the level's seed and the next ${EXPECTED_SEEDS - 1}); ref mean: the reference steps' mean score over the same seeds ("=": the level draws nothing from its seed).`,
  );
  const taught = new Set(rows.flatMap((r) => r.level.concepts));
  for (const c of CONCEPTS) if (!taught.has(c)) failures.push(`no level teaches "${c}"`);
  if (LEVELS.length !== 20) failures.push(`the curriculum has ${LEVELS.length} levels, not 20`);
  lines.push("");
  lines.push("tier  levels  mean calls  mean states  mean branching");
  const byTier = [1, 2, 3, 4].map((t) => rows.filter((r) => r.level.tier === t));
  const stats = byTier.map((rs) => ({
    n: rs.length,
    calls: mean(rs.map((r) => r.calls)),
    states: mean(rs.map((r) => r.shape.states)),
    branching: mean(rs.map((r) => r.shape.branching)),
  }));
  stats.forEach((s, i) => {
    lines.push(
      `${String(i + 1).padStart(4)}  ${String(s.n).padStart(6)}  ${s.calls.toFixed(1).padStart(10)}  ${s.states.toFixed(0).padStart(11)}  ${s.branching.toFixed(2).padStart(14)}`,
    );
    if (s.n !== 5) failures.push(`tier ${i + 1} has ${s.n} levels, not 5`);
  });
  for (let t = 1; t < 4; t++) {
    const a = stats[t - 1] as (typeof stats)[number];
    const b = stats[t] as (typeof stats)[number];
    for (const k of ["calls", "states", "branching"] as const) {
      if (!(b[k] > a[k]))
        failures.push(
          `difficulty does not rise from tier ${t} to ${t + 1}: mean ${k} ${a[k].toFixed(2)} -> ${b[k].toFixed(2)}`,
        );
    }
  }
  failures.push(...checkBroken());
  return { lines, failures };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { lines, failures } = verifyAll();
  for (const l of lines) console.log(l);
  console.log("");
  const broken = brokenLevels().length;
  if (failures.length) {
    for (const f of failures) console.error(`FAIL ${f}`);
    console.error(`levels:verify: ${failures.length} problem(s)`);
    process.exitCode = 1;
  } else {
    console.log(`levels:verify: ${LEVELS.length} levels and ${broken} broken-file checks passed`);
  }
}
