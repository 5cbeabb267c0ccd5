/**
 * Function Quest command line.
 *   npm run fq -- play <level-id|level.json> <action> <action> ... [--seed N] [--scenario file.json] [--json]
 *   npm run fq -- solve <level-id|level.json> [--seed N] [--scenario file.json] [--json]
 *   npm run fq -- analyze <level-id|level.json> [--scenario file.json] [--json]
 *   npm run fq -- verify <file.jsonl | file.jsonl.gz>
 *   npm run fq -- demos <level-id|all> --bot optimal|random --episodes N --seed S --out file.jsonl[.gz]
 *                       [--events full|compact|none]
 *   npm run fq -- levels
 * Actions: `fn`, `fn(arg)`, `prewarm(pool)`, or a parallel group `"a + b"`.
 */
import { readFileSync, realpathSync } from "node:fs";
import {
  analyzeLevel,
  compileLevel,
  DatasetReader,
  EVENT_MODES,
  type EventMode,
  headerFor,
  recordEpisode,
  createEnv,
  type EngineEvent,
  ensurePar,
  type Level,
  parseActionText,
  type ScoreBreakdown,
  solve,
} from "../engine/index.ts";
import { getLevel, LEVELS, loadLevelText } from "../levels/index.ts";
import { DatasetWriter, PathError, readLines } from "./dataset-io.ts";
import { serve } from "./serve.ts";
import {
  nextInt,
  parseJsonText,
  parseScenario,
  type Scenario,
  seedRng,
  ValidationError,
} from "../pit-sim/index.ts";

class UsageError extends Error {}

interface Flags {
  json: boolean;
  seed: number | undefined;
  scenario: Scenario | undefined;
  rest: string[];
}

function parseFlags(args: string[]): Flags {
  const out: Flags = { json: false, seed: undefined, scenario: undefined, rest: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "--json") out.json = true;
    else if (a === "--seed") {
      const v = args[++i];
      if (v === undefined || !/^\d+$/.test(v))
        throw new UsageError(`--seed needs a whole number, got ${v ?? "nothing"}`);
      out.seed = Number(v);
    } else if (a === "--scenario") {
      const file = args[++i];
      if (!file) throw new UsageError("--scenario needs a path to a scenario .json file");
      out.scenario = parseScenario(parseJsonText(readText(file, "scenario"), file), file);
    } else out.rest.push(a);
  }
  return out;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(
      `cannot read ${what} file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

/** A shipped level id, or a path to a level file. */
export function resolveLevel(ref: string | undefined): Level {
  if (!ref) throw new UsageError("name a level: a shipped level id or a path to a level .json file");
  const shipped = getLevel(ref);
  if (shipped) return shipped;
  if (ref.endsWith(".json")) {
    let text: string;
    try {
      text = readFileSync(ref, "utf8");
    } catch (e) {
      throw new UsageError(
        `cannot read level file ${ref}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
    return loadLevelText(text, ref);
  }
  throw new UsageError(`unknown level "${ref}". Shipped levels: ${LEVELS.map((l) => l.id).join(", ")}`);
}

function formatEvent(e: EngineEvent): string | null {
  switch (e.type) {
    case "CallRejected":
      return `rejected: ${e.reason}`;
    case "ResourceAllocated":
      return `allocated ${e.slots} ${e.pool} slot(s) to ${e.fn}${e.warm ? " (warm)" : e.coldTicks ? ` (cold start +${e.coldTicks})` : ""}`;
    case "ArtifactStored":
      return `stored ${e.artifact} v${e.version} (${e.quality})`;
    case "ConflictArbitrated":
      return `arbitration (${e.policy}): ${e.winner} before ${e.loser} on ${e.resource}`;
    case "StabilityWarning":
      return `WARNING ${e.kind} on ${e.pool}: ${e.value} > ${e.limit}`;
    case "CallFailed":
      return `${e.fn} failed (${e.kind}): ${e.reason}${e.handled ? "" : " [unhandled]"}`;
    case "RetryAttempted":
      return `retry ${e.fn} (attempt ${e.attempt})`;
    case "FallbackActivated":
      return `fallback ${e.fn} -> ${e.fallback}`;
    case "ReverseReconstructed":
      return `reverse reconstruction: ${e.artifact} rebuilt from ${e.from.join(", ")}`;
    case "GracefullySkipped":
      return `gracefully skipped ${e.fn}`;
    case "RedundantCall":
      return `redundant: ${e.reason}`;
    case "StaleReclaimed":
      return `stale manager reclaimed ${e.kind} ${e.id} (idle ${e.idleTicks} ticks)`;
    case "PredictiveAllocation":
      return `prewarmed a ${e.pool} slot`;
    case "GoalReached":
      return `GOAL reached at tick ${e.tick}`;
    default:
      return null;
  }
}

