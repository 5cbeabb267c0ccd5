import { afterEach, describe, expect, it, vi } from "vitest";
import { mountPlay } from "../../src/app/screens/play.ts";
import { createGameStore } from "../../src/app/store.ts";
import type { Level } from "../../src/engine/index.ts";
import { renderPanels } from "../../src/ui/panels.ts";
import { getLevel } from "../../src/levels/index.ts";

const level = (id: string) => getLevel(id) as Level;

function button(root: HTMLElement, name: string): HTMLButtonElement {
  const b = [...root.querySelectorAll("button")].find(
    (x) => (x.dataset.action ?? x.textContent?.trim()) === name,
  );
  if (!b) throw new Error(`no button "${name}"`);
  return b;
}

/** The results, once their module (loaded after the stage is up) has rendered them. */
async function resultsOf(root: HTMLElement): Promise<HTMLElement> {
  await vi.waitFor(() => expect(root.querySelector(".results")).not.toBeNull(), { timeout: 15_000 });
  return root.querySelector(".results") as HTMLElement;
}

let screen: { root: HTMLElement; unmount(): void } | null = null;
afterEach(() => {
  screen?.unmount();
  screen?.root.remove();
  screen = null;
});

function mount(l: Level, skipIntro = true) {
  const store = createGameStore({ speed: "instant", sound: false });
  const finished: number[] = [];
  const navigated: string[] = [];
  const root = document.createElement("div");
  document.body.append(root);
  const unmount = mountPlay(
    root,
    {
      store,
      navigate: (hash) => navigated.push(hash),
      signal: new AbortController().signal,
      notify: () => {},
    },
    {
      level: l,
      skipIntro,
      nextId: "the-ancient-bridge",
      onFinished: (sc) => {
        finished.push(sc.total);
        return { best: true, problem: null };
      },
    },
  );
  screen = { root, unmount };
  return { root, store, finished, navigated };
}

describe("panels render the store's state, by the level's tier", () => {
  it("shows exactly the level's panels, in order", () => {
    for (const id of [
      "escape-the-room",
      "prepare-the-banquet",
      "orchestrate-the-festival",
      "launch-the-spaceship",
    ]) {
      const l = level(id);
      const store = createGameStore();
      store.getState().loadLevel(l);
      const view = store.getState().play.view as NonNullable<
        ReturnType<typeof store.getState>["play"]["view"]
      >;
      const nodes = renderPanels({ level: l, view });
      expect(nodes.map((n) => n.dataset.panel)).toEqual(l.panels);
    }
  });

  it("the pool panel shows warm and cold slots and utilisation history as calls run", () => {
    const l = level("orchestrate-the-festival");
    const { root, store } = mount(l);
    const pools = () => root.querySelector("[data-panel=pools]") as HTMLElement;
    const coldBefore = pools().querySelectorAll(".slot.cold").length;
    expect(coldBefore).toBeGreaterThan(0);
    // The reference solution's second step prewarms a stage-crew slot ahead of need.
    for (const a of l.solutions.reference.steps.slice(0, 2)) store.getState().act(a);
    expect(pools().querySelectorAll(".slot.prewarmed").length).toBe(1);
    expect(pools().querySelectorAll(".slot.cold").length).toBe(coldBefore - 1);
    expect(pools().querySelector("svg")?.getAttribute("aria-label")).toMatch(
      /utilisation over the last [1-9]/,
    );
  });

  it("efficiency hints name certain waste, not results still waiting to be used", () => {
    const l = level("prepare-the-banquet");
    const { root, store } = mount(l);
    const hints = () =>
      (root.querySelector("[data-panel=efficiency-hints]") as HTMLElement).textContent ?? "";
    expect(hints()).toContain("No waste so far.");
    store.getState().act("chop_vegetables");
    expect(hints()).toContain("No waste so far.");
    store.getState().act("polish_silver");
    expect(hints()).toContain("Nothing in this level needs what polish_silver produced: wasted work.");
    expect(hints()).not.toContain("chop_vegetables");
  });

  it("the stability panel shows the engine's stability points, warnings included", () => {
    const l = level("launch-the-spaceship");
    const { root, store } = mount(l);
    // Overload a pool: the same heavy calls back to back (the pump stalls on its first run: retry it).
    store.getState().act("fuel_engines");
    store.getState().act("retry(fuel_engines)");
    for (let i = 0; i < 3; i++) store.getState().act("fuel_engines");
    const meter = root.querySelector("[data-panel=stability] meter") as HTMLMeterElement;
    const earned = store.getState().play.score?.stability as number;
    expect(earned).toBeLessThan(30);
    expect(meter.value).toBe(earned);
    expect(root.querySelector("[data-panel=stability]")?.textContent).toContain("1 warning(s)");
    expect(meter.max).toBe(30);
  });

  it("the live DAG lights nodes as the DAG Tracker marks them done, and the artifact store lists outputs", () => {
    const l = level("launch-the-spaceship");
    const { root, store } = mount(l);
    expect(root.querySelectorAll('[data-panel=dag] rect[data-status="done"]').length).toBe(0);
    store.getState().act("inspect_hull");
    expect(root.querySelectorAll('[data-panel=dag] rect[data-status="done"]').length).toBe(1);
    expect(root.querySelector("[data-panel=artifacts]")?.textContent).toContain("hull_report");
  });

  it("the failure log shows an injected failure, the decision it waits for, and the recovery chosen", () => {
    const l = level("launch-the-spaceship");
    const { root } = mount(l);
    button(root, "inspect_hull").click();
    button(root, "calibrate_systems").click();
    const failures = () => (root.querySelector("[data-panel=failures]") as HTMLElement).textContent ?? "";
    expect(failures()).toContain("calibrate_systems failed (permanent), waiting for your decision");
    // Only the declared decisions are open, first in the palette.
    const open = [...root.querySelectorAll<HTMLButtonElement>(".palette button:not([disabled])")].map(
      (b) => b.dataset.action,
    );
    expect(open).toEqual(["retry(calibrate_systems)", "fallback(calibrate_systems)"]);
    button(root, "fallback(calibrate_systems)").click();
    expect(failures()).toContain("You chose fallback for calibrate_systems");
    expect(failures()).toContain("Recovery: calibrate_systems fell back to manual_calibration");
    expect(root.querySelector(".flow")?.textContent).toContain(
      "Recovery: calibrate_systems fell back to manual_calibration",
    );
  });
});

