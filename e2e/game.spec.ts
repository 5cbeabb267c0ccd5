import { expect, type Page, test } from "@playwright/test";

/** Calls a function (or prewarm) from the palette by its label, through its accessible name. */
async function call(page: Page, label: string): Promise<void> {
  const name = new RegExp(`^${label.replace(/[()]/g, "\\$&")}(\\s|$)`);
  await page.getByRole("region", { name: "Functions" }).getByRole("button", { name }).click();
}

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  return errors;
}

test("Escape the Room from the title screen to Grand Maestro, by mouse and keyboard", async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto("/?speed=instant");
  await page.getByRole("button", { name: "Play" }).click();
  await expect(page.getByRole("heading", { name: "Escape the Room" })).toBeVisible();
  await expect(page.getByText(/You wake in a dusty study/)).toBeVisible();
  await page.getByRole("button", { name: "Begin" }).click();
  await expect(page.locator("canvas")).toBeVisible();
  await call(page, "find_key");
  // Keyboard: unlock_door(rusty_key) is the fourth function.
  await page.keyboard.press("4");
  await call(page, "open_door");
  const results = page.getByRole("region", { name: "Results" });
  await expect(results).toContainText("200 / 200");
  await expect(results.getByText("Grand Maestro", { exact: true })).toBeVisible();
  await expect(results.getByRole("meter")).toHaveCount(4);
  await expect(results.getByRole("button", { name: "Next level" })).toBeVisible();
  expect(await page.evaluate(() => window.fq?.score?.total)).toBe(200);
  expect(await page.evaluate(() => window.fq?.flow.state)).toBe("done");
  expect(errors).toEqual([]);
});

test("a wasteful sequence ends as Apprentice, with the reasons listed", async ({ page }) => {
  await page.goto("/?level=escape-the-room&speed=instant");
  for (const a of [
    "search_drawer",
    "unlock_door(hairpin)",
    "search_bookshelf",
    "find_key",
    "unlock_door(rusty_key)",
    "open_door",
  ])
    await call(page, a);
  const results = page.getByRole("region", { name: "Results" });
  await expect(results.getByText("Apprentice", { exact: true })).toBeVisible();
  await expect(results).toContainText("100 / 200");
  await expect(results).toContainText("1 call(s) with the wrong argument");
  await expect(results).toContainText("2 unnecessary call(s) whose results nothing used");
  await expect(results).toContainText("stale reclaim");
});

test("tier 3: the pool panel shows slots warming, and a parallel group runs", async ({ page }) => {
  await page.goto("/?level=orchestrate-the-festival&speed=instant");
  const pools = page.getByRole("region", { name: "Pools" });
  await expect(pools).toContainText("Stage crew");
  await expect(pools.getByRole("img", { name: /slot 1 cold/ }).first()).toBeVisible();
  await call(page, "book_bands");
  // Compose hire_security with a prewarm of the stage crew, then the two independent builds.
  for (const group of [
    ["hire_security", "prewarm(stage_crew)"],
    ["arrange_seating", "build_stage"],
  ]) {
    await page.getByRole("button", { name: "Compose parallel group" }).click();
    for (const a of group) await call(page, a);
    if (group[1] === "prewarm(stage_crew)") {
      await page.getByRole("button", { name: "Run group (2)" }).click();
      await expect(pools.getByRole("img", { name: /prewarmed/ })).toHaveCount(1);
    } else await page.getByRole("button", { name: "Run group (2)" }).click();
  }
  await expect(page.getByRole("list", { name: "Sequence so far" })).toContainText(
    "arrange_seating + build_stage",
  );
  await expect(page.getByRole("region", { name: "Optimization hints" })).toContainText(
    "✓ Run independent calls together as a parallel group.",
  );
});

test("tier 4: an injected failure waits for the player's decision, then shows the recovery chosen", async ({
  page,
}) => {
  await page.goto("/?level=launch-the-spaceship&speed=instant");
  await call(page, "inspect_hull");
  await call(page, "calibrate_systems");
  await expect(page.getByRole("region", { name: "Chambering Flow" })).toContainText(
    "calibrate_systems failed (permanent), waiting for your decision",
  );
  await call(page, "fallback(calibrate_systems)");
  await expect(page.getByRole("region", { name: "Chambering Flow" })).toContainText(
    "Recovery: calibrate_systems fell back to manual_calibration",
  );
  // Tier 4's panels sit in tabs, with Progress above them.
  await page.getByRole("tab", { name: "Failures" }).click();
  const log = page.getByRole("tabpanel", { name: "Failures" });
  await expect(log).toContainText("calibrate_systems failed");
  await expect(log).toContainText("Recovery: calibrate_systems fell back to manual_calibration");
  // The Pit inspector is a developer tool, behind a switch in Settings.
  await expect(page.getByText("Pit inspector")).toBeHidden();
  await page.getByRole("button", { name: "Settings" }).click();
  await page.getByRole("checkbox", { name: /Developer tools/ }).check();
  await page.getByRole("button", { name: "Close" }).click();
  await expect(page.getByRole("dialog", { name: "Settings" })).toHaveCount(0);
  await page.locator("summary", { hasText: "Pit inspector" }).click();
  await expect(page.getByText(/recovering → deciding → fallingBack → using/)).toBeVisible();
});

