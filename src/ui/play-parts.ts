/**
 * The play screen's parts, each a function from what the store published (the engine's view model and
 * the UI slice) to DOM, with intents going out through callbacks. None of them decides a rule: what is
 * legal, why a card is greyed, the par and the score all come from the `PlayView`.
 */
import {
  DIMENSION_MAX,
  type Dimension,
  FLOW_MAIN,
  type FlowFrame,
  type FlowState,
  type Level,
  PHASE_COMPONENTS,
  PHASE_TEXT,
  PIT_COMPONENTS,
  type PitComponent,
  type PlayView,
  type ScoreBreakdown,
  termHelp,
} from "../engine/api/view.ts";
import { button, el } from "./dom.ts";
import type { CallTrace } from "./flow-inspector.ts";
import { histogramSvg, type Marker } from "./svg.ts";

/** What the palette can ask for. */
export interface PaletteIntents {
  act(index: number): void;
  pick(label: string): void;
  undo(): void;
  toggleCompose(): void;
  runGroup(): void;
}

/** The composer's state (the store's UI slice). */
export interface Composer {
  readonly composing: boolean;
  readonly group: readonly string[];
  readonly groupError: string | null;
}

/** The number key of the n-th card (1–9, then 0), or "" past ten. */
export const cardKey = (n: number): string => (n < 9 ? String(n + 1) : n === 9 ? "0" : "");

/** The function cards, the undo and composer tools, and the sequence so far. */
export function palette(view: PlayView, undoable: number, c: Composer, on: PaletteIntents): HTMLElement[] {
  const cards = el("div", { className: "palette" });
  view.palette.forEach((p, n) => {
    const key = cardKey(n);
    const b = el(
      "button",
      { type: "button", disabled: !p.legal, className: c.group.includes(p.label) ? "picked" : "" },
      el("span", { className: "fn", textContent: p.label }),
      // A greyed card says why, in the engine's words, where its description was (which stays its tooltip).
      p.reason
        ? el("small", { className: "why", textContent: `Not now: ${p.reason}` })
        : el("small", { textContent: p.description }),
      ...(key ? [el("kbd", { textContent: key })] : []),
    ) as HTMLButtonElement;
    b.dataset.action = p.label;
    if (c.composing) b.setAttribute("aria-pressed", String(c.group.includes(p.label)));
    b.title = p.reason ? `${p.description} Not now: ${p.reason}` : p.description;
    if (key) b.setAttribute("aria-keyshortcuts", key);
    b.addEventListener("click", () => (c.composing ? on.pick(p.label) : on.act(p.index)));
    cards.append(b);
  });
  const tools = el("div", { className: "row" });
  const undo = button(`Undo (−${view.undoPenalty})`, on.undo, { disabled: undoable === 0 });
  undo.title = `${termHelp("undo")} Here: −${view.undoPenalty} each.`;
  undo.setAttribute("aria-keyshortcuts", "U");
  tools.append(undo);
  if (view.canCompose) {
    const compose = button(c.composing ? "Cancel group" : "Compose parallel group", on.toggleCompose);
    compose.setAttribute("aria-pressed", String(c.composing));
    compose.setAttribute("aria-keyshortcuts", "G");
    tools.append(compose);
    if (c.composing)
      tools.append(
        el("span", {
          className: "group",
          textContent: c.group.length ? c.group.join(" + ") : "pick two or more functions",
        }),
        runButton(c, on),
      );
    if (c.groupError) tools.append(el("p", { className: "bad", role: "alert", textContent: c.groupError }));
  }
  const seq = el("ol", { className: "sequence" });
  seq.setAttribute("aria-label", "Sequence so far");
  for (const h of view.history) seq.append(el("li", { textContent: h }));
  return [
    el(
      "section",
      { className: "palette-box", ariaLabel: "Functions" },
      // The tools share the heading's line, so the cards start higher (the palette fits in 800 px).
      el(
        "div",
        { className: "palette-head" },
        el("h3", { textContent: c.composing ? "Compose a parallel group" : "Functions" }),
        tools,
      ),
      cards,
    ),
    el(
      "section",
      { className: "seq-box" },
      el("h3", { textContent: `Sequence (${view.history.length})` }),
      view.history.length ? seq : el("p", { className: "muted", textContent: "No calls yet." }),
    ),
  ];
}

function runButton(c: Composer, on: PaletteIntents): HTMLButtonElement {
  const b = button(`Run group (${c.group.length})`, on.runGroup, { disabled: c.group.length < 2 });
  b.setAttribute("aria-keyshortcuts", "R");
  return b;
}

