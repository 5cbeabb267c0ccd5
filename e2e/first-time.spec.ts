import { expect, test } from "@playwright/test";

test("a first-time player: walkthrough, level 1 played, and the walkthrough not shown again", async ({
  page,
}) => {
  await page.goto("/?speed=instant");
  await page.getByRole("button", { name: "Play" }).click();
  await page.getByRole("button", { name: "Begin" }).click();
  // The walkthrough points at the cards, the flow, the goal and undo, one callout at a time.
  const titles = ["Your functions", "Each call, as it happens", "Your goal", "Undo"];
  for (const [i, title] of titles.entries()) {
    const callout = page.getByRole("dialog", { name: `Walkthrough: ${title}` });
    await expect(callout).toBeVisible();
    await expect(callout).toContainText(`${i + 1} of ${titles.length}`);
    await callout.getByRole("button", { name: i === titles.length - 1 ? "Got it" : "Next" }).click();
  }
  await expect(page.getByRole("dialog")).toHaveCount(0);
  // Tier 1 keeps the Pit hidden: one line for the flow, no component chips.
  const flow = page.getByRole("region", { name: "Chambering Flow" });
  await expect(flow).toContainText("Pick a function to call");
  await expect(flow.locator(".components")).toHaveCount(0);
  // A greyed card says why; every term has plain words.
  await expect(page.locator('.palette button[data-action="open_door"]')).toContainText("Not now:");
  await expect(page.getByRole("button", { name: /^Undo/ })).toHaveAttribute(
    "title",
    /Take back the last step/,
  );
  for (const a of ["find_key", "unlock_door(rusty_key)", "open_door"])
    await page.locator(`.palette button[data-action="${a}"]`).click();
  await expect(page.getByRole("region", { name: "Results" })).toContainText("200 / 200");
  // Coming back to level 1, the walkthrough has been seen.
  await page.goto("/#/level/escape-the-room");
  await page.getByRole("button", { name: "Begin" }).click();
  await expect(page.locator(".palette")).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);
});

test("the walkthrough can be skipped, and the first level of tier 2 introduces what tier 2 reveals", async ({
  page,
}) => {
  await page.addInitScript(() => {
    if (!sessionStorage.getItem("seeded")) {
      localStorage.setItem(
        "fq.save",
        JSON.stringify({
          version: 2,
          best: {},
          settings: { speed: "instant", reducedMotion: false, sound: false, unlockAll: true },
        }),
      );
      sessionStorage.setItem("seeded", "1");
    }
  });
  await page.goto("/#/level/prepare-the-banquet");
  await page.getByRole("button", { name: "Begin" }).click();
  const callout = page.getByRole("dialog", { name: "Walkthrough: The Chambering Flow" });
  await expect(callout).toBeVisible();
  await expect(
    page.getByRole("region", { name: "Chambering Flow" }).locator("li[data-phase=requesting]"),
  ).toHaveAttribute("title", /asks for its turn/);
  await callout.getByRole("button", { name: "Skip tour" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await page.reload();
  await page.getByRole("button", { name: "Begin" }).click();
  await expect(page.locator(".palette")).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);
});
