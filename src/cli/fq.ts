/**
 * Function Quest command line.
 *   npm run fq -- play <level-id|level.json> <action> <action> ... [--seed N] [--scenario file.json] [--json]
 *   npm run fq -- solve <level-id|level.json> [--seed N] [--scenario file.json] [--json]
 *   npm run fq -- analyze <level-id|level.json> [--seed N] [--scenario file.json] [--json]
 *   npm run fq -- verify <file.jsonl | file.jsonl.gz>
 *   npm run fq -- demos <level-id|all> --bot optimal|random --episodes N --seed S --out file.jsonl[.gz]
 *                       [--events full|compact|none]
 *   npm run fq -- levels
 *   npm run fq -- serve
 * Actions: `fn`, `fn(arg)`, `prewarm(pool)`, or a parallel group `"a + b"`. Every command takes --help;
 * an unknown option or a bad value is a usage error (exit 2) that names it.
 */
import { readFileSync, realpathSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  analyzeLevel,
  compileLevel,
  DatasetReader,
  EVENT_MODES,
  type EventMode,
  headerFor,
  recordEpisode,
  createEnv,
  describeEvent,
  ensurePar,
  type Level,
  parseActionText,
  parseSeedText,
  type ScoreBreakdown,
  solve,
} from "../engine/index.ts";
import { getLevel, LEVELS, loadLevelText } from "../levels/index.ts";
import { DatasetWriter, PathError, readLines } from "./dataset-io.ts";
import { generateCmd } from "./generate.ts";
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

const SEED: OptionSpec = { type: "string", help: "the episode's seed, 0 to 4294967295" };
const SCENARIO: OptionSpec = { type: "string", help: "a scenario .json file replacing the level's own" };
const JSON_OUT: OptionSpec = { type: "boolean", help: "machine-readable output" };

interface Flags {
  json: boolean;
  seed: number | undefined;
  scenario: Scenario | undefined;
  rest: string[];
  values: Record<string, string | boolean | undefined>;
}

type OptionSpec = { type: "string" | "boolean"; help: string };

/** Each command's usage and the only options it takes: anything else is a usage error (exit 2). */
const COMMANDS: Record<string, { usage: string; about: string; options: Record<string, OptionSpec> }> = {
  play: {
    usage: "play <level-id|level.json> <action>... [--seed N] [--scenario file.json] [--json]",
    about: 'plays actions (fn, fn(arg), prewarm(pool), "a + b") and prints steps, events and the score',
    options: { seed: SEED, scenario: SCENARIO, json: JSON_OUT },
  },
  solve: {
    usage: "solve <level-id|level.json> [--seed N] [--scenario file.json] [--json]",
    about: "prints the optimal solution, par and score (exact search)",
    options: { seed: SEED, scenario: SCENARIO, json: JSON_OUT },
  },
  analyze: {
    usage: "analyze <level-id|level.json> [--seed N] [--scenario file.json] [--json]",
    about: "prints the designer's report: solution space, baseline players, sensitivity, difficulty",
    options: { seed: SEED, scenario: SCENARIO, json: JSON_OUT },
  },
  verify: {
    usage: "verify <file.jsonl|file.jsonl.gz>",
    about: "re-simulates every episode of a dataset and reports each mismatch (exit 1)",
    options: {},
  },
  demos: {
    usage:
      "demos <level-id|all> --out file.jsonl[.gz] [--bot optimal|random] [--episodes N] [--seed N] [--events full|compact|none]",
    about: "writes bot demonstrations in the dataset format",
    options: {
      out: { type: "string", help: "the file to write (.gz: gzip)" },
      bot: { type: "string", help: "optimal (the solver) or random (seeded legal moves); default optimal" },
      episodes: { type: "string", help: "episodes per level; default 1" },
      seed: SEED,
      events: { type: "string", help: "full, compact or none; default full" },
    },
  },
  generate: {
    usage: "generate --tier N [--seed S] [--count K] [--out dir] [--band shipped|none]",
    about: "builds new levels from the grammar (docs/generator.md): valid, solved, and in the tier's band",
    options: {
      tier: { type: "string", help: "1, 2, 3 or 4" },
      seed: SEED,
      count: { type: "string", help: "how many levels, from consecutive seeds; default 1, at most 1000" },
      out: { type: "string", help: "a directory to write <id>.json files to (default: print the level)" },
      band: { type: "string", help: "shipped (the tier's difficulty band, default) or none" },
    },
  },
  levels: { usage: "levels", about: "lists the shipped levels", options: {} },
  serve: { usage: "serve", about: "serves the engine to Python trainers over stdin and stdout", options: {} },
};

