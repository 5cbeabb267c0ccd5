/**
 * Export of recorded demonstrations as a JSON Lines dataset (docs/trajectories.md). Loaded lazily: it
 * pulls in the dataset module and its validators.
 */
import { LEVEL_META, loadShippedLevel } from "virtual:fq-levels";
import { datasetHeader, type Episode, toJsonl } from "../engine/api/datasets.ts";
import type { Level } from "../engine/api/rl.ts";
import { episodeSteps, toEpisode } from "./demo-db.ts";
import type { StoredEpisode, StoredStep } from "./recorder.ts";

/** Loads every shipped level (for headers and import checks). */
export async function shippedLevels(): Promise<Level[]> {
  const all = await Promise.all(LEVEL_META.map((m) => loadShippedLevel(m.id)));
  return all.filter((l: Level | undefined): l is Level => l !== undefined);
}

/** The dataset text for stored episodes, plus steps that only live in memory (a failed write). */
export async function datasetText(
  db: IDBDatabase,
  metas: readonly StoredEpisode[],
  unsaved: { meta: StoredEpisode; steps: StoredStep[] } | null = null,
): Promise<{ text: string; episodes: Episode[] }> {
  const episodes: Episode[] = [];
  for (const m of metas) {
    let steps = await episodeSteps(db, m.episode_id);
    if (unsaved && unsaved.meta.episode_id === m.episode_id) steps = [...steps, ...unsaved.steps];
    episodes.push(toEpisode(unsaved?.meta.episode_id === m.episode_id ? unsaved.meta : m, steps));
  }
  if (unsaved && !metas.some((m) => m.episode_id === unsaved.meta.episode_id)) {
    const stored = await episodeSteps(db, unsaved.meta.episode_id).catch(() => []);
    episodes.push(toEpisode(unsaved.meta, [...stored, ...unsaved.steps]));
  }
  const id = `fq-demos-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  return { text: toJsonl(datasetHeader(id, episodes, await shippedLevels()), episodes), episodes };
}

/** Offers text as a file download. */
export function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "application/x-ndjson" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