/**
 * The one short message a screen reader hears after a step: what ran, how it went (rejection, failure,
 * recovery), and the goal's progress. Built from the view; polite, and only this is live.
 */
export function stepAnnouncement(view: PlayView, label: string): string {
  const notes = view.lastStep.map((l) => l.text.replace(/^[^\p{L}\p{N}]+/u, ""));
  const goal = `goal ${view.goal.met} of ${view.goal.total}`;
  const over =
    view.status === "playing" ? "" : ` Level over: ${view.score.total} of 200, ${view.score.tier}.`;
  return `${label}: ${notes.length ? notes.join("; ") : "done"}; ${goal}.${over}`;
}

/** The story intro, before play begins. */
export function intro(level: Level, begin: () => void): HTMLElement {
  const b = button("Begin", begin);
  // The router focuses it once the screen is on the page; a later re-render focuses it itself.
  b.dataset.autofocus = "";
  queueMicrotask(() => b.focus({ preventScroll: true }));
  return el(
    "section",
    { className: "intro" },
    el("h3", { textContent: "The story" }),
    el("p", { textContent: level.story.intro }),
    el("p", {}, el("strong", { textContent: "Goal: " }), level.story.goal),
    el("p", { className: "muted", textContent: `Panels on this level: ${level.panels.join(", ")}.` }),
    b,
  );
}

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

function standingBox(view: PlayView, st: Standing): HTMLElement {
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
  standing: Standing,
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
    standingBox(view, standing),
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

/** A chip with its plain-words tooltip. */
function term(tag: string, text: string, help = termHelp(text)): HTMLElement {
  const e = el(tag, { textContent: text });
  if (help) e.title = help;
  return e;
}

/**
 * The Chambering Flow strip, the one place the flow is shown. It reveals the Pit as the tiers advance
 * (seed 000): tier 1 keeps the infrastructure hidden behind one line (the call and how it ended), tier 2
 * shows the flow's phases, tier 3 and up the Pit components at work too. Built once per step (with the
 * step's incidents in the engine's words); `showFrame` then only moves the highlight.
 */
export function flowStrip(
  host: HTMLElement,
  tier: number,
): {
  build(view: PlayView, traces: readonly CallTrace[]): void;
  showFrame(f: FlowFrame | null): void;
} {
  let phases: HTMLLIElement[] = [];
  let comps: HTMLLIElement[] = [];
  let traces: readonly CallTrace[] = [];
  const title = el("h3");
  title.title = termHelp("chambering flow") ?? "";
  return {
    build(view, t) {
      traces = t;
      const notes = view.lastStep.map((l) =>
        el("p", { className: l.tone === "bad" ? "bad" : l.tone === "good" ? "ok" : "", textContent: l.text }),
      );
      if (tier <= 1) {
        phases = [];
        comps = [];
        host.replaceChildren(title, ...notes);
        return;
      }
      const extra = [...new Set(traces.flatMap((x) => x.phases))].filter((p) => !FLOW_MAIN.includes(p));
      const list = el("ol", { className: "phases" });
      phases = [...FLOW_MAIN, ...extra].map((p) => {
        const li = term("li", PHASE_TEXT[p]) as HTMLLIElement;
        li.dataset.phase = p;
        return li;
      });
      list.append(...phases);
      const compList = el("ul", { className: "components" });
      comps = tier >= 3 ? PIT_COMPONENTS.map((c) => term("li", c) as HTMLLIElement) : [];
      compList.append(...comps);
      host.replaceChildren(title, list, ...(comps.length ? [compList] : []), ...notes);
    },
    showFrame(f) {
      const trace = f ? traces[f.call] : undefined;
      const who = f ? `${f.fn}${f.calls > 1 ? ` (call ${f.call + 1} of ${f.calls})` : ""}` : "";
      title.textContent =
        tier <= 1
          ? f
            ? `Calling ${who}: ${PHASE_TEXT[f.phase]}`
            : "Pick a function to call"
          : f
            ? `Chambering Flow — ${who}`
            : "Chambering Flow — idle";
      for (const li of phases) {
        const p = li.dataset.phase as FlowState;
        const cls = f?.phase === p ? "now" : trace?.phases.includes(p) ? "past" : "";
        if (li.className !== cls) li.className = cls;
        if (cls === "now") li.setAttribute("aria-current", "step");
        else li.removeAttribute("aria-current");
      }
      const lit = new Set(f ? PHASE_COMPONENTS[f.phase] : []);
      comps.forEach((li, i) => {
        const cls = lit.has(PIT_COMPONENTS[i] as PitComponent) ? "lit" : "";
        if (li.className !== cls) li.className = cls;
      });
    },
  };
}
