/**
 * The Phaser stage: one Phaser.Game for the page, created the first time a level is shown (this module
 * and Phaser load lazily, in their own chunks) and reused; each level (re)starts the story scene.
 */
import * as Phaser from "phaser";
import type { Level } from "../engine/api/view.ts";
import { H, type SceneStore, StoryScene, W } from "./story-scene.ts";

let game: Phaser.Game | null = null;
let ready: Promise<Phaser.Game> | null = null;

function boot(): Promise<Phaser.Game> {
  ready ??= new Promise((resolve) => {
    const parent = document.createElement("div");
    parent.id = "stage-root";
    const g = new Phaser.Game({
      type: Phaser.AUTO,
      parent,
      width: W,
      height: H,
      transparent: true,
      scale: { mode: Phaser.Scale.FIT, autoCenter: Phaser.Scale.CENTER_HORIZONTALLY },
      banner: false,
      // No multisampled context: the SVG art is already anti-aliased when rasterised, and MSAA would
      // quadruple the fill cost where WebGL runs in software (headless Chromium, SwiftShader).
      render: { antialiasGL: false, clearBeforeRender: false, powerPreference: "high-performance" },
      audio: { noAudio: true },
      scene: [],
      callbacks: { postBoot: () => resolve(g) },
    });
    game = g;
  });
  return ready;
}

/** Shows `level` on the stage inside `host` (moving the canvas there) and returns when it is drawn. */
export async function showLevel(host: HTMLElement, level: Level, store: SceneStore): Promise<void> {
  const g = await boot();
  const root = g.canvas.parentElement as HTMLElement;
  host.replaceChildren(root);
  // The backdrop is the host's background (static, painted once), under the transparent canvas.
  host.style.backgroundImage = `url("assets/scenes/${encodeURIComponent(level.scene)}.svg")`;
  const canvas = g.canvas;
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", `${level.title}: the story scene`);
  g.scale.refresh();
  let scene = g.scene.getScene("story") as StoryScene | null;
  if (!scene) {
    scene = new StoryScene();
    g.scene.add("story", scene, false);
  }
  const created = new Promise<void>((resolve) => scene.events.once("create", () => resolve()));
  // Starting a running scene shuts it down and starts it again with the new data.
  g.scene.start("story", { level, store });
  await created;
}

/** Stops the story scene (leaving the play screen). */
export function hideStage(): void {
  if (game?.scene.getScene("story")) game.scene.stop("story");
}
