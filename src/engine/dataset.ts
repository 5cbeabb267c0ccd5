import { z } from "zod";
import {
  findPrototypeKeys,
  formatPath,
  fromZodIssues,
  hashValue,
  ScenarioSchema,
  ValidationError,
  type ValidationIssue,
} from "../pit-sim/index.ts";
import { actionIndexOf } from "./compile.ts";
import { createEnv, rldsFlags, UNDO_ACTION } from "./env.ts";
import { scoreNumbers } from "./score.ts";
import type { Level } from "./level.ts";
import { levelHash } from "./trajectory.ts";
import { ENGINE_VERSION } from "./version.ts";

/**
 * Demonstration datasets as JSON Lines (docs/trajectories.md): a header line (Minari's metadata.json), then
 * one episode a line with Minari/RLDS field names. Arrays are aligned: N actions, N+1 observations.
 */

export const DATASET_FORMAT_VERSION = 1;
/** Files larger than this are refused before parsing (a browser tab would choke on them anyway). */
export const MAX_DATASET_BYTES = 64 * 1024 * 1024;

const id = z.string().min(1).max(200);
const vector = z.array(z.number().finite());

export const EpisodeSchema = z.strictObject({
  format: z.literal("fq-episode"),
  version: z.literal(DATASET_FORMAT_VERSION),
  episode_id: id,
  level_id: id,
  level_hash: z.string().regex(/^[0-9a-f]{16}$/, "must be 16 hex digits"),
  engine_version: z.string().min(1),
  seed: z.number().int().min(0).max(0xffffffff),
  scenario: ScenarioSchema.nullable(),
  provenance: z.enum(["human", "bot", "agent"]),
  status: z.enum(["completed", "abandoned", "in_progress"]),
  observations: z.array(vector).min(1),
  /** Indices into the level's action space; -1 is an undo (the seed's rollback of the previous step). */
  actions: z.array(z.number().int().min(-1)),
  action_labels: z.array(z.string()),
  action_masks: z.array(z.array(z.union([z.literal(0), z.literal(1)]))),
  rewards: z.array(z.number().finite()),
  terminations: z.array(z.boolean()),
  truncations: z.array(z.boolean()),
  is_first: z.array(z.boolean()),
  is_last: z.array(z.boolean()),
  is_terminal: z.array(z.boolean()),
  infos: z.array(
    z.strictObject({
      state_hash: z.string().regex(/^[0-9a-f]{16}$/, "must be 16 hex digits"),
      think_ms: z.number().min(0).nullable(),
      events: z.array(z.looseObject({ type: z.string() })),
    }),
  ),
  initial_state_hash: z.string().regex(/^[0-9a-f]{16}$/, "must be 16 hex digits"),
  score: z
    .strictObject({
      total: z.number(),
      base: z.number(),
      efficiency: z.number(),
      stability: z.number(),
      optimization: z.number(),
      tier: z.string(),
    })
    .nullable(),
});
export type Episode = z.infer<typeof EpisodeSchema>;

export const DatasetHeaderSchema = z.strictObject({
  format: z.literal("fq-dataset"),
  version: z.literal(DATASET_FORMAT_VERSION),
  dataset_id: id,
  engine_version: z.string().min(1),
  total_episodes: z.number().int().min(0),
  total_steps: z.number().int().min(0),
  levels: z.record(
    id,
    z.strictObject({
      level_hash: z.string(),
      observation_space: z.strictObject({
        shape: z.tuple([z.number().int().min(1)]),
        low: z.literal(0),
        high: z.literal(1),
        names: z.array(z.string()),
      }),
      action_space: z.strictObject({ n: z.number().int().min(1), labels: z.array(z.string()) }),
    }),
  ),
});
export type DatasetHeader = z.infer<typeof DatasetHeaderSchema>;

/** JSON Schema for the two kinds of line (generated from the validators; docs/trajectory.schema.json). */
export function datasetJsonSchema(): Record<string, unknown> {
  const opts = { io: "input", unrepresentable: "any" } as const;
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://function-quest.dev/schemas/trajectory.schema.json",
    title: "Function Quest V2 demonstration dataset line",
    description:
      "Each line of a .jsonl dataset: the first is a header, every other an episode. See docs/trajectories.md.",
    oneOf: [{ $ref: "#/$defs/header" }, { $ref: "#/$defs/episode" }],
    $defs: {
      header: z.toJSONSchema(DatasetHeaderSchema, opts),
      episode: z.toJSONSchema(EpisodeSchema, opts),
    },
  };
}

