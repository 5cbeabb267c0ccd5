/**
 * The story's props, drawn in code: the pieces each finished step puts on the scene (art.ts says which),
 * the crew that steps in when a call falls back, and the particles of each success moment.
 */
import type * as Phaser from "phaser";
import type { PlayView } from "../engine/api/view.ts";
import { type Burst, type ItemIcon, type Piece, type SceneArt, slotOn } from "./art.ts";

const FONT = "system-ui, 'Segoe UI', sans-serif";

const INK = 0x1b2233;
const GOLD = 0xf2b84b;

type G = Phaser.GameObjects.Graphics;

/** A gear in the current fill, centred at (c, c): a hub of radius r with eight teeth of side `tooth` at `reach`. */
function drawGear(g: G, c: number, r: number, reach: number, tooth: number): void {
  for (let i = 0; i < 8; i++) {
    const a = (i * Math.PI) / 4;
    g.fillRect(c + Math.cos(a) * reach - 3, c + Math.sin(a) * reach - 3, tooth, tooth);
  }
  g.fillCircle(c, c, r).fillStyle(INK, 1).fillCircle(c, c, 4);
}

/** Draws a 44×44 shelf icon. */
export function drawIcon(g: Phaser.GameObjects.Graphics, icon: ItemIcon): void {
  g.fillStyle(INK, 1).fillRoundedRect(0, 0, 44, 44, 10);
  g.lineStyle(2, GOLD, 1).strokeRoundedRect(1, 1, 42, 42, 10);
  g.fillStyle(GOLD, 1);
  switch (icon) {
    case "key":
      g.fillCircle(15, 22, 7).fillStyle(INK, 1).fillCircle(15, 22, 3).fillStyle(GOLD, 1);
      g.fillRect(21, 20, 16, 4).fillRect(31, 24, 3, 6).fillRect(35, 24, 2, 4);
      break;
    case "doc":
      g.fillStyle(0xe6e9f2, 1).fillRect(13, 9, 18, 26).fillStyle(0x97a0b8, 1);
      for (const y of [15, 20, 25, 30]) g.fillRect(16, y, 12, 2);
      break;
    case "flask":
      g.fillStyle(0x8fd3ff, 1).fillRect(19, 9, 6, 10).fillTriangle(11, 36, 33, 36, 22, 16);
      g.fillStyle(0x5fd39a, 1).fillTriangle(14, 34, 30, 34, 22, 24);
      break;
    case "gear":
      drawGear(g, 22, 10, 12, 6);
      break;
    case "crate":
      g.fillStyle(0xc98b4b, 1).fillRect(11, 11, 22, 22).lineStyle(2, 0x7a5230, 1).strokeRect(11, 11, 22, 22);
      g.lineBetween(11, 11, 33, 33).lineBetween(33, 11, 11, 33);
      break;
  }
}

