/**
 * Where each story's art sits and how its hero object reacts. The pictures themselves are SVG files in
 * public/assets/scenes/<scene>.svg (the backdrop, 960×400) and public/assets/heroes/<scene>.svg (the
 * object that reacts); scripts/draw-scenes.mjs draws them all in one style. No Phaser here, so Node can
 * check that every level's scene has art.
 */
export type Reaction =
  /** Swings open on its left hinge (a door, a gate). */
  | "swing"
  /** Lifts off upwards, trailing exhaust. */
  | "lift"
  /** Turns, and keeps turning (sails, wheels). */
  | "spin"
  /** Lights up and sweeps a beam. */
  | "beam"
  /** Rises into place from below (planks, walls). */
  | "rise"
  /** Brightens and bounces. */
  | "glow"
  /** Pulls out of the scene to the right, one hero after the other (trains). */
  | "depart"
  /** A banner climbs its pole above the hero. */
  | "flag";

/** The particles of a story's success moment. */
export type Burst =
  | "confetti"
  | "fireworks"
  | "steam"
  | "embers"
  | "sparks"
  | "stars"
  | "bubbles"
  | "notes"
  | "petals"
  | "leaves"
  | "splash"
  | "lights"
  | "pages"
  | "motes";

/**
 * What each finished step of the story puts on the scene: the table fills with dishes, the quay with
 * crates, the bridge with stones. Drawn in code (story-scene.ts), 40×40.
 */
export type Piece =
  | "key"
  | "stone"
  | "seal"
  | "oil"
  | "cog"
  | "dish"
  | "lantern"
  | "page"
  | "ingot"
  | "book"
  | "pennant"
  | "crate"
  | "star"
  | "carriage"
  | "spot"
  | "check"
  | "flask"
  | "sandbag"
  | "chip"
  | "note";

export interface SceneArt {
  /** Hero position (its origin) and size in the 960×400 scene. */
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly originX: number;
  readonly originY: number;
  readonly reaction: Reaction;
  /** Lifting trails rocket exhaust. */
  readonly exhaust?: boolean;
  /** The success moment's particles (with the reaction, distinct for every shipped story). */
  readonly burst: Burst;
  /** What a finished step of the story's path puts on the scene. */
  readonly piece: Piece;
  /** The line the pieces fill, first step to last: [x0, y0, x1, y1] (their centres). */
  readonly track: readonly [number, number, number, number];
  /** Heroes drawn (the station's two trains); the others stand behind the first, up and to the right. */
  readonly heroes?: number;
}

const at = (
  x: number,
  y: number,
  w: number,
  h: number,
  reaction: Reaction,
  story: { burst: Burst; piece: Piece; track: readonly [number, number, number, number]; heroes?: number },
  originX = 0.5,
  originY = 1,
): SceneArt => ({ x, y, w, h, originX, originY, reaction, ...story });