function formatScore(sc: ScoreBreakdown): string {
  const lines = [
    `score ${sc.total}/200 — ${sc.tier}`,
    `  base ${sc.base}/100  efficiency ${sc.efficiency}/50  stability ${sc.stability}/30  optimization ${sc.optimization}/20`,
  ];
  for (const it of sc.items)
    lines.push(
      `  ${it.points >= 0 ? "+" : ""}${it.points}`.padEnd(8) + `${it.dimension.padEnd(13)} ${it.reason}`,
    );
  return lines.join("\n");
}

function play(flags: Flags, out: (s: string) => void): number {
  const [ref, ...actions] = flags.rest;
  const level = resolveLevel(ref);
  if (actions.length === 0)
    throw new UsageError(`give at least one action, e.g. ${level.solutions.reference.steps[0]}`);
  const seed = flags.seed ?? level.seed;
  const env = createEnv(flags.scenario ? { level, seed, scenario: flags.scenario } : { level, seed });
  env.reset();
  const steps: unknown[] = [];
  for (const text of actions) {
    const parsed = parseActionText(text);
    if (!parsed.ok) throw new UsageError(parsed.message);
    for (const c of parsed.calls) {
      if (c.fn !== "prewarm" && !env.ctx.fns.has(c.fn))
        throw new UsageError(
          `level "${level.id}" has no function "${c.fn}". Functions: ${env.ctx.callable.join(", ")}`,
        );
    }
    const r = env.step({ calls: parsed.calls });
    steps.push({
      action: r.info.action,
      reward: r.reward,
      rejection: r.info.rejection,
      events: r.info.events,
      tick: r.info.tick,
    });
    if (!flags.json) {
      out(
        `${String(r.info.step).padStart(2)}. ${r.info.action}   (tick ${r.info.tick}, reward ${r.reward >= 0 ? "+" : ""}${r.reward.toFixed(3)})`,
      );
      for (const e of r.info.events) {
        const line = formatEvent(e);
        if (line) out(`      ${line}`);
      }
    }
    if (r.terminated || r.truncated) break;
  }
  const s = env.state();
  const score = s.score;
  if (flags.json) {
    out(JSON.stringify({ level: level.id, seed: s.seed, status: s.status, steps, score }, null, 2));
  } else {
    out(`status: ${s.status}`);
    if (score) out(formatScore(score));
    else out("the episode is not over: the goal was not reached");
  }
  return 0;
}

function solveCmd(flags: Flags, out: (s: string) => void): number {
  const level = resolveLevel(flags.rest[0]);
  const ctx = compileLevel(level, flags.scenario);
  const par = ensurePar(ctx);
  const sol = flags.seed === undefined ? solve(ctx) : solve(ctx, { seed: flags.seed });
  if (flags.json) {
    out(JSON.stringify({ level: level.id, par, ...sol }, null, 2));
    return sol.found ? 0 : 1;
  }
  if (!sol.found) {
    out(
      sol.capped
        ? `search capped after ${sol.expanded} states: no optimum proven`
        : "no sequence reaches the goal",
    );
    return 1;
  }
  out(`optimal solution for ${level.id} (${sol.expanded} states searched):`);
  sol.actions.forEach((a, i) => {
    out(`  ${i + 1}. ${a}`);
  });
  out(`par: ${par.ticks} ticks, ${par.units} slot-ticks, ${par.steps} steps`);
  if (sol.score) out(formatScore(sol.score));
  return 0;
}

