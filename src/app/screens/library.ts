/**
 * The demonstrations screen (#library) and the replay viewer (#replay/<id>), loaded lazily. The library
 * lists recorded episodes with filters and counts, deletes, exports JSON Lines and imports them (all or
 * nothing, with the line and field at fault). The replay viewer re-simulates an episode on the level's
 * scene, checks every step's state hash against the recording, and flags the step where a mismatch starts.
 */
import { LEVEL_META, loadShippedLevel } from "virtual:fq-levels";
import {
  DATASET_FORMAT_VERSION,
  datasetFormatOf,
  ENGINE_VERSION,
  levelHash,
  MAX_DATASET_BYTES,
  parseJsonl,
  UNDO_ACTION,
  verifyEpisode,
} from "../../engine/api/datasets.ts";
import { type Level, ValidationError } from "../../engine/api/rl.ts";
import { button, el } from "../../ui/dom.ts";
import { renderPanels } from "../../ui/panels.ts";
import { datasetText, download, shippedLevels } from "../demos.ts";
import {
  deleteEpisodes,
  episodeSteps,
  listEpisodes,
  readEpisodes,
  storeEpisodes,
  toEpisode,
} from "../demo-db.ts";
import { type StoredEpisode, type StoredStep } from "../recorder.ts";
import type { ScreenContext, Unmount } from "../screen.ts";
import { createGameStore } from "../store.ts";

function select(
  label: string,
  options: [string, string][],
  value: string,
  onChange: (v: string) => void,
): HTMLElement {
  const s = el("select", { name: label.toLowerCase() }) as HTMLSelectElement;
  s.setAttribute("aria-label", label);
  for (const [v, text] of options)
    s.append(el("option", { value: v, textContent: text, selected: v === value }));
  s.addEventListener("change", () => onChange(s.value));
  return el("label", { className: "filter" }, `${label} `, s);
}

