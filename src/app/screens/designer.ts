/**
 * The designer screen: pick a shipped level or paste/load level JSON, see validation errors as you type
 * (each naming its field), and read the analyzer's report, computed in a Web Worker with progress: a
 * histogram of random-player scores with markers, the dependency DAG, and the difficulty rating with its
 * reasons. "Play this level" starts the edited level; "Export level" saves it as a file.
 */
import {
  type Analysis,
  type Level,
  parseJsonText,
  parseLevel,
  ValidationError,
} from "../../engine/api/analysis.ts";
import { LEVELS } from "../../levels/index.ts";
import { el } from "../../ui/dom.ts";
import { histogramSvg, type Marker } from "../../ui/histogram.ts";
import { dagSvg, levelDagNodes } from "../../ui/svg.ts";
import type { WorkerReply, WorkerRequest } from "../analyze-worker.ts";
import type { ScreenContext, Unmount } from "../screen.ts";
import { humanScores } from "../scores.ts";
import { setEditedLevel } from "../session.ts";

let worker: Worker | null = null;
let requestId = 0;

function analyzer(): Worker {
  worker ??= new Worker(new URL("../analyze-worker.ts", import.meta.url), { type: "module" });
  return worker;
}

/** Validates editor text; returns the level or the list of problems (each `field: message`). */
export function validateText(text: string, source = "edited level"): { level: Level } | { errors: string[] } {
  try {
    return { level: parseLevel(parseJsonText(text, source), source) };
  } catch (e) {
    if (e instanceof ValidationError)
      return { errors: e.issues.map((i) => `${i.path || "(root)"}: ${i.message}`) };
    return { errors: [e instanceof Error ? e.message : String(e)] };
  }
}

export function mountDesigner(root: HTMLElement, ctx: ScreenContext): Unmount {
  const picker = el("select", { name: "shipped-level" }) as HTMLSelectElement;
  picker.setAttribute("aria-label", "Shipped level");
  picker.append(el("option", { value: "", textContent: "Start from a shipped level…" }));
  for (const l of LEVELS) picker.append(el("option", { value: l.id, textContent: `${l.order}. ${l.title}` }));
  const file = el("input", {
    type: "file",
    accept: ".json,application/json",
    name: "level-file",
  }) as HTMLInputElement;
  file.setAttribute("aria-label", "Load level file");
  const editor = el("textarea", {
    spellcheck: false,
    rows: 22,
    className: "editor",
    name: "level-json",
  }) as HTMLTextAreaElement;
  editor.setAttribute("aria-label", "Level JSON");
  const status = el("div", { className: "status" });
  status.setAttribute("role", "status");
  const errors = el("ul", { className: "errors", id: "level-errors" });
  errors.setAttribute("aria-label", "Validation errors");
  status.id = "level-status";
  editor.setAttribute("aria-describedby", "level-status level-errors");
  const analyze = el("button", { type: "button", textContent: "Analyze" }) as HTMLButtonElement;
  const play = el("button", { type: "button", textContent: "Play this level" }) as HTMLButtonElement;
  const exportBtn = el("button", { type: "button", textContent: "Export level" }) as HTMLButtonElement;
  const progress = el("progress", { max: 1, value: 0 }) as HTMLProgressElement;
  progress.setAttribute("aria-label", "Analysis progress");
  const phase = el("span", { className: "muted" });
  const report = el("div", { className: "report" });
  report.setAttribute("role", "region");
  report.setAttribute("aria-label", "Report");

  let current: Level | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const setButtons = () => {
    for (const b of [analyze, play, exportBtn]) b.disabled = current === null;
  };

  const validate = () => {
    const r = validateText(editor.value);
    errors.replaceChildren();
    if ("errors" in r) {
      current = null;
      status.textContent = `${r.errors.length} problem${r.errors.length === 1 ? "" : "s"} in the level`;
      status.className = "status bad";
      for (const e of r.errors) errors.append(el("li", { textContent: e }));
      // A report of an earlier, valid text would describe a level that no longer exists: clear it, and
      // let an analysis still running for it land nowhere.
      requestId++;
      progress.value = 0;
      phase.textContent = "";
      report.replaceChildren(
        el("p", { className: "muted", textContent: "Fix the problems on the left to see the report." }),
      );
      editor.setAttribute("aria-invalid", "true");
    } else {
      editor.setAttribute("aria-invalid", "false");
      current = r.level;
      status.textContent = `Valid level: ${r.level.title} (tier ${r.level.tier}, ${r.level.functions.length} functions)`;
      status.className = "status good";
    }
    setButtons();
    return current;
  };

  const runAnalysis = () => {
    if (!current) return;
    const id = ++requestId;
    const level = current;
    progress.value = 0;
    phase.textContent = "starting…";
    report.replaceChildren(el("p", { className: "muted", textContent: "Analyzing…" }));
    const w = analyzer();
    w.onmessage = (e: MessageEvent<WorkerReply>) => {
      const m = e.data;
      if (m.id !== requestId) return; // a newer edit superseded this run
      if (m.type === "progress") {
        progress.value = m.done;
        phase.textContent = m.phase;
      } else if (m.type === "error") {
        phase.textContent = "failed";
        report.replaceChildren(el("p", { className: "bad", textContent: `Analysis failed: ${m.message}` }));
      } else if (m.type === "result") {
        progress.value = 1;
        phase.textContent = "done";
        report.replaceChildren(renderReport(level, m.analysis));
      }
    };
    w.postMessage({ id, level } satisfies WorkerRequest);
  };

  editor.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (validate()) runAnalysis();
    }, 250);
  });
  picker.addEventListener("change", () => {
    const l = LEVELS.find((x) => x.id === picker.value);
    if (!l) return;
    editor.value = JSON.stringify(l, null, 2);
    if (validate()) runAnalysis();
  });
  file.addEventListener("change", async () => {
    const f = file.files?.[0];
    if (!f) return;
    editor.value = await f.text();
    if (validate()) runAnalysis();
  });
  analyze.addEventListener("click", runAnalysis);
  // A generated variant to start from (docs/generator.md): built in the worker, then edited like any level.
  const genTier = el("select", { name: "variant-tier" }) as HTMLSelectElement;
  genTier.setAttribute("aria-label", "Tier of the variant");
  for (const t of [1, 2, 3, 4]) genTier.append(el("option", { value: String(t), textContent: `Tier ${t}` }));
  const genSeed = el("input", {
    type: "number",
    min: 0,
    max: 4294967295,
    step: 1,
    value: "1",
    name: "variant-seed",
  }) as HTMLInputElement;
  genSeed.setAttribute("aria-label", "Seed of the variant");
  const generate = el("button", { type: "button", textContent: "Generate a variant" }) as HTMLButtonElement;
  generate.addEventListener("click", () => {
    const seed = Number(genSeed.value);
    if (!Number.isInteger(seed) || seed < 0 || seed > 4294967295) {
      status.textContent = `The seed must be a whole number from 0 to 4294967295, not "${genSeed.value}".`;
      status.className = "status bad";
      return;
    }
    const id = ++requestId;
    generate.disabled = true;
    phase.textContent = "generating…";
    const w = analyzer();
    w.onmessage = (e: MessageEvent<WorkerReply>) => {
      const m = e.data;
      if (m.id !== id) return;
      generate.disabled = false;
      if (m.type === "generated") {
        editor.value = JSON.stringify(m.level, null, 2);
        if (validate()) runAnalysis();
      } else if (m.type === "error") {
        phase.textContent = "failed";
        report.replaceChildren(el("p", { className: "bad", textContent: `Generation failed: ${m.message}` }));
      }
    };
    w.postMessage({
      id,
      generate: { tier: Number(genTier.value) as 1 | 2 | 3 | 4, seed },
    } satisfies WorkerRequest);
  });
  play.addEventListener("click", () => {
    if (!current) return;
    setEditedLevel(current);
    ctx.navigate("#play");
  });
  exportBtn.addEventListener("click", () => {
    if (!current) return;
    const blob = new Blob([`${JSON.stringify(current, null, 2)}\n`], { type: "application/json" });
    const a = el("a", {
      href: URL.createObjectURL(blob),
      download: `${current.id}.json`,
    }) as HTMLAnchorElement;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });

  root.append(
    el("p", {
      className: "muted designer-intro",
      textContent: "Write or load a level and see how hard it is before anyone plays it.",
    }),
    el(
      "section",
      { className: "designer-edit" },
      el("h2", { textContent: "Level" }),
      el("div", { className: "row" }, picker, file),
      el("div", { className: "row" }, genTier, genSeed, generate),
      editor,
      status,
      errors,
      el("div", { className: "row" }, analyze, play, exportBtn),
    ),
    el(
      "section",
      { className: "designer-report" },
      el("h2", { textContent: "Report" }),
      el("div", { className: "row" }, progress, phase),
      report,
    ),
  );
  setButtons();
  return () => clearTimeout(timer);
}

