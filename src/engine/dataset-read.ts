import {
  canonicalJson,
  findPrototypeKeys,
  formatPath,
  fromZodIssues,
  ValidationError,
  type ValidationIssue,
} from "../pit-sim/index.ts";
import {
  DATASET_FORMAT_VERSION,
  type DatasetHeader,
  DatasetHeaderSchema,
  type Episode,
  EpisodeSchema,
  type EventMode,
  keepsEvent,
  MAX_DATASET_BYTES,
} from "./dataset.ts";
import { createEnv, type Env, rldsFlags, UNDO_ACTION } from "./env.ts";
import type { Level } from "./level.ts";
import { scoreNumbers } from "./score.ts";
import { levelHash } from "./trajectory.ts";
import { ENGINE_VERSION } from "./version.ts";

/**
 * Reading datasets: one line at a time, so the CLI can stream files of any size and the browser import
 * can read a whole file with the same rules. Every line is validated and every episode re-simulated;
 * each problem names its line and field.
 */

export interface ImportOptions {
  readonly levels: readonly Level[];
  /** Episode ids already stored: an import that repeats one is refused. */
  readonly existingIds?: ReadonlySet<string>;
  readonly maxBytes?: number;
}

/** Stop collecting after this many problems: a file that bad has told its story. */
const MAX_ISSUES = 200;

/** The number of UTF-8 bytes of a string (what a size limit counts), without encoding it. */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Format 1 files were written by engine 2.0 with another state hash: say so instead of a schema error. */
function versionProblem(value: unknown, kind: "fq-dataset" | "fq-episode"): string | null {
  if (value === null || typeof value !== "object") return null;
  const o = value as Record<string, unknown>;
  // A missing or non-numeric version is the schema's to report; this names a version that is not ours.
  if (o.format !== kind || typeof o.version !== "number" || o.version === DATASET_FORMAT_VERSION) return null;
  const by = typeof o.engine_version === "string" ? `, written by engine ${o.engine_version}` : "";
  const old =
    o.version === 1
      ? " Format 1 hashed states as canonical JSON, which this engine no longer computes: re-record the episodes with this engine, or verify the file with engine 2.0."
      : "";
  return `this is dataset format ${JSON.stringify(o.version)}${by}; engine ${ENGINE_VERSION} reads format ${DATASET_FORMAT_VERSION} only.${old}`;
}

/** What checking one episode line found: its problems, or the episode (with its id and length). */
export interface EpisodeCheck {
  readonly line: number;
  readonly issues: ValidationIssue[];
  readonly id: string | null;
  /** The level the episode plays, once its line passed the schema. */
  readonly level: string | null;
  readonly steps: number;
  /** The episode, when every check passed (null also when it came back from another thread). */
  readonly episode: Episode | null;
}

function parseLine(raw: string, line: number, issues: ValidationIssue[]): unknown {
  const at = (path: string, message: string) =>
    issues.push({ path: `line ${line}${path ? `: ${path}` : ""}`, message });
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    at("", `not valid JSON (${(e as Error).message}); the line may be truncated`);
    return undefined;
  }
  const bad = findPrototypeKeys(value);
  for (const b of bad) at(b.path, b.message);
  return bad.length ? undefined : value;
}

/**
 * Checks episode lines one at a time: parse, schema, level, lengths and re-simulation. Needs nothing
 * from other lines but the header's event mode, so lines may be checked in any order or on other
 * threads (`fq verify` does); `DatasetReader` then merges the results in file order.
 */
export class EpisodeChecker {
  private readonly levels: ReadonlyMap<string, Level>;
  private readonly envs = new EnvCache();

  constructor(
    levels: readonly Level[],
    private readonly mode: EventMode,
  ) {
    this.levels = new Map(levels.map((l) => [l.id, l]));
  }

