import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";

const escape = JSON.parse(readFileSync("src/levels/escape-the-room.json", "utf8"));

test("designer: a broken level shows its errors; fixed, it shows the report; then it plays", async ({
  page,
}) => {
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await page.goto("/#designer");
  await expect(page.getByRole("link", { name: "Designer" })).toHaveAttribute("aria-current", "page");

  // Broken: a wrong type and a missing field. Each error names its field.
  const broken = structuredClone(escape);
  broken.functions[0].duration = "two";
  delete broken.title;
  const editor = page.getByRole("textbox", { name: "Level JSON" });
  await editor.fill(JSON.stringify(broken, null, 2));
  const errors = page.getByRole("list", { name: "Validation errors" });
  await expect(errors.getByRole("listitem")).toHaveCount(2);
  await expect(errors).toContainText("functions[0].duration");
  await expect(errors).toContainText("title: missing");
  await expect(page.getByRole("button", { name: "Play this level" })).toBeDisabled();

  // Text that is not JSON at all says so.
  await editor.fill("{ not json");
  await expect(errors).toContainText("not valid JSON");

  // Fixed, with a twist of our own: a new title. The report arrives from the worker.
  const fixed = { ...structuredClone(escape), title: "Escape the Attic" };
  await editor.fill(JSON.stringify(fixed, null, 2));
  await expect(page.getByRole("status")).toContainText("Valid level: Escape the Attic");
  await expect(page.getByText(/^Difficulty \d+(\.\d)? \/ 10/)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("progressbar", { name: "Analysis progress" })).toHaveAttribute("value", "1");
  await expect(page.getByRole("img", { name: "Histogram of random-player scores" })).toBeVisible();
  await expect(page.getByRole("img", { name: "Dependency graph of the level's functions" })).toContainText(
    "unlock_door",
  );
  await expect(page.getByRole("row", { name: /Optimum/ })).toContainText(
    "find_key | unlock_door(rusty_key) | open_door",
  );

  // Play it: the edited level starts at once.
  await page.getByRole("button", { name: "Play this level" }).click();
  await expect(page).toHaveURL(/#play$/);
  await expect(page.getByRole("heading", { name: "Escape the Attic" })).toBeVisible();
  await page.getByRole("button", { name: "Begin" }).click();
  for (const name of ["find_key", "unlock_door(rusty_key)", "open_door"]) {
    await page.getByRole("button", { name: new RegExp(`^${name.replace(/[()]/g, "\\$&")}`) }).click();
  }
  const results = page.getByRole("region", { name: "Results" });
  await expect(results).toContainText("200 / 200");
  await expect(results).toContainText("Grand Maestro");
  expect(pageErrors).toEqual([]);
});

test("designer: a shipped level loads from the picker and exports as a file", async ({ page }) => {
  await page.goto("/#designer");
  await page.getByRole("combobox", { name: "Shipped level" }).selectOption("the-forge");
  await expect(page.getByRole("status")).toContainText("Valid level: The Forge");
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export level" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("the-forge.json");
  const text = readFileSync(await file.path(), "utf8");
  expect(JSON.parse(text).id).toBe("the-forge");
});

test("designer: a level file loaded from disk is validated like a paste", async ({ page }) => {
  await page.goto("/#designer");
  const broken = structuredClone(escape);
  broken.functions.push({ ...broken.functions[0] });
  await page.getByLabel("Load level file").setInputFiles({
    name: "duplicate.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(broken)),
  });
  await expect(page.getByRole("list", { name: "Validation errors" })).toContainText(
    `functions[${broken.functions.length - 1}].id: duplicate id "find_key"`,
  );
  await page.getByLabel("Load level file").setInputFiles({
    name: "escape.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(escape)),
  });
  await expect(page.getByRole("status")).toContainText("Valid level: Escape the Room");
  await expect(page.getByText(/^Difficulty/)).toBeVisible({ timeout: 30_000 });
});

test("designer: an invalid edit clears the old report, marks the editor invalid and says what is allowed", async ({
  page,
}) => {
  await page.goto("/#designer");
  const editor = page.getByRole("textbox", { name: "Level JSON" });
  await editor.fill(JSON.stringify(escape, null, 2));
  await expect(page.getByText(/^Difficulty \d+(\.\d)? \/ 10/)).toBeVisible({ timeout: 30_000 });
  await expect(editor).toHaveAttribute("aria-invalid", "false");
  const broken = structuredClone(escape);
  broken.tier = 1.5;
  broken.panels = ["progress", "radar"];
  await editor.fill(JSON.stringify(broken, null, 2));
  const errors = page.getByRole("list", { name: "Validation errors" });
  await expect(errors).toContainText("tier: must be a whole number");
  await expect(errors).toContainText("panels[1]: must be one of:");
  await expect(errors).toContainText('"efficiency-hints"');
  await expect(page.getByText(/^Difficulty/)).toHaveCount(0);
  await expect(page.getByText("Fix the problems on the left to see the report.")).toBeVisible();
  await expect(editor).toHaveAttribute("aria-invalid", "true");
  await expect(editor).toHaveAttribute("aria-describedby", "level-status level-errors");
});

test("designer: generates a variant to start from, validated and analyzed", async ({ page }) => {
  await page.goto("/#designer");
  await page.getByRole("combobox", { name: "Tier of the variant" }).selectOption("2");
  await page.getByRole("spinbutton", { name: "Seed of the variant" }).fill("4");
  await page.getByRole("button", { name: "Generate a variant" }).click();
  await expect(page.getByRole("status")).toContainText("Valid level:", { timeout: 30_000 });
  await expect(page.getByRole("status")).toContainText("tier 2");
  await expect(page.getByRole("textbox", { name: "Level JSON" })).toHaveValue(/"id": "generated-t2-4"/);
  await expect(page.getByText(/^Difficulty \d+(\.\d)? \/ 10/)).toBeVisible({ timeout: 60_000 });
});
