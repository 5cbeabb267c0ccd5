import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";

async function call(page: Page, label: string): Promise<void> {
  const name = new RegExp(`^${label.replace(/[()]/g, "\\$&")}(\\s|$)`);
  await page.getByRole("region", { name: "Functions" }).getByRole("button", { name }).click();
}

async function exportAll(page: Page): Promise<string> {
  await page.goto("/#library");
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: /^Export \d+ shown$/ }).click();
  return (await download).path();
}

test("reload durability: three steps, a reload, and the episode is kept with its steps, marked abandoned", async ({
  page,
}) => {
  await page.goto("/?level=escape-the-room&speed=instant");
  for (const a of ["search_drawer", "search_bookshelf", "find_key"]) await call(page, a);
  // Each step's write is awaited in order; this waits for the third to commit, then the tab goes away.
  await page.evaluate(() => window.fq?.flushed());
  await page.reload();
  await page.goto("/#library");
  const row = page.getByRole("row", { name: /Escape the Room/ });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("abandoned");
  await expect(row.getByRole("cell").nth(4)).toHaveText("3");
  const file = readFileSync(await exportAll(page), "utf8")
    .trim()
    .split("\n");
  const episode = JSON.parse(file[1] as string);
  expect(episode.action_labels).toEqual(["search_drawer", "search_bookshelf", "find_key"]);
  expect(episode.status).toBe("abandoned");
  expect(episode.infos.every((i: { think_ms: number }) => i.think_ms >= 0)).toBe(true);
});

test("browser to Node: a level played in the browser, exported, verifies in Node hash for hash", async ({
  page,
}, testInfo) => {
  await page.goto("/?level=the-ancient-bridge&seed=5&speed=instant");
  const level = JSON.parse(readFileSync("src/levels/the-ancient-bridge.json", "utf8"));
  // A detour with an undo, then the reference solution.
  await call(page, level.functions[1].id);
  await page.keyboard.press("u");
  for (const a of level.solutions.reference.steps) await call(page, a);
  await expect(page.getByRole("region", { name: "Results" })).toBeVisible();
  await page.evaluate(() => window.fq?.flushed());
  const path = testInfo.outputPath("bridge.jsonl");
  writeFileSync(path, readFileSync(await exportAll(page)));
  const lines = readFileSync(path, "utf8").trim().split("\n");
  const episode = JSON.parse(lines[1] as string);
  expect(episode).toMatchObject({
    level_id: "the-ancient-bridge",
    seed: 5,
    provenance: "human",
    status: "completed",
  });
  expect(episode.actions[1]).toBe(-1);
  const out = execFileSync("npx", ["tsx", "src/cli/fq.ts", "verify", path], { encoding: "utf8" });
  expect(out).toMatch(/1 episodes, \d+ steps: every state hash matches/);
  // Tampering with one recorded hash is caught by the same verifier, naming the step.
  episode.infos[2].state_hash = "0000000000000000";
  writeFileSync(path, `${lines[0]}\n${JSON.stringify(episode)}\n`);
  let failed = "";
  try {
    execFileSync("npx", ["tsx", "src/cli/fq.ts", "verify", path], { encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    failed = String((e as { stderr: string }).stderr);
  }
  expect(failed).toContain("infos[2].state_hash");
});

test("import: a malformed file is refused with line and field and stores nothing; a good one imports once", async ({
  page,
}, testInfo) => {
  const good = testInfo.outputPath("good.jsonl");
  execFileSync("npx", [
    "tsx",
    "src/cli/fq.ts",
    "demos",
    "escape-the-room",
    "--bot",
    "optimal",
    "--episodes",
    "2",
    "--out",
    good,
  ]);
  const text = readFileSync(good, "utf8");
  await page.goto("/#library");
  const input = page.getByLabel("Import demonstrations");
  const bad = text.replace('"provenance":"bot"', '"provenance":"robot"');
  await input.setInputFiles({
    name: "bad.jsonl",
    mimeType: "application/x-ndjson",
    buffer: Buffer.from(bad),
  });
  await expect(page.getByRole("status")).toContainText(
    "bad.jsonl was not imported (nothing from it was stored)",
  );
  await expect(page.getByRole("list", { name: "Import errors" })).toContainText("line 2: provenance");
  await expect(page.getByText(/^0 episode\(s\)/)).toBeVisible();
  await input.setInputFiles({
    name: "good.jsonl",
    mimeType: "application/x-ndjson",
    buffer: Buffer.from(text),
  });
  await expect(page.getByRole("status")).toContainText("Imported 2 episode(s)");
  await expect(page.getByRole("row", { name: /Escape the Room/ })).toHaveCount(2);
  await input.setInputFiles({
    name: "good.jsonl",
    mimeType: "application/x-ndjson",
    buffer: Buffer.from(text),
  });
  await expect(page.getByRole("list", { name: "Import errors" })).toContainText("is already stored");
  await expect(page.getByRole("row", { name: /Escape the Room/ })).toHaveCount(2);
  // Filters and counts.
  await page.getByRole("combobox", { name: "Provenance" }).selectOption("human");
  await expect(page.getByText(/^0 episode\(s\) · 0 step\(s\)/)).toBeVisible();
  await page.getByRole("combobox", { name: "Provenance" }).selectOption("bot");
  await expect(page.getByText(/^2 episode\(s\) · 6 step\(s\) · 2 completed/)).toBeVisible();
  // Delete one.
  page.once("dialog", (d) => void d.accept());
  await page
    .getByRole("button", { name: /^Delete / })
    .first()
    .click();
  await expect(page.getByRole("row", { name: /Escape the Room/ })).toHaveCount(1);
});

test("replay viewer: scrubs and steps through an episode, checking every step's hash", async ({ page }) => {
  await page.goto("/?level=escape-the-room&speed=instant");
  for (const a of ["find_key", "unlock_door(rusty_key)", "open_door"]) await call(page, a);
  await page.evaluate(() => window.fq?.flushed());
  await page.goto("/#library");
  await page.getByRole("button", { name: /^Replay Escape the Room/ }).click();
  await expect(
    page.getByText("✓ Every one of the 3 steps re-simulates to its recorded state hash."),
  ).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: /^Step/ })).toHaveText("Step 0 of 3");
  await page.getByRole("button", { name: "Step forward" }).click();
  await expect(page.getByRole("status").filter({ hasText: /^Step/ })).toContainText("Step 1 of 3: find_key");
  await expect(page.getByRole("region", { name: "Progress" })).toContainText("Step 1");
  await page.getByRole("slider", { name: "Timeline" }).fill("3");
  await expect(page.getByRole("status").filter({ hasText: /^Step/ })).toContainText("Step 3 of 3: open_door");
  await expect(page.getByRole("region", { name: "Progress" })).toContainText("✓ door_open");
  await page.getByRole("button", { name: "Step back" }).click();
  await expect(page.getByRole("status").filter({ hasText: /^Step/ })).toContainText("Step 2 of 3");
});

