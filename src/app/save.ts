/**
 * Saved progress and settings (localStorage `fq.save`). Loading never throws: a save that cannot be read,
 * or one from another format version, is reset or upgraded with a notice for the player, and the original
 * text is kept under `fq.save.unreadable` so nothing is lost. A refused write (full quota) is reported.
 */
import { BEST_WITHOUT_GOAL, type Tier, tierOf } from "../engine/api/rl.ts";

export const SAVE_KEY = "fq.save";
export const UNREADABLE_KEY = "fq.save.unreadable";
export const SAVE_VERSION = 2;
/** Format 1: the per-level score lists the designer kept before progress existed. */
const V1_SCORES_KEY = "fq.humanScores.v1";

export type Speed = "1x" | "2x" | "instant";

export interface Settings {
  speed: Speed;
  reducedMotion: boolean;
  sound: boolean;
  unlockAll: boolean;
  /** Shows developer tools on the level screen (the Pit inspector). */
  developer: boolean;
}

export interface BestRun {
  score: number;
  tier: Tier;
  /** The action labels of the best run, for the results screen. */
  steps: string[];
}

export interface SaveData {
  version: typeof SAVE_VERSION;
  /** Best finished run per level id (a level counts as completed once it has one with the goal reached). */
  best: Record<string, BestRun>;
  settings: Settings;
}

export const DEFAULT_SETTINGS: Settings = {
  speed: "1x",
  reducedMotion: false,
  sound: true,
  unlockAll: false,
  developer: false,
};

export function emptySave(): SaveData {
  return { version: SAVE_VERSION, best: {}, settings: { ...DEFAULT_SETTINGS } };
}

const TIERS: readonly Tier[] = ["Apprentice", "Journeyman", "Master", "Grand Maestro"];
const SPEEDS: readonly Speed[] = ["1x", "2x", "instant"];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads the runs of a save, keeping the valid ones; returns the problems found in the others. */
function readBest(data: unknown, problems: string[]): Record<string, BestRun> {
  const out: Record<string, BestRun> = {};
  if (!isRecord(data)) {
    problems.push("best: expected an object");
    return out;
  }
  for (const [id, run] of Object.entries(data)) {
    if (id === "__proto__" || id === "constructor" || id === "prototype") {
      problems.push(`best.${id}: not allowed`);
      continue;
    }
    if (
      isRecord(run) &&
      typeof run.score === "number" &&
      Number.isInteger(run.score) &&
      run.score >= 0 &&
      run.score <= 200 &&
      TIERS.includes(run.tier as Tier) &&
      Array.isArray(run.steps) &&
      run.steps.every((s) => typeof s === "string")
    )
      out[id] = { score: run.score, tier: run.tier as Tier, steps: run.steps as string[] };
    else problems.push(`best.${id}: not a valid run`);
  }
  return out;
}

function readSettings(data: unknown, problems: string[]): Settings {
  const s = { ...DEFAULT_SETTINGS };
  if (!isRecord(data)) {
    problems.push("settings: expected an object");
    return s;
  }
  if (SPEEDS.includes(data.speed as Speed)) s.speed = data.speed as Speed;
  else if (data.speed !== undefined)
    problems.push(`settings.speed: ${JSON.stringify(data.speed)} is not 1x, 2x or instant`);
  for (const k of ["reducedMotion", "sound", "unlockAll", "developer"] as const) {
    if (typeof data[k] === "boolean") s[k] = data[k];
    else if (data[k] !== undefined) problems.push(`settings.${k}: expected true or false`);
  }
  return s;
}

export interface LoadedSave {
  readonly save: SaveData;
  /** What the player should be told, or null when the save loaded cleanly. */
  readonly notice: string | null;
}

