/**
 * The story scene: the level's backdrop and hero object, with overlays showing the Pit's state (pool
 * gauges, DAG nodes, artifacts dropping onto the shelf, the Chambering Flow phase of the call at work).
 * It reads the game store and never changes it. Every animation honours the speed and reduced-motion
 * settings; at "instant" or with reduced motion nothing moves, things simply appear in their new state.
 */
import * as Phaser from "phaser";
import {
  describeEvent,
  type EngineEvent,
  type FlowFrame,
  type Level,
  type PlayView,
} from "../engine/api/view.ts";
import { timed } from "../ui/perf.ts";
import { type ItemIcon, itemIcon, sceneArt, storyPath } from "./art.ts";
import { burstEmitters, drawCrew, drawIcon, drawPiece, PARTICLES, StoryProps } from "./props.ts";

export const W = 960;
export const H = 400;
const COLORS = {
  text: "#e6e9f2",
  muted: "#97a0b8",
  accent: 0xf2b84b,
  good: 0x5fd39a,
  bad: 0xff6b6b,
  panel: 0x10131c,
};
const FONT = "system-ui, 'Segoe UI', sans-serif";

/** What the scene reads from the game store: the view model, the last step's events and the UI slice. */
export interface SceneState {
  readonly play: { readonly view: PlayView | null; readonly lastEvents: readonly EngineEvent[] };
  readonly ui: {
    readonly speed: "1x" | "2x" | "instant";
    readonly reducedMotion: boolean;
    readonly flow: FlowFrame | null;
  };
}

/** The store as the scene sees it (the app's store fits): it reads and subscribes, never writes. */
export interface SceneStore {
  getState(): SceneState;
  subscribe<T>(selector: (s: SceneState) => T, listener: (value: T) => void): () => void;
}

export interface StoryData {
  readonly level: Level;
  readonly store: SceneStore;
}

export class StoryScene extends Phaser.Scene {
  private data0!: StoryData;
  private hero!: Phaser.GameObjects.Image;
  /** The other heroes (the station's second train), behind the first. */
  private extraHeroes: Phaser.GameObjects.Image[] = [];
  /** The story's path (art.ts `storyPath`) and what it put on the scene. */
  private props!: StoryProps;
  private glow!: Phaser.GameObjects.Image;
  private shelf = new Map<string, Phaser.GameObjects.Container>();
  private poolBars = new Map<string, Phaser.GameObjects.Graphics>();
  private dagDots = new Map<string, Phaser.GameObjects.Arc>();
  private hudText!: Phaser.GameObjects.Text;
  private hudBox!: Phaser.GameObjects.Rectangle;
  private flash!: Phaser.GameObjects.Rectangle;
  private goalShown = false;
  private unsubscribe: (() => void)[] = [];

  constructor() {
    super("story");
  }

  init(data: StoryData): void {
    this.data0 = data;
    this.shelf = new Map();
    this.poolBars = new Map();
    this.dagDots = new Map();
    this.extraHeroes = [];
    this.props = new StoryProps(this, sceneArt(data.level.scene), storyPath(data.level), (n) => this.ms(n));
    this.facts = new Set();
    this.captions = [];
    this.goalShown = false;
  }

  preload(): void {
    const scene = this.data0.level.scene;
    if (!this.textures.exists(`hero-${scene}`)) {
      this.load.svg(`hero-${scene}`, `assets/heroes/${scene}.svg`, {
        width: sceneArt(scene).w * 2,
        height: sceneArt(scene).h * 2,
      });
    }
  }

  /** Duration of a movement, 0 when the player asked for no motion or instant play. */
  private ms(base: number): number {
    const ui = this.data0.store.getState().ui;
    if (ui.reducedMotion || ui.speed === "instant") return 0;
    return ui.speed === "2x" ? base / 2 : base;
  }

