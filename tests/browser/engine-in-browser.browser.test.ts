import { describe, expect, it } from "vitest";
import { commands } from "vitest/browser";
import { createEnv, type Level } from "../../src/engine/index.ts";
import { getLevel } from "../../src/levels/index.ts";
import { digestRuns, type RunDigest } from "./cross-runtime.ts";

declare module "vitest/browser" {
  interface BrowserCommands {
    nodeDigests: () => Promise<RunDigest[]>;
  }
}

describe("the engine in the browser", () => {
  it("runs in a real browser page (no Node globals)", () => {
    expect(navigator.userAgent).toContain("Chrome");
    expect(document.body).toBeInstanceOf(HTMLElement);
    const env = createEnv({ level: getLevel("escape-the-room") as Level });
    env.reset();
    for (const a of ["find_key", "unlock_door(rusty_key)", "open_door"]) env.step(a);
    expect(env.state().score?.total).toBe(200);
  });

  it("produces the same trajectories as Node, byte for byte", async () => {
    const inBrowser = digestRuns();
    const inNode = await commands.nodeDigests();
    expect(inBrowser.length).toBeGreaterThan(30);
    expect(inBrowser.length).toBe(inNode.length);
    inBrowser.forEach((b, i) => {
      const n = inNode[i] as RunDigest;
      expect(b.hashes, `${b.level} seed ${b.seed}`).toEqual(n.hashes);
      expect(b.initialHash).toBe(n.initialHash);
      expect(b.total).toBe(n.total);
      expect(b.json).toBe(n.json);
    });
    // The runs differ from one another, so equal hashes are not a coincidence of empty runs.
    expect(new Set(inBrowser.map((d) => d.hashes.at(-1))).size).toBeGreaterThan(10);
  });
});