describe("the level screen (store -> view, intents -> store)", () => {
  it("starts with the story intro, then plays; the mask disables what is not legal", () => {
    const l = level("escape-the-room");
    const { root } = mount(l, false);
    expect(root.querySelector(".intro")?.textContent).toContain(l.story.intro);
    expect(root.querySelector(".palette")).toBeNull();
    button(root, "Begin").click();
    expect(button(root, "open_door").disabled).toBe(true);
    expect(button(root, "find_key").disabled).toBe(false);
    button(root, "find_key").click();
    expect(root.querySelector(".sequence")?.textContent).toBe("find_key");
    expect(button(root, "unlock_door(rusty_key)").disabled).toBe(false);
  });

  it("number keys call functions, U undoes, and the undo costs what the level says", async () => {
    const l = level("escape-the-room");
    const { root, store } = mount(l);
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "2" }));
    expect(store.getState().play.state?.history).toEqual(["search_bookshelf"]);
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "u" }));
    expect(store.getState().play.state?.history).toEqual([]);
    for (const a of l.solutions.reference.steps) button(root, a).click();
    await resultsOf(root);
    expect(root.querySelector(".results .tier")?.textContent).toBe(`${200 - l.undoPenalty} / 200`);
    expect(root.querySelector(".results")?.textContent).toContain(`-${l.undoPenalty} base: 1 undo(s)`);
  });

  it("shows the results: four bars, every reason, the tier badge, both solutions, and reports the finish once", async () => {
    const l = level("escape-the-room");
    const { root, finished, navigated } = mount(l);
    for (const a of l.solutions.reference.steps) button(root, a).click();
    const results = await resultsOf(root);
    expect(results.querySelectorAll("[role=meter]").length).toBe(4);
    expect(results.querySelector(".tier-badge")?.textContent).toBe("Grand Maestro");
    expect(results.querySelectorAll(".reasons li").length).toBeGreaterThanOrEqual(5);
    const lists = [...results.querySelectorAll("ol.steps")].map((o) => o.textContent);
    expect(lists).toEqual([l.solutions.reference.steps.join(""), l.solutions.reference.steps.join("")]);
    expect(finished).toEqual([200]);
    button(root, "Next level").click();
    expect(navigated).toEqual(["#/level/the-ancient-bridge"]);
    // Level text is rendered as text, never as markup.
    expect(root.querySelectorAll("script").length).toBe(0);
  });

  it("composes and runs a parallel group from tier 3", () => {
    const l = level("orchestrate-the-festival");
    const { root, store } = mount(l);
    const group = l.solutions.reference.steps.find(
      (s) => s.includes("+") && !s.includes("prewarm"),
    ) as string;
    expect(group).toBeDefined();
    const prefix = l.solutions.reference.steps.slice(0, l.solutions.reference.steps.indexOf(group));
    for (const a of prefix) store.getState().act(a);
    button(root, "Compose parallel group").click();
    for (const c of group.split(" + ")) button(root, c).click();
    button(root, `Run group (${group.split(" + ").length})`).click();
    expect(store.getState().play.state?.m.parallelGroups).toBe(1);
    expect(store.getState().play.state?.history.at(-1)).toContain("+");
  });

  it("explains a group the level cannot run, and plays nothing", () => {
    const l = level("orchestrate-the-festival");
    const { root, store } = mount(l);
    button(root, "Compose parallel group").click();
    // Three calls at once: the level runs at most two in parallel.
    for (const c of ["book_bands", "arrange_seating", "hire_security"]) button(root, c).click();
    button(root, "Run group (3)").click();
    expect(root.querySelector(".palette-box [role=alert]")?.textContent).toBe(
      "Not run: this level runs at most 2 call(s) at once",
    );
    expect(store.getState().play.state?.step).toBe(0);
  });

  it("has no composer before tier 3", () => {
    const { root } = mount(level("prepare-the-banquet"));
    expect([...root.querySelectorAll("button")].some((b) => b.textContent === "Compose parallel group")).toBe(
      false,
    );
  });
});

