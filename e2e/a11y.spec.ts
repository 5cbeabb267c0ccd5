import { createRequire } from "node:module";
import { expect, type Page, test } from "@playwright/test";

/**
 * Accessibility audit with axe-core, the engine behind Lighthouse's accessibility score: every WCAG 2 A
 * and AA rule and axe's best practices, on the screens a player meets. No violation is allowed (which is
 * what Lighthouse's 100 needs).
 */
// The page's CSP forbids inline scripts (rightly); the audit injects axe, so this test alone bypasses it.
test.use({ bypassCSP: true });

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            ctx: unknown,
            opts: unknown,
          ): Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const r = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    });
    return r.violations.map(
      (v) =>
        `${v.id}: ${v.help} (${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join("; ")})`,
    );
  });
}

const SCREENS: [string, string, string][] = [
  ["the title", "/#/", "Play"],
  ["a tier-1 level", "/?level=escape-the-room&speed=instant", "find_key"],
  ["a tier-4 level", "/?level=launch-the-spaceship&speed=instant", "inspect_hull"],
  ["the demonstrations", "/#library", "Export 0 shown"],
  ["the designer", "/#designer", "Analyze"],
];

for (const [name, url, ready] of SCREENS)
  test(`no accessibility violations on ${name}`, async ({ page }) => {
    await page.goto(url);
    await page
      .getByRole("button", { name: new RegExp(`^${ready.replace(/[()]/g, "\\$&")}`) })
      .first()
      .waitFor();
    expect(await violations(page)).toEqual([]);
  });