  check(raw: string, line: number): EpisodeCheck {
    const issues: ValidationIssue[] = [];
    const fail = (path: string, message: string, id: string | null = null): EpisodeCheck => {
      issues.push({ path: `line ${line}${path ? `: ${path}` : ""}`, message });
      return { line, issues, id, level: null, steps: 0, episode: null };
    };
    const value = parseLine(raw, line, issues);
    if (value === undefined) return { line, issues, id: null, level: null, steps: 0, episode: null };
    const old = versionProblem(value, "fq-episode");
    if (old) return fail("version", old);
    const r = EpisodeSchema.safeParse(value);
    if (!r.success) {
      for (const x of fromZodIssues(r.error.issues))
        issues.push({ path: `line ${line}${x.path ? `: ${x.path}` : ""}`, message: x.message });
      return { line, issues, id: null, level: null, steps: 0, episode: null };
    }
    const ep = r.data;
    const level = this.levels.get(ep.level_id);
    if (!level) return fail("level_id", `unknown level "${ep.level_id}"`);
    if (ep.level_hash !== levelHash(level))
      return fail(
        "level_hash",
        `recorded by engine ${ep.engine_version} on another version of "${ep.level_id}" (${ep.level_hash}, now ${levelHash(level)}); engine ${ENGINE_VERSION} cannot re-simulate it: re-record the episode`,
      );
    const n = ep.actions.length;
    const lengths: [string, number, number][] = [
      ["observations", ep.observations.length, n + 1],
      ["action_labels", ep.action_labels.length, n],
      ["action_masks", ep.action_masks.length, n],
      ["rewards", ep.rewards.length, n],
      ["terminations", ep.terminations.length, n],
      ["truncations", ep.truncations.length, n],
      ["infos", ep.infos.length, n],
      ["is_first", ep.is_first.length, n + 1],
      ["is_last", ep.is_last.length, n + 1],
      ["is_terminal", ep.is_terminal.length, n + 1],
    ];
    for (const [field, got, want] of lengths)
      if (got !== want)
        issues.push({
          path: `line ${line}: ${field}`,
          message: `has ${got} entries; ${n} actions need ${want}`,
        });
    if (issues.length)
      return { line, issues, id: ep.episode_id, level: ep.level_id, steps: 0, episode: null };
    const mismatch = verifyEpisode(ep, level, this.mode, this.envs);
    if (mismatch) return fail(mismatch.path, mismatch.message, ep.episode_id);
    return { line, issues, id: ep.episode_id, level: ep.level_id, steps: n, episode: ep };
  }
}

/**
 * Validates a dataset line by line: `line()` for each line in order (the first is the header), then
 * `finish()`. Accepted episodes go to `onEpisode`; nothing else is kept, so memory stays flat. Episode
 * lines may instead be checked elsewhere (`EpisodeChecker`) and handed in with `accept`, in file order.
 */
export class DatasetReader {
  readonly issues: ValidationIssue[] = [];
  header: DatasetHeader | null = null;
  episodes = 0;
  steps = 0;
  private lineNo = 0;
  private checker: EpisodeChecker | null = null;
  private readonly levels: ReadonlyMap<string, Level>;
  private readonly seen = new Set<string>();

  constructor(
    readonly source: string,
    private readonly options: ImportOptions,
    private readonly onEpisode: (ep: Episode, line: number) => void = () => {},
  ) {
    this.levels = new Map(options.levels.map((l) => [l.id, l]));
  }

  private at(line: number, path: string, message: string): void {
    if (this.issues.length < MAX_ISSUES)
      this.issues.push({ path: `line ${line}${path ? `: ${path}` : ""}`, message });
  }

  /** True once enough problems are known: a caller may stop reading. */
  get full(): boolean {
    return this.issues.length >= MAX_ISSUES;
  }

  /** The event mode episodes are checked in (the header's, once read). */
  get mode(): EventMode {
    return this.header?.events ?? "full";
  }

  /** Feeds the next line (without its newline). */
  line(raw: string): void {
    const line = ++this.lineNo;
    if (this.full) return;
    if (line === 1) return this.readHeader(raw);
    this.checker ??= new EpisodeChecker(this.options.levels, this.mode);
    this.accept(this.checker.check(raw, line));
  }

  /** Counts a line checked elsewhere (`fq verify`'s worker threads); call in file order after the header. */
  skipLine(): number {
    return ++this.lineNo;
  }

  private readHeader(raw: string): void {
    const value = parseLine(raw, 1, this.issues);
    if (value === undefined) return;
    const old = versionProblem(value, "fq-dataset");
    if (old) return this.at(1, "version", old);
    const h = DatasetHeaderSchema.safeParse(value);
    if (!h.success) {
      for (const x of fromZodIssues(h.error.issues)) this.at(1, x.path, x.message);
      return;
    }
    this.header = h.data;
  }

  /** Merges the check of one episode line: duplicates, the header's spaces, the totals. */
  accept(c: EpisodeCheck): void {
    for (const i of c.issues) if (this.issues.length < MAX_ISSUES) this.issues.push(i);
    if (c.issues.length || !c.id) return;
    if (this.seen.has(c.id)) return this.at(c.line, "episode_id", `duplicate episode "${c.id}" in this file`);
    if (this.options.existingIds?.has(c.id))
      return this.at(c.line, "episode_id", `episode "${c.id}" is already stored`);
    this.seen.add(c.id);
    if (this.header && c.level && !this.header.levels[c.level])
      this.at(1, "levels", `lists no spaces for "${c.level}", which line ${c.line} plays`);
    this.episodes++;
    this.steps += c.steps;
    if (c.episode) this.onEpisode(c.episode, c.line);
  }