/** Records one episode by playing actions (indices or labels) through the engine. */
export function recordEpisode(options: {
  level: Level;
  actions: readonly (number | string)[];
  seed?: number;
  scenario?: import("../pit-sim/index.ts").Scenario;
  provenance: Episode["provenance"];
  episodeId: string;
  thinkMs?: readonly (number | null)[];
}): Episode {
  const { level } = options;
  const seed = options.seed ?? level.seed;
  const undoable = options.actions.some((a) => a === UNDO_ACTION || a === "undo");
  const env = createEnv({
    level,
    seed,
    undoable,
    ...(options.scenario ? { scenario: options.scenario } : {}),
  });
  const first = env.reset({ seed });
  const ep = {
    observations: [[...first.observation.vector]],
    actions: [] as number[],
    action_labels: [] as string[],
    action_masks: [] as (0 | 1)[][],
    rewards: [] as number[],
    terminations: [] as boolean[],
    truncations: [] as boolean[],
    infos: [] as Episode["infos"],
  };
  const initialHash = env.stateHash();
  let done = false;
  let score: Episode["score"] = null;
  options.actions.forEach((a, i) => {
    if (done) return;
    const mask = [...env.actionMask()] as (0 | 1)[];
    const isUndo = a === UNDO_ACTION || a === "undo";
    const index = isUndo ? UNDO_ACTION : typeof a === "number" ? a : (actionIndexOf(env.ctx, a) ?? -2);
    if (index < -1 || index >= env.actionSpace.n)
      throw new Error(`${level.id}: "${a}" is not in the action space`);
    const r = isUndo ? env.undo() : env.step(index);
    if (!r) throw new Error(`${level.id}: action ${i} is an undo with nothing to undo`);
    ep.observations.push([...r.observation.vector]);
    ep.actions.push(index);
    ep.action_labels.push(r.info.action);
    ep.action_masks.push(mask);
    ep.rewards.push(r.reward);
    ep.terminations.push(r.terminated);
    ep.truncations.push(r.truncated);
    ep.infos.push({
      state_hash: env.stateHash(),
      think_ms: options.thinkMs?.[i] ?? null,
      events: r.info.events as unknown as { type: string }[],
    });
    if (r.terminated || r.truncated) {
      done = true;
      score = scoreNumbers(r.info.score);
    }
  });
  const n = ep.actions.length;
  return {
    format: "fq-episode",
    version: DATASET_FORMAT_VERSION,
    episode_id: options.episodeId,
    level_id: level.id,
    level_hash: levelHash(level),
    engine_version: ENGINE_VERSION,
    seed,
    scenario: options.scenario ?? null,
    provenance: options.provenance,
    status: done ? "completed" : "in_progress",
    ...ep,
    ...rldsFlags(n, ep.terminations[n - 1] ?? false),
    initial_state_hash: initialHash,
    score,
  };
}

/** The header for a set of episodes. */
export function datasetHeader(
  datasetId: string,
  episodes: readonly Episode[],
  levels: readonly Level[],
): DatasetHeader {
  const byId = new Map(levels.map((l) => [l.id, l]));
  const spaces: DatasetHeader["levels"] = {};
  for (const ep of episodes) {
    if (spaces[ep.level_id]) continue;
    const level = byId.get(ep.level_id);
    if (!level) continue;
    const env = createEnv({ level });
    spaces[ep.level_id] = {
      level_hash: levelHash(level),
      observation_space: {
        shape: [env.observationSpace.size],
        low: 0,
        high: 1,
        names: [...env.observationSpace.names],
      },
      action_space: { n: env.actionSpace.n, labels: env.actionSpace.actions.map((a) => a.label) },
    };
  }
  return {
    format: "fq-dataset",
    version: DATASET_FORMAT_VERSION,
    dataset_id: datasetId,
    engine_version: ENGINE_VERSION,
    total_episodes: episodes.length,
    total_steps: episodes.reduce((n, e) => n + e.actions.length, 0),
    levels: spaces,
  };
}

/** Writes a dataset as JSON Lines: the header, then one episode per line. */
export function toJsonl(header: DatasetHeader, episodes: readonly Episode[]): string {
  return `${[header, ...episodes].map((x) => JSON.stringify(x)).join("\n")}\n`;
}

export interface ImportOptions {
  readonly levels: readonly Level[];
  /** Episode ids already stored: an import that repeats one is refused. */
  readonly existingIds?: ReadonlySet<string>;
  readonly maxBytes?: number;
}

/**
 * Parses and validates a JSON Lines dataset, all or nothing: any problem throws a ValidationError whose
 * issues name the line and field. Nothing is returned half-way.
 */
