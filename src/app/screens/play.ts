/**
 * The level screen: the story intro, then play (the Phaser stage, the function palette, the parallel
 * group composer, the sequence, the Chambering Flow strip, the tier's panels and the Pit inspector),
 * then the results. Its parts render the store's view model (src/ui) and send intents to the store;
 * the engine decides everything. UI state (intro read, composing, the inspector, the finish) lives in the
 * store's UI slice, so the screen keeps no flags of its own.
 */
import { LEVEL_META, loadRandomScores } from "virtual:fq-levels";
import { flowFrames, type Level, type ScoreBreakdown } from "../../engine/api/rl.ts";
import { el } from "../../ui/dom.ts";
import { panelsView } from "../../ui/panels.ts";
import { timed } from "../../ui/perf.ts";
import { useTerms } from "../../ui/terms.ts";
import { flowStrip, intro, palette, stepAnnouncement } from "../../ui/play-parts.ts";
import type { TourStep } from "../../ui/tour.ts";
import { play as playSound } from "../audio.ts";
import { createAnimator } from "../flow-animator.ts";
import { humanScores } from "../scores.ts";
import { markTourSeen, toursSeen } from "../tour-seen.ts";
import type { ScreenContext, Unmount } from "../screen.ts";

export interface PlayOptions {
  readonly level: Level;
  readonly seed?: number;
  /** Skip the intro (URL parameters for tests and automation). */
  readonly skipIntro: boolean;
  /** The next level's id, if there is one and it is (or will be) unlocked. */
  readonly nextId: string | null;
  /** Called once when an episode ends, to save progress; returns a notice if saving failed. */
  readonly onFinished: (
    score: ScoreBreakdown,
    steps: readonly string[],
    won: boolean,
  ) => { best: boolean; problem: string | null };
}