  create(): void {
    const { level, store } = this.data0;
    const scene = level.scene;
    const art = sceneArt(scene);
    // The backdrop is not drawn here: the stage shows it as the canvas's CSS background (see stage.ts), so
    // each frame only paints what moves; where WebGL runs in software a full-screen quad alone costs ms.
    if (!this.textures.exists("glow")) {
      const tex = this.textures.createCanvas("glow", 256, 256);
      const c = tex?.getContext();
      if (tex && c) {
        const gr = c.createRadialGradient(128, 128, 0, 128, 128, 128);
        gr.addColorStop(0, "rgba(255, 214, 120, 1)");
        gr.addColorStop(1, "rgba(255, 214, 120, 0)");
        c.fillStyle = gr;
        c.fillRect(0, 0, 256, 256);
        tex.refresh();
      }
    }
    this.glow = this.add
      .image(art.x + (0.5 - art.originX) * art.w, art.y - art.h * (art.originY - 0.5), "glow")
      .setDisplaySize(art.w * 2.2, art.h * 1.8)
      .setAlpha(0);
    const heroKey = this.textures.exists(`hero-${scene}`) ? `hero-${scene}` : "__WHITE";
    this.hero = this.add
      .image(art.x, art.y, heroKey)
      .setOrigin(art.originX, art.originY)
      .setDisplaySize(art.w, art.h);
    if (art.reaction === "rise") this.hero.setAlpha(0.55);

    for (const icon of ["key", "doc", "flask", "gear", "crate"] as ItemIcon[]) {
      if (this.textures.exists(`item-${icon}`)) continue;
      const g = this.make.graphics({}, false);
      drawIcon(g, icon);
      g.generateTexture(`item-${icon}`, 44, 44);
      g.destroy();
    }
    if (!this.textures.exists("spark")) {
      const g = this.make.graphics({}, false);
      g.fillStyle(0xffffff, 1).fillCircle(4, 4, 4);
      g.generateTexture("spark", 8, 8);
      g.destroy();
    }

    const pieceKey = `piece-${art.piece}`;
    const textures: [string, number, number, (g: Phaser.GameObjects.Graphics) => void][] = [
      [pieceKey, 40, 40, (g) => drawPiece(g, art.piece)],
      ["crew", 28, 40, drawCrew],
      ...Object.entries(PARTICLES).map(
        ([k, draw]) => [k, 12, 12, draw] as [string, number, number, typeof draw],
      ),
    ];
    for (const [key, w, h, draw] of textures) {
      if (this.textures.exists(key)) continue;
      const g = this.make.graphics({}, false);
      draw(g);
      g.generateTexture(key, w, h);
      g.destroy();
    }
    // The other heroes stand behind the first, up and to the right (the far track).
    for (let i = 1; i < (art.heroes ?? 1); i++)
      this.extraHeroes.push(
        this.add
          .image(art.x + 110 * i, art.y - 96 * i, heroKey)
          .setOrigin(art.originX, art.originY)
          .setDisplaySize(art.w * 0.68, art.h * 0.68)
          .setTint(0xc8d0e0)
          .setDepth(-i),
      );

    // The shelf: what the functions produced (the Artifact Store from tier 4).
    this.add.rectangle(0, H - 62, W, 62, COLORS.panel, 0.72).setOrigin(0);
    this.add.text(12, H - 58, level.panels.includes("artifacts") ? "ARTIFACT STORE" : "FOUND", {
      fontFamily: FONT,
      fontSize: "11px",
      color: COLORS.muted,
    });

    // Pool gauges (tier 3+): one bar per pool, a segment per slot.
    if (level.panels.includes("pools")) {
      level.pools.forEach((p, i) => {
        const x = 14 + i * 74;
        this.add.rectangle(x - 6, 8, 70, 92, COLORS.panel, 0.72).setOrigin(0);
        this.add.text(x, 12, p.label.length > 11 ? `${p.label.slice(0, 10)}…` : p.label, {
          fontFamily: FONT,
          fontSize: "10px",
          color: COLORS.muted,
        });
        this.poolBars.set(p.id, this.add.graphics({ x, y: 28 }));
      });
    }

    // DAG nodes (tier 4): a dot per function, lit as the DAG Tracker marks it done.
    if (level.panels.includes("dag")) {
      const n = level.functions.length;
      const x0 = W - 16 - n * 22;
      this.add.rectangle(x0 - 10, 8, n * 22 + 20, 36, COLORS.panel, 0.72).setOrigin(0);
      this.add.text(x0 - 4, 10, "DAG", { fontFamily: FONT, fontSize: "9px", color: COLORS.muted });
      level.functions.forEach((f, i) => {
        this.dagDots.set(
          f.id,
          this.add.circle(x0 + 11 + i * 22, 30, 7, 0x2a3246).setStrokeStyle(2, 0x97a0b8),
        );
      });
    }

    // The call at work, as a caption (the Chambering Flow itself is shown once, in the strip below).
    this.hudBox = this.add
      .rectangle(W / 2 - 150, 8, 300, 28, COLORS.panel, 0.8)
      .setOrigin(0)
      .setVisible(false);
    this.hudText = this.add
      .text(W / 2, 22, "", { fontFamily: FONT, fontSize: "14px", color: COLORS.text })
      .setOrigin(0.5);
    this.flash = this.add.rectangle(0, 0, W, H, COLORS.bad, 0).setOrigin(0);

    this.sync(store.getState().play.view, true);
    this.showFlow(store.getState().ui.flow);
    this.unsubscribe.push(
      store.subscribe(
        (s) => s.play.view,
        (v) => timed(() => this.wake(() => this.sync(v, false))),
      ),
      store.subscribe(
        (s) => s.play.lastEvents,
        (e) => timed(() => this.wake(() => this.react(e))),
      ),
      store.subscribe(
        (s) => s.ui.flow,
        (f) => timed(() => this.wake(() => this.showFlow(f))),
      ),
    );
    this.events.once("shutdown", () => {
      for (const off of this.unsubscribe) off();
      this.unsubscribe = [];
      this.tweens.killAll();
    });
  }

