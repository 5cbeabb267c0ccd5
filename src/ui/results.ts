/**
 * The results of a finished play: the tier, the four bars, every reason, the engine's account of what
 * was played, where the play stands, and the play beside the optimal solution. Loaded once the level is
 * playable (it is not needed before the end), so it stays out of the first-load bundle.
 */
import {
  DIMENSION_MAX,
  type Dimension,
  type Level,
  type PlayView,
  type ScoreBreakdown,
} from "../engine/api/view.ts";
import { button, el } from "./dom.ts";

function scoreBars(sc: ScoreBreakdown): HTMLElement {
  const bars = el("div", { className: "bars" });
  for (const [dim, max] of Object.entries(DIMENSION_MAX) as [Dimension, number][]) {
    const fill = el("div");
    fill.style.width = `${(sc[dim] / max) * 100}%`;
    const bar = el("div", { className: "bar" }, fill);
    bar.setAttribute("role", "meter");
    bar.setAttribute("aria-label", dim);
    bar.setAttribute("aria-valuemin", "0");
    bar.setAttribute("aria-valuemax", String(max));
    bar.setAttribute("aria-valuenow", String(sc[dim]));
    bars.append(el("span", { textContent: dim }), bar, el("span", { textContent: `${sc[dim]} / ${max}` }));
  }
  return bars;
}

function stepsList(title: string, steps: readonly string[]): HTMLElement {
  const ol = el("ol", { className: "steps" });
  for (const s of steps) ol.append(el("li", { textContent: s }));
  return el("div", {}, el("h3", { textContent: title }), ol);
}

export interface ResultsIntents {
  retry(): void;
  next: (() => void) | null;
  map(): void;
}

/** The results: the tier, the four bars, every reason, and the play beside the optimal solution. */
export function results(
  level: Level,
  view: PlayView,
  finish: { readonly best: boolean; readonly problem: string | null } | null,
  /** Where the play stands (ui/standing.ts, loaded when the results first show); null until then. */
  standing: HTMLElement | null,
  on: ResultsIntents,
): HTMLElement {
  const sc = view.score;
  const won = view.status === "won";
  const reasons = el("ul", { className: "reasons" });
  for (const it of sc.items)
    reasons.append(
      el("li", {
        className: it.points < 0 ? "bad" : "",
        textContent: `${it.points > 0 ? "+" : ""}${it.points} ${it.dimension}: ${it.reason}`,
      }),
    );
  const box = el(
    "section",
    { className: "results" },
    el(
      "div",
      { className: "results-head" },
      el("div", {
        className: `tier-badge tier-${sc.tier.replace(" ", "-").toLowerCase()}`,
        textContent: sc.tier,
      }),
      el("div", { className: "tier", textContent: `${sc.total} / 200` }),
      ...(finish?.best ? [el("span", { className: "badge good", textContent: "New best!" })] : []),
    ),
    // Some levels cannot reach 200 (their certain failures cost points): say what the ceiling is.
    ...(view.bestPossible < 200
      ? [
          el("p", {
            className: "muted best-possible",
            textContent: `Best possible here: ${view.bestPossible}.`,
          }),
        ]
      : []),
    // The level's ending tells the story of a perfect play: shown only for one that matched the optimum.
    // What was actually played is always told, from the engine's record of it.
    ...(won && sc.total >= view.bestPossible
      ? [el("p", { className: "success", textContent: level.story.success })]
      : []),
    el("p", { className: won ? "outcome" : "outcome bad", textContent: view.outcome }),
    scoreBars(sc),
    reasons,
    standing ?? el("div", { className: "standing" }),
    el(
      "div",
      { className: "compare" },
      stepsList("Your solution", view.history),
      stepsList("Optimal solution", level.solutions.reference.steps),
    ),
    ...(finish?.problem ? [el("p", { className: "bad", role: "alert", textContent: finish.problem })] : []),
    el(
      "div",
      { className: "row" },
      button("Retry", on.retry),
      ...(on.next && won ? [button("Next level", on.next)] : []),
      button("Back to map", on.map),
    ),
  );
  box.setAttribute("aria-label", "Results");
  return box;
}