export async function mountLibrary(root: HTMLElement, ctx: ScreenContext, db: IDBDatabase): Promise<Unmount> {
  const { navigate } = ctx;
  const host = el("section", { className: "library" });
  root.append(host);
  const read = await readEpisodes(db);
  let episodes = read.episodes;
  const damaged = read.damaged;
  const f = { level: "", status: "", provenance: "", tier: "" };
  const message = el("div", { role: "status", className: "import-status" });

  const shown = () =>
    episodes.filter(
      (e) =>
        (!f.level || e.level_id === f.level) &&
        (!f.status || e.status === f.status) &&
        (!f.provenance || e.provenance === f.provenance) &&
        (!f.tier || String(e.tier) === f.tier),
    );

  const exportThese = async (list: readonly StoredEpisode[], name: string) => {
    const { text } = await datasetText(db, list);
    download(name, text);
    message.textContent = `Exported ${list.length} episode(s), ${list.reduce((n, e) => n + e.steps, 0)} step(s) to ${name}.`;
  };

  const fileInput = el("input", {
    type: "file",
    accept: ".jsonl,application/x-ndjson,application/json",
    name: "import",
  }) as HTMLInputElement;
  fileInput.setAttribute("aria-label", "Import demonstrations");
  fileInput.addEventListener("change", async () => {
    const file = fileInput.files?.[0];
    fileInput.value = "";
    if (!file) return;
    const errors = el("ul", { className: "errors" });
    errors.setAttribute("aria-label", "Import errors");
    try {
      if (file.size > MAX_DATASET_BYTES)
        throw new ValidationError(file.name, [
          { path: "", message: `file is ${file.size} bytes; the limit is ${MAX_DATASET_BYTES}` },
        ]);
      const levels = await shippedLevels();
      const { episodes: eps } = parseJsonl(await file.text(), file.name, {
        levels,
        existingIds: new Set(episodes.map((e) => e.episode_id)),
      });
      await storeEpisodes(db, eps, new Map(levels.map((l) => [l.id, { title: l.title, tier: l.tier }])));
      episodes = await listEpisodes(db);
      render();
      message.replaceChildren(
        `Imported ${eps.length} episode(s), ${eps.reduce((n, e) => n + e.actions.length, 0)} step(s) from ${file.name}.`,
      );
    } catch (e) {
      if (e instanceof ValidationError) {
        for (const issue of e.issues.slice(0, 30))
          errors.append(el("li", { textContent: `${issue.path}: ${issue.message}` }));
        if (e.issues.length > 30)
          errors.append(el("li", { textContent: `…and ${e.issues.length - 30} more` }));
        message.replaceChildren(
          el("p", {
            className: "bad",
            textContent: `${file.name} was not imported (nothing from it was stored):`,
          }),
          errors,
        );
      } else
        message.replaceChildren(
          el("p", { className: "bad", textContent: `${file.name} was not imported: ${String(e)}` }),
        );
    }
  });

  const render = () => {
    const list = shown();
    const steps = list.reduce((n, e) => n + e.steps, 0);
    const byStatus = (s: string) => list.filter((e) => e.status === s).length;
    const table = el("table", { className: "episodes" });
    table.append(
      el(
        "tr",
        {},
        ...["Level", "Tier", "Status", "Provenance", "Steps", "Score", "Recorded", ""].map((h) =>
          el("th", { textContent: h }),
        ),
      ),
    );
    for (const e of list) {
      const row = el(
        "tr",
        {},
        el("td", { textContent: e.level_title }),
        el("td", { textContent: String(e.tier) }),
        el("td", { textContent: e.status.replace("_", " ") }),
        el("td", { textContent: e.provenance }),
        el("td", { textContent: String(e.steps) }),
        el("td", { textContent: e.score ? `${e.score.total} · ${e.score.tier}` : "—" }),
        el("td", { textContent: e.started ? new Date(e.started).toLocaleString() : "imported" }),
        el(
          "td",
          { className: "row" },
          button(
            "Replay",
            () => navigate(`#replay/${encodeURIComponent(e.episode_id)}`),
            {},
            `Replay ${e.level_title} (${e.episode_id})`,
          ),
          button(
            "Export",
            () => void exportThese([e], `${e.episode_id}.jsonl`),
            {},
            `Export ${e.episode_id}`,
          ),
          button(
            "Delete",
            async () => {
              if (!confirm(`Delete this ${e.level_title} episode (${e.steps} steps)?`)) return;
              await deleteEpisodes(db, [e.episode_id]);
              episodes = await listEpisodes(db);
              render();
            },
            {},
            `Delete ${e.episode_id}`,
          ),
        ),
      );
      row.dataset.episode = e.episode_id;
      table.append(row);
    }
    host.replaceChildren(
      el("h2", { className: "screen-title", textContent: "Demonstrations" }),
      el(
        "div",
        { className: "row filters" },
        select(
          "Level",
          [["", "All levels"], ...LEVEL_META.map((m): [string, string] => [m.id, `${m.order}. ${m.title}`])],
          f.level,
          (v) => {
            f.level = v;
            render();
          },
        ),
        select(
          "Tier",
          [
            ["", "All tiers"],
            ["1", "1"],
            ["2", "2"],
            ["3", "3"],
            ["4", "4"],
          ],
          f.tier,
          (v) => {
            f.tier = v;
            render();
          },
        ),
        select(
          "Status",
          [
            ["", "Any status"],
            ["completed", "completed"],
            ["abandoned", "abandoned"],
            ["in_progress", "in progress"],
          ],
          f.status,
          (v) => {
            f.status = v;
            render();
          },
        ),
        select(
          "Provenance",
          [
            ["", "Any provenance"],
            ["human", "human"],
            ["bot", "bot"],
            ["agent", "agent"],
          ],
          f.provenance,
          (v) => {
            f.provenance = v;
            render();
          },
        ),
      ),
      el("p", {
        className: "counts",
        textContent: `${list.length} episode(s) · ${steps} step(s) · ${byStatus("completed")} completed · ${byStatus("abandoned")} abandoned · ${byStatus("in_progress")} in progress`,
      }),
      el(
        "div",
        { className: "row" },
        button(`Export ${list.length} shown`, () => void exportThese(list, "fq-demonstrations.jsonl"), {
          disabled: list.length === 0,
        }),
        el("label", { className: "filter" }, "Import .jsonl ", fileInput),
      ),
      message,
      damaged.length
        ? el(
            "div",
            { className: "notice", role: "alert" },
            el("p", {
              textContent: `${damaged.length} stored record(s) are damaged and are not listed (${damaged.slice(0, 3).join(", ")}${damaged.length > 3 ? ", ..." : ""}). The other episodes are unaffected.`,
            }),
            button(`Delete the ${damaged.length} damaged record(s)`, async () => {
              await deleteEpisodes(db, damaged);
              damaged.length = 0;
              render();
            }),
          )
        : "",
      list.length
        ? // Narrow screens scroll the table inside its box, never the page.
          el("div", { className: "table-scroll" }, table)
        : el("p", {
            className: "muted",
            textContent: "No demonstrations yet: play a level and every step is recorded here.",
          }),
    );
  };
  render();
  return () => {};
}