function renderReport(level: Level, a: Analysis): HTMLElement {
  const kv = (k: string, v: string) =>
    el("tr", {}, el("th", { textContent: k, scope: "row" }), el("td", { textContent: v }));
  const markers: Marker[] = [];
  if (a.optimum.score !== null) markers.push({ score: a.optimum.score, label: "optimum", colour: "#f2b84b" });
  markers.push({ score: level.solutions.basic.score, label: "recorded basic", colour: "#ff6b6b" });
  const mine = humanScores(level.id);
  if (mine.length) markers.push({ score: Math.max(...mine), label: "your best", colour: "#5fd39a" });
  const reasons = el("ul");
  for (const c of a.difficulty.contributions)
    reasons.append(el("li", { textContent: `+${c.points.toFixed(2)} ${c.factor}: ${c.reason}` }));
  const dag = dagSvg(levelDagNodes(level));
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  return el(
    "div",
    {},
    el("div", {
      className: "tier",
      textContent: `Difficulty ${a.difficulty.rating} / 10 — ${a.difficulty.label}`,
    }),
    reasons,
    el(
      "table",
      {},
      kv(
        "Optimum",
        a.optimum.score === null
          ? a.optimum.capped
            ? "search capped"
            : "no solution"
          : `${a.optimum.score} (${a.optimum.tier}): ${a.optimum.actions.join(" | ")}`,
      ),
      kv("Reachable states", a.space.statesText),
      kv("Branching", `mean ${a.space.meanBranching}, max ${a.space.maxBranching}`),
      kv("Dead ends", pct(a.space.deadEndShare)),
      kv(
        "Solutions",
        a.space.shortestSolution === null
          ? a.optimum.score === null
            ? "no goal state within the explored (capped) states"
            : "none among the states counted (the count stops at its cap; the optimum above is the solver's)"
          : `${a.space.shortestSolution} to ${a.space.longestSolution} steps`,
      ),
      kv(
        "Random player",
        `wins ${pct(a.random.successRate)} of ${a.random.runs}, mean ${a.random.meanScore}`,
      ),
      kv("Greedy player", `${a.greedy.score}${a.greedy.won ? "" : " (did not reach the goal)"}`),
      kv("Sensitivity", a.sensitivity.note),
    ),
    el("h3", { textContent: "Random-player scores" }),
    histogramSvg(a.random.histogram, markers),
    el("h3", { textContent: "Dependency graph" }),
    dag,
  );
}