/** Draws a 40×40 piece. */
export function drawPiece(g: G, kind: Piece): void {
  switch (kind) {
    case "key":
      g.fillStyle(GOLD, 1).fillCircle(12, 20, 8).fillStyle(INK, 1).fillCircle(12, 20, 3);
      g.fillStyle(GOLD, 1).fillRect(19, 18, 17, 4).fillRect(30, 22, 3, 6).fillRect(35, 22, 2, 4);
      break;
    case "stone":
    case "sandbag": {
      const sand = kind === "sandbag";
      g.fillStyle(sand ? 0xb89a62 : 0x8d8a84, 1).fillRoundedRect(2, 10, 36, 22, sand ? 10 : 4);
      g.fillStyle(sand ? 0xd9bf86 : 0xaaa69e, 1).fillRoundedRect(5, 12, 30, 8, sand ? 4 : 2);
      g.lineStyle(2, sand ? 0x7a6238 : 0x5d5a55, 1).strokeRoundedRect(2, 10, 36, 22, sand ? 10 : 4);
      if (sand) g.lineBetween(20, 12, 20, 30);
      break;
    }
    case "seal":
      g.fillStyle(0xefe3c4, 1).fillRect(6, 8, 28, 24).lineStyle(1, 0xb8a77f, 1).strokeRect(6, 8, 28, 24);
      g.fillStyle(0xc0392b, 1).fillCircle(20, 28, 7).fillStyle(0x8e2a20, 1).fillCircle(20, 28, 3);
      break;
    case "oil":
      g.fillStyle(0x6b4a2a, 1)
        .fillRoundedRect(8, 12, 24, 24, 4)
        .fillStyle(0x8a6238, 1)
        .fillRect(8, 18, 24, 4);
      g.fillStyle(GOLD, 1).fillRect(16, 6, 8, 6).fillTriangle(32, 16, 38, 10, 32, 22);
      break;
    case "cog":
      drawGear(g.fillStyle(0xb8bcc8, 1), 20, 12, 14, 7);
      break;
    case "dish":
      g.fillStyle(0xe6e9f2, 1).fillEllipse(20, 30, 38, 10).fillStyle(0xd98a3a, 1).fillEllipse(20, 24, 24, 14);
      g.fillStyle(0x5fd39a, 1).fillCircle(12, 24, 3).fillStyle(0xff6b6b, 1).fillCircle(27, 23, 3);
      break;
    case "lantern":
      g.lineStyle(2, 0x6b4a2a, 1).lineBetween(20, 0, 20, 8);
      g.fillStyle(0xffb347, 1).fillEllipse(20, 22, 24, 28).fillStyle(0xffe7a3, 1).fillEllipse(20, 22, 12, 18);
      g.fillStyle(0x8e2a20, 1).fillRect(12, 7, 16, 3).fillRect(12, 34, 16, 3);
      break;
    case "page":
    case "book": {
      if (kind === "page") {
        g.fillStyle(0xf4f1e8, 1).fillRect(8, 4, 24, 32).fillStyle(0x97a0b8, 1);
        for (const y of [10, 15, 20, 25, 30]) g.fillRect(11, y, y === 30 ? 10 : 18, 2);
      } else {
        g.fillStyle(0x8e2a20, 1).fillRect(6, 8, 10, 28).fillStyle(0x2e6f8e, 1).fillRect(16, 6, 9, 30);
        g.fillStyle(0x5c8a3a, 1).fillRect(25, 10, 9, 26).fillStyle(GOLD, 1).fillRect(6, 14, 28, 2);
      }
      break;
    }
    case "ingot":
      g.fillStyle(0xff7a3c, 1).fillTriangle(4, 32, 36, 32, 30, 14).fillTriangle(4, 32, 10, 14, 30, 14);
      g.fillStyle(0xffd27a, 1).fillRect(12, 16, 16, 4);
      break;
    case "pennant":
      g.lineStyle(2, 0xe6e9f2, 1).lineBetween(6, 4, 6, 38);
      g.fillStyle(0xff6b6b, 1)
        .fillTriangle(7, 5, 36, 12, 7, 20)
        .fillStyle(GOLD, 1)
        .fillTriangle(7, 12, 20, 12, 7, 17);
      break;
    case "crate":
      g.fillStyle(0xc98b4b, 1).fillRect(4, 6, 32, 30).lineStyle(2, 0x7a5230, 1).strokeRect(4, 6, 32, 30);
      g.lineBetween(4, 6, 36, 36).lineBetween(36, 6, 4, 36);
      break;
    case "star":
      g.fillStyle(0xfff3b0, 1).fillPoints(starPoints(20, 20, 16, 7), true);
      break;
    case "carriage":
      g.fillStyle(0x8e2a20, 1).fillRoundedRect(2, 8, 36, 20, 3).fillStyle(0xffe7a3, 1);
      g.fillRect(6, 12, 8, 7).fillRect(16, 12, 8, 7).fillRect(26, 12, 8, 7);
      g.fillStyle(0x23232a, 1).fillCircle(10, 32, 5).fillCircle(30, 32, 5);
      break;
    case "spot":
      g.fillStyle(0xfff3b0, 0.35).fillTriangle(20, 14, 4, 40, 36, 40);
      g.fillStyle(0x3a3f4f, 1).fillRoundedRect(10, 2, 20, 14, 4).fillStyle(0xfff3b0, 1).fillCircle(20, 14, 5);
      break;
    case "check":
      g.fillStyle(0x10131c, 1)
        .fillRoundedRect(2, 2, 36, 36, 8)
        .lineStyle(2, 0x5fd39a, 1)
        .strokeRoundedRect(2, 2, 36, 36, 8);
      g.lineStyle(5, 0x5fd39a, 1).lineBetween(10, 21, 17, 28).lineBetween(17, 28, 30, 12);
      break;
    case "flask":
      g.fillStyle(0xdbe8ff, 0.9).fillRect(16, 4, 8, 12).fillTriangle(6, 36, 34, 36, 20, 12);
      g.fillStyle(0xb26bff, 1).fillTriangle(9, 34, 31, 34, 20, 22);
      break;
    case "chip":
      g.fillStyle(0x2e6f8e, 1)
        .fillRoundedRect(8, 8, 24, 24, 3)
        .fillStyle(0x8fd3ff, 1)
        .fillRect(14, 14, 12, 12);
      g.fillStyle(0xb8bcc8, 1);
      for (const t of [12, 18, 24])
        g.fillRect(t, 3, 3, 5).fillRect(t, 32, 3, 5).fillRect(3, t, 5, 3).fillRect(32, t, 5, 3);
      break;
    case "note":
      g.fillStyle(GOLD, 1).fillEllipse(13, 31, 14, 10).fillEllipse(29, 27, 14, 10);
      g.fillRect(18, 6, 3, 25).fillRect(34, 4, 3, 23).fillRect(18, 4, 19, 5);
      break;
  }
}