  /** After the last line: checks the header's spaces and totals; throws a ValidationError on any problem. */
  finish(): DatasetHeader {
    if (this.lineNo === 0) this.at(1, "", "the file is empty: a header line is required");
    const header = this.header;
    if (header && !this.issues.length) {
      for (const [id, space] of Object.entries(header.levels)) {
        const level = this.levels.get(id);
        if (!level) {
          this.at(1, `levels.${id}`, `unknown level "${id}"`);
          continue;
        }
        checkSpaces(level, space, (path, message) => this.at(1, `levels.${id}.${path}`, message));
      }
      if (header.total_episodes !== this.episodes)
        this.at(1, "total_episodes", `says ${header.total_episodes}, the file has ${this.episodes}`);
      if (header.total_steps !== this.steps)
        this.at(1, "total_steps", `says ${header.total_steps}, the file has ${this.steps}`);
    }
    if (this.issues.length || !header) throw new ValidationError(this.source, this.issues);
    return header;
  }
}

/** Checks a header's spaces for a level against the engine's own description of it. */
function checkSpaces(
  level: Level,
  space: DatasetHeader["levels"][string],
  at: (path: string, message: string) => void,
): void {
  if (space.level_hash !== levelHash(level))
    return at("level_hash", `is ${space.level_hash}; "${level.id}" hashes to ${levelHash(level)}`);
  const env = createEnv({ level });
  if (space.action_space.n !== env.actionSpace.n)
    at("action_space.n", `says ${space.action_space.n}; the level has ${env.actionSpace.n} actions`);
  const labels = env.actionSpace.actions.map((a) => a.label);
  const i = labels.findIndex((l, k) => space.action_space.labels[k] !== l);
  if (i >= 0 || space.action_space.labels.length !== labels.length)
    at(
      `action_space.labels[${i >= 0 ? i : labels.length}]`,
      `differs from the level's action space (${JSON.stringify(labels[i] ?? null)} expected)`,
    );
  if (space.observation_space.shape[0] !== env.observationSpace.size)
    at(
      "observation_space.shape",
      `says ${space.observation_space.shape[0]}; the level has ${env.observationSpace.size}`,
    );
  const names = env.observationSpace.names;
  const j = names.findIndex((nm, k) => space.observation_space.names[k] !== nm);
  if (j >= 0 || space.observation_space.names.length !== names.length)
    at(`observation_space.names[${j >= 0 ? j : names.length}]`, "differs from the level's observation names");
}

/**
 * Parses and validates a whole JSON Lines dataset held in memory (the browser import), all or nothing:
 * any problem throws a ValidationError whose issues name the line and field.
 */
export function parseJsonl(
  text: string,
  source: string,
  options: ImportOptions,
): { header: DatasetHeader; episodes: Episode[] } {
  const max = options.maxBytes ?? MAX_DATASET_BYTES;
  // Counted in UTF-8 bytes, as a file's size is: a text of many wide characters is not smaller.
  const bytes = text.length > max / 3 ? utf8Length(text) : text.length;
  if (bytes > max)
    throw new ValidationError(source, [{ path: "", message: `file is ${bytes} bytes; the limit is ${max}` }]);
  const episodes: Episode[] = [];
  const reader = new DatasetReader(source, options, (ep) => episodes.push(ep));
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  for (const l of lines) reader.line(l);
  return { header: reader.finish(), episodes };
}

/** Deep equality of JSON-like values (events as recorded against events as re-simulated). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka)
    if (!sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

type Mismatch = { step: number; path: string; message: string };

/**
 * Envs for re-simulation, one per level, scenario and kind (undo, events), reused across episodes: compiling
 * a level costs more than re-simulating a short episode.
 */
export class EnvCache {
  private readonly envs = new Map<string, Env>();
  get(level: Level, ep: Pick<Episode, "actions" | "scenario">, mode: EventMode): Env {
    const undoable = ep.actions.includes(UNDO_ACTION);
    const key = `${levelHash(level)}|${undoable}|${mode !== "none"}|${ep.scenario ? canonicalJson(ep.scenario) : ""}`;
    let env = this.envs.get(key);
    if (!env) {
      env = createEnv({
        level,
        undoable,
        events: mode !== "none",
        ...(ep.scenario ? { scenario: ep.scenario } : {}),
      });
      // Many distinct scenarios would grow this without end: keep the most recent few.
      if (this.envs.size >= 64) this.envs.delete(this.envs.keys().next().value as string);
      this.envs.set(key, env);
    }
    return env;
  }
}