/** Prints the designer's report: solution space, baseline players, sensitivity, difficulty. */
function analyzeCmd(flags: Flags, out: (s: string) => void): number {
  const level = resolveLevel(flags.rest[0]);
  const a = analyzeLevel(level, {
    ...(flags.scenario ? { scenario: flags.scenario } : {}),
    ...(flags.seed === undefined ? {} : { seed: flags.seed }),
  });
  if (flags.json) {
    out(JSON.stringify(a, null, 2));
    return 0;
  }
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  out(`${level.title} (${level.id}), tier ${level.tier}`);
  out(`difficulty ${a.difficulty.rating}/10 (${a.difficulty.label})`);
  for (const c of a.difficulty.contributions)
    out(`  +${c.points.toFixed(2).padEnd(5)} ${c.factor.padEnd(12)} ${c.reason}`);
  out("solution space");
  out(
    `  optimum        ${a.optimum.found ? `${a.optimum.score} (${a.optimum.tier}): ${a.optimum.actions.join(" | ")}` : a.optimum.capped ? "search capped: no optimum proven" : "no solution"}`,
  );
  out(
    `  par            ${a.par.ticks} ticks, ${a.par.units} slot-ticks, ${a.par.steps} steps${a.par.capped ? " (search capped: upper bound from the greedy player)" : ""}`,
  );
  out(`  states         ${a.space.statesText}`);
  out(`  branching      mean ${a.space.meanBranching}, max ${a.space.maxBranching}`);
  out(`  dead ends      ${pct(a.space.deadEndShare)} of states`);
  out(
    `  solutions      ${a.space.shortestSolution === null ? "no goal state within the explored (capped) states" : `${a.space.shortestSolution} to ${a.space.longestSolution} steps`}`,
  );
  out("baseline players");
  out(
    `  random         wins ${pct(a.random.successRate)} of ${a.random.runs} runs, mean score ${a.random.meanScore}`,
  );
  const peak = Math.max(1, ...a.random.histogram);
  a.random.histogram.forEach((n, i) => {
    out(
      `    ${String(i * 20).padStart(3)}-${String(i * 20 + 19).padStart(3)} ${"#".repeat(Math.round((n / peak) * 30)).padEnd(30)} ${n}`,
    );
  });
  out(`  greedy         ${a.greedy.score}${a.greedy.won ? "" : " (did not reach the goal)"}`);
  out(
    `sensitivity      ${a.sensitivity.note}${a.sensitivity.seeds > 1 ? `: ${a.sensitivity.min}..${a.sensitivity.max}` : ""}`,
  );
  return 0;
}

/** Re-simulates every episode of a dataset, streamed line by line, and reports each mismatch; 1 if any. */
async function verifyCmd(flags: Flags, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const file = flags.rest[0];
  if (!file) throw new UsageError("name a .jsonl or .jsonl.gz dataset file to verify");
  const t0 = performance.now();
  const reader = new DatasetReader(file, { levels: LEVELS });
  await readLines(file, (line) => reader.line(line));
  try {
    const header = reader.finish();
    const secs = (performance.now() - t0) / 1000;
    out(
      `${file}: ${reader.episodes} episodes, ${header.total_steps} steps: every state hash matches (${Math.round(header.total_steps / Math.max(secs, 1e-6))} steps/s, events ${header.events})`,
    );
    return 0;
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    err(e.message);
    return 1;
  }
}

