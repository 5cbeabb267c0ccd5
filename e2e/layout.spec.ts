import { readdirSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";

/**
 * Nothing overflows: at every width a player might use, no screen scrolls sideways and no element sticks
 * out of the box it sits in (a panel, a card, a tier column, the results).
 */
const WIDTHS = [390, 768, 1024, 1280, 1440, 1920];

/** Elements whose right or left edge leaves their nearest box, described for the failure message. */
async function overflows(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const BOX =
      ".panel, .level-card, .tier-group, .results, .palette-box, .seq-box, .flow, .intro, .library, header";
    if (document.documentElement.scrollWidth > innerWidth + 1)
      out.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${innerWidth}`);
    for (const e of document.querySelectorAll<HTMLElement>("#app *")) {
      const box = e.parentElement?.closest<HTMLElement>(BOX);
      if (!box || e.closest(".sr-only")) continue;
      // Content inside a scroll container within the box (a wide table on a phone) scrolls there by design.
      let scrolled = false;
      for (let a = e.parentElement; a; a = a.parentElement) {
        if (["auto", "scroll"].includes(getComputedStyle(a).overflowX)) scrolled = true;
        if (a === box) break;
      }
      if (scrolled) continue;
      const r = e.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const b = box.getBoundingClientRect();
      if (r.right > b.right + 1 || r.left < b.left - 1)
        out.push(
          `${e.tagName.toLowerCase()}.${e.className} "${(e.textContent ?? "").slice(0, 30)}" leaves ${box.className} (${Math.round(r.left)}–${Math.round(r.right)} vs ${Math.round(b.left)}–${Math.round(b.right)})`,
        );
    }
    return out.slice(0, 8);
  });
}

async function playSome(page: Page, steps: readonly string[]): Promise<void> {
  for (const s of steps) await page.locator(`.palette button[data-action="${s}"]`).click();
}

for (const width of WIDTHS)
  test(`nothing overflows at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    const screens: [string, string, (() => Promise<void>)?][] = [
      ["title", "/#/"],
      ["level map", "/#/map"],
      ["tier 1 level", "/?level=escape-the-room&speed=instant"],
      [
        "tier 4 level mid-play",
        "/?level=launch-the-spaceship&speed=instant",
        () => playSome(page, ["inspect_hull", "calibrate_systems"]),
      ],
      [
        "results",
        "/?level=escape-the-room&speed=instant",
        () => playSome(page, ["find_key", "unlock_door(rusty_key)", "open_door"]),
      ],
      ["demonstrations", "/#library"],
      ["designer", "/#designer"],
    ];
    for (const [name, url, then] of screens) {
      await page.goto(url);
      await page.locator("#app header").waitFor();
      if (then) await then();
      await page.waitForTimeout(150);
      expect(await overflows(page), `${name} at ${width} px`).toEqual([]);
    }
  });

test("on every level, the scene and the function cards fit in 800 px of height at 1280 px", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const ids = readdirSync("src/levels")
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.replace(/\.json$/, ""));
  expect(ids.length).toBe(20);
  for (const id of ids) {
    await page.goto(`/?level=${id}&speed=instant`);
    await page.locator(".palette").waitFor();
    const box = await page.evaluate(() => ({
      stage: document.querySelector(".stage")?.getBoundingClientRect().top ?? -1,
      cards: document.querySelector(".palette")?.getBoundingClientRect().bottom ?? 9999,
    }));
    expect(box.stage, id).toBeGreaterThanOrEqual(0);
    expect(box.cards, id).toBeLessThanOrEqual(800);
  }
});