/**
 * Re-simulates an episode and checks everything that can be re-derived: hashes, rewards, observations,
 * labels, masks, flags, the events its mode keeps, its status and its score. Returns the first
 * difference (with the field at fault), or null.
 */
export function verifyEpisode(
  ep: Episode,
  level: Level,
  mode: EventMode = "full",
  envs: EnvCache = new EnvCache(),
): Mismatch | null {
  const env = envs.get(level, ep, mode);
  const first = env.reset({ seed: ep.seed });
  const initial = env.stateHash();
  if (initial !== ep.initial_state_hash)
    return {
      step: -1,
      path: "initial_state_hash",
      message: `is ${ep.initial_state_hash}, re-simulation gives ${initial}`,
    };
  const obs0 = ep.observations[0] as number[];
  if (!sameVector(obs0, first.observation.vector))
    return {
      step: -1,
      path: "observations[0]",
      message: "the initial observation differs from re-simulation",
    };
  const mask = new Uint8Array(env.actionSpace.n);
  let done = false;
  let score: Episode["score"] = null;
  for (let i = 0; i < ep.actions.length; i++) {
    const a = ep.actions[i] as number;
    const at = (path: (string | number)[], message: string): Mismatch => ({
      step: i,
      path: formatPath(path),
      message: `step ${i}: ${message}`,
    });
    if (done) return at(["actions", i], "the episode had already ended");
    if (a !== UNDO_ACTION && a >= env.actionSpace.n)
      return at(["actions", i], `${a} is not in the action space (0..${env.actionSpace.n - 1})`);
    env.actionMask(mask);
    const r = a === UNDO_ACTION ? env.undo() : env.step(a);
    if (!r)
      return {
        step: i,
        path: "actions",
        message: `${level.id}: action ${i} is an undo with nothing to undo`,
      };
    const hash = env.stateHash();
    const info = ep.infos[i] as Episode["infos"][number];
    if (info.state_hash !== hash)
      return at(["infos", i, "state_hash"], `recorded ${info.state_hash}, re-simulation gives ${hash}`);
    if (ep.rewards[i] !== r.reward)
      return at(["rewards", i], `recorded ${ep.rewards[i]}, re-simulation gives ${r.reward}`);
    if (!sameVector(ep.observations[i + 1] as number[], r.observation.vector))
      return at(["observations", i + 1], "the observation differs from re-simulation");
    if (ep.action_labels[i] !== r.info.action)
      return at(["action_labels", i], `recorded "${ep.action_labels[i]}", the action is "${r.info.action}"`);
    const recordedMask = ep.action_masks[i] as number[];
    if (recordedMask.length !== mask.length || recordedMask.some((m, k) => m !== mask[k]))
      return at(["action_masks", i], "differs from the mask the engine gives before this step");
    if (ep.terminations[i] !== r.terminated)
      return at(["terminations", i], `recorded ${ep.terminations[i]}, re-simulation gives ${r.terminated}`);
    if (ep.truncations[i] !== r.truncated)
      return at(["truncations", i], `recorded ${ep.truncations[i]}, re-simulation gives ${r.truncated}`);
    const want = r.info.events.filter((e) => keepsEvent(mode, e));
    if (!sameJson(info.events, want))
      return at(
        ["infos", i, "events"],
        `the ${mode} events differ from re-simulation (${info.events.length} recorded, ${want.length} expected)`,
      );
    if (r.terminated || r.truncated) {
      done = true;
      score = scoreNumbers(r.info.score);
    }
  }
  const n = ep.actions.length;
  const flags = rldsFlags(n, ep.terminations[n - 1] ?? false);
  for (const key of ["is_first", "is_last", "is_terminal"] as const) {
    const k = flags[key].findIndex((v, i) => ep[key][i] !== v);
    if (k >= 0) return { step: k, path: formatPath([key, k]), message: `should be ${flags[key][k]}` };
  }
  if (done && ep.status !== "completed")
    return { step: n, path: "status", message: `is "${ep.status}", but the episode ended: "completed"` };
  if (!done && ep.status === "completed")
    return {
      step: n,
      path: "status",
      message: `is "completed", but the episode did not end (abandoned or in_progress)`,
    };
  if (!sameJson(ep.score, score))
    return {
      step: n,
      path: "score",
      message: `is ${JSON.stringify(ep.score)}; re-simulation gives ${JSON.stringify(score)}`,
    };
  return null;
}

function sameVector(recorded: readonly number[], v: Float64Array): boolean {
  if (recorded.length !== v.length) return false;
  for (let i = 0; i < v.length; i++) if (recorded[i] !== v[i]) return false;
  return true;
}
