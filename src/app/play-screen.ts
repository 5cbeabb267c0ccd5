/**
 * The level screen: the story intro, then play (the Phaser stage, the function palette, the parallel
 * group composer, the sequence, the Chambering Flow strip, the tier's panels and the Pit inspector),
 * then the results. It renders the store and sends intents; the engine decides everything.
 */
import {
  actionIndexOf,
  type CompiledLevel,
  checkAction,
  compileLevel,
  DIMENSION_MAX,
  type Dimension,
  type EngineEvent,
  type FlowState,
  type Level,
  parseActionText,
  type ScoreBreakdown,
} from "../engine/index.ts";
import { play as playSound } from "./audio.ts";
import { button, el } from "./dom.ts";
import {
  createAnimator,
  FLOW_MAIN,
  PHASE_COMPONENTS,
  PHASE_TEXT,
  PIT_COMPONENTS,
  type PitComponent,
} from "./flow-animator.ts";
import { traceCalls } from "./flow-inspector.ts";
import { renderPanels } from "./panels.ts";
import { timed } from "./perf.ts";
import type { GameStoreApi } from "./store.ts";

export interface PlayOptions {
  readonly level: Level;
  readonly seed?: number;
  readonly store: GameStoreApi;
  /** Skip the intro (URL parameters for tests and automation). */
  readonly skipIntro: boolean;
  /** The next level's id, if there is one and it is (or will be) unlocked. */
  readonly nextId: string | null;
  /** Called when an episode ends, to save progress; returns a notice if saving failed. */
  readonly onFinished: (
    score: ScoreBreakdown,
    steps: readonly string[],
  ) => { best: boolean; problem: string | null };
  readonly navigate: (hash: string) => void;
}