export function parseJsonl(
  text: string,
  source: string,
  options: ImportOptions,
): { header: DatasetHeader; episodes: Episode[] } {
  const max = options.maxBytes ?? MAX_DATASET_BYTES;
  if (text.length > max)
    throw new ValidationError(source, [
      { path: "", message: `file is ${text.length} bytes; the limit is ${max}` },
    ]);
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const issues: ValidationIssue[] = [];
  const at = (line: number, path: string, message: string) =>
    issues.push({ path: `line ${line}${path ? `: ${path}` : ""}`, message });
  const parsed: unknown[] = [];
  lines.forEach((raw, i) => {
    try {
      parsed.push(JSON.parse(raw));
    } catch (e) {
      at(i + 1, "", `not valid JSON (${(e as Error).message}); the line may be truncated`);
      parsed.push(undefined);
    }
  });
  if (issues.length) throw new ValidationError(source, issues);
  if (parsed.length === 0)
    throw new ValidationError(source, [
      { path: "line 1", message: "the file is empty: a header line is required" },
    ]);
  parsed.forEach((p, i) => {
    for (const bad of findPrototypeKeys(p)) at(i + 1, bad.path, bad.message);
  });
  if (issues.length) throw new ValidationError(source, issues);
  const h = DatasetHeaderSchema.safeParse(parsed[0]);
  if (!h.success) {
    for (const x of fromZodIssues(h.error.issues)) at(1, x.path, x.message);
    throw new ValidationError(source, issues);
  }
  const header = h.data;
  const levels = new Map(options.levels.map((l) => [l.id, l]));
  const seen = new Set<string>();
  const episodes: Episode[] = [];
  parsed.slice(1).forEach((p, k) => {
    const line = k + 2;
    const r = EpisodeSchema.safeParse(p);
    if (!r.success) {
      for (const x of fromZodIssues(r.error.issues)) at(line, x.path, x.message);
      return;
    }
    const ep = r.data;
    const level = levels.get(ep.level_id);
    if (!level) return at(line, "level_id", `unknown level "${ep.level_id}"`);
    if (ep.level_hash !== levelHash(level))
      return at(
        line,
        "level_hash",
        `recorded on another version of "${ep.level_id}" (${ep.level_hash}, now ${levelHash(level)})`,
      );
    if (seen.has(ep.episode_id))
      return at(line, "episode_id", `duplicate episode "${ep.episode_id}" in this file`);
    if (options.existingIds?.has(ep.episode_id))
      return at(line, "episode_id", `episode "${ep.episode_id}" is already stored`);
    seen.add(ep.episode_id);
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
      if (got !== want) at(line, field, `has ${got} entries; ${n} actions need ${want}`);
    const mismatch = verifyEpisode(ep, level);
    if (mismatch) at(line, mismatch.path, mismatch.message);
    episodes.push(ep);
  });
  if (!issues.length) {
    if (header.total_episodes !== episodes.length)
      at(1, "total_episodes", `says ${header.total_episodes}, the file has ${episodes.length}`);
    const steps = episodes.reduce((n, e) => n + e.actions.length, 0);
    if (header.total_steps !== steps)
      at(1, "total_steps", `says ${header.total_steps}, the file has ${steps}`);
  }
  if (issues.length) throw new ValidationError(source, issues);
  return { header, episodes };
}

/** Re-simulates an episode; returns the first difference (with the field at fault), or null. */
export function verifyEpisode(
  ep: Episode,
  level: Level,
): { step: number; path: string; message: string } | null {
  let again: Episode;
  try {
    again = recordEpisode({
      level,
      actions: ep.actions,
      seed: ep.seed,
      ...(ep.scenario ? { scenario: ep.scenario } : {}),
      provenance: ep.provenance,
      episodeId: ep.episode_id,
    });
  } catch (e) {
    return { step: 0, path: "actions", message: (e as Error).message };
  }
  if (again.initial_state_hash !== ep.initial_state_hash)
    return {
      step: -1,
      path: "initial_state_hash",
      message: `is ${ep.initial_state_hash}, re-simulation gives ${again.initial_state_hash}`,
    };
  if (again.actions.length !== ep.actions.length)
    return {
      step: again.actions.length,
      path: "actions",
      message: `the episode ended after ${again.actions.length} of ${ep.actions.length} actions`,
    };
  for (let i = 0; i < ep.actions.length; i++) {
    const want = again.infos[i]?.state_hash;
    const got = ep.infos[i]?.state_hash;
    if (want !== got)
      return {
        step: i,
        path: formatPath(["infos", i, "state_hash"]),
        message: `step ${i}: recorded ${got}, re-simulation gives ${want}`,
      };
    if (again.rewards[i] !== ep.rewards[i])
      return {
        step: i,
        path: formatPath(["rewards", i]),
        message: `step ${i}: recorded ${ep.rewards[i]}, re-simulation gives ${again.rewards[i]}`,
      };
    if (hashValue(again.observations[i + 1]) !== hashValue(ep.observations[i + 1]))
      return {
        step: i,
        path: formatPath(["observations", i + 1]),
        message: `step ${i}: the observation differs from re-simulation`,
      };
  }
  return null;
}
