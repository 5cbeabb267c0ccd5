import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";

async function call(page: Page, label: string): Promise<void> {
  const name = new RegExp(`^${label.replace(/[()]/g, "\\$&")}(\\s|$)`);
  await page.getByRole("region", { name: "Functions" }).getByRole("button", { name }).click();
}

/** The labels of the palette's enabled cards, in order. */
async function enabledCards(page: Page): Promise<string[]> {
  return page
    .locator(".palette button:not([disabled])")
    .evaluateAll((bs) => bs.map((b) => (b as HTMLElement).dataset.action ?? ""));
}

test("a recovery decision end to end: the palette offers exactly the masked choices, the keyboard takes them, the recorder keeps them and Node verifies them", async ({
  page,
}, testInfo) => {
  await page.goto("/?level=the-flood-defences&speed=instant");
  for (const a of ["read_gauges", "model_flood", "check_pumps", "sound_sirens", "radio_forecast"])
    await call(page, a);
  // The radio mast is down for good: the flow waits for the player, and only the declared choices are open.
  const palette = page.getByRole("region", { name: "Functions" });
  await expect(palette.locator(".decision")).toContainText("radio_forecast failed (permanent)");
  await expect(palette.getByRole("heading", { name: "Your recovery decision" })).toBeVisible();
  expect(await enabledCards(page)).toEqual(["retry(radio_forecast)", "skip(radio_forecast)"]);
  await expect(page.locator('.palette button[data-action="declare_safe"]')).toContainText(
    "first decide how radio_forecast recovers",
  );
  await expect(page.locator('.palette button[data-action="retry(radio_forecast)"]')).toContainText(
    "it will fail again",
  );
  await expect(page.getByRole("region", { name: "Chambering Flow" })).toContainText("your decision");
  // Keys 1 and 2 are the two choices: 2 skips the forecast.
  await page.keyboard.press("2");
  await expect(palette.locator(".decision")).toHaveCount(0);
  for (const a of ["evacuate_villages", "open_sluices", "build_levee"]) await call(page, a);
  expect(await enabledCards(page)).toEqual(["retry(build_levee)", "fallback(build_levee)"]);
  // A retry of a permanent failure fails again: the player sees it, then falls back.
  await page.keyboard.press("1");
  await expect(palette.locator(".decision")).toContainText("build_levee failed (permanent)");
  // Its one retry is spent: the fallback is the only choice left, on key 1.
  expect(await enabledCards(page)).toEqual(["fallback(build_levee)"]);
  await page.keyboard.press("1");
  await call(page, "declare_safe");
  const results = page.getByRole("region", { name: "Results" });
  await expect(results).toBeVisible();
  await expect(results).toContainText("retry(ies) of a permanent failure");

  // The recorder kept the decisions as ordinary actions, and Node re-simulates them hash for hash.
  await page.evaluate(() => window.fq?.flushed());
  await page.goto("/#library");
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: /^Export \d+ shown$/ }).click();
  const path = testInfo.outputPath("flood.jsonl");
  writeFileSync(path, readFileSync(await (await download).path()));
  const episode = JSON.parse(readFileSync(path, "utf8").trim().split("\n")[1] as string);
  expect(episode.action_labels).toEqual([
    "read_gauges",
    "model_flood",
    "check_pumps",
    "sound_sirens",
    "radio_forecast",
    "skip(radio_forecast)",
    "evacuate_villages",
    "open_sluices",
    "build_levee",
    "retry(build_levee)",
    "fallback(build_levee)",
    "declare_safe",
  ]);
  expect(episode.status).toBe("completed");
  const out = execFileSync("npx", ["tsx", "src/cli/fq.ts", "verify", path], { encoding: "utf8" });
  expect(out).toMatch(/1 episodes, 12 steps: every state hash matches/);
});
