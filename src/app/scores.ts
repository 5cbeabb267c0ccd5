/**
 * The player's own final scores per level, kept in localStorage for the designer's histogram markers.
 * A corrupt entry is dropped (never thrown); a full quota loses only this convenience, and says so.
 */
const KEY = "fq.playerScores.v2";
/**
 * Where these lists lived until engine 2.1: the same key as the format-1 save, which made a lost play read
 * back as progress (src/app/save.ts). Still read, so the histogram keeps its history; never written.
 */
const OLD_KEY = "fq.humanScores.v1";

function readAll(): Record<string, number[]> {
  try {
    const raw = localStorage.getItem(KEY) ?? localStorage.getItem(OLD_KEY);
    if (!raw) return {};
    const data = JSON.parse(raw) as unknown;
    if (typeof data !== "object" || data === null || Array.isArray(data)) return {};
    const out: Record<string, number[]> = {};
    for (const [k, v] of Object.entries(data)) {
      if (Array.isArray(v))
        out[k] = v.filter((x): x is number => typeof x === "number" && x >= 0 && x <= 200);
    }
    return out;
  } catch {
    return {};
  }
}

/** The scores recorded for a level, newest last. */
export function humanScores(levelId: string): number[] {
  return readAll()[levelId] ?? [];
}

/** Records a finished episode's score; returns an error message if storage refused it. */
export function recordHumanScore(levelId: string, score: number): string | null {
  const all = readAll();
  all[levelId] = [...(all[levelId] ?? []), score].slice(-50);
  try {
    localStorage.setItem(KEY, JSON.stringify(all));
    return null;
  } catch (e) {
    return `your score was not saved: ${e instanceof Error ? e.message : String(e)}`;
  }
}
