/**
 * The browser entry and router. Screens: title (#/), level map (#/map), a level (#/level/<id>), the
 * designer (#designer, lazy) and the designer's edited level (#play). URL parameters
 * `?level=<id>&seed=<n>&speed=1x|2x|instant` set up a run for tests and automation (docs/automation.md).
 */
import { LEVEL_META, loadShippedLevel } from "virtual:fq-levels";
import { type Level, parseSeedText, SEED_MAX } from "../engine/index.ts";
import { button, el, navBar, type Screen } from "./dom.ts";
import { installHook } from "./hook.ts";
import { mountPlay, type PlayScreen } from "./play-screen.ts";
import { attachRecorder, markAbandoned, openDemos, type Recorder } from "./recorder.ts";
import { isUnlocked, loadSave, recordRun, type SaveData, type Speed, writeSave } from "./save.ts";
import { recordHumanScore } from "./scores.ts";
import { editedLevel } from "./session.ts";
import { createGameStore } from "./store.ts";

const app = document.getElementById("app") as HTMLElement;
const params = new URLSearchParams(location.search);
const loaded = loadSave(localStorage);
const save: SaveData = loaded.save;
const notices: string[] = loaded.notice ? [loaded.notice] : [];
const speedParam = params.get("speed");
const speedOverride: Speed | null =
  speedParam === "1x" || speedParam === "2x" || speedParam === "instant" ? speedParam : null;
if (speedParam !== null && !speedOverride)
  notices.push(`URL parameter speed=${JSON.stringify(speedParam)} is not 1x, 2x or instant; it was ignored.`);
const seedParam = params.get("seed");
const seedOverride = seedParam === null ? null : parseSeedText(seedParam);
if (seedParam !== null && seedOverride === null)
  notices.push(
    `URL parameter seed=${JSON.stringify(seedParam)} is not a whole number from 0 to ${SEED_MAX}; the level's own seed is used.`,
  );
const levelParam = params.get("level");
const provParam = params.get("provenance");
const provenanceParam = provParam === "bot" || provParam === "agent" ? provParam : "human";
if (provParam !== null && provParam !== provenanceParam)
  notices.push(
    `URL parameter provenance=${JSON.stringify(provParam)} is not human, bot or agent; demonstrations are labelled human.`,
  );

const store = createGameStore({
  speed: speedOverride ?? save.settings.speed,
  reducedMotion: save.settings.reducedMotion || matchMedia("(prefers-reduced-motion: reduce)").matches,
  sound: save.settings.sound,
});
let screen: Screen = "title";
let current: PlayScreen | null = null;
let recorder: Recorder | null = null;
installHook(
  store,
  () => screen,
  () => recorder,
);

// Demonstrations: every play of a shipped level is recorded to IndexedDB, step by step.
let demosDb: IDBDatabase | null = null;
const demosReady = openDemos()
  .then(async (db) => {
    demosDb = db;
    const abandoned = await markAbandoned(db);
    recorder = attachRecorder(db, store, {
      provenance: provenanceParam,
      isShipped: (level) => LEVEL_META.some((m) => m.id === level.id) && level !== editedLevel(),
      onProblem: (message) => {
        if (!notices.includes(message)) notices.push(message);
        renderNotices();
      },
      onSaved: ({ stored, queued }) => {
        savedNote.textContent =
          queued === 0
            ? ""
            : stored < queued
              ? `saving… ${stored} of ${queued} steps saved`
              : queued === 1
                ? "✓ 1 step saved"
                : `✓ all ${queued} steps saved`;
        savedNote.dataset.state = stored >= queued ? "saved" : "saving";
      },
    });
    if (abandoned) console.info(`${abandoned} unfinished demonstration(s) marked abandoned`);
    return db;
  })
  .catch((e: unknown) => {
    notices.push(`Demonstrations cannot be recorded in this browser (${String(e)}); the game still plays.`);
    renderNotices();
    return null;
  });

const ORDERED = LEVEL_META.map((m) => m.id);

function persist(): void {
  const problem = writeSave(localStorage, save);
  if (problem && !notices.includes(problem)) {
    notices.push(problem);
    renderNotices();
  }
}

const noticeBox = el("div", { className: "notices" });
noticeBox.setAttribute("role", "alert");
/** Downloads the demonstration being recorded, including steps that could not be written. */
async function exportCurrent(): Promise<void> {
  const db = demosDb;
  const meta = recorder?.current();
  if (!db || !meta) return;
  const { datasetText, download } = await import("./demos.ts");
  const { text } = await datasetText(db, [], recorder?.unsaved() ?? { meta, steps: [] });
  download(`${meta.episode_id}.jsonl`, text);
}