  /**
   * The loop sleeps while nothing moves (no tween, no particles) and wakes on every change from the store,
   * so an idle level costs no frames; where WebGL runs in software this keeps the page responsive.
   */
  private idleFrames = 0;

  private wake(fn: () => void): void {
    this.idleFrames = 0;
    if (!this.game.loop.running) this.game.loop.wake();
    fn();
  }

  override update(): void {
    const busy =
      this.tweens.getTweens().length > 0 ||
      this.children.list.some(
        (o) => o instanceof Phaser.GameObjects.Particles.ParticleEmitter && o.getAliveParticleCount() > 0,
      );
    // A few frames of grace so the last change is drawn before sleeping.
    this.idleFrames = busy ? 0 : this.idleFrames + 1;
    if (this.idleFrames > 3) this.game.loop.sleep();
  }

  /** Facts seen so far: a new one is announced in the scene (the door unlocks, the bridge holds). */
  private facts = new Set<string>();

  /** Brings the overlays to the engine's view of the state. */
  private sync(v: PlayView | null, first: boolean): void {
    if (!v) return;
    const fresh = v.facts.filter((f) => !this.facts.has(f));
    this.facts = new Set(v.facts);
    if (!first)
      fresh.forEach((f, i) => this.floatText(`✓ ${f.replaceAll("_", " ")}`, "#f2d27a", 60 + i * 30));
    // Shelf: add new artifacts (dropping in), remove gone ones.
    const ids = v.artifacts.map((a) => a.id);
    for (const [id, c] of this.shelf)
      if (!ids.includes(id)) {
        c.destroy();
        this.shelf.delete(id);
      }
    v.artifacts.forEach((a, i) => {
      const x = 160 + i * 108;
      let c = this.shelf.get(a.id);
      if (!c) {
        const label = this.add
          .text(0, 26, a.id.length > 14 ? `${a.id.slice(0, 13)}…` : a.id, {
            fontFamily: FONT,
            fontSize: "10px",
            color: COLORS.text,
          })
          .setOrigin(0.5, 0);
        c = this.add.container(x, H - 44, [this.add.image(0, 0, `item-${itemIcon(a.id)}`), label]);
        this.shelf.set(a.id, c);
        const ms = first ? 0 : this.ms(600);
        if (ms) {
          c.y = H - 260;
          c.setAlpha(0);
          this.tweens.add({ targets: c, y: H - 44, alpha: 1, duration: ms, ease: "Bounce.easeOut" });
        }
      } else c.x = x;
      c.setAlpha(a.quality === "good" ? 1 : 0.5);
    });
    // Pool gauges: each slot a segment coloured by its phase (the engine's reading of it at this tick).
    for (const p of v.pools) {
      const g = this.poolBars.get(p.id);
      if (!g) continue;
      g.clear();
      const n = p.slots.length;
      const h = Math.min(16, Math.floor(64 / Math.max(1, n)) - 2);
      p.slots.forEach((phase, i) => {
        const color =
          phase === "busy"
            ? COLORS.accent
            : phase === "warm"
              ? 0xff9f5a
              : phase === "prewarmed"
                ? COLORS.good
                : 0x2d6cdf;
        g.fillStyle(color, phase === "cold" ? 0.45 : 1).fillRoundedRect(0, 62 - (i + 1) * (h + 2), 56, h, 3);
      });
    }
    for (const [id, dot] of this.dagDots) {
      const st = v.dag[id] ?? "pending";
      dot.setFillStyle(
        st === "done" ? COLORS.good : st === "failed" ? COLORS.bad : st === "skipped" ? 0x555a66 : 0x2a3246,
      );
    }
    // Progress along the story's path (the functions the level's own solution calls, as the DAG Tracker
    // marks them): each finished step puts its piece on the scene (the table fills, the quay stacks up),
    // the hero brightens with it, and what is built in the story (the bridge, the levee) rises with it,
    // from its footings up, instead of standing finished before the first call.
    this.props.placePieces(v, first);
    const done = this.props.path.filter((fn) => v.dag[fn] === "done").length;
    const progress = v.status === "won" ? 1 : done / Math.max(1, this.props.path.length);
    this.glow.setAlpha(0.45 * progress);
    if (sceneArt(this.data0.level.scene).reaction === "rise" && !this.goalShown) {
      const fw = this.hero.frame.width;
      const fh = this.hero.frame.height;
      const shown = 0.12 + 0.88 * progress;
      this.hero.setAlpha(0.55 + 0.45 * progress).setCrop(0, fh * (1 - shown), fw, fh * shown);
    }
    if (v.status === "won" && !this.goalShown) this.celebrate(first);
    // A restart after a win: start the scene over from the fresh state.
    if (v.status !== "won" && this.goalShown) this.scene.restart(this.data0);
    this.mark();
  }

