// Makes sure a Chromium exists for the browser tests. On Debian as root it installs the distribution's
// package; otherwise it stops with the exact command to run.
import { execSync } from "node:child_process";
import { findChromium } from "./chromium-path.mjs";

let found = findChromium();
if (!found) {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  let hasApt = false;
  try {
    execSync("command -v apt-get", { stdio: "ignore" });
    hasApt = true;
  } catch {}
  if (isRoot && hasApt) {
    console.log("ensure-chromium: installing Debian's chromium (apt-get install -y chromium)...");
    execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium", {
      stdio: "inherit",
    });
    found = findChromium();
  }
  if (!found) {
    console.error(
      "ensure-chromium: no Chromium found for the browser tests.\n" +
        "  On Debian/Ubuntu run:  sudo apt-get update && sudo apt-get install -y chromium\n" +
        "  or point CHROMIUM_PATH at a Chromium or Chrome executable.",
    );
    process.exit(1);
  }
}
console.log(`ensure-chromium: using ${found}`);