/**
 * Checks a recorded episode with the engine's own verifier (`verifyEpisode`: every hash, observation,
 * mask and reward re-simulated). `step` is the first step that differs (-1: the initial state), or null.
 */
export function checkReplay(
  level: Level,
  meta: StoredEpisode,
  steps: readonly StoredStep[],
): { step: number | null; message: string | null } {
  const m = verifyEpisode(toEpisode(meta, steps), level);
  return m ? { step: m.step, message: `${m.path} ${m.message}` } : { step: null, message: null };
}

export async function mountReplay(
  screenRoot: HTMLElement,
  ctx: ScreenContext,
  db: IDBDatabase,
  rawId: string,
): Promise<Unmount> {
  const { navigate } = ctx;
  const root = el("section", { className: "library" });
  screenRoot.append(root);
  const back = button("Back to demonstrations", () => navigate("#library"));
  const none = () => {};
  let id: string;
  try {
    id = decodeURIComponent(rawId);
  } catch {
    // A link cut or typed by hand (`%E0%A4%A`): say so instead of failing.
    root.replaceChildren(
      el("div", { className: "row" }, back),
      el("p", {
        className: "bad",
        role: "alert",
        textContent: `The replay link "#replay/${rawId.slice(0, 72)}" is malformed: it names no episode.`,
      }),
    );
    return none;
  }
  const meta = (await listEpisodes(db)).find((e) => e.episode_id === id);
  if (!meta) {
    root.replaceChildren(
      back,
      el("p", { className: "bad", textContent: `There is no recorded episode "${id}".` }),
    );
    return none;
  }
  const level = await loadShippedLevel(meta.level_id);
  if (!level || levelHash(level) !== meta.level_hash) {
    root.replaceChildren(
      back,
      el("p", {
        className: "bad",
        textContent: `Episode ${id} was recorded on ${level ? "another version of" : "an unknown level"} "${meta.level_id}" and cannot be replayed.`,
      }),
    );
    return none;
  }
  const steps = await episodeSteps(db, id);
  const oldHashes = datasetFormatOf(meta.engine_version) !== DATASET_FORMAT_VERSION;
  const check = oldHashes ? { step: null, message: null } : checkReplay(level, meta, steps);
  const store = createGameStore({ speed: "instant", sound: false });
  store.getState().loadLevel(level, meta.seed);
  let at = 0;
  let timer: ReturnType<typeof setInterval> | null = null;
  let speed = 1;

  const stageHost = el("div", { className: "stage" });
  const panels = el("div", { className: "panels" });
  const timeline = el("input", {
    type: "range",
    min: 0,
    max: steps.length,
    value: 0,
    step: 1,
    name: "replay-step",
  }) as HTMLInputElement;
  timeline.setAttribute("aria-label", "Timeline");
  const position = el("p", { className: "position", role: "status" });
  const list = el("ol", { className: "replay-steps" });
  steps.forEach((s, i) => {
    const ok = check.step === null || i < check.step;
    const li = el("li", {
      className: ok ? "" : "bad",
      textContent: `${s.action_label}${ok ? "" : i === check.step ? "  ✗ mismatch starts here" : "  ✗ after the mismatch"}`,
    });
    li.dataset.step = String(i + 1);
    list.append(li);
  });

  /** Shows the state after `k` steps: re-simulated from the start (scrubbing backwards is a reload). */
  const goTo = (k: number, animate: boolean) => {
    const target = Math.max(0, Math.min(steps.length, k));
    if (target < at || !animate) {
      store.getState().setUi({ speed: "instant" });
      store.getState().loadLevel(level, meta.seed);
      at = 0;
    }
    store.getState().setUi({ speed: animate ? (speed >= 2 ? "2x" : "1x") : "instant" });
    while (at < target) {
      const s = steps[at] as StoredStep;
      if (s.action === UNDO_ACTION) store.getState().undo();
      else store.getState().act(s.action);
      at++;
    }
    timeline.value = String(at);
    const last = steps[at - 1];
    position.textContent = `Step ${at} of ${steps.length}${last ? `: ${last.action_label}${last.think_ms !== null ? ` (thought ${(last.think_ms / 1000).toFixed(1)} s)` : ""}` : ""}`;
    for (const li of list.children)
      li.classList.toggle("now", (li as HTMLElement).dataset.step === String(at));
    const { view } = store.getState().play;
    if (view) panels.replaceChildren(...renderPanels({ level, view }));
  };
  const pause = () => {
    if (timer !== null) clearInterval(timer);
    timer = null;
    playButton.textContent = "Play";
  };
  const playButton = button("Play", () => {
    if (timer !== null) return pause();
    if (at >= steps.length) goTo(0, false);
    playButton.textContent = "Pause";
    timer = setInterval(() => {
      if (at >= steps.length) return pause();
      goTo(at + 1, true);
    }, 1600 / speed);
  });
  timeline.addEventListener("input", () => {
    pause();
    goTo(Number(timeline.value), false);
  });
  const speedSelect = el("select", { name: "replay-speed" }) as HTMLSelectElement;
  speedSelect.setAttribute("aria-label", "Replay speed");
  for (const v of ["0.5", "1", "2", "4"])
    speedSelect.append(el("option", { value: v, textContent: `${v}×`, selected: v === "1" }));
  speedSelect.addEventListener("change", () => {
    speed = Number(speedSelect.value);
    if (timer !== null) {
      pause();
      playButton.click();
    }
  });

  const verdict = oldHashes
    ? el("p", {
        className: "muted",
        textContent: `Recorded by engine ${meta.engine_version}, whose state hashes engine ${ENGINE_VERSION} no longer computes: the steps replay, but cannot be checked hash for hash.`,
      })
    : check.step === null
      ? el("p", {
          className: "good",
          textContent: `✓ Every one of the ${steps.length} steps re-simulates to its recorded state hash.`,
        })
      : el("p", {
          className: "bad",
          role: "alert",
          textContent:
            check.step >= 0
              ? `✗ Mismatch starts at step ${check.step + 1} (${steps[check.step]?.action_label}): ${check.message}.`
              : `✗ The initial state differs (${check.message}); this episode does not match this engine.`,
        });
  root.replaceChildren(
    el(
      "div",
      { className: "level-head" },
      el(
        "div",
        {},
        el("h2", { textContent: `Replay: ${meta.level_title}` }),
        el("span", {
          className: "badge",
          textContent: `${meta.provenance} · ${meta.status.replace("_", " ")} · seed ${meta.seed} · ${meta.episode_id}`,
        }),
      ),
      back,
    ),
    verdict,
    el(
      "div",
      { className: "play-grid" },
      el(
        "div",
        { className: "main-col" },
        stageHost,
        el(
          "section",
          { className: "timeline", ariaLabel: "Replay controls" },
          el(
            "div",
            { className: "row" },
            button("Step back", () => {
              pause();
              goTo(at - 1, false);
            }),
            playButton,
            button("Step forward", () => {
              pause();
              goTo(at + 1, true);
            }),
            speedSelect,
          ),
          timeline,
          position,
          list,
        ),
      ),
      panels,
    ),
  );
  goTo(0, false);
  void import("../../scenes/stage.ts").then((m) => m.showLevel(stageHost, level, store));
  return () => {
    pause();
    void import("../../scenes/stage.ts").then((m) => m.hideStage());
  };
}