test("progress survives a reload", async ({ page }) => {
  await page.goto("/?level=escape-the-room&speed=instant");
  for (const a of ["find_key", "unlock_door(rusty_key)", "open_door"]) await call(page, a);
  await expect(page.getByRole("region", { name: "Results" })).toContainText("200 / 200");
  await page.goto("/#/map");
  await page.reload();
  await expect(
    page.getByRole("button", { name: "1. Escape the Room: best 200, Grand Maestro" }),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: /^2\. The Ancient Bridge: not played yet/ })).toBeEnabled();
  await expect(page.getByRole("button", { name: /^3\. The Royal Messenger: locked/ })).toBeDisabled();
});

test("a corrupted save shows a notice, keeps the damaged copy, and the game still plays", async ({
  page,
}) => {
  const errors = collectErrors(page);
  await page.addInitScript(() => {
    if (!sessionStorage.getItem("seeded")) {
      localStorage.setItem("fq.save", '{"version":2,"best":{"escape-the-room":');
      sessionStorage.setItem("seeded", "1");
    }
  });
  await page.goto("/");
  await expect(page.getByRole("alert")).toContainText("Your saved progress was corrupt");
  expect(await page.evaluate(() => localStorage.getItem("fq.save.unreadable"))).toBe(
    '{"version":2,"best":{"escape-the-room":',
  );
  await page.getByRole("button", { name: "Dismiss notice: Your saved progress was corrupt" }).click();
  await expect(page.getByRole("alert")).toBeEmpty();
  await page.getByRole("button", { name: "Play" }).click();
  await page.getByRole("button", { name: "Begin" }).click();
  await call(page, "find_key");
  await expect(page.getByRole("list", { name: "Sequence so far" })).toContainText("find_key");
  expect(errors).toEqual([]);
});

test("settings: speed, reduced motion, sound and unlock-all are real controls and persist", async ({
  page,
}) => {
  await page.goto("/#/map");
  await expect(page.getByRole("button", { name: /^20\. The Symphony Release: locked/ })).toBeDisabled();
  await page.getByRole("button", { name: "Settings" }).click();
  const dialog = page.getByRole("dialog", { name: "Settings" });
  await dialog.getByRole("radio", { name: "Instant" }).check();
  await dialog.getByRole("checkbox", { name: "Reduced motion" }).check();
  await dialog.getByRole("checkbox", { name: "Unlock all levels" }).check();
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(
    page.getByRole("button", { name: /^20\. The Symphony Release: not played yet/ }),
  ).toBeEnabled();
  await page.reload();
  await expect(
    page.getByRole("button", { name: /^20\. The Symphony Release: not played yet/ }),
  ).toBeEnabled();
  const saved = await page.evaluate(() => JSON.parse(localStorage.getItem("fq.save") ?? "{}").settings);
  expect(saved).toMatchObject({ speed: "instant", reducedMotion: true, unlockAll: true });
});

test("a notice about one screen goes with it; a notice about the save stays until dismissed", async ({
  page,
}) => {
  await page.goto("/#/level/no-such-level");
  await expect(page.getByRole("alert")).toContainText('There is no level "no-such-level".');
  await page.getByRole("link", { name: "Demonstrations" }).click();
  await expect(page.getByRole("alert")).not.toContainText("There is no level");
});

test("no screen breaks the page's Content-Security-Policy (validation runs without eval)", async ({
  page,
}) => {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (e) =>
      seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
  });
  const screens: [string, string][] = [
    ["/#/", "Play"],
    ["/?level=launch-the-spaceship&speed=instant", "inspect_hull"],
    ["/#library", "Export 0 shown"],
    ["/#designer", "Analyze"],
  ];
  for (const [url, ready] of screens) {
    await page.goto(url);
    await page
      .getByRole("button", { name: new RegExp(`^${ready}`) })
      .first()
      .waitFor();
    if (url === "/#designer") {
      // Parsing a level (zod) is what used to probe for eval.
      await page.getByRole("combobox", { name: "Shipped level" }).selectOption("the-flood-defences");
      await expect(page.getByText(/^Valid level/)).toBeVisible();
    }
    expect(
      await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
      url,
    ).toEqual([]);
  }
});