function starPoints(cx: number, cy: number, r: number, ri: number): Phaser.Math.Vector2[] {
  const pts: { x: number; y: number }[] = [];
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const rr = i % 2 ? ri : r;
    pts.push({ x: cx + Math.cos(a) * rr, y: cy + Math.sin(a) * rr });
  }
  // fillPoints reads only x and y.
  return pts as unknown as Phaser.Math.Vector2[];
}

/** The crew that steps in for a fallback: a worker in a hard hat, 28×40. */
export function drawCrew(g: G): void {
  g.fillStyle(0xf0c29a, 1).fillCircle(14, 11, 6);
  g.fillStyle(GOLD, 1).fillEllipse(14, 6, 16, 7).fillRect(5, 6, 18, 3);
  g.fillStyle(0xff8c3a, 1).fillRoundedRect(6, 17, 16, 14, 3).fillStyle(0xe6e9f2, 1).fillRect(6, 23, 16, 2);
  g.fillStyle(0x2e3a55, 1).fillRect(7, 31, 6, 9).fillRect(15, 31, 6, 9);
}

/** Small particle textures: key and drawing, each 12×12 unless noted. */
export const PARTICLES: Readonly<Record<string, (g: G) => void>> = {
  "p-dot": (g) => g.fillStyle(0xffffff, 1).fillCircle(6, 6, 5),
  "p-square": (g) => g.fillStyle(0xffffff, 1).fillRect(2, 3, 8, 6),
  "p-star": (g) => g.fillStyle(0xffffff, 1).fillPoints(starPoints(6, 6, 6, 2.6), true),
  "p-note": (g) => g.fillStyle(0xffffff, 1).fillEllipse(4, 9, 7, 5).fillRect(6, 1, 2, 8).fillRect(6, 1, 5, 2),
  "p-petal": (g) => g.fillStyle(0xffffff, 1).fillEllipse(6, 6, 11, 6),
  "p-ring": (g) => g.lineStyle(2, 0xffffff, 1).strokeCircle(6, 6, 4.5),
  "p-page": (g) => g.fillStyle(0xffffff, 1).fillRect(2, 1, 8, 10),
};

