import { describe, expect, it } from "vitest";
import { createGameStore } from "../src/app/store.ts";
import {
  actionIndexOf,
  createEnv,
  type GameState,
  hashState,
  type Level,
  UNDO_ACTION,
} from "../src/engine/index.ts";
import { getLevel } from "../src/levels/index.ts";

const escape = getLevel("escape-the-room") as Level;

describe("the game store (intent -> engine -> store -> view)", () => {
  it("plays a level through its actions and ends with the engine's final score", () => {
    const store = createGameStore();
    store.getState().loadLevel(escape);
    for (const a of escape.solutions.reference.steps) store.getState().act(a);
    const { play } = store.getState();
    expect(play.state?.status).toBe("won");
    expect(play.score).toMatchObject({ total: 200, tier: "Grand Maestro", final: true });
    expect(play.lastEvents.map((e) => e.type)).toContain("GoalReached");
    expect(play.mask.every((m) => m === 0)).toBe(true);
  });

  it("keeps a rejected intent's typed reason, and the mask says what is allowed", () => {
    const store = createGameStore();
    store.getState().loadLevel(escape);
    const openDoor = store.getState().play.mask[escape.functions.findIndex((f) => f.id === "open_door")];
    expect(openDoor).toBe(0);
    store.getState().act("open_door");
    expect(store.getState().play.lastRejection).toMatchObject({ code: "missing-fact", fn: "open_door" });
    expect(store.getState().play.score?.items).toContainEqual(
      expect.objectContaining({ code: "rejected", points: -10 }),
    );
  });

  it("undoes a step as the seed's rollback, at the level's price", () => {
    const store = createGameStore();
    store.getState().loadLevel(escape);
    store.getState().act("search_bookshelf");
    store.getState().undo();
    const { play } = store.getState();
    expect(play.state?.history).toEqual([]);
    expect(play.state?.m.undos).toBe(1);
    expect(play.undoable).toBe(0);
    for (const a of escape.solutions.reference.steps) store.getState().act(a);
    expect(store.getState().play.score?.items).toContainEqual(
      expect.objectContaining({ code: "undo", points: -3 }),
    );
    expect(store.getState().play.score?.total).toBe(197);
  });

  it("hands views frozen snapshots and notifies selector subscribers only on change", () => {
    const store = createGameStore();
    store.getState().loadLevel(escape);
    const ticks: number[] = [];
    const speeds: string[] = [];
    const offTick = store.subscribe(
      (s) => s.play.state?.tick ?? -1,
      (t) => ticks.push(t),
    );
    const offSpeed = store.subscribe(
      (s) => s.ui.speed,
      (v) => speeds.push(v),
    );
    store.getState().act("find_key");
    store.getState().setUi({ speed: "instant" });
    store.getState().setUi({ speed: "instant" });
    expect(ticks).toEqual([2]);
    expect(speeds).toEqual(["instant"]);
    expect(Object.isFrozen(store.getState().play.state)).toBe(true);
    offTick();
    offSpeed();
    store.getState().act("unlock_door(rusty_key)");
    expect(ticks).toEqual([2]);
  });

  it("restarts the same level and seed from scratch", () => {
    const store = createGameStore();
    store.getState().loadLevel(escape, 42);
    store.getState().act("find_key");
    const episode = store.getState().play.episode;
    store.getState().restart();
    expect(store.getState().play).toMatchObject({
      seed: 42,
      undoable: 0,
      episode: episode + 1,
      lastIntent: { kind: "restart" },
      record: null,
    });
    expect(store.getState().play.state?.step).toBe(0);
  });
});

describe("the step records the store publishes are what an independent env plays", () => {
  it("gives the same state hash, observation, reward and mask after every intent, undo included", () => {
    const level = getLevel("orchestrate-the-festival") as Level;
    const store = createGameStore();
    store.getState().loadLevel(level);
    const env = createEnv({ level, seed: level.seed, undoable: true });
    env.reset();
    const intents: (string | "undo")[] = [
      "book_bands",
      "print_flyers",
      "undo",
      ...level.solutions.reference.steps.slice(1),
    ];
    for (const a of intents) {
      const mask = [...env.actionMask()];
      let r: ReturnType<typeof env.step> | null;
      if (a === "undo") {
        store.getState().undo();
        r = env.undo();
        expect(store.getState().play.lastIntent).toEqual({ kind: "undo" });
        expect(store.getState().play.record?.action).toBe(UNDO_ACTION);
      } else {
        const index = actionIndexOf(env.ctx, a) as number;
        store.getState().act(a);
        r = env.step(index);
        expect(store.getState().play.lastIntent).toEqual({ kind: "act", index });
        expect(store.getState().play.record?.action).toBe(index);
      }
      const rec = store.getState().play.record;
      expect(hashState(env.ctx, store.getState().play.state as GameState)).toBe(env.stateHash());
      expect(rec?.stateHash).toBe(env.stateHash());
      expect(rec?.observation).toEqual([...(r?.observation.vector ?? [])]);
      expect(rec?.reward).toBe(r?.reward);
      expect(rec?.mask).toEqual(mask);
    }
    expect(store.getState().play.state?.status).toBe("won");
  });

  it("plays nothing for text outside the action space", () => {
    const store = createGameStore();
    store.getState().loadLevel(escape);
    store.getState().act("find_key + open_door");
    expect(store.getState().play.state?.step).toBe(0);
    expect(store.getState().play.lastIntent).toBeNull();
  });
});