function renderNotices(): void {
  noticeBox.replaceChildren(
    ...notices.map((n, i) =>
      el(
        "div",
        { className: "notice" },
        el("p", { textContent: n }),
        ...(/demonstration/.test(n) && /Export/.test(n)
          ? [button("Export now", () => void exportCurrent())]
          : []),
        button(
          "Dismiss",
          () => {
            notices.splice(i, 1);
            renderNotices();
          },
          {},
          `Dismiss notice: ${n.slice(0, 40)}`,
        ),
      ),
    ),
  );
}

function settingsDialog(): HTMLDialogElement {
  const dialog = el("dialog", { className: "settings" }) as HTMLDialogElement;
  dialog.setAttribute("aria-label", "Settings");
  const speeds = el("fieldset", {}, el("legend", { textContent: "Animation speed" }));
  for (const sp of ["1x", "2x", "instant"] as const) {
    const input = el("input", {
      type: "radio",
      name: "speed",
      value: sp,
      checked: store.getState().ui.speed === sp,
    }) as HTMLInputElement;
    input.addEventListener("change", () => {
      save.settings.speed = sp;
      store.getState().setUi({ speed: sp });
      persist();
    });
    speeds.append(el("label", {}, input, ` ${sp === "instant" ? "Instant" : sp.replace("x", "×")}`));
  }
  const toggle = (key: "reducedMotion" | "sound" | "unlockAll", text: string) => {
    const input = el("input", {
      type: "checkbox",
      checked: key === "unlockAll" ? save.settings.unlockAll : store.getState().ui[key],
    }) as HTMLInputElement;
    input.addEventListener("change", () => {
      save.settings[key] = input.checked;
      if (key !== "unlockAll") store.getState().setUi({ [key]: input.checked });
      persist();
      if (screen === "map") route();
    });
    return el("label", { className: "check" }, input, ` ${text}`);
  };
  dialog.append(
    el("h2", { textContent: "Settings" }),
    speeds,
    toggle("reducedMotion", "Reduced motion"),
    toggle("sound", "Sound"),
    toggle("unlockAll", "Unlock all levels"),
    button("Close", () => dialog.close()),
  );
  return dialog;
}

/** Whether the demonstration being recorded is safely stored: every step the player saw, committed. */
// A plain element, not a live region: it changes on every step, and step results get their own announcement.
const savedNote = el("span", {
  className: "saved-note",
  title: "Whether the demonstration is safely stored",
});

function chrome(here: Screen, ...content: HTMLElement[]): void {
  const settings = button("Settings", () => {
    const d = settingsDialog();
    document.body.append(d);
    d.addEventListener("close", () => d.remove());
    d.showModal();
  });
  const header = el("header", {}, navBar(here), savedNote, settings);
  renderNotices();
  app.replaceChildren(header, noticeBox, ...content);
}

function titleScreen(): void {
  const done = ORDERED.filter((id) => save.best[id]).length;
  const firstOpen = ORDERED.find((id) => !save.best[id] && isUnlocked(save, ORDERED, id)) ?? ORDERED[0];
  const start = button(done ? "Continue" : "Play", () => navigate(`#/level/${firstOpen}`), {
    className: "primary",
  });
  chrome(
    "title",
    el(
      "section",
      { className: "title" },
      el("img", {
        src: "assets/title.svg",
        alt: "A conductor's baton over a pit of glowing machinery",
        className: "title-art",
      }),
      el("h2", { className: "title-name" }, "Function Quest ", el("span", { textContent: "V2" })),
      el("p", {
        className: "tagline",
        textContent: "Call functions in the right order. Respect the Pit. Conduct the orchestra.",
      }),
      el(
        "div",
        { className: "row center" },
        start,
        button("Level map", () => navigate("#/map")),
      ),
      el("p", { className: "muted", textContent: `${done} of ${ORDERED.length} levels completed.` }),
    ),
  );
  queueMicrotask(() => start.focus());
}