export interface BurstEmitter {
  readonly x: number;
  readonly y: number;
  readonly texture: string;
  readonly config: Phaser.Types.GameObjects.Particles.ParticleEmitterConfig;
}

/**
 * The success moment's particles for a scene (`art.burst`), lasting about `ms`; every emitter stops by
 * itself, so the scene's loop can sleep again.
 */
export function burstEmitters(kind: Burst, art: SceneArt, ms: number, width: number): BurstEmitter[] {
  const heroTop = art.y - art.h * art.originY;
  const cx = art.x + (0.5 - art.originX) * art.w;
  const fromSky = (texture: string, tint: number[], extra: object = {}): BurstEmitter => ({
    x: width / 2,
    y: -10,
    texture,
    config: {
      x: { min: -width / 2, max: width / 2 },
      speedY: { min: 60, max: 160 },
      speedX: { min: -30, max: 30 },
      rotate: { min: 0, max: 360 },
      lifespan: 2600,
      tint,
      scale: { start: 1.1, end: 0.6 },
      duration: ms,
      frequency: 22,
      ...extra,
    },
  });
  const fromHero = (texture: string, tint: number[], extra: object = {}): BurstEmitter => ({
    x: cx,
    y: heroTop + art.h * 0.3,
    texture,
    config: {
      x: { min: -art.w * 0.35, max: art.w * 0.35 },
      speedY: { min: -120, max: -40 },
      speedX: { min: -40, max: 40 },
      lifespan: 1800,
      tint,
      alpha: { start: 1, end: 0 },
      duration: ms,
      frequency: 30,
      ...extra,
    },
  });
  // Thrown up from the hero and falling back: speed and angle instead of the default speedX/speedY
  // (Phaser reads a key that is present even when it is undefined, so they are taken out).
  const thrown = (
    tint: number[],
    speed: [number, number],
    angle: [number, number],
    gravityY: number,
    end: number,
  ) => {
    const e = fromHero("p-dot", tint, {
      speed: { min: speed[0], max: speed[1] },
      angle: { min: angle[0], max: angle[1] },
      gravityY,
      scale: { start: 0.65, end },
      lifespan: 1300,
      frequency: 13,
    });
    const { speedX: _x, speedY: _y, ...config } = e.config;
    return { ...e, config };
  };
  switch (kind) {
    case "confetti":
      return [fromSky("p-square", [0xf2b84b, 0x5fd39a, 0x8fd3ff, 0xff6b6b])];
    case "petals":
      return [fromSky("p-petal", [0xff9ab8, 0xffc4d6, 0xffffff], { speedY: { min: 40, max: 90 } })];
    case "leaves":
      return [fromSky("p-petal", [0xc9a14a, 0x8fbf5a, 0xe0c080], { speedX: { min: 20, max: 90 } })];
    case "pages":
      return [fromSky("p-page", [0xf4f1e8, 0xe6e9f2], { speedY: { min: 40, max: 100 }, frequency: 40 })];
    case "stars":
      return [
        fromSky("p-star", [0xfff3b0, 0xffffff, 0x8fd3ff], {
          speedY: { min: 20, max: 60 },
          scale: { start: 1.4, end: 0 },
        }),
      ];
    case "motes":
      return [
        fromHero("p-dot", [0xffe7a3], { scale: { start: 0.5, end: 0.1 }, speedY: { min: -40, max: -10 } }),
      ];
    case "steam":
      return [
        fromHero("p-dot", [0xe6e9f2], { scale: { start: 1, end: 3.5 }, alpha: { start: 0.5, end: 0 } }),
      ];
    case "lights":
      return [
        fromHero("p-dot", [0xffb347, 0xffd27a], {
          x: { min: -400, max: 400 },
          speedY: { min: -50, max: -20 },
          lifespan: 3200,
        }),
      ];
    case "bubbles":
      return [fromHero("p-ring", [0x8fd3ff, 0x5fd39a, 0xb26bff], { scale: { start: 0.8, end: 1.8 } })];
    case "notes":
      return [
        fromHero("p-note", [0xf2b84b, 0x8fd3ff, 0xffffff], { scale: { start: 1.6, end: 1 }, lifespan: 2400 }),
      ];
    case "embers":
      return [thrown([0xff7a3c, 0xffd27a], [120, 260], [200, 340], 260, 0)];
    case "sparks":
      return [thrown([0x8fd3ff, 0xffffff, 0xf2b84b], [120, 260], [200, 340], 260, 0)];
    case "splash":
      return [thrown([0x8fd3ff, 0xdbe8ff], [100, 220], [230, 310], 300, 0.2)];
    case "fireworks":
      return [0.25, 0.5, 0.75].map((f, i) => ({
        x: width * f,
        y: 70 + (i % 2) * 40,
        texture: "p-star",
        config: {
          speed: { min: 60, max: 180 },
          lifespan: 1300,
          tint: [
            [0xff6b6b, 0xf2b84b],
            [0x8fd3ff, 0xffffff],
            [0x5fd39a, 0xf2b84b],
          ][i] as number[],
          scale: { start: 1, end: 0 },
          gravityY: 60,
          quantity: 36,
          frequency: Math.max(300, ms / 3),
          delay: i * 250,
          duration: ms,
        },
      }));
  }
}

