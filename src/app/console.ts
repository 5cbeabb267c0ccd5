/**
 * The engine console: a plain DOM view of a level that runs before the Phaser game exists. It renders
 * state and sends intents; every rule lives in the engine. Text is set with textContent, never as HTML.
 */
import {
  type ActionSpec,
  compileLevel,
  DIMENSION_MAX,
  type Dimension,
  type EngineEvent,
  type Level,
  type ScoreBreakdown,
} from "../engine/index.ts";
import { LEVELS } from "../levels/index.ts";
import { traceCalls } from "./flow-inspector.ts";
import { recordHumanScore } from "./scores.ts";
import { createGameStore } from "./store.ts";

/** Creates an element with properties (never innerHTML) and children. */
export function el(
  tag: string,
  props: Record<string, unknown> = {},
  ...children: (Node | string)[]
): HTMLElement {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function describeEvent(e: EngineEvent): [string, string] | null {
  switch (e.type) {
    case "CallRejected":
      return [`✗ rejected: ${e.reason}`, "warn"];
    case "ArtifactStored":
      return [`▣ stored ${e.artifact} v${e.version}`, "ok"];
    case "StabilityWarning":
      return [`⚠ ${e.kind} on ${e.pool}`, "warn"];
    case "CallFailed":
      return [`✗ ${e.reason}${e.handled ? "" : " (unhandled)"}`, "warn"];
    case "RetryAttempted":
      return [`↻ retry ${e.fn}`, ""];
    case "FallbackActivated":
      return [`⇢ fallback to ${e.fallback}`, ""];
    case "GracefullySkipped":
      return [`↷ skipped ${e.fn}`, ""];
    case "ReverseReconstructed":
      return [`⟲ rebuilt ${e.artifact} from ${e.from.join(", ")}`, ""];
    case "StaleReclaimed":
      return [`🧹 reclaimed ${e.id}`, "warn"];
    case "ConflictArbitrated":
      return [`⚖ ${e.winner} before ${e.loser}`, ""];
    case "PredictiveAllocation":
      return [`♨ prewarmed ${e.pool}`, "ok"];
    case "GoalReached":
      return ["★ goal reached", "ok"];
    default:
      return null;
  }
}

function scoreView(sc: ScoreBreakdown): HTMLElement {
  const bars = el("div", { className: "bars" });
  for (const [dim, max] of Object.entries(DIMENSION_MAX) as [Dimension, number][]) {
    const fill = el("div");
    fill.style.width = `${(sc[dim] / max) * 100}%`;
    bars.append(
      el("span", { textContent: dim }),
      el("div", { className: "bar" }, fill),
      el("span", { textContent: `${sc[dim]} / ${max}` }),
    );
  }
  const reasons = el("ul");
  for (const it of sc.items)
    reasons.append(
      el("li", {
        className: it.points < 0 ? "bad" : "",
        textContent: `${it.points > 0 ? "+" : ""}${it.points} ${it.dimension}: ${it.reason}`,
      }),
    );
  return el(
    "section",
    { className: "score" },
    el("h2", { textContent: "Score" }),
    el("div", { className: "tier", textContent: `${sc.total} / 200 — ${sc.tier}` }),
    bars,
    reasons,
  );
}

/** The navigation shared by every view: real links, reachable by keyboard. */
export function navBar(current: "play" | "designer"): HTMLElement {
  const link = (href: string, text: string, here: boolean) => {
    const a = el("a", { href, textContent: text, className: here ? "here" : "" });
    if (here) a.setAttribute("aria-current", "page");
    return a;
  };
  return el(
    "nav",
    { className: "row" },
    el("h1", {}, "Function Quest ", el("span", { textContent: "V2" })),
    link("#play", "Play", current === "play"),
    link("#designer", "Designer", current === "designer"),
  );
}

/** The play view's store, kept so a remount (another level, restart) unsubscribes the old view first. */
let unsubscribe: (() => void) | null = null;

/**
 * Mounts the play view on `app` for a level (the edited one from the designer, or a shipped one).
 * It renders the store and sends intents to it; the store asks the engine.
 */
export function mountConsole(app: HTMLElement, level: Level): void {
  unsubscribe?.();
  const store = createGameStore();
  store.getState().loadLevel(level);
  const compiled = compileLevel(level);
  const log: [string, string][] = [];
  let inspectorOpen = false;
  const shipped = LEVELS.some((l) => l.id === level.id && l === level);

  const render = () => {
    const { play } = store.getState();
    const s = play.state as NonNullable<typeof play.state>;
    const picker = document.createElement("select");
    picker.setAttribute("aria-label", "Level");
    if (!shipped)
      picker.append(el("option", { value: level.id, textContent: `Edited: ${level.title}`, selected: true }));
    for (const l of LEVELS)
      picker.append(
        el("option", {
          value: l.id,
          textContent: `${l.order}. ${l.title} (tier ${l.tier})`,
          selected: shipped && l.id === level.id,
        }),
      );
    picker.addEventListener("change", () => {
      const next = LEVELS.find((l) => l.id === picker.value);
      if (next) mountConsole(app, next);
    });
    const restart = el("button", { textContent: "Restart", type: "button" });
    restart.addEventListener("click", () => {
      log.length = 0;
      store.getState().restart();
    });
    const undoButton = el("button", {
      textContent: `Undo (−${level.undoPenalty})`,
      type: "button",
      disabled: play.past.length === 0 || s.status !== "playing",
    });
    undoButton.addEventListener("click", () => {
      log.push([`↶ undo: back to step ${play.past.length - 1}`, "warn"]);
      store.getState().undo();
    });
    const palette = el("div", { className: "palette" });
    compiled.actions.forEach((a: ActionSpec, i) => {
      // Parallel groups are listed only while they can run; single calls always show, greyed when masked.
      if (a.calls.length > 1 && !play.mask[i]) return;
      const fn = level.functions.find((f) => f.id === a.calls[0]?.fn);
      const b = el(
        "button",
        { type: "button", disabled: !play.mask[i] },
        a.label,
        el("small", {
          textContent:
            a.calls.length > 1 ? "run in parallel" : (fn?.description ?? "warm a slot ahead of need"),
        }),
      );
      b.addEventListener("click", () => store.getState().act(i));
      palette.append(b);
    });
    const logView = el("ul", { className: "log" });
    for (const [text, cls] of log) logView.append(el("li", { className: cls, textContent: text }));
    // The Pit inspector: the last step's calls through the Chambering Flow actor, and the event stream.
    const traces = el("ul", { className: "log" });
    for (const t of traceCalls(play.lastEvents))
      traces.append(el("li", { textContent: `${t.fn}: ${t.phases.join(" → ")}  [actor: ${t.actorState}]` }));
    const stream = el("ul", { className: "log" });
    for (const e of play.lastEvents)
      if (e.type !== "FlowPhase") stream.append(el("li", { textContent: JSON.stringify(e) }));
    const inspector = el(
      "details",
      { className: "inspector", open: inspectorOpen },
      el("summary", { textContent: "Pit inspector" }),
      el("h3", { textContent: "Chambering Flow (last step)" }),
      traces,
      el("h3", { textContent: "Event stream (last step)" }),
      stream,
    );
    inspector.addEventListener("toggle", () => {
      inspectorOpen = (inspector as HTMLDetailsElement).open;
    });
    app.replaceChildren(
      el("header", {}, navBar("play"), el("div", { className: "row" }, picker, restart, undoButton)),
      el(
        "section",
        { className: "story" },
        el("h2", { textContent: level.title }),
        el("p", { textContent: level.story.intro }),
        el("p", { textContent: `Goal: ${level.story.goal}` }),
        el("p", { className: "sequence", textContent: s.history.join(" → ") || "…" }),
      ),
      el("section", {}, el("h2", { textContent: "Functions" }), palette),
      el("section", {}, el("h2", { textContent: "Chambering Flow log" }), logView),
      ...(s.score ? [scoreView(s.score)] : []),
      el("section", { className: "story" }, inspector),
    );
  };

  // Each step's events become log lines; the end of an episode records the player's score.
  const offEvents = store.subscribe(
    (st) => st.play.lastEvents,
    (events) => {
      const { play } = store.getState();
      const s = play.state;
      if (!s || events.length === 0) return;
      log.push([`${s.step}. ${s.history.at(-1) ?? ""} (tick ${s.tick})`, ""]);
      for (const e of events) {
        const d = describeEvent(e);
        if (d) log.push([`   ${d[0]}`, d[1]]);
      }
      if (s.status !== "playing" && s.score) {
        const problem = recordHumanScore(level.id, s.score.total);
        if (problem) log.push([`⚠ ${problem}`, "warn"]);
      }
    },
  );
  const offRender = store.subscribe((st) => st.play, render);
  unsubscribe = () => {
    offEvents();
    offRender();
  };
  render();
}