/** Mounts the level screen into `root`; the store is loaded with the level here. */
export function mountPlay(root: HTMLElement, ctx: ScreenContext, opts: PlayOptions): Unmount {
  const { level } = opts;
  const { store, navigate } = ctx;
  store.getState().loadLevel(level, opts.seed ?? level.seed);
  store.getState().setUi({ started: opts.skipIntro, inspectorOpen: false, tour: null });
  // The walkthrough: on the first level of each tier, after the intro, until seen or skipped once.
  const firstOfTier = LEVEL_META.filter((m) => m.tier === level.tier).sort((a, b) => a.order - b.order)[0];
  const wantsTour = !opts.skipIntro && firstOfTier?.id === level.id && !toursSeen().includes(level.tier);
  // The walkthrough's module loads only where one is due (it stays out of the first-load bundle).
  let tourSteps: readonly TourStep[] = [];
  let tourCallout: typeof import("../../ui/tour.ts").tourCallout | null = null;
  const tourReady = wantsTour
    ? import("../../ui/tour.ts").then((m) => {
        tourSteps = m.TOURS[level.tier] ?? [];
        tourCallout = m.tourCallout;
      })
    : Promise.resolve();
  // What is not needed to play loads once the level is playable (after the stage is up): the tooltips'
  // words, and where a finished play stands. The parts that show them render again then.
  let stageUp = () => {};
  const afterStage = new Promise<void>((resolve) => {
    stageUp = resolve;
    // Whatever the stage does (a slow or failing WebGL), the rest arrives within 3 s.
    setTimeout(resolve, 3000);
  });
  void afterStage
    .then(() => import("../../engine/api/terms.ts"))
    .then((m) => {
      useTerms(m.TERMS);
      timed(() => {
        renderControls();
        renderPanelsNow();
        buildFlow();
      });
    });
  const animator = createAnimator((frame) => store.getState().setUi({ flow: frame }));
  // Random players' scores on this level, computed at build time (none for a level from the designer),
  // and the standing box's module (histogram included): both load off the first-load bundle.
  let random: Awaited<ReturnType<typeof loadRandomScores>> = undefined;
  let standing: typeof import("../../ui/standing.ts") | null = null;
  let resultsPart: typeof import("../../ui/results.ts") | null = null;
  void afterStage
    .then(() =>
      Promise.all([
        loadRandomScores(level.id),
        import("../../ui/standing.ts"),
        import("../../ui/results.ts"),
      ]),
    )
    .then(([r, m, res]) => {
      random = r;
      standing = m;
      resultsPart = res;
      if (store.getState().play.view?.status !== "playing") {
        timed(() => renderControls());
        (controls.querySelector(".results button") as HTMLElement | null)?.focus();
      }
    });
  const intents = store.getState();

  const stageHost = el("div", { className: "stage" });
  const controls = el("div", { className: "controls" });
  const panels = el("div", { className: "panels" });
  const flowHost = el("section", { className: "flow" });
  flowHost.setAttribute("aria-label", "Chambering Flow");
  const strip = flowStrip(flowHost, level.tier);
  const inspector = el("details", { className: "inspector" }) as HTMLDetailsElement;
  // The Pit inspector is a developer tool: shown only when Settings turns developer tools on.
  const inspectorBox = el("section", { className: "inspector-box" }, inspector);
  const showDeveloper = () => {
    inspectorBox.hidden = !store.getState().ui.developer;
  };
  showDeveloper();
  const machine = el("p");
  const status = el("p", { className: "sr-only", role: "status" });

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
      el("button", { type: "button", textContent: "Restart", onclick: () => restart() }),
      el("button", { type: "button", textContent: "Level map", onclick: () => navigate("#/map") }),
    ),
  );

  const restart = () => {
    animator.stop();
    intents.restart();
  };

  const renderControls = () => {
    const { play, ui } = store.getState();
    const view = play.view;
    if (!view) return;
    if (!ui.started) {
      controls.replaceChildren(
        intro(level, () => {
          if (wantsTour)
            void tourReady.then(() => store.getState().setUi({ tour: tourSteps.length ? 0 : null }));
          store.getState().setUi({ started: true });
          // The walkthrough takes focus when it starts; otherwise the first card that can run does.
          if (!wantsTour)
            (controls.querySelector(".palette button:not([disabled])") as HTMLElement | null)?.focus();
        }),
      );
      return;
    }
    if (view.status !== "playing") {
      // The results' module loads once the level is playable; a play over before that shows them when it lands.
      if (!resultsPart) {
        controls.replaceChildren(el("p", { className: "muted", textContent: "Counting the score…" }));
        return;
      }
      controls.replaceChildren(
        resultsPart.results(
          level,
          view,
          ui.finish,
          standing?.standingBox(view, { random: random ?? null, mine: humanScores(level.id) }) ?? null,
          {
            retry: restart,
            next: opts.nextId ? () => navigate(`#/level/${opts.nextId}`) : null,
            map: () => navigate("#/map"),
          },
        ),
      );
      return;
    }
    // Re-rendering the palette keeps keyboard focus where it was: on the same card, or the first one that
    // can run, never falling back to the page.
    const focused = document.activeElement as HTMLElement | null;
    const hadFocus = focused !== null && controls.contains(focused);
    const was = focused?.dataset.action ?? focused?.textContent ?? null;
    controls.replaceChildren(
      ...palette(view, play.undoable, ui, {
        act: (i) => intents.act(i),
        pick: (label) => {
          const g = store.getState().ui.group;
          store.getState().setUi({
            group: g.includes(label) ? g.filter((x) => x !== label) : [...g, label],
            groupError: null,
          });
        },
        undo: () => intents.undo(),
        toggleCompose: () =>
          store.getState().setUi({ composing: !store.getState().ui.composing, group: [], groupError: null }),
        runGroup: () => intents.runGroup(),
      }),
    );
    if (hadFocus) {
      const buttons = [...controls.querySelectorAll<HTMLButtonElement>("button")];
      const same = buttons.find((b) => !b.disabled && (b.dataset.action ?? b.textContent) === was);
      (same ?? buttons.find((b) => !b.disabled && b.dataset.action !== undefined))?.focus();
    }
  };

  const machineText = () => {
    const f = store.getState().ui.flow;
    return `Machine state: ${f ? `${f.phase} (${f.fn})` : "idle"}`;
  };
  // The inspector (a developer tool that replays each call through an XState actor) loads when opened.
  let inspector_: typeof import("../../ui/flow-inspector.ts") | null = null;
  const renderInspector = () => {
    if (store.getState().ui.inspectorOpen && !inspector_) {
      void import("../../ui/flow-inspector.ts").then((m) => {
        inspector_ = m;
        timed(renderInspector);
      });
    }
    machine.textContent = machineText();
    inspector.replaceChildren(
      el("summary", { textContent: "Pit inspector" }),
      ...(store.getState().ui.inspectorOpen && inspector_
        ? inspector_.inspectorBody(store.getState().play.lastEvents, machine)
        : []),
    );
  };
  inspector.addEventListener("toggle", () => {
    // Opening shows the latest step (a closed inspector is not kept up to date).
    if (inspector.open !== store.getState().ui.inspectorOpen)
      store.getState().setUi({ inspectorOpen: inspector.open });
  });

  let callout: HTMLElement | null = null;
  const endTour = () => {
    markTourSeen(level.tier);
    store.getState().setUi({ tour: null });
  };
  const renderTour = () => {
    callout?.remove();
    callout = null;
    for (const t of playRoot.querySelectorAll(".coach-target")) t.classList.remove("coach-target");
    const i = store.getState().ui.tour;
    if (i === null) return;
    if (!tourCallout) return;
    callout = tourCallout(playRoot, tourSteps, i, {
      next: () => (i + 1 < tourSteps.length ? store.getState().setUi({ tour: i + 1 }) : endTour()),
      skip: endTour,
    });
    if (!callout) return endTour();
    playRoot.append(callout);
    callout.querySelector<HTMLElement>("button")?.focus({ preventScroll: true });
    callout.scrollIntoView({
      block: "nearest",
      behavior: store.getState().ui.reducedMotion ? "auto" : "smooth",
    });
  };

  const renderPanelsNow = () => {
    const view = store.getState().play.view;
    if (view)
      panels.replaceChildren(
        ...panelsView({ level, view }, store.getState().ui.panelTab, (p) =>
          store.getState().setUi({ panelTab: p }),
        ),
      );
  };
  const buildFlow = () => {
    const { play, ui } = store.getState();
    if (!play.view) return;
    strip.build(play.view, flowFrames(play.lastEvents));
    strip.showFrame(ui.flow);
  };

  /** A finished episode is saved once, when its last step arrives. */
  const onStep = () => {
    const { play, ui } = store.getState();
    const view = play.view;
    animator.play(play.lastEvents, ui.speed);
    if (view && play.record) status.textContent = stepAnnouncement(view, play.record.label);
    if (ui.sound && play.lastEvents.length) playSound(soundOf(play.lastEvents, play.lastRejection !== null));
    if (view && view.status !== "playing" && play.lastEvents.some((e) => e.type === "EpisodeEnded")) {
      const finish = opts.onFinished(view.score, view.history, view.status === "won");
      store.getState().setUi({ finish });
      (controls.querySelector(".results button") as HTMLElement | null)?.focus();
    }
  };

  const offs = [
    store.subscribe(
      (st) => st.play.view,
      () =>
        timed(() => {
          renderControls();
          renderPanelsNow();
          buildFlow();
          if (store.getState().ui.inspectorOpen) renderInspector();
        }),
    ),
    store.subscribe((st) => st.play.record, onStep),
    store.subscribe(
      (st) => [st.ui.started, st.ui.composing, st.ui.group, st.ui.groupError, st.ui.finish] as const,
      () => timed(renderControls),
      { equalityFn: (a, b) => a.every((x, i) => x === b[i]) },
    ),
    store.subscribe(
      (st) => st.ui.inspectorOpen,
      () => timed(renderInspector),
    ),
    store.subscribe((st) => st.ui.tour, renderTour),
    store.subscribe((st) => st.ui.developer, showDeveloper),
    store.subscribe(
      (st) => st.ui.panelTab,
      () => timed(renderPanelsNow),
    ),
    store.subscribe(
      (st) => st.ui.flow,
      (f) =>
        timed(() => {
          strip.showFrame(f);
          if (store.getState().ui.inspectorOpen) machine.textContent = machineText();
        }),
    ),
  ];

  const onKey = (ev: KeyboardEvent) => {
    const { play, ui } = store.getState();
    if (!ui.started || ev.altKey || ev.metaKey) return;
    const t = ev.target as HTMLElement | null;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) return;
    if (!play.view || play.view.status !== "playing") return;
    if ((ev.key === "z" && ev.ctrlKey) || (ev.key === "u" && !ev.ctrlKey)) {
      intents.undo();
      ev.preventDefault();
      return;
    }
    if (ev.ctrlKey) return;
    if (ev.key === "g" && play.view.canCompose) {
      store.getState().setUi({ composing: !ui.composing, group: [], groupError: null });
      return;
    }
    if (ev.key === "r" && ui.composing && ui.group.length >= 2) {
      intents.runGroup();
      ev.preventDefault();
      return;
    }
    const n = ev.key === "0" ? 9 : Number.parseInt(ev.key, 10) - 1;
    if (Number.isInteger(n) && n >= 0 && play.view.palette[n]) {
      controls.querySelectorAll<HTMLButtonElement>(".palette button")[n]?.click();
      ev.preventDefault();
    }
  };
  document.addEventListener("keydown", onKey);

  const playRoot = el(
    "div",
    { className: "play" },
    header,
    el(
      "div",
      { className: "play-grid" },
      el("div", { className: "main-col" }, stageHost, flowHost, controls),
      panels,
    ),
    inspectorBox,
    status,
  );
  root.append(playRoot);
  timed(() => {
    renderControls();
    renderPanelsNow();
    buildFlow();
    renderInspector();
  });
  void import("../../scenes/stage.ts")
    .then((m) => m.showLevel(stageHost, level, store))
    .finally(() => stageUp())
    .catch((e: unknown) => {
      stageHost.replaceChildren(
        el("p", {
          className: "bad",
          textContent: `The scene could not start: ${String(e)}. The game still plays below.`,
        }),
      );
    });

  return () => {
    animator.stop();
    for (const off of offs) off();
    document.removeEventListener("keydown", onKey);
    void import("../../scenes/stage.ts").then((m) => m.hideStage());
  };
}

function soundOf(
  events: readonly { type: string }[],
  rejected: boolean,
): "call" | "reject" | "failure" | "success" {
  if (events.some((e) => e.type === "GoalReached")) return "success";
  if (rejected) return "reject";
  if (events.some((e) => e.type === "CallFailed")) return "failure";
  return "call";
}