/** Loads the save from `storage`, recovering what it can. */
export function loadSave(storage: Storage): LoadedSave {
  let raw: string | null;
  try {
    raw = storage.getItem(SAVE_KEY);
  } catch (e) {
    return {
      save: emptySave(),
      notice: `Saved progress could not be read (${String(e)}); playing without it.`,
    };
  }
  if (raw === null) return migrateV1(storage);
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (e) {
    keepUnreadable(storage, raw);
    return {
      save: emptySave(),
      notice: `Your saved progress was corrupt (${(e as Error).message}) and has been reset. The unreadable copy is kept in localStorage under "${UNREADABLE_KEY}".`,
    };
  }
  if (!isRecord(data) || data.version !== SAVE_VERSION) {
    keepUnreadable(storage, raw);
    const v = isRecord(data) ? JSON.stringify(data.version) : "none";
    return {
      save: emptySave(),
      notice: `Your saved progress is in an unknown format (version ${v}, expected ${SAVE_VERSION}) and has been reset. The old copy is kept in localStorage under "${UNREADABLE_KEY}".`,
    };
  }
  const problems: string[] = [];
  const save: SaveData = {
    version: SAVE_VERSION,
    best: readBest(data.best, problems),
    settings: readSettings(data.settings, problems),
  };
  if (problems.length === 0) return { save, notice: null };
  keepUnreadable(storage, raw);
  return {
    save,
    notice: `Parts of your saved progress were damaged and were dropped (${problems.join("; ")}). The rest was recovered; the original is kept under "${UNREADABLE_KEY}".`,
  };
}

/**
 * Upgrades a format-1 save (per-level score lists) into best runs (their sequences were not kept). Format 1
 * kept every finished play, lost ones too, and progress unlocks only on a win: a level counts only with a
 * score only a win can reach (above `BEST_WITHOUT_GOAL`). The upgraded save is written at once, so this runs
 * once and never again reads that key.
 */
function migrateV1(storage: Storage): LoadedSave {
  const save = emptySave();
  let raw: string | null = null;
  try {
    raw = storage.getItem(V1_SCORES_KEY);
  } catch {
    return { save, notice: null };
  }
  if (raw === null) return { save, notice: null };
  try {
    const data = JSON.parse(raw) as unknown;
    if (!isRecord(data)) throw new Error("expected an object");
    for (const [id, scores] of Object.entries(data)) {
      if (!Array.isArray(scores) || id === "__proto__" || id === "constructor" || id === "prototype")
        continue;
      const wins = scores.filter(
        (x): x is number => Number.isInteger(x) && x > BEST_WITHOUT_GOAL && x <= 200,
      );
      if (wins.length === 0) continue;
      const score = Math.max(...wins);
      save.best[id] = { score, tier: tierOf(score), steps: [] };
    }
    if (Object.keys(save.best).length === 0) return { save, notice: null };
    writeSave(storage, save);
    return { save, notice: "Saved scores from an older version were upgraded to the new save format." };
  } catch (e) {
    return { save, notice: `Old saved scores could not be read (${(e as Error).message}); starting fresh.` };
  }
}

function keepUnreadable(storage: Storage, raw: string): void {
  try {
    storage.setItem(UNREADABLE_KEY, raw);
  } catch {
    // Keeping the copy is best effort; the notice still tells the player.
  }
}

/** Writes the save; returns a message for the player if storage refused it (e.g. a full quota). */
export function writeSave(storage: Storage, save: SaveData): string | null {
  try {
    storage.setItem(SAVE_KEY, JSON.stringify(save));
    return null;
  } catch (e) {
    const name = e instanceof DOMException ? e.name : "";
    return name === "QuotaExceededError"
      ? "Your progress could not be saved: the browser's storage is full. Free some space for this site to keep it."
      : `Your progress could not be saved: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Records a finished run; keeps the higher score per level. Returns whether it is a new best. */
export function recordRun(save: SaveData, levelId: string, run: BestRun): boolean {
  const old = save.best[levelId];
  if (old && old.score >= run.score) return false;
  save.best[levelId] = run;
  return true;
}

/** Whether a level can be played: the first is open, each next one opens when the one before is done. */
export function isUnlocked(save: SaveData, orderedIds: readonly string[], id: string): boolean {
  if (save.settings.unlockAll) return true;
  const i = orderedIds.indexOf(id);
  if (i <= 0) return i === 0;
  return save.best[orderedIds[i - 1] as string] !== undefined;
}
