import type { Level } from "../engine/api/rl.ts";

/** A level handed from the designer to the play view ("Play this level"), in memory only. */
let edited: Level | null = null;

export function setEditedLevel(level: Level | null): void {
  edited = level;
}

export function editedLevel(): Level | null {
  return edited;
}
