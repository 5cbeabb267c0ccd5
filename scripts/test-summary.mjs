// Prints one closing line for the whole run ("N passed, N failed") from the Vitest, Playwright and pytest
// reports.
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
if (existsSync("reports/pytest.xml")) {
  // JUnit XML from pytest: the <testsuite> element carries the counts.
  const xml = readFileSync("reports/pytest.xml", "utf8");
  const count = (name) => Number(new RegExp(`<testsuite[^>]*\\s${name}="(\\d+)"`).exec(xml)?.[1] ?? 0);
  const total = count("tests");
  const bad = count("failures") + count("errors");
  const skip = count("skipped");
  passed += total - bad - skip;
  failed += bad;
  skipped += skip;
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