/**
 * The story's props on a scene (docs/game.md, "The story on the scene"): a piece per finished step of the
 * story's path, a dashed gap per skipped one, sparks where a call fails, a turn where it is retried, the
 * crew where a fallback takes over, the castle's banner. `ms` gives a movement's duration (0: no motion).
 */
export class StoryProps {
  readonly pieces = new Map<string, Phaser.GameObjects.Image>();
  readonly skipped = new Map<string, Phaser.GameObjects.Graphics>();
  readonly crew = new Map<string, Phaser.GameObjects.Image>();
  failures = 0;

  constructor(
    private readonly scene: Phaser.Scene,
    private readonly art: SceneArt,
    readonly path: readonly string[],
    private readonly ms: (base: number) => number,
  ) {}

  /** What the props show: the steps whose pieces stand, the ones skipped, the crew, failures shown. */
  marks(): {
    path: readonly string[];
    pieces: string[];
    skipped: string[];
    crew: string[];
    failures: number;
  } {
    return {
      path: this.path,
      pieces: this.path.filter((fn) => this.pieces.has(fn)),
      skipped: [...this.skipped.keys()],
      crew: [...this.crew.keys()],
      failures: this.failures,
    };
  }

  /** Where step `fn` of the story's path puts its piece (the hero's place for a step off the path). */
  slotOf(fn: string): { x: number; y: number } {
    const art = this.art;
    const i = this.path.indexOf(fn);
    if (i < 0) return { x: art.x + (0.5 - art.originX) * art.w, y: art.y - art.h * art.originY + art.h / 2 };
    return slotOn(art.track, i, this.path.length);
  }

