/**
 * Where a play stands, on the results: the scores of random legal players on the level (a histogram with
 * markers for this play and the optimum) and this browser's plays of it. Loaded when results first show.
 */
import type { PlayView } from "../engine/api/view.ts";
import { el } from "./dom.ts";
import { histogramSvg, type Marker } from "./histogram.ts";

/** Where a play stands: random legal players' scores on the level, and this browser's plays of it. */
export interface Standing {
  readonly random: {
    readonly runs: number;
    readonly histogram: readonly number[];
    readonly mean: number;
  } | null;
  /** Final scores of the plays recorded in this browser for this level (this one included), oldest first. */
  readonly mine: readonly number[];
}

export function standingBox(view: PlayView, st: Standing): HTMLElement {
  const total = view.score.total;
  const markers: Marker[] = [
    { score: view.bestPossible, label: "optimum", colour: "#f2b84b" },
    { score: total, label: "you", colour: "#5fd39a" },
  ];
  const mineBest = st.mine.length ? Math.max(...st.mine) : null;
  const beaten = st.random
    ? st.random.histogram.slice(0, Math.floor(Math.min(total, 199) / 20)).reduce((a, b) => a + b, 0)
    : 0;
  const lines = [
    st.random
      ? `Better than at least ${Math.round((100 * beaten) / Math.max(1, st.random.runs))}% of ${st.random.runs} random players (their mean: ${st.random.mean}).`
      : "",
    st.mine.length > 1
      ? `This browser: ${st.mine.length} plays of this level, best ${mineBest}.`
      : "Your first recorded play of this level in this browser.",
    total < view.bestPossible
      ? `A better score exists: ${view.bestPossible}. Every retry is another demonstration.`
      : "",
  ].filter(Boolean);
  return el(
    "div",
    { className: "standing" },
    ...(st.random ? [histogramSvg(st.random.histogram, markers)] : []),
    ...lines.map((t) => el("p", { className: "muted", textContent: t })),
  );
}