describe("truthful results and the keyboard (issue: game feel)", () => {
  it("says the best possible score where 200 is out of reach, and where the play stands", async () => {
    const l = level("the-flood-defences");
    expect(l.solutions.reference.score).toBeLessThan(200);
    const { root, store } = mount(l);
    for (const a of l.solutions.reference.steps) store.getState().act(a);
    await resultsOf(root);
    const results = () => root.querySelector(".results") as HTMLElement;
    expect(results().textContent).toContain(`Best possible here: ${l.solutions.reference.score}.`);
    // The random players' scores (computed at build time) load with the level; the results show them.
    await vi.waitFor(
      () =>
        expect(results().querySelector('svg[aria-label="Histogram of random-player scores"]')).not.toBeNull(),
      { timeout: 10_000 },
    );
    expect(results().textContent).toMatch(/Better than at least \d+% of 200 random players/);
    const escape = mount(level("escape-the-room"));
    for (const a of level("escape-the-room").solutions.reference.steps) escape.store.getState().act(a);
    await resultsOf(escape.root);
    expect(escape.root.querySelector(".results")?.textContent).not.toContain("Best possible here");
  });

  it("keeps focus in the palette after a call, and announces each step in one message", () => {
    const l = level("escape-the-room");
    const { root } = mount(l);
    const b = button(root, "find_key");
    b.focus();
    b.click();
    expect((document.activeElement as HTMLElement).closest(".palette")).not.toBeNull();
    expect(root.querySelector("[role=status]")?.textContent).toBe("find_key: done; goal 0 of 1.");
    button(root, "open_door").disabled || button(root, "open_door").click();
    const greyed = button(root, "open_door");
    expect(greyed.disabled).toBe(true);
    expect(greyed.title).toMatch(/Not now: /);
    expect(greyed.querySelector(".why")?.textContent).toMatch(/^Not now: open_door needs/);
  });

  it("marks group members pressed and runs the composed group with R", () => {
    const l = level("orchestrate-the-festival");
    const { root, store } = mount(l);
    store.getState().act("book_bands");
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "g" }));
    button(root, "arrange_seating").click();
    button(root, "build_stage").click();
    expect(button(root, "arrange_seating").getAttribute("aria-pressed")).toBe("true");
    expect(button(root, "hire_security").getAttribute("aria-pressed")).toBe("false");
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "r" }));
    expect(store.getState().play.state?.history.at(-1)).toBe("arrange_seating + build_stage");
  });
});

describe("meters with meaning (issue: game feel)", () => {
  it("tier 2 shows the stove's heat, and the hints react to an overheat as it happens", () => {
    const l = level("prepare-the-banquet");
    const { root, store } = mount(l);
    const resources = () => root.querySelector("[data-panel=resources]") as HTMLElement;
    const hints = () =>
      (root.querySelector("[data-panel=efficiency-hints]") as HTMLElement).textContent ?? "";
    const heat = () =>
      (resources().querySelector('meter[aria-label="Stove heat"]') as HTMLMeterElement).value;
    expect(heat()).toBe(0);
    // Heavy stove work back to back: the second call overheats it.
    for (const a of ["chop_vegetables", "cook_food", "bake_bread"]) store.getState().act(a);
    const pool = store.getState().play.view?.pools.find((p) => p.id === "stove");
    expect(heat()).toBe(pool?.heat);
    expect(store.getState().play.state?.m.warnings).toBeGreaterThan(0);
    expect(hints()).toContain("Stove overheated (1 warning(s))");
    expect(hints()).not.toContain("No waste so far.");
    // Levels without heat show no heat meter.
    const escape = mount(level("the-night-market"));
    expect(escape.root.querySelector('[data-panel=resources] meter[aria-label$="heat"]')).toBeNull();
  });
});

describe("the outcome is told from what was played", () => {
  it("the story's ending only for a play that matched the optimum; the engine's account always", async () => {
    const l = level("escape-the-room");
    const best = mount(l);
    for (const a of l.solutions.reference.steps) best.store.getState().act(a);
    await resultsOf(best.root);
    expect(best.root.querySelector(".results")?.textContent).toContain(l.story.success);
    expect(best.root.querySelector(".results .outcome")?.textContent).toContain("Nothing was wasted.");
    const wasteful = mount(l);
    for (const a of ["search_bookshelf", ...l.solutions.reference.steps]) wasteful.store.getState().act(a);
    await resultsOf(wasteful.root);
    const text = wasteful.root.querySelector(".results")?.textContent ?? "";
    expect(text).not.toContain(l.story.success);
    expect(wasteful.root.querySelector(".results .outcome")?.textContent).toMatch(
      /^Goal reached in 4 step\(s\).*Along the way: .*whose results nothing used/,
    );
  });
});
