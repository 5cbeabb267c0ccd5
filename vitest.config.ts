import { playwright } from "@vitest/browser-playwright";
import { defineConfig } from "vitest/config";
import { CHROMIUM_ARGS, findChromium } from "./scripts/chromium-path.mjs";
import { digestRuns } from "./tests/browser/cross-runtime.ts";
import { levelsPlugin } from "./vite-plugin-levels.ts";

const executablePath = findChromium() ?? "/usr/bin/chromium";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          environment: "node",
          include: ["tests/**/*.test.ts"],
          exclude: ["tests/browser/**"],
          testTimeout: 60_000,
        },
      },
      {
        // Inline projects do not inherit the root's plugins: the browser code imports virtual:fq-levels.
        plugins: [levelsPlugin()],
        test: {
          name: "browser",
          include: ["tests/browser/**/*.browser.test.ts"],
          testTimeout: 60_000,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: { executablePath, args: CHROMIUM_ARGS } }),
            instances: [{ browser: "chromium" }],
            // Runs in Node: the browser test compares its own runs against these.
            commands: { nodeDigests: () => digestRuns() },
          },
        },
      },
    ],
  },
});