  /** What the scene shows of the story, as the canvas's `data-story` (docs/game.md; e2e/scenes.spec.ts). */
  private mark(): void {
    const canvas = this.game.canvas as HTMLCanvasElement | undefined;
    if (!canvas?.dataset) return;
    const success = this.goalShown ? sceneArt(this.data0.level.scene).reaction : null;
    canvas.dataset.story = JSON.stringify({
      ...this.props.marks(),
      heroes: 1 + this.extraHeroes.length,
      success,
    });
  }

  /**
   * Failures and recoveries, in the engine's words and on the scene where the step's piece goes: a failed
   * call sparks and shakes its place (the pump stalls), a retry turns there (and restarts), a fallback
   * brings the crew in to do it by hand.
   */
  private react(events: readonly EngineEvent[]): void {
    for (const e of events) {
      const d = describeEvent(e);
      if (!d) continue;
      if (e.type === "CallFailed" || e.type === "CallRejected") {
        const ms = this.ms(500);
        this.flash.setAlpha(ms ? 0.25 : 0);
        if (ms) this.tweens.add({ targets: this.flash, alpha: 0, duration: ms });
        this.floatText(d.short, "#ff9a9a");
        if (e.type === "CallFailed") {
          this.props.failures++;
          this.props.stall(e.fn, ms);
        }
      } else if (d.incident === "recovery") {
        this.floatText(d.short, "#8fe3b8", 30);
        if (e.type === "RetryAttempted" || (e.type === "RecoveryChosen" && e.decision === "retry"))
          this.props.restart(e.fn);
        if (e.type === "FallbackActivated") this.props.stepIn(e.fn);
      }
    }
    this.mark();
  }

