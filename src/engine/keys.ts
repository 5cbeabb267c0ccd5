/**
 * The key format shared by the DAG Tracker, the used-set and the goal: `artifact:<id>` or `fact:<id>`.
 * Every place that builds or reads such a key goes through here, so the format lives in one file.
 */

export type Key = `artifact:${string}` | `fact:${string}`;

const ARTIFACT = "artifact:";
const FACT = "fact:";

/** The key of an artifact. */
export function artifactKey(id: string): Key {
  return `${ARTIFACT}${id}`;
}

/** The key of a fact. */
export function factKey(id: string): Key {
  return `${FACT}${id}`;
}

/** True for a fact key (checked on the first character: keys sit on the hot path). */
export function isFactKey(key: string): boolean {
  return key.charCodeAt(0) === 102; // "f"
}

/** The id inside a key, whichever kind it is. */
export function keyId(key: string): string {
  return isFactKey(key) ? key.slice(FACT.length) : key.slice(ARTIFACT.length);
}

/** The artifact id of an artifact key, or null for a fact key. */
export function artifactOf(key: string): string | null {
  return isFactKey(key) ? null : key.slice(ARTIFACT.length);
}