test("a failed write is shown with an offer to export, and the export still holds every step", async ({
  page,
}) => {
  await page.addInitScript(() => {
    // Every IndexedDB write fails as a full quota would.
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<typeof put>) {
      if (this.name === "steps") throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      return put.apply(this, args);
    };
  });
  await page.goto("/?level=escape-the-room&speed=instant");
  await call(page, "search_drawer");
  await call(page, "find_key");
  await expect(page.getByRole("alert")).toContainText("the browser's storage is full");
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export now" }).click();
  const lines = readFileSync(await (await download).path(), "utf8")
    .trim()
    .split("\n");
  expect(JSON.parse(lines[1] as string).action_labels).toEqual(["search_drawer", "find_key"]);
});

test("URL parameters: the largest seed is a seed, an unknown provenance is named, a bot's episode ids say so", async ({
  page,
}) => {
  await page.goto("/?level=escape-the-room&speed=instant&seed=4294967295&provenance=alien");
  await expect(page.getByText(/provenance="alien" is not human, bot or agent/)).toBeVisible();
  await expect(page.getByText(/is not a whole number/)).toHaveCount(0);
  await page.goto("/?level=escape-the-room&speed=instant&seed=4294967296");
  await expect(page.getByText(/seed="4294967296" is not a whole number from 0 to 4294967295/)).toBeVisible();
  await page.goto("/?level=escape-the-room&speed=instant&seed=4294967295&provenance=bot");
  await call(page, "find_key");
  await page.evaluate(() => window.fq?.flushed());
  const episodes = readFileSync(await exportAll(page), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => JSON.parse(l));
  const bots = episodes.filter((e) => e.provenance === "bot");
  expect(bots).toHaveLength(1);
  expect(bots[0].episode_id).toMatch(/^bot-/);
  expect(bots[0].seed).toBe(4294967295);
});

test("damaged stored records and a malformed replay link are named, and the library still works", async ({
  page,
}) => {
  await page.goto("/?level=escape-the-room&speed=instant");
  await call(page, "find_key");
  await page.evaluate(() => window.fq?.flushed());
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open("fq-demos");
        open.onsuccess = () => {
          const tx = open.result.transaction("episodes", "readwrite");
          tx.objectStore("episodes").put({ episode_id: "broken-1", level_id: 42 });
          tx.objectStore("episodes").put({ episode_id: "broken-2", status: "paused", steps: -3 });
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  await page.goto("/#library");
  await expect(page.getByRole("row", { name: /Escape the Room/ })).toHaveCount(1);
  await expect(
    page.getByText(/2 stored record\(s\) are damaged and are not listed \(broken-1, broken-2\)/),
  ).toBeVisible();
  await page.getByRole("button", { name: "Delete the 2 damaged record(s)" }).click();
  await expect(page.getByText(/are damaged/)).toHaveCount(0);
  await page.reload();
  await expect(page.getByText(/are damaged/)).toHaveCount(0);
  await expect(page.getByRole("row", { name: /Escape the Room/ })).toHaveCount(1);

  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/#replay/%E0%A4%A");
  await expect(page.getByText(/The replay link .* is malformed: it names no episode/)).toBeVisible();
  await page.getByRole("button", { name: "Back to demonstrations" }).click();
  await expect(page.getByRole("row", { name: /Escape the Room/ })).toHaveCount(1);
  expect(errors).toEqual([]);
});