  /** Captions on screen, oldest first: at most MAX_CAPTIONS, so a fast replay never piles them up. */
  private captions: Phaser.GameObjects.Text[] = [];

  private floatText(text: string, color: string, dy = 0): void {
    const MAX_CAPTIONS = 3;
    while (this.captions.length >= MAX_CAPTIONS) this.captions.shift()?.destroy();
    const art = sceneArt(this.data0.level.scene);
    const t = this.add
      .text(
        Math.min(W - 200, Math.max(200, art.x)),
        // Each caption on its own line below the ones still showing (dy keeps a recovery under its failure).
        70 + dy + this.captions.length * 30,
        text.length > 60 ? `${text.slice(0, 59)}…` : text,
        {
          fontFamily: FONT,
          fontSize: "15px",
          color,
          backgroundColor: "#10131ccc",
          padding: { x: 8, y: 4 },
        },
      )
      .setOrigin(0.5);
    this.captions.push(t);
    const ms = this.ms(1400);
    this.tweens.add({
      targets: t,
      y: t.y - (ms ? 24 : 0),
      alpha: 0,
      delay: ms ? ms / 2 : 1200,
      duration: ms || 400,
      onComplete: () => {
        this.captions = this.captions.filter((c) => c !== t);
        t.destroy();
      },
    });
  }

  private celebrate(first: boolean): void {
    this.goalShown = true;
    const art = sceneArt(this.data0.level.scene);
    const ms = first ? 0 : this.ms(1800);
    const h = this.hero;
    this.glow.setAlpha(0.6);
    switch (art.reaction) {
      case "swing":
        this.tweens.add({ targets: h, scaleX: h.scaleX * 0.18, duration: ms, ease: "Cubic.easeOut" });
        break;
      case "lift":
        this.tweens.add({ targets: h, y: h.y - 520, duration: ms, ease: "Cubic.easeIn" });
        if (ms && art.exhaust)
          this.add.particles(art.x, art.y, "spark", {
            speed: { min: 40, max: 140 },
            angle: { min: 70, max: 110 },
            lifespan: 900,
            tint: [0xffd27a, 0xff7a3c],
            scale: { start: 1.4, end: 0 },
            duration: ms,
            frequency: 20,
          });
        break;
      case "spin":
        this.tweens.add({ targets: h, angle: 360, duration: ms ? 3000 : 0, repeat: ms ? -1 : 0 });
        break;
      case "beam": {
        const beam = this.add
          .triangle(art.x, art.y, 0, 0, 420, -60, 420, 60, 0xfff3b0, 0.35)
          .setOrigin(0, 0.5);
        if (ms)
          this.tweens.add({
            targets: beam,
            angle: { from: -25, to: 25 },
            duration: 2400,
            yoyo: true,
            repeat: -1,
          });
        break;
      }
      case "rise":
        h.setAlpha(1).setCrop();
        if (ms)
          this.tweens.add({ targets: h, y: { from: h.y + 60, to: h.y }, duration: ms, ease: "Back.easeOut" });
        break;
      case "glow":
        if (ms)
          this.tweens.add({ targets: h, scale: h.scale * 1.06, duration: ms / 4, yoyo: true, repeat: 1 });
        break;
      case "depart":
        // Every train pulls out, the nearest first.
        [h, ...this.extraHeroes].forEach((train, i) =>
          this.tweens.add({
            targets: train,
            x: train.x + W + art.w,
            delay: ms ? i * (ms / 3) : 0,
            duration: ms,
            ease: "Cubic.easeIn",
          }),
        );
        break;
      case "flag":
        this.props.raiseFlag(ms);
        break;
    }
    if (ms)
      for (const b of burstEmitters(art.burst, art, ms, W)) this.add.particles(b.x, b.y, b.texture, b.config);
  }

  private showFlow(f: FlowFrame | null): void {
    // Text changes once per call (re-rendering text is the costly part), not once per phase.
    const text = f ? `${f.fn}${f.calls > 1 ? `  (${f.call + 1}/${f.calls})` : ""}` : "";
    if (this.hudText.text !== text) this.hudText.setText(text);
    this.hudBox.setVisible(text !== "");
  }
}
