import { z } from "zod";
import { type Scenario, ScenarioSchema } from "../pit-sim/index.ts";
import { actionIndexOf } from "./compile.ts";
import { createEnv, rldsFlags, UNDO_ACTION } from "./env.ts";
import type { Level } from "./level.ts";
import { scoreNumbers } from "./score.ts";
import { levelHash } from "./trajectory.ts";
import { DUTY_EVENTS, type EngineEvent } from "./types.ts";
import { ENGINE_VERSION } from "./version.ts";

/**
 * Demonstration datasets as JSON Lines (docs/trajectories.md): a header line (Minari's metadata.json), then
 * one episode a line with Minari/RLDS field names. Arrays are aligned: N actions, N+1 observations.
 */

/**
 * Format 2 (engine 2.1): state hashes are `hashState` (a fixed walk of the state) instead of FNV-1a over
 * canonical JSON, and the header says which events the episodes keep. Format 1 files are refused with a
 * message naming their version (docs/trajectories.md, "Versions").
 */
export const DATASET_FORMAT_VERSION = 2;
/**
 * The browser import refuses files larger than this many bytes before reading them (a tab would choke on
 * them). The CLI streams line by line and has no whole-file limit.
 */
export const MAX_DATASET_BYTES = 64 * 1024 * 1024;

/**
 * Which events an episode keeps. `full`: every event. `compact`: no FlowPhase and none of the twelve duty
 * events (routine bookkeeping, re-derived by re-simulation); failures, recoveries, warnings, conflicts,
 * reclaims, rejections and the goal stay. `none`: no events. Verification re-simulates and compares
 * what the mode keeps, so a deleted or altered event is caught whatever the mode.
 */
export const EVENT_MODES = ["full", "compact", "none"] as const;
export type EventMode = (typeof EVENT_MODES)[number];

const DUTY_TYPES: ReadonlySet<string> = new Set(Object.values(DUTY_EVENTS));

/** True when an episode recorded in `mode` keeps this event. */
export function keepsEvent(mode: EventMode, e: { readonly type: string }): boolean {
  if (mode === "full") return true;
  if (mode === "none") return false;
  return e.type !== "FlowPhase" && !DUTY_TYPES.has(e.type);
}

/** The events of one step as an episode recorded in `mode` keeps them. */
export function eventsFor(mode: EventMode, events: readonly EngineEvent[]): EngineEvent[] {
  return mode === "full" ? events.slice() : events.filter((e) => keepsEvent(mode, e));
}

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
  events: z.enum(EVENT_MODES),
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
  scenario?: Scenario;
  provenance: Episode["provenance"];
  episodeId: string;
  thinkMs?: readonly (number | null)[];
  /** Which events to keep (default `full`). */
  events?: EventMode;
}): Episode {
  const { level } = options;
  const seed = options.seed ?? level.seed;
  const mode = options.events ?? "full";
  const undoable = options.actions.some((a) => a === UNDO_ACTION || a === "undo");
  const env = createEnv({
    level,
    seed,
    undoable,
    events: mode !== "none",
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
      events: eventsFor(mode, r.info.events) as unknown as { type: string }[],
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

/** The observation and action spaces of a level, as a dataset header lists them. */
export function levelSpaces(level: Level): DatasetHeader["levels"][string] {
  const env = createEnv({ level });
  return {
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

/**
 * The header of a dataset whose totals are known (a streaming writer counts them first): its levels'
 * spaces, the counts, and the event mode.
 */
export function headerFor(options: {
  readonly datasetId: string;
  readonly levels: readonly Level[];
  readonly totalEpisodes: number;
  readonly totalSteps: number;
  readonly events: EventMode;
}): DatasetHeader {
  const spaces: DatasetHeader["levels"] = {};
  for (const level of options.levels) spaces[level.id] ??= levelSpaces(level);
  return {
    format: "fq-dataset",
    version: DATASET_FORMAT_VERSION,
    dataset_id: options.datasetId,
    engine_version: ENGINE_VERSION,
    total_episodes: options.totalEpisodes,
    total_steps: options.totalSteps,
    events: options.events,
    levels: spaces,
  };
}

/** The header for a set of episodes held in memory (their levels looked up in `levels`). */
export function datasetHeader(
  datasetId: string,
  episodes: readonly Episode[],
  levels: readonly Level[],
  events: EventMode = "full",
): DatasetHeader {
  const byId = new Map(levels.map((l) => [l.id, l]));
  const used: Level[] = [];
  for (const ep of episodes) {
    const level = byId.get(ep.level_id);
    if (level && !used.includes(level)) used.push(level);
  }
  return headerFor({
    datasetId,
    levels: used,
    totalEpisodes: episodes.length,
    totalSteps: episodes.reduce((n, e) => n + e.actions.length, 0),
    events,
  });
}

/** Writes a dataset as JSON Lines: the header, then one episode per line. */
export function toJsonl(header: DatasetHeader, episodes: readonly Episode[]): string {
  return `${[header, ...episodes].map((x) => JSON.stringify(x)).join("\n")}\n`;
}
