/**
 * The browser entry and router. Routes are a table (below): title (#/), level map (#/map), a level
 * (#/level/<id>), the designer's edited level (#play), the demonstrations (#library), a replay
 * (#replay/<id>) and the designer (#designer). Every screen is `mount(root, ctx) → unmount` (screen.ts);
 * a route change aborts a mount still loading. URL parameters `?level=<id>&seed=<n>&speed=1x|2x|instant`
 * set up a run for tests and automation (docs/automation.md).
 */
// First: it configures validation before any schema exists (the page's CSP forbids eval).
import "./no-eval.ts";
import { LEVEL_META, loadShippedLevel } from "virtual:fq-levels";
import { type Level, parseSeedText, SEED_MAX } from "../engine/api/rl.ts";
import { button, el, navBar, type Screen } from "../ui/dom.ts";
import { installHook } from "./hook.ts";
import { attachRecorder, markAbandoned, openDemos, type Recorder } from "./recorder.ts";
import { loadSave, recordRun, type SaveData, type Speed, writeSave } from "./save.ts";
import { isUnlocked } from "./save.ts";
import type { Notice, ScreenContext, Unmount } from "./screen.ts";
import { mountMap, mountTitle } from "./screens/home.ts";
import { mountPlay } from "./screens/play.ts";
import { recordHumanScore } from "./scores.ts";
import { editedLevel } from "./session.ts";
import { createGameStore } from "./store.ts";

const app = document.getElementById("app") as HTMLElement;
const params = new URLSearchParams(location.search);
const loaded = loadSave(localStorage);
const save: SaveData = loaded.save;
const notices: Notice[] = loaded.notice ? [{ text: loaded.notice }] : [];
const speedParam = params.get("speed");
const speedOverride: Speed | null =
  speedParam === "1x" || speedParam === "2x" || speedParam === "instant" ? speedParam : null;
if (speedParam !== null && !speedOverride)
  notices.push({
    text: `URL parameter speed=${JSON.stringify(speedParam)} is not 1x, 2x or instant; it was ignored.`,
    scope: "route",
  });
const seedParam = params.get("seed");
const seedOverride = seedParam === null ? null : parseSeedText(seedParam);
if (seedParam !== null && seedOverride === null)
  notices.push({
    text: `URL parameter seed=${JSON.stringify(seedParam)} is not a whole number from 0 to ${SEED_MAX}; the level's own seed is used.`,
    scope: "route",
  });
const levelParam = params.get("level");
const provParam = params.get("provenance");
const provenanceParam = provParam === "bot" || provParam === "agent" ? provParam : "human";
if (provParam !== null && provParam !== provenanceParam)
  notices.push({
    text: `URL parameter provenance=${JSON.stringify(provParam)} is not human, bot or agent; demonstrations are labelled human.`,
    scope: "route",
  });

const store = createGameStore({
  speed: speedOverride ?? save.settings.speed,
  reducedMotion: save.settings.reducedMotion || matchMedia("(prefers-reduced-motion: reduce)").matches,
  sound: save.settings.sound,
  developer: save.settings.developer,
});
let screen: Screen = "title";
let recorder: Recorder | null = null;
installHook(
  store,
  () => screen,
  () => recorder,
);

function notify(n: Notice): void {
  if (!notices.some((x) => x.text === n.text)) notices.push(n);
  renderNotices();
}

/** Whether the demonstration being recorded is safely stored: every step the player saw, committed. */
// A plain element, not a live region: it changes on every step, and step results get their own announcement.
const savedNote = el("span", {
  className: "saved-note",
  title: "Whether the demonstration is safely stored",
});

