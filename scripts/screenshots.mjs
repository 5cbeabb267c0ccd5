// Takes the README's screenshots (docs/screenshots/): one level scene per tier, mid-play, and a results
// screen. Starts its own Vite dev server on port 5175 and drives Debian's Chromium.
// Run: node scripts/screenshots.mjs
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, findChromium } from "./chromium-path.mjs";

const PORT = 5175;
const server = spawn("npx", ["vite", "--host", "127.0.0.1", "--port", String(PORT), "--strictPort"], {
  stdio: "ignore",
});
const base = `http://127.0.0.1:${PORT}`;
for (let i = 0; i < 100; i++) {
  try {
    if ((await fetch(base)).ok) break;
  } catch {}
  await new Promise((r) => setTimeout(r, 200));
}
mkdirSync("docs/screenshots", { recursive: true });
const browser = await chromium.launch({
  executablePath: findChromium() ?? "/usr/bin/chromium",
  args: CHROMIUM_ARGS,
});
const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
const call = (label) =>
  page
    .getByRole("region", { name: "Functions" })
    .getByRole("button", { name: new RegExp(`^${label.replace(/[()]/g, "\\$&")}(\\s|$)`) })
    .click();
const shots = [
  ["tier1-escape-the-room", "escape-the-room", ["find_key"]],
  ["tier2-prepare-the-banquet", "prepare-the-banquet", 2],
  ["tier3-orchestrate-the-festival", "orchestrate-the-festival", 2],
  ["tier4-launch-the-spaceship", "launch-the-spaceship", ["inspect_hull", "calibrate_systems"]],
];
for (const [name, level, steps] of shots) {
  await page.goto(`${base}/?level=${level}&speed=2x`);
  await page.waitForFunction(() => window.fq?.screen === "play");
  const list =
    typeof steps === "number"
      ? await page.evaluate(async (n) => {
          const res = await fetch(`/src/levels/${window.fq?.level?.id}.json`);
          return (await res.json()).solutions.reference.steps.slice(0, n);
        }, steps)
      : steps;
  for (const s of list) {
    if (s.includes(" + ")) {
      await page.getByRole("button", { name: "Compose parallel group" }).click();
      for (const c of s.split(" + ")) await call(c);
      await page.getByRole("button", { name: /^Run group/ }).click();
    } else await call(s);
    await page.waitForTimeout(1600);
  }
  await page.waitForTimeout(600);
  await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: true });
  console.log(`docs/screenshots/${name}.png`);
}
await page.goto(`${base}/?level=escape-the-room&speed=1x`);
for (const s of ["find_key", "unlock_door(rusty_key)", "open_door"]) {
  await call(s);
  await page.waitForTimeout(1700);
}
await page.waitForTimeout(1200);
await page.screenshot({ path: "docs/screenshots/results.png", fullPage: true });
await page.goto(`${base}/#/map`);
await page.screenshot({ path: "docs/screenshots/level-map.png" });
await page.goto(`${base}/`);
await page.waitForTimeout(300);
await page.screenshot({ path: "docs/screenshots/title.png" });
console.log("docs/screenshots/results.png, level-map.png, title.png");
await browser.close();
server.kill();
