/**
 * `npm run levels:report`: analyzes every shipped level and writes docs/levels-report.md (a table) and
 * docs/difficulty-curve.svg (the difficulty rating across the twenty levels, by tier).
 */
import { writeFileSync } from "node:fs";
import { type Analysis, analyzeLevel, type Level } from "../engine/index.ts";
import { LEVELS } from "../levels/index.ts";

const TIER_COLOURS = ["#5fd39a", "#5ab4f2", "#f2b84b", "#ff6b6b"];
const TIER_NAMES = ["Foundation", "Resource awareness", "System optimization", "Architectural mastery"];

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The difficulty curve as a standalone SVG. */
export function curveSvg(rows: readonly { level: Level; a: Analysis }[]): string {
  const W = 920;
  const H = 420;
  const L = 60;
  const R = 24;
  const T = 56;
  const B = 96;
  const x = (i: number) => L + ((W - L - R) * (i + 0.5)) / rows.length;
  const y = (r: number) => T + (H - T - B) * (1 - r / 10);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="Segoe UI, system-ui, sans-serif">`,
  );
  parts.push(`<rect width="${W}" height="${H}" fill="#10131c"/>`);
  parts.push(
    `<text x="${L}" y="32" fill="#e6e9f2" font-size="20" font-weight="600">Function Quest V2: difficulty across the curriculum</text>`,
  );
  // Tier bands.
  for (let t = 1; t <= 4; t++) {
    const idx = rows.map((r, i) => (r.level.tier === t ? i : -1)).filter((i) => i >= 0);
    if (!idx.length) continue;
    const x0 = x(idx[0] as number) - (W - L - R) / rows.length / 2;
    const x1 = x(idx.at(-1) as number) + (W - L - R) / rows.length / 2;
    parts.push(
      `<rect x="${x0.toFixed(1)}" y="${T}" width="${(x1 - x0).toFixed(1)}" height="${H - T - B}" fill="${TIER_COLOURS[t - 1]}" opacity="0.08"/>`,
    );
    parts.push(
      `<text x="${((x0 + x1) / 2).toFixed(1)}" y="${H - 18}" fill="${TIER_COLOURS[t - 1]}" font-size="13" text-anchor="middle">Tier ${t}: ${TIER_NAMES[t - 1]}</text>`,
    );
  }
  // Grid and axis.
  for (let r = 0; r <= 10; r += 2) {
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${y(r)}" y2="${y(r)}" stroke="#2a3246" stroke-width="1"/>`);
    parts.push(
      `<text x="${L - 10}" y="${y(r) + 4}" fill="#97a0b8" font-size="12" text-anchor="end">${r}</text>`,
    );
  }
  parts.push(
    `<text x="18" y="${(T + H - B) / 2}" fill="#97a0b8" font-size="12" transform="rotate(-90 18 ${(T + H - B) / 2})" text-anchor="middle">difficulty rating (0–10)</text>`,
  );
  // The curve.
  const pts = rows.map((r, i) => `${x(i).toFixed(1)},${y(r.a.difficulty.rating).toFixed(1)}`);
  parts.push(
    `<polyline points="${pts.join(" ")}" fill="none" stroke="#e6e9f2" stroke-width="2" stroke-linejoin="round"/>`,
  );
  rows.forEach((r, i) => {
    const cx = x(i);
    const cy = y(r.a.difficulty.rating);
    parts.push(
      `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="6" fill="${TIER_COLOURS[r.level.tier - 1]}" stroke="#10131c" stroke-width="2"><title>${esc(`${r.level.order}. ${r.level.title}: ${r.a.difficulty.rating} (${r.a.difficulty.label})`)}</title></circle>`,
    );
    parts.push(
      `<text x="${cx.toFixed(1)}" y="${H - B + 18}" fill="#97a0b8" font-size="11" text-anchor="middle">${r.level.order}</text>`,
    );
  });
  parts.push(
    `<text x="${(L + W - R) / 2}" y="${H - B + 36}" fill="#97a0b8" font-size="12" text-anchor="middle">level</text>`,
  );
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

/** The report as Markdown. */
export function reportMarkdown(rows: readonly { level: Level; a: Analysis }[]): string {
  const lines = [
    "# Level report",
    "",
    "Written by `npm run levels:report` from the analyzer (`src/engine/analyze.ts`); the rating formula is in",
    "[designer.md](designer.md). Random player: 200 seeded runs of uniformly random legal actions.",
    "",
    "![Difficulty across the curriculum](difficulty-curve.svg)",
    "",
    "| # | level | tier | difficulty | optimum | states | branching | dead ends | solutions (steps) | random wins | random mean | greedy |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const { level, a } of rows) {
    lines.push(
      `| ${level.order} | ${level.title} | ${level.tier} | ${a.difficulty.rating} ${a.difficulty.label} | ${a.optimum.score ?? "–"} | ${a.space.statesText} | ${a.space.meanBranching} (max ${a.space.maxBranching}) | ${Math.round(a.space.deadEndShare * 100)}% | ${a.space.shortestSolution ?? "?"}–${a.space.longestSolution ?? "?"} | ${Math.round(a.random.successRate * 100)}% | ${a.random.meanScore} | ${a.greedy.score} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = LEVELS.map((level) => ({ level, a: analyzeLevel(level) }));
  writeFileSync(new URL("../../docs/levels-report.md", import.meta.url), reportMarkdown(rows));
  writeFileSync(new URL("../../docs/difficulty-curve.svg", import.meta.url), curveSvg(rows));
  console.log(`docs/levels-report.md and docs/difficulty-curve.svg written for ${rows.length} levels`);
}
