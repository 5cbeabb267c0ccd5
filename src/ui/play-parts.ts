/**
 * The play screen's parts, each a function from what the store published (the engine's view model and
 * the UI slice) to DOM, with intents going out through callbacks. None of them decides a rule: what is
 * legal, why a card is greyed, the par and the score all come from the `PlayView`.
 */
import {
  FLOW_MAIN,
  type FlowFrame,
  type FlowState,
  type Level,
  PHASE_COMPONENTS,
  PHASE_TEXT,
  PIT_COMPONENTS,
  type PitComponent,
  type PlayView,
} from "../engine/api/view.ts";
import { button, el } from "./dom.ts";
import { termHelp } from "./terms.ts";

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
    const decide = view.decision !== null && p.legal;
    const b = el(
      "button",
      {
        type: "button",
        disabled: !p.legal,
        className: decide ? "decide" : c.group.includes(p.label) ? "picked" : "",
      },
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
  undo.title = `${termHelp("undo") ?? "Take back the last step."} Here: −${view.undoPenalty} each.`;
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
  // A failed call waits for the player: say which, how it failed, and that the first cards are the choice.
  const d = view.decision;
  const banner = d
    ? el(
        "p",
        { className: "decision" },
        el("strong", { textContent: `${d.fn} failed (${d.kind}).` }),
        ` ${termHelp("deciding") ?? "Choose how to recover."} Decide with the highlighted cards${d.queued.length ? `; then ${d.queued.join(", ")}` : ""}.`,
      )
    : null;
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
        el("h3", {
          textContent: d ? "Your recovery decision" : c.composing ? "Compose a parallel group" : "Functions",
        }),
        tools,
      ),
      ...(banner ? [banner] : []),
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
  build(view: PlayView, frames: readonly FlowFrame[]): void;
  showFrame(f: FlowFrame | null): void;
} {
  let phases: HTMLLIElement[] = [];
  let comps: HTMLLIElement[] = [];
  /** Each call's phases in the step, in order (from the engine's FlowPhase events, as `flowFrames` reads them). */
  let traces: { phases: FlowState[] }[] = [];
  const title = el("h3");
  return {
    build(view, frames) {
      title.title = termHelp("chambering flow") ?? "";
      traces = [];
      for (const f of frames) (traces[f.call] ??= { phases: [] }).phases.push(f.phase);
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
