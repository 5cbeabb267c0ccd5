/**
 * The demonstrations database as the library sees it: reading, checking, deleting, exporting and
 * importing stored episodes. Loaded with the library and the export (the recorder itself only writes).
 * Layout: docs/trajectories.md.
 */
import { DATASET_FORMAT_VERSION, datasetFormatOf, type Episode, rldsFlags } from "../engine/api/datasets.ts";
import { done, request, type StoredEpisode, type StoredStep } from "./recorder.ts";

/** True for a stored record with every field the library and replay read, of the right kind. */
export function isStoredEpisode(x: unknown): x is StoredEpisode {
  if (x === null || typeof x !== "object") return false;
  const e = x as Record<string, unknown>;
  const str = (k: string) => typeof e[k] === "string";
  const int = (k: string) => Number.isInteger(e[k]);
  return (
    str("episode_id") &&
    str("level_id") &&
    str("level_title") &&
    str("level_hash") &&
    str("engine_version") &&
    str("initial_state_hash") &&
    int("tier") &&
    int("steps") &&
    (e.steps as number) >= 0 &&
    int("seed") &&
    (e.seed as number) >= 0 &&
    (e.seed as number) <= 0xffffffff &&
    typeof e.started === "number" &&
    ["completed", "abandoned", "in_progress"].includes(e.status as string) &&
    ["human", "bot", "agent"].includes(e.provenance as string) &&
    Array.isArray(e.initial_observation) &&
    (e.score === null ||
      (typeof e.score === "object" && typeof (e.score as { total?: unknown }).total === "number"))
  );
}

/**
 * Every stored episode, newest first, and the keys of records that are not episodes any more (written by
 * a damaged browser profile or another program): those are kept out of the list, never allowed to break it.
 */
export async function readEpisodes(
  db: IDBDatabase,
): Promise<{ episodes: StoredEpisode[]; damaged: string[] }> {
  const store = db.transaction("episodes").objectStore("episodes");
  const [all, keys] = await Promise.all([request(store.getAll()), request(store.getAllKeys())]);
  const episodes: StoredEpisode[] = [];
  const damaged: string[] = [];
  (all as unknown[]).forEach((x, i) => {
    if (isStoredEpisode(x)) episodes.push(x);
    else damaged.push(String((keys as IDBValidKey[])[i]));
  });
  return { episodes: episodes.sort((a, b) => b.started - a.started), damaged };
}

export async function listEpisodes(db: IDBDatabase): Promise<StoredEpisode[]> {
  return (await readEpisodes(db)).episodes;
}

export async function episodeSteps(db: IDBDatabase, id: string): Promise<StoredStep[]> {
  const range = IDBKeyRange.bound([id, 0], [id, Number.MAX_SAFE_INTEGER]);
  return (await request(db.transaction("steps").objectStore("steps").getAll(range))) as StoredStep[];
}

export async function deleteEpisodes(db: IDBDatabase, ids: readonly string[]): Promise<void> {
  const tx = db.transaction(["episodes", "steps"], "readwrite");
  for (const id of ids) {
    tx.objectStore("episodes").delete(id);
    tx.objectStore("steps").delete(IDBKeyRange.bound([id, 0], [id, Number.MAX_SAFE_INTEGER]));
  }
  await done(tx);
}

/** The stored episode and its steps as a dataset episode (docs/trajectories.md). */
export function toEpisode(meta: StoredEpisode, steps: readonly StoredStep[]): Episode {
  const n = steps.length;
  return {
    format: "fq-episode",
    // Episodes stored by an older engine keep the format they were recorded in, so an export of them is
    // refused by version (their hashes are of another algorithm), never as a hash mismatch.
    version: datasetFormatOf(meta.engine_version) as typeof DATASET_FORMAT_VERSION,
    episode_id: meta.episode_id,
    level_id: meta.level_id,
    level_hash: meta.level_hash,
    engine_version: meta.engine_version,
    seed: meta.seed,
    scenario: meta.scenario,
    provenance: meta.provenance,
    status: meta.status,
    observations: [meta.initial_observation, ...steps.map((s) => s.observation)],
    actions: steps.map((s) => s.action),
    action_labels: steps.map((s) => s.action_label),
    action_masks: steps.map((s) => s.action_mask),
    rewards: steps.map((s) => s.reward),
    terminations: steps.map((s) => s.terminated),
    truncations: steps.map((s) => s.truncated),
    ...rldsFlags(n, steps[n - 1]?.terminated ?? false),
    infos: steps.map((s) => ({ state_hash: s.state_hash, think_ms: s.think_ms, events: s.events })),
    initial_state_hash: meta.initial_state_hash,
    score: meta.score,
  };
}

/** Stores whole episodes in one transaction: all of them or, on any failure, none. */
export async function storeEpisodes(
  db: IDBDatabase,
  episodes: readonly Episode[],
  titles: ReadonlyMap<string, { title: string; tier: number }>,
): Promise<void> {
  const tx = db.transaction(["episodes", "steps"], "readwrite");
  for (const ep of episodes) {
    const lvl = titles.get(ep.level_id);
    const meta: StoredEpisode = {
      episode_id: ep.episode_id,
      level_id: ep.level_id,
      level_title: lvl?.title ?? ep.level_id,
      tier: lvl?.tier ?? 0,
      level_hash: ep.level_hash,
      engine_version: ep.engine_version,
      seed: ep.seed,
      scenario: ep.scenario,
      provenance: ep.provenance,
      status: ep.status,
      started: 0,
      steps: ep.actions.length,
      score: ep.score,
      initial_state_hash: ep.initial_state_hash,
      initial_observation: ep.observations[0] ?? [],
    };
    tx.objectStore("episodes").add(meta);
    ep.actions.forEach((a, i) =>
      tx.objectStore("steps").add({
        episode_id: ep.episode_id,
        i,
        action: a,
        action_label: ep.action_labels[i] ?? "",
        action_mask: ep.action_masks[i] ?? [],
        observation: ep.observations[i + 1] ?? [],
        reward: ep.rewards[i] ?? 0,
        terminated: ep.terminations[i] ?? false,
        truncated: ep.truncations[i] ?? false,
        state_hash: ep.infos[i]?.state_hash ?? "",
        think_ms: ep.infos[i]?.think_ms ?? null,
        events: ep.infos[i]?.events ?? [],
      } satisfies StoredStep),
    );
  }
  await done(tx);
}
