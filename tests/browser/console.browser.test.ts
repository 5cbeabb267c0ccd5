import { describe, expect, it } from "vitest";
import { mountConsole } from "../../src/app/console.ts";
import type { Level } from "../../src/engine/index.ts";
import { getLevel } from "../../src/levels/index.ts";

const escape = getLevel("escape-the-room") as Level;

function button(root: HTMLElement, label: string): HTMLButtonElement {
  const b = [...root.querySelectorAll("button")].find((x) => x.textContent?.startsWith(label));
  if (!b) throw new Error(`no button "${label}"`);
  return b;
}

describe("play view wiring (store -> view, intents -> store)", () => {
  it("renders the level, greys out what the mask forbids, and updates on every intent", () => {
    const root = document.createElement("main");
    document.body.append(root);
    localStorage.clear();
    mountConsole(root, escape);
    expect(root.querySelector("h2")?.textContent).toBe("Escape the Room");
    expect(button(root, "open_door").disabled).toBe(true);
    expect(button(root, "Undo").disabled).toBe(true);

    button(root, "find_key").click();
    expect(root.querySelector(".sequence")?.textContent).toBe("find_key");
    expect(root.querySelector(".log")?.textContent).toContain("stored rusty_key v1");
    expect(button(root, "Undo").disabled).toBe(false);

    button(root, "unlock_door(rusty_key)").click();
    button(root, "open_door").click();
    expect(root.querySelector(".tier")?.textContent).toBe("200 / 200 — Grand Maestro");
    // The finished episode recorded the player's score for the designer's markers.
    expect(JSON.parse(localStorage.getItem("fq.humanScores.v1") ?? "{}")["escape-the-room"]).toEqual([200]);
    // Text from level data is rendered as text, never as markup.
    expect(root.querySelectorAll("script, img").length).toBe(0);
    root.remove();
  });

  it("undoes through the store and shows the price", () => {
    const root = document.createElement("main");
    document.body.append(root);
    mountConsole(root, escape);
    button(root, "search_bookshelf").click();
    button(root, "Undo").click();
    expect(root.querySelector(".sequence")?.textContent).toBe("…");
    for (const a of ["find_key", "unlock_door(rusty_key)", "open_door"]) button(root, a).click();
    expect(root.querySelector(".tier")?.textContent).toBe("197 / 200 — Grand Maestro");
    expect(root.querySelector(".score")?.textContent).toContain("-3 base: 1 undo(s)");
    root.remove();
  });
});

describe("Pit inspector", () => {
  it("opens and shows the last step's calls through the Chambering Flow actor, and the event stream", () => {
    const root = document.createElement("main");
    document.body.append(root);
    mountConsole(root, escape);
    button(root, "find_key").click();
    const details = root.querySelector("details.inspector") as HTMLDetailsElement;
    expect(details.querySelector("summary")?.textContent).toBe("Pit inspector");
    details.open = true;
    expect(details.textContent).toContain(
      "find_key: requesting → registering → activating → using → returning → updating → done  [actor: done]",
    );
    expect(details.textContent).toContain('"type":"ArtifactStored"');
    root.remove();
  });

  it("shows a failure's recovery path through the actor", () => {
    const root = document.createElement("main");
    document.body.append(root);
    mountConsole(root, getLevel("launch-the-spaceship") as Level);
    button(root, "inspect_hull").click();
    button(root, "calibrate_systems").click(); // the calibrator is broken: it falls back to manual calibration
    expect((root.querySelector("details.inspector") as HTMLElement).textContent).toContain(
      "calibrate_systems: requesting → registering → activating → using → recovering → fallingBack → using → returning → updating → done  [actor: done]",
    );
    root.remove();
  });
});