/** Writes bot demonstrations (optimal or seeded random) in the dataset format, streamed, with a progress bar. */
async function demosCmd(
  args: string[],
  flags: Flags,
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const which = flags.rest[0];
  const bot = opt("--bot") ?? "optimal";
  const n = Number(opt("--episodes") ?? "1");
  const outFile = opt("--out");
  const events = (opt("--events") ?? "full") as EventMode;
  if (!which) throw new UsageError("name a level id or all");
  if (bot !== "optimal" && bot !== "random")
    throw new UsageError(`--bot must be optimal or random, got "${bot}"`);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--episodes needs a positive whole number, got "${opt("--episodes")}"`);
  if (!EVENT_MODES.includes(events))
    throw new UsageError(`--events must be ${EVENT_MODES.join(", ")}, got "${events}"`);
  if (!outFile) throw new UsageError("--out needs a file to write");
  const levels = which === "all" ? [...LEVELS] : [resolveLevel(which)];
  const seed0 = flags.seed ?? 1;
  const writer = await DatasetWriter.create(outFile);
  const total = levels.length * n;
  let done = 0;
  let steps = 0;
  try {
    for (const level of levels) {
      const ctx = compileLevel(level);
      for (let k = 0; k < n; k++) {
        const seed = seed0 + k;
        const actions = bot === "optimal" ? solve(ctx, { seed }).actions : randomActions(ctx, seed);
        const ep = recordEpisode({
          level,
          actions,
          seed,
          provenance: "bot",
          episodeId: `${bot}-${level.id}-${seed}`,
          events,
        });
        await writer.episode(JSON.stringify(ep));
        steps += ep.actions.length;
        done++;
        err(
          `\r[${"#".repeat(Math.round((done / total) * 30)).padEnd(30, ".")}] ${done}/${total} ${level.id}`.padEnd(
            80,
          ),
        );
      }
    }
  } catch (e) {
    await writer.abort();
    throw e;
  }
  err("\n");
  const header = headerFor({
    datasetId: `fq-${bot}-${which}-${seed0}`,
    levels,
    totalEpisodes: done,
    totalSteps: steps,
    events,
  });
  await writer.finish(JSON.stringify(header));
  out(`${outFile}: ${done} episodes, ${steps} steps (bot: ${bot}, events: ${events})`);
  return 0;
}

/** A seeded random legal player's actions for one episode. */
function randomActions(ctx: ReturnType<typeof compileLevel>, seed: number): number[] {
  const env = createEnv({ level: ctx.level, seed });
  env.reset({ seed });
  const rng = seedRng(seed ^ 0xdeca);
  const actions: number[] = [];
  for (;;) {
    const legal = env.legalActions();
    if (!legal.length) break;
    const a = (legal[nextInt(rng, legal.length)] as { index: number }).index;
    actions.push(a);
    const r = env.step(a);
    if (r.terminated || r.truncated) break;
  }
  return actions;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(
  argv: string[],
  out: (s: string) => void = console.log,
  err: (s: string) => void = console.error,
): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    const flags = parseFlags(rest);
    switch (cmd) {
      case "play":
        return play(flags, out);
      case "solve":
        return solveCmd(flags, out);
      case "analyze":
        return analyzeCmd(flags, out);
      case "verify":
        return await verifyCmd(flags, out, err);
      case "demos":
        return await demosCmd(
          rest,
          {
            ...flags,
            rest: flags.rest.filter(
              (a, i, all) =>
                !a.startsWith("--") &&
                !["--bot", "--episodes", "--out", "--events"].includes(all[i - 1] ?? ""),
            ),
          },
          out,
          err,
        );
      case "serve":
        // Python trainers drive the engine over stdin and stdout (src/cli/serve.ts).
        serve();
        return 0;
      case "levels":
        for (const l of LEVELS)
          out(`${String(l.order).padStart(2)}  tier ${l.tier}  ${l.id.padEnd(28)} ${l.title}`);
        return 0;
      default:
        throw new UsageError(
          `unknown command "${cmd ?? ""}". Commands: play, solve, analyze, verify, demos, levels, serve`,
        );
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof PathError) err(`fq: ${e.message}`);
    else if (e instanceof ValidationError) err(`fq: invalid input\n${e.message}`);
    else throw e;
    return 2;
  }
}

if (
  import.meta.url === `file://${process.argv[1]}` ||
  import.meta.url === `file://${realpathSync(process.argv[1] ?? "")}`
) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 70;
    },
  );
}
