import { type Level, parseLevel } from "../engine/index.ts";
import { parseJsonText } from "../pit-sim/index.ts";
// Written by scripts/gen-level-index.mjs (npm run levels:index); a test checks every file is listed.
// <level-imports>
import escapeTheRoom from "./escape-the-room.json" with { type: "json" };
import fromPromptToProduct from "./from-prompt-to-product.json" with { type: "json" };
import launchTheSpaceship from "./launch-the-spaceship.json" with { type: "json" };
import lightTheLighthouse from "./light-the-lighthouse.json" with { type: "json" };
import mendTheWindmill from "./mend-the-windmill.json" with { type: "json" };
import orchestrateTheFestival from "./orchestrate-the-festival.json" with { type: "json" };
import prepareTheBanquet from "./prepare-the-banquet.json" with { type: "json" };
import theAlchemistsLaboratory from "./the-alchemists-laboratory.json" with { type: "json" };
import theAncientBridge from "./the-ancient-bridge.json" with { type: "json" };
import theFloodDefences from "./the-flood-defences.json" with { type: "json" };
import theForge from "./the-forge.json" with { type: "json" };
import theGrandStation from "./the-grand-station.json" with { type: "json" };
import theHarbourCranes from "./the-harbour-cranes.json" with { type: "json" };
import theLibraryArchive from "./the-library-archive.json" with { type: "json" };
import theNightMarket from "./the-night-market.json" with { type: "json" };
import theObservatory from "./the-observatory.json" with { type: "json" };
import thePrintShop from "./the-print-shop.json" with { type: "json" };
import theRoyalMessenger from "./the-royal-messenger.json" with { type: "json" };
import theSymphonyRelease from "./the-symphony-release.json" with { type: "json" };
import theTheatrePremiere from "./the-theatre-premiere.json" with { type: "json" };
// </level-imports>

/** The shipped level files, by file name: each is validated when this module loads. */
export const LEVEL_FILES: Readonly<Record<string, unknown>> = {
  // <level-table>
  "escape-the-room.json": escapeTheRoom,
  "from-prompt-to-product.json": fromPromptToProduct,
  "launch-the-spaceship.json": launchTheSpaceship,
  "light-the-lighthouse.json": lightTheLighthouse,
  "mend-the-windmill.json": mendTheWindmill,
  "orchestrate-the-festival.json": orchestrateTheFestival,
  "prepare-the-banquet.json": prepareTheBanquet,
  "the-alchemists-laboratory.json": theAlchemistsLaboratory,
  "the-ancient-bridge.json": theAncientBridge,
  "the-flood-defences.json": theFloodDefences,
  "the-forge.json": theForge,
  "the-grand-station.json": theGrandStation,
  "the-harbour-cranes.json": theHarbourCranes,
  "the-library-archive.json": theLibraryArchive,
  "the-night-market.json": theNightMarket,
  "the-observatory.json": theObservatory,
  "the-print-shop.json": thePrintShop,
  "the-royal-messenger.json": theRoyalMessenger,
  "the-symphony-release.json": theSymphonyRelease,
  "the-theatre-premiere.json": theTheatrePremiere,
  // </level-table>
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