  /** A piece per finished step of the path, a dashed empty place per skipped one; undone steps lose theirs. */
  placePieces(v: PlayView, first: boolean): void {
    const art = this.art;
    for (const fn of this.path) {
      const st = v.dag[fn] ?? "pending";
      const at = this.slotOf(fn);
      let piece = this.pieces.get(fn);
      if (st === "done" && !piece) {
        piece = this.scene.add.image(at.x, at.y, `piece-${art.piece}`);
        this.pieces.set(fn, piece);
        const ms = first ? 0 : this.ms(500);
        if (ms)
          this.scene.tweens.add({
            targets: piece,
            y: { from: at.y - 40, to: at.y },
            alpha: { from: 0, to: 1 },
            scale: { from: 1.4, to: 1 },
            duration: ms,
            ease: "Back.easeOut",
          });
      } else if (st !== "done" && piece) {
        piece.destroy();
        this.pieces.delete(fn);
      }
      let gap = this.skipped.get(fn);
      if (st === "skipped" && !gap) {
        gap = this.scene.add.graphics({ x: at.x - 20, y: at.y - 20 });
        gap.lineStyle(2, 0x97a0b8, 0.8);
        for (let d = 0; d < 40; d += 8) {
          gap.lineBetween(d, 0, d + 4, 0).lineBetween(d, 40, d + 4, 40);
          gap.lineBetween(0, d, 0, d + 4).lineBetween(40, d, 40, d + 4);
        }
        this.skipped.set(fn, gap);
      } else if (st !== "skipped" && gap) {
        gap.destroy();
        this.skipped.delete(fn);
      }
    }
  }

  /** The failed step's place sparks and shakes. */
  stall(fn: string, ms: number): void {
    const at = this.slotOf(fn);
    const cross = this.scene.add
      .text(at.x, at.y, "✕", { fontFamily: FONT, fontSize: "30px", color: "#ff6b6b" })
      .setOrigin(0.5);
    if (!ms) {
      // Still readable without motion: shown for a moment, then gone (a tween keeps the loop awake).
      this.scene.tweens.add({
        targets: cross,
        alpha: 0,
        delay: 600,
        duration: 1,
        onComplete: () => cross.destroy(),
      });
      return;
    }
    this.scene.add.particles(at.x, at.y, "p-dot", {
      speed: { min: 80, max: 200 },
      lifespan: 500,
      tint: [0xff6b6b, 0xffd27a],
      scale: { start: 0.6, end: 0 },
      quantity: 14,
      frequency: ms,
      duration: ms / 2,
    });
    this.scene.tweens.add({
      targets: cross,
      x: { from: at.x - 6, to: at.x + 6 },
      duration: 60,
      yoyo: true,
      repeat: 4,
      onComplete: () =>
        this.scene.tweens.add({ targets: cross, alpha: 0, duration: ms, onComplete: () => cross.destroy() }),
    });
  }

  /** A retry: the step's place turns once, and the work starts again. */
  restart(fn: string): void {
    const at = this.slotOf(fn);
    const ms = this.ms(700);
    const turn = this.scene.add
      .text(at.x, at.y, "↻", { fontFamily: FONT, fontSize: "30px", color: "#8fe3b8" })
      .setOrigin(0.5);
    this.scene.tweens.add({
      targets: turn,
      angle: 360,
      alpha: { from: 1, to: 0 },
      duration: ms || 1,
      delay: ms ? 0 : 600,
      onComplete: () => turn.destroy(),
    });
  }

  /** A fallback: the crew walks in and stays beside the step it took over. */
  stepIn(fn: string): void {
    if (this.crew.has(fn)) return;
    const at = this.slotOf(fn);
    const worker = this.scene.add.image(at.x - 30, at.y + 2, "crew");
    this.crew.set(fn, worker);
    const ms = this.ms(900);
    if (ms)
      this.scene.tweens.add({
        targets: worker,
        x: { from: -20, to: at.x - 30 },
        duration: ms,
        ease: "Sine.easeOut",
      });
  }

  /** The castle's banner climbs its pole above the hero. */
  raiseFlag(ms: number): void {
    const art = this.art;
    const top = art.y - art.h * art.originY;
    const x = art.x + (0.5 - art.originX) * art.w;
    this.scene.add.rectangle(x, top - 70, 3, 80, 0xe6e9f2).setOrigin(0.5, 0);
    const flag = this.scene.add.triangle(x + 2, top, 0, 0, 46, 12, 0, 24, 0xf2b84b).setOrigin(0, 0);
    this.scene.tweens.add({ targets: flag, y: top - 70, duration: ms || 1, ease: "Sine.easeOut" });
  }
}