function mapScreen(): void {
  const tiers = el("div", { className: "tiers" });
  const names = [
    "",
    "Tier 1 — Sequencing",
    "Tier 2 — Resources",
    "Tier 3 — Pools and parallelism",
    "Tier 4 — Stability and recovery",
  ];
  for (const tier of [1, 2, 3, 4]) {
    const list = el("ol", { className: "levels" });
    for (const m of LEVEL_META.filter((l) => l.tier === tier)) {
      const open = isUnlocked(save, ORDERED, m.id);
      const best = save.best[m.id];
      const b = el(
        "button",
        { type: "button", disabled: !open, className: `level-card${best ? " done" : ""}` },
        el("span", { className: "num", textContent: String(m.order) }),
        el("img", { src: `assets/scenes/${m.scene}.svg`, alt: "" }),
        el("span", { className: "name", textContent: m.title }),
        el("span", {
          className: `tier-badge small${best ? ` tier-${best.tier.replace(" ", "-").toLowerCase()}` : ""}`,
          textContent: best ? `${best.score} · ${best.tier}` : open ? "Not played" : "Locked",
        }),
      );
      b.setAttribute(
        "aria-label",
        `${m.order}. ${m.title}: ${best ? `best ${best.score}, ${best.tier}` : open ? "not played yet" : "locked"}`,
      );
      b.addEventListener("click", () => navigate(`#/level/${m.id}`));
      list.append(el("li", {}, b));
    }
    tiers.append(
      el("section", { className: "tier-group" }, el("h2", { textContent: names[tier] as string }), list),
    );
  }
  chrome("map", el("h2", { className: "screen-title", textContent: "Levels" }), tiers);
}

function startLevel(level: Level, skipIntro: boolean, seed?: number): void {
  const i = ORDERED.indexOf(level.id);
  const nextId = i >= 0 ? (ORDERED[i + 1] ?? null) : null;
  current = mountPlay({
    level,
    ...(seed !== undefined ? { seed } : {}),
    store,
    skipIntro,
    nextId,
    navigate,
    onFinished(score, steps) {
      recordHumanScore(level.id, score.total);
      if (store.getState().play.state?.status !== "won" || i < 0) return { best: false, problem: null };
      const best = recordRun(save, level.id, { score: score.total, tier: score.tier, steps: [...steps] });
      const problem = writeSave(localStorage, save);
      return { best, problem };
    },
  });
  chrome("play", current.node);
}

let firstRoute = true;

async function route(): Promise<void> {
  current?.unmount();
  current = null;
  const hash = location.hash;
  const viaParams = firstRoute && levelParam !== null;
  firstRoute = false;
  if (viaParams) {
    const level = await loadShippedLevel(levelParam as string);
    if (level) {
      screen = "play";
      history.replaceState(null, "", `${location.search}#/level/${level.id}`);
      startLevel(level, true, seedOverride ?? undefined);
      return;
    }
    notices.push(`URL parameter level=${JSON.stringify(levelParam)} is not a shipped level.`);
  }
  if (hash === "#library" || hash.startsWith("#replay/")) {
    screen = "library";
    const db = await demosReady;
    const ui = await import("../ui/library.ts");
    const root = el("section", { className: "library" });
    chrome("library", root);
    if (!db)
      root.append(
        el("p", { className: "bad", textContent: "Demonstrations are not available in this browser." }),
      );
    else if (hash === "#library") await ui.mountLibrary(root, db, navigate);
    else {
      let id: string | null = null;
      try {
        id = decodeURIComponent(hash.slice("#replay/".length));
      } catch {
        // A link cut or typed by hand (`%E0%A4%A`): say so instead of failing.
      }
      if (id === null)
        root.append(
          el(
            "div",
            { className: "row" },
            button("Back to demonstrations", () => navigate("#library")),
          ),
          el("p", {
            className: "bad",
            role: "alert",
            textContent: `The replay link "${hash.slice(0, 80)}" is malformed: it names no episode.`,
          }),
        );
      else current = await ui.mountReplay(root, db, id, navigate);
    }
    return;
  }
  if (hash === "#designer") {
    screen = "designer";
    const { mountDesigner } = await import("../ui/designer.ts");
    mountDesigner(app);
    return;
  }
  if (hash === "#play") {
    const edited = editedLevel();
    if (edited) {
      screen = "play";
      startLevel(edited, false);
      return;
    }
  }
  const m = /^#\/level\/([a-z0-9_-]+)$/.exec(hash);
  if (m) {
    const id = m[1] as string;
    const level = await loadShippedLevel(id);
    if (!level) notices.push(`There is no level "${id}".`);
    else if (!isUnlocked(save, ORDERED, id))
      notices.push(
        `"${level.title}" is locked: finish the level before it, or unlock all levels in Settings.`,
      );
    else {
      screen = "play";
      startLevel(level, false, seedOverride ?? undefined);
      return;
    }
    screen = "map";
    mapScreen();
    return;
  }
  if (hash === "#/map") {
    screen = "map";
    mapScreen();
    return;
  }
  screen = "title";
  titleScreen();
}

function navigate(hash: string): void {
  if (location.hash === hash) void route();
  else location.hash = hash;
}

window.addEventListener("hashchange", () => void route());
// The first screen waits for the recorder (IndexedDB opens in milliseconds), so no step goes unrecorded.
void demosReady.then(() => route());
