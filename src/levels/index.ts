import { type Level, parseLevel } from "../engine/index.ts";
import { parseJsonText } from "../pit-sim/index.ts";
import escapeTheRoom from "./escape-the-room.json" with { type: "json" };
import launchTheSpaceship from "./launch-the-spaceship.json" with { type: "json" };
import prepareTheBanquet from "./prepare-the-banquet.json" with { type: "json" };

/** The shipped level files, by file name: each is validated when this module loads. */
export const LEVEL_FILES: Readonly<Record<string, unknown>> = {
  "escape-the-room.json": escapeTheRoom,
  "prepare-the-banquet.json": prepareTheBanquet,
  "launch-the-spaceship.json": launchTheSpaceship,
};

/** Every shipped level, validated, in curriculum order. */
export const LEVELS: readonly Level[] = Object.entries(LEVEL_FILES)
  .map(([file, data]) => parseLevel(data, `src/levels/${file}`))
  .sort((a, b) => a.order - b.order);

/** A shipped level by id, or undefined. */
export function getLevel(id: string): Level | undefined {
  return LEVELS.find((l) => l.id === id);
}

/** Parses level JSON text from a file or a paste; throws a ValidationError naming the source and fields. */
export function loadLevelText(text: string, source: string): Level {
  return parseLevel(parseJsonText(text, source), source);
}
