import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import {
  emptySave,
  isUnlocked,
  loadSave,
  recordRun,
  SAVE_KEY,
  UNREADABLE_KEY,
  writeSave,
} from "../src/app/save.ts";
import { humanScores, recordHumanScore } from "../src/app/scores.ts";
import {
  BEST_WITHOUT_GOAL,
  compileLevel,
  FLOW_MAIN,
  flowFrames,
  initialState,
  type Level,
  PHASE_COMPONENTS,
  step,
} from "../src/engine/index.ts";
import { LEVELS } from "../src/levels/index.ts";
import { NOMINAL_SCENARIO, ScenarioSchema } from "../src/pit-sim/index.ts";
import { SCENE_ART, type SceneArt, slotOn, storyPath } from "../src/scenes/art.ts";
import { readShippedLevels } from "../vite-plugin-levels.ts";

/** An in-memory Storage; `quota` makes every write throw QuotaExceededError. */
function memoryStorage(init: Record<string, string> = {}, quota = false): Storage {
  const m = new Map(Object.entries(init));
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => {
      if (quota) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      m.set(k, String(v));
    },
  };
}

describe("saves: progress survives, damage is recovered with a notice, nothing is lost", () => {
  const ids = LEVELS.map((l) => l.id);

  it("round-trips progress and settings", () => {
    const st = memoryStorage();
    const save = emptySave();
    expect(recordRun(save, "escape-the-room", { score: 150, tier: "Journeyman", steps: ["a"] })).toBe(true);
    expect(recordRun(save, "escape-the-room", { score: 120, tier: "Journeyman", steps: ["b"] })).toBe(false);
    save.settings.speed = "2x";
    expect(writeSave(st, save)).toBeNull();
    expect(loadSave(st)).toEqual({ save, notice: null });
  });

  it("unlocks each level when the one before is completed, or all with the setting", () => {
    const save = emptySave();
    expect(isUnlocked(save, ids, ids[0] as string)).toBe(true);
    expect(isUnlocked(save, ids, ids[1] as string)).toBe(false);
    recordRun(save, ids[0] as string, { score: 90, tier: "Apprentice", steps: [] });
    expect(isUnlocked(save, ids, ids[1] as string)).toBe(true);
    expect(isUnlocked(save, ids, ids[2] as string)).toBe(false);
    save.settings.unlockAll = true;
    expect(ids.every((id) => isUnlocked(save, ids, id))).toBe(true);
    expect(isUnlocked(save, ids, "no-such-level")).toBe(true);
  });

  it("resets a corrupt save with a notice and keeps the unreadable text", () => {
    const st = memoryStorage({ [SAVE_KEY]: '{"version":2,"best":{' });
    const r = loadSave(st);
    expect(r.save).toEqual(emptySave());
    expect(r.notice).toMatch(/corrupt .*reset.*fq\.save\.unreadable/);
    expect(st.getItem(UNREADABLE_KEY)).toBe('{"version":2,"best":{');
  });

  it("resets an unknown format version with a notice naming it", () => {
    const st = memoryStorage({ [SAVE_KEY]: '{"version":9,"best":{}}' });
    expect(loadSave(st).notice).toMatch(/version 9, expected 2/);
  });

  it("keeps the valid parts of a damaged save and names the damaged fields", () => {
    const raw = JSON.stringify({
      version: 2,
      best: { good: { score: 150, tier: "Master", steps: [] }, bad: { score: "lots" } },
      settings: { speed: "warp", sound: false },
    });
    const st = memoryStorage({ [SAVE_KEY]: raw });
    const r = loadSave(st);
    expect(Object.keys(r.save.best)).toEqual(["good"]);
    expect(r.save.settings).toMatchObject({ speed: "1x", sound: false });
    expect(r.notice).toContain("best.bad: not a valid run");
    expect(r.notice).toContain('settings.speed: "warp" is not 1x, 2x or instant');
    expect(st.getItem(UNREADABLE_KEY)).toBe(raw);
  });

  it("refuses a __proto__ key without polluting anything", () => {
    const st = memoryStorage({
      [SAVE_KEY]:
        '{"version":2,"best":{"__proto__":{"score":1,"tier":"Apprentice","steps":[]}},"settings":{}}',
    });
    const r = loadSave(st);
    expect(r.notice).toContain("best.__proto__: not allowed");
    expect(Object.keys(r.save.best)).toEqual([]);
    expect(({} as Record<string, unknown>).score).toBeUndefined();
  });

  it("upgrades the old per-level score lists", () => {
    const st = memoryStorage({ "fq.humanScores.v1": '{"escape-the-room":[90,200,150]}' });
    const r = loadSave(st);
    expect(r.save.best["escape-the-room"]).toEqual({ score: 200, tier: "Grand Maestro", steps: [] });
    expect(r.notice).toMatch(/upgraded/);
  });

  it("unlocks nothing from an old save's lost plays, and migrates a real old save only once", () => {
    // A play that did not reach the goal can score at most BEST_WITHOUT_GOAL: it must not count as progress.
    const lost = memoryStorage({ "fq.humanScores.v1": `{"escape-the-room":[45,${BEST_WITHOUT_GOAL}]}` });
    const r = loadSave(lost);
    expect(r.save.best).toEqual({});
    expect(r.notice).toBeNull();
    expect(isUnlocked(r.save, ["escape-the-room", "the-ancient-bridge"], "the-ancient-bridge")).toBe(false);
    // A real old save with a win is upgraded and written at once: the next load reads the new save.
    const old = memoryStorage({ "fq.humanScores.v1": '{"escape-the-room":[45,170]}' });
    expect(loadSave(old).notice).toMatch(/upgraded/);
    const again = loadSave(old);
    expect(again.notice).toBeNull();
    expect(again.save.best["escape-the-room"]?.score).toBe(170);
  });

  it("keeps the player's score lists apart from the save", () => {
    const st = memoryStorage({});
    vi.stubGlobal("localStorage", st);
    try {
      expect(recordHumanScore("escape-the-room", 45)).toBeNull();
      expect(humanScores("escape-the-room")).toEqual([45]);
      expect(st.getItem("fq.humanScores.v1")).toBeNull();
      const r = loadSave(st);
      expect(r.save.best).toEqual({});
      expect(r.notice).toBeNull();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("reports a full quota instead of losing the save silently", () => {
    expect(writeSave(memoryStorage({}, true), emptySave())).toMatch(/storage is full/);
  });
});

describe("the browser's build-time level loading", () => {
  it("serves exactly the validated shipped levels", () => {
    expect(readShippedLevels(join(import.meta.dirname, "../src/levels"))).toEqual(LEVELS);
  });

  it("fails the build with the file and field of a broken level", () => {
    const dir = mkdtempSync(join(tmpdir(), "fq-levels-"));
    writeFileSync(join(dir, "broken.json"), JSON.stringify({ ...LEVELS[0], tier: 9 }));
    expect(() => readShippedLevels(dir)).toThrow(/src\/levels\/broken\.json[\s\S]*tier/);
  });

  it("has the nominal scenario written out exactly as the schema makes it (so play ships without zod)", () => {
    expect(NOMINAL_SCENARIO).toEqual(ScenarioSchema.parse({ id: "nominal" }));
  });
});

describe("art and the Chambering Flow on screen", () => {
  it("every story ends its own way, and its pieces sit inside the scene, above the shelf", () => {
    const endings = LEVELS.map((l) => {
      const art = SCENE_ART[l.scene] as SceneArt;
      return `${art.reaction}+${art.burst}`;
    });
    expect(new Set(endings).size).toBe(LEVELS.length);
    for (const l of LEVELS) {
      const art = SCENE_ART[l.scene] as SceneArt;
      const path = storyPath(l);
      // Recovery decisions and prewarms are not steps of the story.
      expect(
        path.some((fn) => /^(retry|fallback|skip|prewarm)$/.test(fn)),
        l.id,
      ).toBe(false);
      expect(path.length, l.id).toBeGreaterThanOrEqual(3);
      for (let i = 0; i < path.length; i++) {
        const at = slotOn(art.track, i, path.length);
        expect(at.x - 20, `${l.id} piece ${i}`).toBeGreaterThanOrEqual(0);
        expect(at.x + 20, `${l.id} piece ${i}`).toBeLessThanOrEqual(960);
        expect(at.y - 20, `${l.id} piece ${i}`).toBeGreaterThanOrEqual(0);
        // The shelf starts at y 338.
        expect(at.y + 20, `${l.id} piece ${i}`).toBeLessThanOrEqual(338);
      }
      // Neighbouring pieces do not overlap.
      if (path.length > 1) {
        const a = slotOn(art.track, 0, path.length);
        const b = slotOn(art.track, 1, path.length);
        expect(Math.hypot(b.x - a.x, b.y - a.y), l.id).toBeGreaterThanOrEqual(40);
      }
    }
    expect(storyPath(LEVELS.find((l) => l.id === "launch-the-spaceship") as (typeof LEVELS)[number])).toEqual(
      [
        "inspect_hull",
        "fuel_engines",
        "calibrate_systems",
        "check_weather",
        "run_diagnostics",
        "grant_clearance",
        "brief_crew",
        "initiate_launch",
      ],
    );
  });

  it("every shipped level's scene has placement and drawn backdrop and hero files", () => {
    for (const l of LEVELS) {
      expect(SCENE_ART[l.scene], l.id).toBeDefined();
      expect(existsSync(join(import.meta.dirname, `../public/assets/scenes/${l.scene}.svg`)), l.scene).toBe(
        true,
      );
      expect(existsSync(join(import.meta.dirname, `../public/assets/heroes/${l.scene}.svg`)), l.scene).toBe(
        true,
      );
    }
  });

  it("walks each call of a step through its phases, with a component lit in each working phase", () => {
    const l = LEVELS.find((x) => x.id === "orchestrate-the-festival") as Level;
    const ctx = compileLevel(l);
    let s = initialState(ctx, l.seed);
    s = step(ctx, s, "book_bands").state;
    const r = step(ctx, s, "hire_security + prewarm(stage_crew)");
    s = r.state;
    const r2 = step(ctx, s, "arrange_seating + build_stage");
    const frames = flowFrames(r2.events);
    expect(new Set(frames.map((f) => f.fn))).toEqual(new Set(["arrange_seating", "build_stage"]));
    expect(frames.every((f) => f.calls === 2)).toBe(true);
    for (const fn of ["arrange_seating", "build_stage"])
      expect(frames.filter((f) => f.fn === fn).map((f) => f.phase)).toEqual(FLOW_MAIN);
    for (const f of frames)
      if (f.phase !== "done") expect(PHASE_COMPONENTS[f.phase].length).toBeGreaterThan(0);
  });
});
