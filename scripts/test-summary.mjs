// Prints one closing line for the whole run ("N passed, N failed") from the Vitest and Playwright reports.
import { existsSync, readFileSync } from "node:fs";

const vitest = JSON.parse(readFileSync("reports/vitest.json", "utf8"));
let passed = vitest.numPassedTests;
let failed = vitest.numFailedTests;
let skipped = (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
if (existsSync("reports/playwright.json")) {
  const pw = JSON.parse(readFileSync("reports/playwright.json", "utf8")).stats;
  passed += pw.expected + pw.flaky;
  failed += pw.unexpected;
  skipped += pw.skipped;
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
