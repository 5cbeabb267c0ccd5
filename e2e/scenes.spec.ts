import { readdirSync, readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";

/**
 * Scenes that tell the story: on every level, playing the reference solution puts a piece on the scene for
 * each step of the story's path that finished, shows each failure where it happened and the crew where a
 * fallback took over, and ends with the level's own success moment. Read from the scene's `data-story`.
 */
interface LevelFile {
  id: string;
  scene: string;
  solutions: { reference: { steps: string[] } };
}
interface StoryMarks {
  path: string[];
  pieces: string[];
  skipped: string[];
  crew: string[];
  failures: number;
  heroes: number;
  success: string | null;
}

const LEVELS: LevelFile[] = readdirSync("src/levels")
  .filter((f) => f.endsWith(".json"))
  .map((f) => JSON.parse(readFileSync(`src/levels/${f}`, "utf8")) as LevelFile);

async function call(page: Page, label: string): Promise<void> {
  const name = new RegExp(`^${label.replace(/[()]/g, "\\$&")}(\\s|$)`);
  await page.getByRole("region", { name: "Functions" }).getByRole("button", { name }).click();
}

/** Plays steps in the CLI's notation through the palette (a group by composing it). */
export async function playSteps(page: Page, steps: readonly string[]): Promise<void> {
  for (const step of steps) {
    const calls = step.split("+").map((c) => c.trim());
    if (calls.length === 1) {
      await call(page, calls[0] as string);
      continue;
    }
    await page.getByRole("button", { name: "Compose parallel group" }).click();
    for (const c of calls) await call(page, c);
    await page.getByRole("button", { name: `Run group (${calls.length})` }).click();
  }
}

const marks = (page: Page): Promise<StoryMarks> =>
  page.evaluate(() => JSON.parse(document.querySelector("canvas")?.dataset.story ?? "null"));

test("every scene tells its story: a piece per finished step, failures and the crew where they happen, its own ending", async ({
  page,
}) => {
  test.setTimeout(180_000);
  expect(LEVELS.length).toBe(20);
  const endings = new Map<string, string>();
  for (const level of LEVELS) {
    await page.goto(`/?level=${level.id}&speed=instant`);
    await page.locator(".palette").waitFor();
    await expect.poll(async () => (await marks(page))?.pieces, level.id).toEqual([]);
    const start = await marks(page);
    expect(start.path.length, level.id).toBeGreaterThanOrEqual(3);
    const steps = level.solutions.reference.steps;
    const half = Math.ceil(steps.length / 2);
    await playSteps(page, steps.slice(0, half));
    const mid = await marks(page);
    // The scene fills as the story goes: some pieces, not all.
    expect(mid.pieces.length, level.id).toBeGreaterThan(0);
    expect(mid.pieces.length, level.id).toBeLessThan(start.path.length);
    await playSteps(page, steps.slice(half));
    await expect(page.getByRole("region", { name: "Results" })).toBeVisible();
    const end = await marks(page);
    expect([...end.pieces, ...end.skipped].sort(), level.id).toEqual([...end.path].sort());
    const fallbacks = steps.filter((s) => s.startsWith("fallback("));
    // A fallback the player chose brings the crew in; an automatic level's seed may bring it in too.
    expect(end.crew.length, level.id).toBeGreaterThanOrEqual(fallbacks.length);
    for (const fn of end.crew) expect(end.path, level.id).toContain(fn);
    const failing = steps.some((s) => /^(retry|fallback|skip)\(/.test(s));
    if (failing) expect(end.failures, level.id).toBeGreaterThan(0);
    expect(end.success, level.id).not.toBeNull();
    if (level.scene === "station") expect(end.heroes).toBe(2);
    endings.set(level.scene, end.success as string);
  }
  expect(endings.size).toBe(20);
});
