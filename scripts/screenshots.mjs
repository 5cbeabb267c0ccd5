// Takes the screenshots in docs/screenshots/: every screen at 1280×800 and 390×844. Starts its own Vite dev server on port 5175 and drives Debian's Chromium.
// Run: node scripts/screenshots.mjs
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, findChromium } from "./chromium-path.mjs";

const PORT = 5175;
// In a process group of its own (detached), so stopping it stops Vite itself, not only the `npx` in front.
const server = spawn("npx", ["vite", "--host", "127.0.0.1", "--port", String(PORT), "--strictPort"], {
  stdio: "ignore",
  detached: true,
});
const stopServer = () => {
  try {
    if (server.pid) process.kill(-server.pid, "SIGTERM");
  } catch {}
};
process.on("exit", stopServer);
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
// Every screen at a laptop's 1280×800 and a phone's 390×844 (the viewport a player sees), plus a full
// page of each tier's level mid-play at 1280 for the README.
const SIZES = [
  ["1280", { width: 1280, height: 800 }],
  ["390", { width: 390, height: 844 }],
];
const taken = [];
for (const [size, viewport] of SIZES) {
  const page = await browser.newPage({ viewport });
  const call = (label) =>
    page
      .getByRole("region", { name: "Functions" })
      .getByRole("button", { name: new RegExp(`^${label.replace(/[()]/g, "\\$&")}(\\s|$)`) })
      .click();
  const shot = async (name, full = false) => {
    await page.waitForTimeout(700);
    const path = `docs/screenshots/${name}-${size}.png`;
    await page.screenshot({ path, fullPage: full });
    taken.push(path);
  };
  const play = async (steps, pause) => {
    for (const s of steps) {
      if (s.includes(" + ")) {
        await page.getByRole("button", { name: "Compose parallel group" }).click();
        for (const c of s.split(" + ")) await call(c);
        await page.getByRole("button", { name: /^Run group/ }).click();
      } else await call(s);
      await page.waitForTimeout(pause);
    }
  };
  await page.goto(`${base}/`);
  await shot("title");
  await page.goto(`${base}/#/map`);
  await shot("level-map");
  // A first visit to level 1: the story, then the walkthrough's first callout.
  await page.goto(`${base}/#/level/escape-the-room`);
  await page.getByRole("button", { name: "Begin" }).waitFor();
  await page.locator("canvas").waitFor();
  await page.waitForTimeout(1500);
  await shot("intro");
  await page.getByRole("button", { name: "Begin" }).click();
  await shot("walkthrough");
  const tiers = [
    ["tier1-escape-the-room", "escape-the-room", ["find_key"]],
    ["tier2-prepare-the-banquet", "prepare-the-banquet", ["chop_vegetables", "cook_food"]],
    [
      "tier3-orchestrate-the-festival",
      "orchestrate-the-festival",
      ["book_bands", "hire_security + prewarm(stage_crew)"],
    ],
    ["tier4-launch-the-spaceship", "launch-the-spaceship", ["inspect_hull", "calibrate_systems"]],
  ];
  for (const [name, level, steps] of tiers) {
    await page.goto(`${base}/?level=${level}&speed=2x`);
    await page.waitForFunction(() => window.fq?.screen === "play");
    await page.waitForTimeout(1500);
    await play(steps, 1600);
    await shot(name, size === "1280");
  }
  await page.goto(`${base}/?level=escape-the-room&speed=instant`);
  await page.waitForFunction(() => window.fq?.screen === "play");
  await play(["find_key", "unlock_door(rusty_key)", "open_door"], 200);
  await page.waitForTimeout(1500);
  await page.getByRole("region", { name: "Results" }).scrollIntoViewIfNeeded();
  await shot("results");
  await page.goto(`${base}/#library`);
  await shot("demonstrations");
  await page.goto(`${base}/#designer`);
  await page.getByRole("combobox", { name: "Shipped level" }).selectOption("the-flood-defences");
  await page.getByText(/^Difficulty/).waitFor({ timeout: 60_000 });
  await shot("designer");
  await page.close();
}
console.log(taken.join("\n"));
await browser.close();
stopServer();