export interface PlayScreen {
  readonly node: HTMLElement;
  unmount(): void;
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

function reasonsList(sc: ScoreBreakdown): HTMLElement {
  const reasons = el("ul", { className: "reasons" });
  for (const it of sc.items)
    reasons.append(
      el("li", {
        className: it.points < 0 ? "bad" : "",
        textContent: `${it.points > 0 ? "+" : ""}${it.points} ${it.dimension}: ${it.reason}`,
      }),
    );
  return reasons;
}

function stepsList(title: string, steps: readonly string[]): HTMLElement {
  const ol = el("ol", { className: "steps" });
  for (const s of steps) ol.append(el("li", { textContent: s }));
  return el("div", {}, el("h3", { textContent: title }), ol);
}

/** Mounts the level screen; the store is loaded with the level here. */
export function mountPlay(opts: PlayOptions): PlayScreen {
  const { level, store } = opts;
  const ctx: CompiledLevel = compileLevel(level);
  store.getState().loadLevel(level, opts.seed ?? level.seed);
  const animator = createAnimator((frame) => store.getState().setUi({ flow: frame }));
  let started = opts.skipIntro;
  let composing = false;
  let group: string[] = [];
  let groupError: string | null = null;
  let inspectorOpen = false;
  let finishNote: { best: boolean; problem: string | null } | null = null;
  const canCompose = level.tier >= 3;

  const stageHost = el("div", { className: "stage" });
  const root = el("div", { className: "play" });
  const controls = el("div", { className: "controls" });
  const panels = el("div", { className: "panels" });
  const flowStrip = el("section", { className: "flow" });
  flowStrip.setAttribute("aria-label", "Chambering Flow");
  const inspector = el("div");
  const status = el("p", { className: "sr-only", role: "status" });

  const act = (label: string | number) => {
    store.getState().act(label);
  };

  const header = el(
    "div",
    { className: "level-head" },
    el(
      "div",
      {},
      el("h2", { textContent: level.title }),
      el("span", { className: "badge", textContent: `Tier ${level.tier} · Level ${level.order}` }),
    ),
    el(
      "div",
      { className: "row" },
      button("Restart", () => {
        finishNote = null;
        animator.stop();
        store.getState().restart();
      }),
      button("Level map", () => opts.navigate("#/map")),
    ),
  );

  // The functions the palette offers: every single call (grouped actions are composed, not listed).
  const singles = ctx.actions.filter((a) => a.calls.length === 1);

  const renderControls = () => {
    const { play } = store.getState();
    const s = play.state;
    if (!s) return;
    if (!started) {
      const begin = button("Begin", () => {
        started = true;
        renderAll();
        (controls.querySelector(".palette button:not([disabled])") as HTMLElement | null)?.focus();
      });
      controls.replaceChildren(
        el(
          "section",
          { className: "intro" },
          el("h3", { textContent: "The story" }),
          el("p", { textContent: level.story.intro }),
          el("p", {}, el("strong", { textContent: "Goal: " }), level.story.goal),
          el("p", { className: "muted", textContent: `Panels on this level: ${level.panels.join(", ")}.` }),
          begin,
        ),
      );
      queueMicrotask(() => begin.focus());
      return;
    }
    if (s.status !== "playing" && s.score) {
      controls.replaceChildren(results(s.score, s.history));
      return;
    }
    const palette = el("div", { className: "palette" });
    singles.forEach((a, n) => {
      const fn = level.functions.find((f) => f.id === a.calls[0]?.fn);
      const key = n < 9 ? String(n + 1) : n === 9 ? "0" : "";
      const b = el(
        "button",
        { type: "button", disabled: !play.mask[a.index], className: group.includes(a.label) ? "picked" : "" },
        el("span", { className: "fn", textContent: a.label }),
        el("small", { textContent: fn?.description ?? "Warm a slot ahead of need (predictive allocation)." }),
        ...(key ? [el("kbd", { textContent: key })] : []),
      ) as HTMLButtonElement;
      b.dataset.action = a.label;
      if (key) b.setAttribute("aria-keyshortcuts", key);
      b.addEventListener("click", () => {
        if (composing) {
          group = group.includes(a.label) ? group.filter((g) => g !== a.label) : [...group, a.label];
          renderControls();
        } else act(a.index);
      });
      palette.append(b);
    });
    const tools = el("div", { className: "row" });
    const undo = button(`Undo (−${level.undoPenalty})`, () => store.getState().undo(), {
      disabled: play.past.length === 0,
    });
    undo.setAttribute("aria-keyshortcuts", "U");
    tools.append(undo);
    if (canCompose) {
      const compose = button(composing ? "Cancel group" : "Compose parallel group", () => {
        composing = !composing;
        group = [];
        groupError = null;
        renderControls();
      });
      compose.setAttribute("aria-pressed", String(composing));
      compose.setAttribute("aria-keyshortcuts", "G");
      tools.append(compose);
      if (composing)
        tools.append(
          el("span", {
            className: "group",
            textContent: group.length ? group.join(" + ") : "pick two or more functions",
          }),
          button(
            `Run group (${group.length})`,
            () => {
              const text = group.join(" + ");
              const index = actionIndexOf(ctx, text);
              if (index === null) {
                // Not a group the level can run (dependent calls, or too many): say why, play nothing.
                const parsed = parseActionText(text);
                const why = parsed.ok ? checkAction(ctx, s, { calls: parsed.calls }) : null;
                groupError = `Not run: ${why?.message ?? `"${text}" is not a group this level can run in parallel`}`;
                renderControls();
                return;
              }
              composing = false;
              group = [];
              groupError = null;
              act(index);
            },
            { disabled: group.length < 2 },
          ),
        );
      if (groupError) tools.append(el("p", { className: "bad", role: "alert", textContent: groupError }));
    }
    const seq = el("ol", { className: "sequence" });
    seq.setAttribute("aria-label", "Sequence so far");
    for (const h of s.history) seq.append(el("li", { textContent: h }));
    controls.replaceChildren(
      el(
        "section",
        { className: "palette-box", ariaLabel: "Functions" },
        el("h3", { textContent: composing ? "Compose a parallel group" : "Functions" }),
        palette,
        tools,
      ),
      el(
        "section",
        { className: "seq-box" },
        el("h3", { textContent: `Sequence (${s.history.length})` }),
        s.history.length ? seq : el("p", { className: "muted", textContent: "No calls yet." }),
      ),
    );
  };

  const results = (sc: ScoreBreakdown, history: readonly string[]): HTMLElement => {
    const next = opts.nextId;
    const won = store.getState().play.state?.status === "won";
    const heading = el("p", {
      className: "success",
      textContent: won ? level.story.success : "The level ended without reaching the goal.",
    });
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
        ...(finishNote?.best ? [el("span", { className: "badge good", textContent: "New best!" })] : []),
      ),
      heading,
      scoreBars(sc),
      reasonsList(sc),
      el(
        "div",
        { className: "compare" },
        stepsList("Your solution", history),
        stepsList("Optimal solution", level.solutions.reference.steps),
      ),
      ...(finishNote?.problem
        ? [el("p", { className: "bad", role: "alert", textContent: finishNote.problem })]
        : []),
      el(
        "div",
        { className: "row" },
        button("Retry", () => {
          finishNote = null;
          store.getState().restart();
        }),
        ...(next && won ? [button("Next level", () => opts.navigate(`#/level/${next}`))] : []),
        button("Back to map", () => opts.navigate("#/map")),
      ),
    );
    box.setAttribute("aria-label", "Results");
    return box;
  };

  // The flow strip is rebuilt once per step; each animation frame only moves the highlight (cheap to paint).
  let flowPhases: HTMLLIElement[] = [];
  let flowComps: HTMLLIElement[] = [];
  const flowTitle = el("h3");
  let traces: ReturnType<typeof traceCalls> = [];
  const buildFlow = () => {
    const { play } = store.getState();
    traces = traceCalls(play.lastEvents);
    const extra = [...new Set(traces.flatMap((t) => t.phases))].filter((p) => !FLOW_MAIN.includes(p));
    const phases = el("ol", { className: "phases" });
    flowPhases = [...FLOW_MAIN, ...extra].map((p) => {
      const li = el("li", { textContent: PHASE_TEXT[p] }) as HTMLLIElement;
      li.dataset.phase = p;
      return li;
    });
    phases.append(...flowPhases);
    const comps = el("ul", { className: "components" });
    flowComps = PIT_COMPONENTS.map((c) => el("li", { textContent: c }) as HTMLLIElement);
    comps.append(...flowComps);
    const note: HTMLElement[] = [];
    if (play.lastRejection)
      note.push(el("p", { className: "bad", textContent: `✗ Rejected: ${play.lastRejection.message}` }));
    for (const e of play.lastEvents) {
      const line = recoveryLine(e);
      if (line) note.push(el("p", { className: line[1], textContent: line[0] }));
    }
    flowStrip.replaceChildren(flowTitle, phases, comps, ...note);
    showFrame();
  };
  const showFrame = () => {
    const f = store.getState().ui.flow;
    const trace = f ? traces[f.call] : undefined;
    flowTitle.textContent = f
      ? `Chambering Flow — ${f.fn}${f.calls > 1 ? ` (call ${f.call + 1} of ${f.calls})` : ""}`
      : "Chambering Flow — idle";
    for (const li of flowPhases) {
      const p = li.dataset.phase as FlowState;
      const cls = f?.phase === p ? "now" : trace?.phases.includes(p) ? "past" : "";
      if (li.className !== cls) li.className = cls;
      if (cls === "now") li.setAttribute("aria-current", "step");
      else li.removeAttribute("aria-current");
    }
    const lit = new Set(f ? PHASE_COMPONENTS[f.phase] : []);
    flowComps.forEach((li, i) => {
      const cls = lit.has(PIT_COMPONENTS[i] as PitComponent) ? "lit" : "";
      if (li.className !== cls) li.className = cls;
    });
    if (inspectorOpen && machineLine) machineLine.textContent = machineText();
  };
  const machineText = () => {
    const f = store.getState().ui.flow;
    return `Machine state: ${f ? `${f.phase} (${f.fn})` : "idle"}`;
  };
  let machineLine: HTMLElement | null = null;

  const renderPanelsNow = () => {
    const { play } = store.getState();
    if (!play.state) return;
    if (play.score)
      panels.replaceChildren(
        ...renderPanels({ level, ctx, state: play.state, eventLog: play.eventLog, score: play.score }),
      );
  };

  const renderInspector = () => {
    const { play } = store.getState();
    const traces = el("ul", { className: "log" });
    for (const t of traceCalls(play.lastEvents))
      traces.append(el("li", { textContent: `${t.fn}: ${t.phases.join(" → ")}  [actor: ${t.actorState}]` }));
    const stream = el("ul", { className: "log" });
    for (const e of play.lastEvents)
      if (e.type !== "FlowPhase") stream.append(el("li", { textContent: JSON.stringify(e) }));
    const details = el(
      "details",
      { className: "inspector", open: inspectorOpen },
      el("summary", { textContent: "Pit inspector" }),
      (machineLine = el("p", { textContent: machineText() })),
      el("h3", { textContent: "Chambering Flow (last step)" }),
      traces,
      el("h3", { textContent: "Event stream (last step)" }),
      stream,
    );
    details.addEventListener("toggle", () => {
      const open = (details as HTMLDetailsElement).open;
      // Opening shows the latest step (a closed inspector is not kept up to date).
      if (open && !inspectorOpen) {
        inspectorOpen = true;
        timed(renderInspector);
      } else inspectorOpen = open;
    });
    inspector.replaceChildren(details);
  };

  const renderAll = () =>
    timed(() => {
      renderControls();
      buildFlow();
      renderPanelsNow();
      renderInspector();
    });

  const offs = [
    store.subscribe(
      (st) => st.play.state,
      () =>
        timed(() => {
          renderControls();
          renderPanelsNow();
        }),
    ),
    store.subscribe(
      (st) => st.play.lastEvents,
      (events) => {
        const { ui, play } = store.getState();
        timed(() => {
          buildFlow();
          if (inspectorOpen) renderInspector();
        });
        animator.play(events, ui.speed);
        if (ui.sound && events.length) playSound(soundOf(events, play.lastRejection !== null));
        const s = play.state;
        if (s && s.status !== "playing" && s.score && events.some((e) => e.type === "EpisodeEnded")) {
          finishNote = opts.onFinished(s.score, s.history);
          status.textContent = `Level over: ${s.score.total} of 200, ${s.score.tier}.`;
          timed(renderControls);
          (controls.querySelector(".results button") as HTMLElement | null)?.focus();
        }
      },
    ),
    store.subscribe(
      (st) => st.ui.flow,
      () => timed(showFrame),
    ),
  ];

  const onKey = (ev: KeyboardEvent) => {
    if (!started || ev.altKey || ev.metaKey) return;
    const t = ev.target as HTMLElement | null;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) return;
    const s = store.getState().play.state;
    if (!s || s.status !== "playing") return;
    if ((ev.key === "z" && ev.ctrlKey) || (ev.key === "u" && !ev.ctrlKey)) {
      store.getState().undo();
      ev.preventDefault();
      return;
    }
    if (ev.ctrlKey) return;
    if (ev.key === "g" && canCompose) {
      composing = !composing;
      group = [];
      renderControls();
      return;
    }
    const n = ev.key === "0" ? 9 : Number.parseInt(ev.key, 10) - 1;
    const a = Number.isInteger(n) && n >= 0 ? singles[n] : undefined;
    if (a) {
      (
        controls.querySelectorAll<HTMLButtonElement>(".palette button")[n] as HTMLButtonElement | undefined
      )?.click();
      ev.preventDefault();
    }
  };
  document.addEventListener("keydown", onKey);

  root.append(
    header,
    el(
      "div",
      { className: "play-grid" },
      el("div", { className: "main-col" }, stageHost, flowStrip, controls),
      panels,
    ),
    el("section", { className: "inspector-box" }, inspector),
    status,
  );
  renderAll();
  void import("../scenes/stage.ts")
    .then((m) => m.showLevel(stageHost, level, store))
    .catch((e: unknown) => {
      stageHost.replaceChildren(
        el("p", {
          className: "bad",
          textContent: `The scene could not start: ${String(e)}. The game still plays below.`,
        }),
      );
    });

  return {
    node: root,
    unmount() {
      animator.stop();
      for (const off of offs) off();
      document.removeEventListener("keydown", onKey);
      void import("../scenes/stage.ts").then((m) => m.hideStage());
    },
  };
}