// Demonstrations: every play of a shipped level is recorded to IndexedDB, step by step.
const demosReady = openDemos()
  .then(async (db) => {
    const abandoned = await markAbandoned(db);
    recorder = attachRecorder(db, store, {
      provenance: provenanceParam,
      isShipped: (level) => LEVEL_META.some((m) => m.id === level.id) && level !== editedLevel(),
      onProblem: notify,
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
    notify({
      text: `Demonstrations cannot be recorded in this browser (${String(e)}); the game still plays.`,
    });
    return null;
  });

const ORDERED = LEVEL_META.map((m) => m.id);

function persist(): void {
  const problem = writeSave(localStorage, save);
  if (problem) notify({ text: problem });
}

const noticeBox = el("div", { className: "notices" });
noticeBox.setAttribute("role", "alert");
/** Downloads the demonstration being recorded, including steps that could not be written. */
async function exportCurrent(): Promise<void> {
  const db = await demosReady;
  const meta = recorder?.current();
  if (!db || !meta) return;
  const { datasetText, download } = await import("./demos.ts");
  const { text } = await datasetText(db, [], recorder?.unsaved() ?? { meta, steps: [] });
  download(`${meta.episode_id}.jsonl`, text);
}

const NOTICE_ACTIONS = {
  "export-demonstration": ["Export now", () => void exportCurrent()],
} as const;

function renderNotices(): void {
  noticeBox.replaceChildren(
    ...notices.map((n, i) =>
      el(
        "div",
        { className: "notice" },
        el("p", { textContent: n.text }),
        ...(n.action ? [button(NOTICE_ACTIONS[n.action][0], NOTICE_ACTIONS[n.action][1])] : []),
        button(
          "Dismiss",
          () => {
            notices.splice(i, 1);
            renderNotices();
          },
          {},
          `Dismiss notice: ${n.text.slice(0, 40)}`,
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
  const toggle = (key: "reducedMotion" | "sound" | "unlockAll" | "developer", text: string) => {
    const input = el("input", {
      type: "checkbox",
      name: key,
      checked: key === "unlockAll" ? save.settings.unlockAll : store.getState().ui[key],
    }) as HTMLInputElement;
    input.addEventListener("change", () => {
      save.settings[key] = input.checked;
      if (key !== "unlockAll") store.getState().setUi({ [key]: input.checked });
      persist();
      if (screen === "map") void route();
    });
    return el("label", { className: "check" }, input, ` ${text}`);
  };
  dialog.append(
    el("h2", { textContent: "Settings" }),
    speeds,
    toggle("reducedMotion", "Reduced motion"),
    toggle("sound", "Sound"),
    toggle("unlockAll", "Unlock all levels"),
    toggle("developer", "Developer tools (the Pit inspector on level screens)"),
    button("Close", () => dialog.close()),
  );
  return dialog;
}

function chrome(here: Screen): HTMLElement {
  const settings = button("Settings", () => {
    const d = settingsDialog();
    document.body.append(d);
    d.addEventListener("close", () => d.remove());
    d.showModal();
  });
  return el("header", {}, navBar(here), savedNote, settings);
}

/** What a route mounted: the screen it shows (a level that cannot open shows the map) and its unmount. */
interface Routed {
  readonly screen: Screen;
  readonly unmount: Unmount;
}
type Route = (root: HTMLElement, ctx: ScreenContext, match: RegExpExecArray) => Routed | Promise<Routed>;

function playLevel(root: HTMLElement, ctx: ScreenContext, level: Level, skipIntro: boolean, seed?: number) {
  const i = ORDERED.indexOf(level.id);
  return mountPlay(root, ctx, {
    level,
    ...(seed !== undefined ? { seed } : {}),
    skipIntro,
    nextId: i >= 0 ? (ORDERED[i + 1] ?? null) : null,
    onFinished(score, steps, won) {
      recordHumanScore(level.id, score.total);
      if (!won || i < 0) return { best: false, problem: null };
      const best = recordRun(save, level.id, { score: score.total, tier: score.tier, steps: [...steps] });
      return { best, problem: writeSave(localStorage, save) };
    },
  });
}

const map: Route = (root, ctx) => ({ screen: "map", unmount: mountMap(root, ctx, save) });

/** The route table, tried in order; the last one matches everything. */
const ROUTES: readonly (readonly [RegExp, Route])[] = [
  [
    /^#\/level\/([a-z0-9_-]+)$/,
    async (root, ctx, m) => {
      const id = m[1] as string;
      const level = await loadShippedLevel(id);
      if (!level) ctx.notify({ text: `There is no level "${id}".`, scope: "route" });
      else if (!isUnlocked(save, ORDERED, id))
        ctx.notify({
          text: `"${level.title}" is locked: finish the level before it, or unlock all levels in Settings.`,
          scope: "route",
        });
      else if (!ctx.signal.aborted)
        return { screen: "play", unmount: playLevel(root, ctx, level, false, seedOverride ?? undefined) };
      return map(root, ctx, m);
    },
  ],
  [
    /^#play$/,
    (root, ctx, m) => {
      const edited = editedLevel();
      return edited ? { screen: "play", unmount: playLevel(root, ctx, edited, false) } : map(root, ctx, m);
    },
  ],
  [/^#\/map$/, map],
  [
    /^#library$/,
    async (root, ctx) => {
      const db = await demosReady;
      const { mountLibrary } = await import("./screens/library.ts");
      if (!db)
        root.append(
          el("p", { className: "bad", textContent: "Demonstrations are not available in this browser." }),
        );
      return {
        screen: "library",
        unmount: db && !ctx.signal.aborted ? await mountLibrary(root, ctx, db) : () => {},
      };
    },
  ],
  [
    /^#replay\/(.*)$/,
    async (root, ctx, m) => {
      const db = await demosReady;
      const { mountReplay } = await import("./screens/library.ts");
      if (!db) {
        root.append(
          el("p", { className: "bad", textContent: "Demonstrations are not available in this browser." }),
        );
        return { screen: "library", unmount: () => {} };
      }
      return { screen: "library", unmount: await mountReplay(root, ctx, db, m[1] as string) };
    },
  ],
  [
    /^#designer$/,
    async (root, ctx) => {
      const { mountDesigner } = await import("./screens/designer.ts");
      return { screen: "designer", unmount: mountDesigner(root, ctx) };
    },
  ],
  [/^/, (root, ctx) => ({ screen: "title", unmount: mountTitle(root, ctx, save) })],
];

let current: { unmount: Unmount; abort: AbortController } | null = null;
let firstRoute = true;

async function route(): Promise<void> {
  current?.abort.abort();
  current?.unmount();
  // Notices about the previous screen go with it (those that are not about a screen stay until dismissed).
  if (!firstRoute)
    for (let i = notices.length - 1; i >= 0; i--) if (notices[i]?.scope === "route") notices.splice(i, 1);
  const abort = new AbortController();
  const mine = { unmount: (() => {}) as Unmount, abort };
  current = mine;
  const root = el("div", { className: "screen" });
  const ctx: ScreenContext = { store, navigate, signal: abort.signal, notify };
  let routed: Routed | null = null;
  if (firstRoute && levelParam !== null) {
    firstRoute = false;
    const level = await loadShippedLevel(levelParam);
    if (level) {
      history.replaceState(null, "", `${location.search}#/level/${level.id}`);
      routed = { screen: "play", unmount: playLevel(root, ctx, level, true, seedOverride ?? undefined) };
    } else
      notify({
        text: `URL parameter level=${JSON.stringify(levelParam)} is not a shipped level.`,
        scope: "route",
      });
  }
  firstRoute = false;
  if (!routed) {
    const hash = location.hash;
    for (const [pattern, handler] of ROUTES) {
      const m = pattern.exec(hash);
      if (!m) continue;
      routed = await handler(root, ctx, m);
      break;
    }
  }
  if (!routed) return;
  // The player moved on while this route was loading: undo what it built, show nothing.
  if (abort.signal.aborted) {
    routed.unmount();
    return;
  }
  mine.unmount = routed.unmount;
  screen = routed.screen;
  renderNotices();
  app.replaceChildren(chrome(screen), noticeBox, root);
  // No scrolling past the header: the page opens at its top with focus on its first control.
  (root.querySelector("[data-autofocus]") as HTMLElement | null)?.focus({ preventScroll: true });
}

function navigate(hash: string): void {
  if (location.hash === hash) void route();
  else location.hash = hash;
}

window.addEventListener("hashchange", () => void route());
// The first screen waits for the recorder (IndexedDB opens in milliseconds), so no step goes unrecorded.
void demosReady.then(() => route());
