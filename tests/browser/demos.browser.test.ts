import { describe, expect, it } from "vitest";
import { deleteEpisodes, episodeSteps, listEpisodes, toEpisode } from "../../src/app/demo-db.ts";
import { attachRecorder, markAbandoned, openDemos } from "../../src/app/recorder.ts";
import { createGameStore } from "../../src/app/store.ts";
import { type Level, verifyEpisode } from "../../src/engine/index.ts";
import { getLevel } from "../../src/levels/index.ts";
import { checkReplay } from "../../src/app/screens/library.ts";

const escape = getLevel("escape-the-room") as Level;

describe("the recorder in IndexedDB", () => {
  it("writes each step as it happens, marks unfinished episodes abandoned on the next start, and re-simulates", async () => {
    const db = await openDemos();
    await deleteEpisodes(
      db,
      (await listEpisodes(db)).map((e) => e.episode_id),
    );
    const store = createGameStore();
    const problems: { text: string }[] = [];
    const rec = attachRecorder(db, store, { onProblem: (m) => problems.push(m), isShipped: () => true });
    store.getState().loadLevel(escape);
    store.getState().act("search_bookshelf");
    store.getState().undo();
    store.getState().act("find_key");
    await rec.flushed();
    const [meta] = await listEpisodes(db);
    expect(meta).toMatchObject({
      level_id: "escape-the-room",
      status: "in_progress",
      steps: 3,
      provenance: "human",
    });
    const steps = await episodeSteps(db, meta?.episode_id as string);
    expect(steps.map((s) => s.action_label)).toEqual(["search_bookshelf", "undo", "find_key"]);
    expect(steps.every((s) => s.think_ms !== null && s.think_ms >= 0)).toBe(true);
    // What was stored is exactly what Node's verifier re-simulates.
    const ep = toEpisode(meta as NonNullable<typeof meta>, steps);
    expect(verifyEpisode(ep, escape)).toBeNull();
    rec.stop();
    // The next start of the game marks it abandoned.
    expect(await markAbandoned(db)).toBe(1);
    expect((await listEpisodes(db))[0]?.status).toBe("abandoned");
    expect(problems).toEqual([]);
  });

  it("the replay check flags the step where a mismatch starts", async () => {
    const db = await openDemos();
    const [meta] = await listEpisodes(db);
    const steps = await episodeSteps(db, meta?.episode_id as string);
    expect(checkReplay(escape, meta as NonNullable<typeof meta>, steps).step).toBeNull();
    const tampered = steps.map((s, i) => (i === 1 ? { ...s, state_hash: "0000000000000000" } : s));
    const r = checkReplay(escape, meta as NonNullable<typeof meta>, tampered);
    expect(r.step).toBe(1);
    expect(r.message).toContain(`re-simulation gives ${steps[1]?.state_hash}`);
  });
});