function recoveryLine(e: EngineEvent): [string, string] | null {
  switch (e.type) {
    case "CallFailed":
      return [`✗ ${e.reason}${e.handled ? "" : " — unhandled"}`, "bad"];
    case "RetryAttempted":
      return [`↻ Recovery: retry ${e.fn} (attempt ${e.attempt})`, "ok"];
    case "FallbackActivated":
      return [`⇢ Recovery: fall back from ${e.fn} to ${e.fallback}`, "ok"];
    case "GracefullySkipped":
      return [`↷ Recovery: ${e.fn} skipped gracefully`, "ok"];
    case "ReverseReconstructed":
      return [`⟲ Recovery: rebuilt ${e.artifact} from ${e.from.join(", ")}`, "ok"];
    case "ConflictArbitrated":
      return [`⚖ Arbitration (${e.policy}): ${e.winner} before ${e.loser} on ${e.resource}`, ""];
    case "StabilityWarning":
      return [`⚠ ${e.kind} on ${e.pool}`, "bad"];
    default:
      return null;
  }
}

function soundOf(
  events: readonly EngineEvent[],
  rejected: boolean,
): "call" | "reject" | "failure" | "success" {
  if (events.some((e) => e.type === "GoalReached")) return "success";
  if (rejected) return "reject";
  if (events.some((e) => e.type === "CallFailed")) return "failure";
  return "call";
}