function usageText(cmd: string): string {
  const c = COMMANDS[cmd];
  if (!c) return "";
  const opts = Object.entries(c.options).map(
    ([k, o]) => `  --${k}${o.type === "string" ? " VALUE" : ""}  ${o.help}`,
  );
  return [`usage: fq ${c.usage}`, `  ${c.about}`, ...opts, "  --help  prints this"].join("\n");
}

const UINT32_MAX = 0xffffffff;

/** One rule for seeds everywhere: a whole number from 0 to 4294967295 (uint32), anything else refused. */
export function parseSeed(text: string, what = "--seed"): number {
  const seed = parseSeedText(text);
  if (seed === null)
    throw new UsageError(
      `${what} must be a whole number from 0 to ${UINT32_MAX} (uint32), got "${escapeText(text)}"`,
    );
  return seed;
}

/** Control characters in user text (level titles, ids, paths) are shown escaped, never sent to the terminal. */
export function escapeText(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function parseFlags(cmd: string, args: string[]): Flags {
  const c = COMMANDS[cmd] as (typeof COMMANDS)[string];
  // `--seed -1` means the value -1 (to be refused by the seed rule), not a missing value and an option "-1".
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const next = args[i + 1];
    if (
      a.startsWith("--") &&
      c.options[a.slice(2)]?.type === "string" &&
      next !== undefined &&
      /^-\d/.test(next)
    ) {
      joined.push(`${a}=${next}`);
      i++;
    } else joined.push(a);
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: joined,
      options: {
        ...Object.fromEntries(Object.entries(c.options).map(([k, o]) => [k, { type: o.type }])),
        help: { type: "boolean" },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    const m = /'(--?[^']*)'/.exec((e as Error).message);
    const known =
      Object.keys(c.options)
        .map((k) => `--${k}`)
        .join(", ") || "none";
    throw new UsageError(
      `${m ? `unknown or incomplete option ${escapeText(m[1] as string)}` : escapeText((e as Error).message)} for "${cmd}" (its options: ${known})\n${usageText(cmd)}`,
    );
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const scenarioFile = v.scenario as string | undefined;
  return {
    json: v.json === true,
    seed: typeof v.seed === "string" ? parseSeed(v.seed) : undefined,
    scenario:
      scenarioFile === undefined
        ? undefined
        : parseScenario(parseJsonText(readText(scenarioFile, "scenario"), scenarioFile), scenarioFile),
    rest: parsed.positionals,
    values: v,
  };
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
        const line = describeEvent(e)?.text;
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
async function demosCmd(flags: Flags, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const opt = (name: string) => flags.values[name.slice(2)] as string | undefined;
  const which = flags.rest[0];
  const bot = opt("--bot") ?? "optimal";
  const n = Number(opt("--episodes") ?? "1");
  const outFile = opt("--out");
  const events = (opt("--events") ?? "full") as EventMode;
  if (!which) throw new UsageError("name a level id or all");
  if (bot !== "optimal" && bot !== "random")
    throw new UsageError(`--bot must be optimal or random, got "${bot}"`);
  if (!/^\d{1,7}$/.test(opt("--episodes") ?? "1") || n < 1)
    throw new UsageError(
      `--episodes needs a whole number from 1 to 9999999, got "${escapeText(opt("--episodes") ?? "")}"`,
    );
  if (!EVENT_MODES.includes(events))
    throw new UsageError(`--events must be ${EVENT_MODES.join(", ")}, got "${events}"`);
  if (!outFile) throw new UsageError("--out needs a file to write");
  const levels = which === "all" ? [...LEVELS] : [resolveLevel(which)];
  const seed0 = flags.seed ?? 1;
  // Episode k plays seed0 + k: every one of them must be a seed too.
  if (seed0 + n - 1 > UINT32_MAX)
    throw new UsageError(
      `--seed ${seed0} with --episodes ${n} would need seeds up to ${seed0 + n - 1}; the largest is ${UINT32_MAX}`,
    );
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
  rawOut: (s: string) => void = console.log,
  rawErr: (s: string) => void = console.error,
): Promise<number> {
  // Everything printed passes through here: level titles, ids, paths and messages are user text, and a
  // control character in them (an escape sequence, a bell) is shown escaped, never acted on by the terminal.
  // Newlines stay, and so does the progress bar's leading carriage return.
  const out = (s: string) => rawOut(s.split("\n").map(escapeText).join("\n"));
  const err = (s: string) =>
    rawErr(
      s.startsWith("\r")
        ? `\r${s.slice(1).split("\n").map(escapeText).join("\n")}`
        : s.split("\n").map(escapeText).join("\n"),
    );
  const [cmd, ...rest] = argv;
  try {
    if (cmd === undefined || cmd === "--help" || cmd === "help") {
      out(Object.keys(COMMANDS).map(usageText).join("\n\n"));
      return cmd === undefined ? 2 : 0;
    }
    if (!COMMANDS[cmd])
      throw new UsageError(
        `unknown command "${escapeText(cmd)}". Commands: ${Object.keys(COMMANDS).join(", ")} (fq --help)`,
      );
    const flags = parseFlags(cmd, rest);
    if (flags.values.help) {
      out(usageText(cmd));
      return 0;
    }
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
        return await demosCmd(flags, out, err);
      case "serve":
        // Python trainers drive the engine over stdin and stdout (src/cli/serve.ts).
        serve();
        return 0;
      case "generate": {
        const tier = Number(flags.values.tier);
        if (![1, 2, 3, 4].includes(tier))
          throw new UsageError(
            `--tier must be 1, 2, 3 or 4, got "${escapeText(String(flags.values.tier ?? ""))}"`,
          );
        const countText = String(flags.values.count ?? "1");
        const count = Number(countText);
        if (!Number.isInteger(count) || count < 1 || count > 1000)
          throw new UsageError(
            `--count must be a whole number from 1 to 1000, got "${escapeText(countText)}"`,
          );
        const band = String(flags.values.band ?? "shipped");
        if (band !== "shipped" && band !== "none")
          throw new UsageError(`--band must be shipped or none, got "${escapeText(band)}"`);
        return generateCmd(
          {
            tier: tier as 1 | 2 | 3 | 4,
            seed: flags.seed ?? 1,
            count,
            out: typeof flags.values.out === "string" ? flags.values.out : null,
            band,
          },
          out,
          err,
        );
      }
      case "levels":
        for (const l of LEVELS)
          out(`${String(l.order).padStart(2)}  tier ${l.tier}  ${l.id.padEnd(28)} ${l.title}`);
        return 0;
      default:
        throw new UsageError(`unknown command "${escapeText(cmd)}"`);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof PathError) err(`fq: ${e.message}`);
    else if (e instanceof ValidationError) err(`fq: invalid input\n${e.message}`);
    else {
      // Bad input is reported above; anything else is a bug in fq. One line, and the trace on request.
      err(`fq: internal error: ${e instanceof Error ? e.message : String(e)} (set FQ_DEBUG=1 for the trace)`);
      if (process.env.FQ_DEBUG) err(e instanceof Error ? (e.stack ?? "") : "");
      return 70;
    }
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
      console.error(`fq: internal error: ${e instanceof Error ? e.message : String(e)}`);
      if (process.env.FQ_DEBUG) console.error(e);
      process.exitCode = 70;
    },
  );
}
