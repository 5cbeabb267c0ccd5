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
  /** Brightens and bounces, with confetti. */
  | "glow";

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
}

const at = (
  x: number,
  y: number,
  w: number,
  h: number,
  reaction: Reaction,
  originX = 0.5,
  originY = 1,
): SceneArt => ({
  x,
  y,
  w,
  h,
  originX,
  originY,
  reaction,
});

export const SCENE_ART: Readonly<Record<string, SceneArt>> = {
  room: at(612, 318, 108, 196, "swing", 0, 1),
  bridge: at(480, 300, 420, 60, "rise"),
  castle: at(700, 320, 120, 90, "glow"),
  lighthouse: at(640, 110, 120, 80, "beam", 0.5, 0.5),
  windmill: at(600, 150, 240, 240, "spin", 0.5, 0.5),
  kitchen: at(480, 320, 300, 120, "glow"),
  market: at(480, 320, 260, 150, "glow"),
  "print-shop": at(480, 320, 220, 180, "glow"),
  forge: at(500, 320, 200, 120, "glow"),
  library: at(480, 320, 260, 200, "glow"),
  festival: at(480, 320, 320, 190, "glow"),
  harbour: at(560, 250, 120, 150, "lift"),
  observatory: at(640, 200, 170, 120, "glow"),
  station: at(430, 322, 340, 110, "glow"),
  theatre: at(480, 300, 440, 230, "lift"),
  "launch-pad": { ...at(620, 332, 90, 260, "lift"), exhaust: true },
  laboratory: at(480, 320, 180, 170, "glow"),
  river: at(480, 330, 520, 90, "rise"),
  studio: at(480, 310, 260, 170, "glow"),
  "control-room": at(480, 320, 240, 170, "glow"),
};

/** The art for a scene key; unknown keys (levels from the designer) get the room's neutral staging. */
export function sceneArt(scene: string): SceneArt {
  return SCENE_ART[scene] ?? at(480, 320, 200, 160, "glow");
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