export const SCENE_ART: Readonly<Record<string, SceneArt>> = {
  room: at(612, 318, 108, 196, "swing", { burst: "motes", piece: "key", track: [250, 300, 540, 300] }, 0, 1),
  bridge: at(480, 300, 420, 60, "rise", { burst: "petals", piece: "stone", track: [310, 222, 650, 222] }),
  castle: at(700, 320, 120, 90, "flag", { burst: "confetti", piece: "seal", track: [150, 318, 470, 300] }),
  lighthouse: at(
    640,
    110,
    120,
    80,
    "beam",
    { burst: "stars", piece: "oil", track: [520, 318, 770, 318] },
    0.5,
    0.5,
  ),
  windmill: at(
    600,
    150,
    240,
    240,
    "spin",
    { burst: "leaves", piece: "cog", track: [150, 300, 450, 300] },
    0.5,
    0.5,
  ),
  kitchen: at(480, 320, 300, 120, "glow", { burst: "steam", piece: "dish", track: [700, 280, 910, 280] }),
  market: at(480, 320, 260, 150, "glow", { burst: "lights", piece: "lantern", track: [110, 200, 850, 200] }),
  "print-shop": at(480, 320, 220, 180, "glow", {
    burst: "pages",
    piece: "page",
    track: [110, 300, 330, 300],
  }),
  forge: at(500, 320, 200, 120, "glow", { burst: "embers", piece: "ingot", track: [90, 310, 370, 310] }),
  library: at(480, 320, 260, 200, "glow", { burst: "motes", piece: "book", track: [100, 318, 340, 318] }),
  festival: at(480, 320, 320, 190, "glow", {
    burst: "fireworks",
    piece: "pennant",
    track: [130, 200, 830, 200],
  }),
  harbour: at(560, 250, 120, 150, "lift", { burst: "splash", piece: "crate", track: [100, 300, 440, 300] }),
  observatory: at(640, 200, 170, 120, "glow", { burst: "stars", piece: "star", track: [220, 150, 540, 70] }),
  station: at(430, 322, 340, 110, "depart", {
    burst: "steam",
    piece: "carriage",
    track: [40, 150, 340, 150],
    heroes: 2,
  }),
  theatre: at(480, 300, 440, 230, "lift", { burst: "petals", piece: "spot", track: [340, 44, 900, 44] }),
  "launch-pad": {
    ...at(620, 332, 90, 260, "lift", { burst: "sparks", piece: "check", track: [110, 300, 440, 300] }),
    exhaust: true,
  },
  laboratory: at(480, 320, 180, 170, "glow", {
    burst: "bubbles",
    piece: "flask",
    track: [620, 300, 900, 300],
  }),
  river: at(480, 330, 520, 90, "rise", { burst: "splash", piece: "sandbag", track: [260, 232, 700, 232] }),
  studio: at(480, 310, 260, 170, "glow", { burst: "sparks", piece: "chip", track: [600, 300, 920, 300] }),
  "control-room": at(480, 320, 240, 170, "glow", {
    burst: "notes",
    piece: "note",
    track: [180, 230, 780, 230],
  }),
};

/** Where the i-th of n pieces sits on a track (evenly spread, the first at its start). */
export function slotOn(
  track: readonly [number, number, number, number],
  i: number,
  n: number,
): { x: number; y: number } {
  const t = n <= 1 ? 0.5 : i / (n - 1);
  return {
    x: Math.round(track[0] + (track[2] - track[0]) * t),
    y: Math.round(track[1] + (track[3] - track[1]) * t),
  };
}

const DECISIONS = new Set(["prewarm", "retry", "fallback", "skip"]);

/**
 * The story's path: the functions the level's reference solution calls, in order, without prewarms and
 * recovery decisions (a fallback's function is the failed one's stand-in, not a step of its own).
 */
export function storyPath(level: {
  readonly solutions: { readonly reference: { readonly steps: readonly string[] } };
}): string[] {
  const calls = level.solutions.reference.steps.flatMap((x) => x.split("+")).map((c) => c.trim());
  return [...new Set(calls.map((c) => c.replace(/\(.*\)$/, "")))].filter((fn) => !DECISIONS.has(fn));
}

const NEUTRAL = { burst: "confetti", piece: "crate", track: [120, 300, 360, 300] } as const;

/** The art for a scene key; unknown keys (levels from the designer) get the room's neutral staging. */
export function sceneArt(scene: string): SceneArt {
  return SCENE_ART[scene] ?? at(480, 320, 200, 160, "glow", NEUTRAL);
}

export type ItemIcon = "key" | "doc" | "flask" | "gear" | "crate";

/** The token drawn for an artifact, chosen from its name. */
export function itemIcon(artifact: string): ItemIcon {
  if (/key|pin|pass|token|seal/.test(artifact)) return "key";
  if (
    /book|scroll|letter|map|txt|csv|doc|plan|score|file|note|manifest|report|chart|page|list|log|prompt|backlog|source|spec|sheet|permit|order/.test(
      artifact,
    )
  )
    return "doc";
  if (/potion|elixir|flask|fuel|water|oil|ink|wine|soup|sauce|tincture|oxygen|brew/.test(artifact))
    return "flask";
  if (
    /gear|part|engine|cog|tool|rope|plank|sail|beam|bolt|lens|wheel|blade|sword|steel|iron|rail|cable|module/.test(
      artifact,
    )
  )
    return "gear";
  return "crate";
}
