/**
 * Truthful feedback: on every level, the reference solution, the basic one and a wasteful variant (the
 * reference with a call nothing needs) end with score lines that add up to the total, compare with the
 * level's real optimum, and never contradict one another.
 */
import { describe, expect, it } from "vitest";
import {
  actionMask,
  compileLevel,
  ensurePar,
  initialState,
  type Level,
  playView,
  type ScoreBreakdown,
  step,
} from "../src/engine/index.ts";
import { LEVELS } from "../src/levels/index.ts";

function play(level: Level, steps: readonly string[]) {
  const ctx = compileLevel(level);
  ensurePar(ctx);
  let s = initialState(ctx, level.seed);
  for (const a of steps) s = step(ctx, s, a).state;
  return { ctx, s, score: s.score as ScoreBreakdown };
}

/** The reference with one extra call first: a legal single call the reference never makes. */
function wasteful(level: Level): string[] | null {
  const ctx = compileLevel(level);
  const s = initialState(ctx, level.seed);
  const mask = actionMask(ctx, s);
  const used = new Set(level.solutions.reference.steps.flatMap((x) => x.split(" + ")));
  for (const a of ctx.actions) {
    if (!mask[a.index] || a.calls.length !== 1 || used.has(a.label) || a.label.startsWith("prewarm"))
      continue;
    const steps = [a.label, ...level.solutions.reference.steps];
    if (play(level, steps).s.status === "won") return steps;
  }
  return null;
}

function checkLines(where: string, sc: ScoreBreakdown): void {
  const has = (code: string) => sc.items.some((i) => i.code === code && i.points < 0);
  const reason = (code: string) => sc.items.find((i) => i.code === code)?.reason ?? "";
  // The lines add up to the total.
  expect(
    sc.items.reduce((n, i) => n + i.points, 0),
    where,
  ).toBe(sc.total);
  if (has("wasted") || has("redundant"))
    expect(reason("density"), where).not.toContain("every call meaningful");
  if (has("skipped")) expect(reason("completeness"), where).not.toContain("Every necessary step");
  if (["warning", "back-to-back", "unhandled", "stale"].some(has))
    expect(reason("stability"), where).not.toBe("System kept healthy");
}

describe("score lines tell the truth", () => {
  it("finds a wasteful variant for most levels", () => {
    expect(LEVELS.filter((l) => wasteful(l) !== null).length).toBeGreaterThanOrEqual(15);
  });

  for (const level of LEVELS)
    it(level.id, () => {
      const plays: [string, string[]][] = [
        ["reference", [...level.solutions.reference.steps]],
        ["basic", [...level.solutions.basic.steps]],
      ];
      const w = wasteful(level);
      if (w) plays.push(["wasteful", w]);
      for (const [name, steps] of plays) {
        const { ctx, s, score } = play(level, steps);
        const where = `${level.id} ${name}`;
        expect(s.status, where).not.toBe("playing");
        checkLines(where, score);
        const par = ctx.par as NonNullable<typeof ctx.par>;
        if (s.status === "won") {
          // Efficiency compares with the level's real optimum, which the reference reaches.
          expect(score.items.find((i) => i.code === "speed")?.reason, where).toBe(
            `Execution speed: ${s.tick} ticks (optimum ${par.ticks})`,
          );
        }
        const view = playView(ctx, s, { eventLog: [], lastRejection: null });
        // The outcome is told from what was played: the optimum says nothing was wasted; waste is named.
        if (s.status === "won") expect(view.outcome, where).toMatch(/^Goal reached in \d+ step\(s\)/);
        if (name === "reference" && score.total === 200)
          expect(view.outcome, where).toContain("Nothing was wasted.");
        if (score.items.some((i) => i.code === "wasted"))
          expect(view.outcome, where).toContain("whose results nothing used");
        expect(view.bestPossible, where).toBe(level.solutions.reference.score);
        expect(view.score.total, where).toBeLessThanOrEqual(view.bestPossible);
        if (name === "wasteful") {
          expect(score.total, where).toBeLessThan(level.solutions.reference.score);
          // and a line says where the points went (a deduction, or efficiency short of its optimum).
          const ref = play(level, level.solutions.reference.steps).score;
          expect(score.items.some((i) => i.points < 0) || score.efficiency < ref.efficiency, where).toBe(
            true,
          );
        }
      }
    });
});
