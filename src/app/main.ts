/**
 * The browser entry: a hash router between the play view (#play) and the designer (#designer). The designer
 * and its analyzer worker load lazily, so the first page stays small.
 */
import type { Level } from "../engine/index.ts";
import { LEVELS } from "../levels/index.ts";
import { mountConsole } from "./console.ts";
import { editedLevel } from "./session.ts";

const app = document.getElementById("app") as HTMLElement;

async function route(): Promise<void> {
  if (location.hash === "#designer") {
    const { mountDesigner } = await import("../ui/designer.ts");
    mountDesigner(app);
  } else {
    mountConsole(app, editedLevel() ?? (LEVELS[0] as Level));
  }
}

window.addEventListener("hashchange", () => void route());
void route();
