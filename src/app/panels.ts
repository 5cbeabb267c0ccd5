/**
 * The infrastructure panels: pure functions from the engine's state (via the store) to DOM. Which panels
 * a level shows is the level's data (`panels`, accumulating by tier). They only render; nothing here
 * changes game state. Text always goes in with textContent.
 */
import type {
  CompiledLevel,
  EngineEvent,
  GameState,
  Level,
  Opportunity,
  Panel,
  ScoreBreakdown,
} from "../engine/index.ts";
import type { PoolState } from "../pit-sim/types.ts";
import { DIMENSION_MAX, goalMet, hasKey, wastedCalls } from "../engine/index.ts";
import { dagSvg, levelDagNodes, svgEl } from "../ui/svg.ts";
import { el } from "./dom.ts";

export interface PanelInput {
  readonly level: Level;
  readonly ctx: CompiledLevel;
  readonly state: GameState;
  readonly eventLog: readonly (readonly EngineEvent[])[];
  /** The points earned so far (the store's `play.score`): panels show the engine's figures, never recompute rules. */
  readonly score: ScoreBreakdown;
}

function panel(id: Panel | "pit", title: string, ...children: (Node | string)[]): HTMLElement {
  const section = el(
    "section",
    { className: `panel panel-${id}` },
    el("h2", { textContent: title }),
    ...children,
  );
  section.setAttribute("aria-label", title);
  section.dataset.panel = id;
  return section;
}

function meter(label: string, value: number, max: number, warn = false): HTMLElement {
  const m = el("meter", { min: 0, max: Math.max(1, max), value, className: warn ? "warn" : "" });
  m.setAttribute("aria-label", label);
  return el(
    "div",
    { className: "meter-row" },
    el("span", { textContent: label }),
    m,
    el("span", { textContent: `${value} / ${max}` }),
  );
}

export function progressPanel({ ctx, state }: PanelInput): HTMLElement {
  const list = el("ul", { className: "checklist" });
  for (const k of ctx.goalKeys) {
    const done = hasKey(state, k);
    list.append(
      el("li", {
        className: done ? "done" : "",
        textContent: `${done ? "✓" : "○"} ${k.replace(/^[a-z]+:/, "")}`,
      }),
    );
  }
  return panel(
    "progress",
    "Progress",
    meter("Goal", goalMet(ctx, state), ctx.goalKeys.length),
    list,
    el("p", {
      className: "muted",
      textContent: `Step ${state.step} · tick ${state.tick}${ctx.par ? ` (par ${ctx.par.ticks} ticks, ${ctx.par.steps} calls)` : ""}`,
    }),
  );
}

export function resourcesPanel({ ctx, state }: PanelInput): HTMLElement {
  const par = ctx.par;
  return panel(
    "resources",
    "Resources",
    meter(
      "Time (ticks)",
      state.tick,
      Math.max(state.tick, par ? Math.ceil(par.ticks * 1.5) : state.tick),
      par ? state.tick > par.ticks : false,
    ),
    meter(
      "Resource units",
      state.m.units,
      Math.max(state.m.units, par ? Math.ceil(par.units * 1.5) : state.m.units),
      par ? state.m.units > par.units : false,
    ),
    el("p", {
      className: "muted",
      textContent: par ? `Optimal run: ${par.ticks} ticks, ${par.units} units, ${par.steps} calls.` : "",
    }),
  );
}

/** Live advice on efficiency: what the current sequence is wasting. */
/** Every key (`artifact:x`, `fact:y`) some function of the level needs, or the goal. */
function neededKeys(level: Level, ctx: CompiledLevel): Set<string> {
  const out = new Set<string>(ctx.goalKeys);
  for (const f of level.functions) {
    for (const a of [...f.needs.artifacts, ...f.needs.optional]) out.add(`artifact:${a}`);
    for (const x of [...f.needs.facts, ...f.permission]) out.add(`fact:${x}`);
  }
  return out;
}

export function efficiencyHints({ level, ctx, state }: PanelInput): HTMLElement {
  const hints: string[] = [];
  // Waste is certain only when nothing in the level could ever use a call's result; results not used yet
  // are normal mid-level (the final score counts them if they stay unused).
  const needed = neededKeys(level, ctx);
  const useless = wastedCalls(ctx, state).filter((fn) =>
    state.calls.some((c) => c.fn === fn && c.outputs.length > 0 && c.outputs.every((k) => !needed.has(k))),
  );
  if (useless.length)
    hints.push(`Nothing in this level needs what ${[...new Set(useless)].join(", ")} produced: wasted work.`);
  if (state.m.redundant) hints.push(`${state.m.redundant} call(s) repeated work already done.`);
  if (state.m.rejected)
    hints.push(`${state.m.rejected} call(s) were rejected: check what a function needs first.`);
  if (state.m.wrongArgs) hints.push(`${state.m.wrongArgs} call(s) used a wrong argument.`);
  if (ctx.par && state.tick > ctx.par.ticks)
    hints.push(`You are ${state.tick - ctx.par.ticks} tick(s) past the optimal time.`);
  if (hints.length === 0) hints.push("No waste so far.");
  const list = el("ul", { className: "hints" });
  for (const h of hints) list.append(el("li", { textContent: h }));
  return panel("efficiency-hints", "Efficiency hints", list);
}

const SLOT_TEXT = { cold: "cold", warm: "warm", prewarmed: "prewarmed", busy: "busy" } as const;

/** A sparkline of a pool's utilisation per step (0..capacity). */
function sparkline(p: PoolState, capacity: number): SVGElement {
  const h = p.history.slice(-24);
  const W = 120;
  const H = 28;
  const svg = svgEl("svg", { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img" });
  svg.setAttribute(
    "aria-label",
    `utilisation over the last ${h.length} steps: ${h.join(", ") || "none yet"}`,
  );
  svg.append(svgEl("rect", { x: 0, y: 0, width: W, height: H, fill: "#11151f", rx: 4 }));
  if (h.length) {
    const dx = W / Math.max(1, h.length);
    h.forEach((v, i) => {
      const bh = (Math.min(v, capacity) / Math.max(1, capacity)) * (H - 4);
      svg.append(
        svgEl("rect", {
          x: i * dx + 1,
          y: H - 2 - bh,
          width: Math.max(1, dx - 2),
          height: bh,
          fill: v > capacity * 0.8 ? "#ff9f5a" : "#5fd39a",
        }),
      );
    });
  }
  return svg;
}

export function poolsPanel({ ctx, state }: PanelInput): HTMLElement {
  const body = el("div", { className: "pools" });
  for (const p of state.pit.pools) {
    const cfg = ctx.poolById.get(p.id);
    if (!cfg) continue;
    const slots = el("div", { className: "slots" });
    p.slots.forEach((sl, i) => {
      const phase = sl.phase === "warm" && sl.until < state.tick ? "cold" : sl.phase;
      const dot = el("span", { className: `slot ${phase}`, title: `slot ${i + 1}: ${SLOT_TEXT[phase]}` });
      dot.setAttribute("role", "img");
      dot.setAttribute("aria-label", `slot ${i + 1} ${SLOT_TEXT[phase]}`);
      slots.append(dot);
    });
    const warm = p.slots.filter(
      (sl) => sl.phase !== "cold" && !(sl.phase === "warm" && sl.until < state.tick),
    ).length;
    body.append(
      el(
        "div",
        { className: "pool" },
        el("strong", { textContent: cfg.label }),
        el("span", {
          className: "muted",
          textContent: ` ${warm} warm · ${p.slots.length - warm} cold · cold start ${cfg.coldStart} ticks`,
        }),
        slots,
        sparkline(p, cfg.capacity),
        meter("Heat", Math.round(p.heat * 10) / 10, cfg.heatLimit, p.heat > cfg.heatLimit * 0.8),
      ),
    );
  }
  return panel("pools", "Pools", body);
}

const OPPORTUNITY_HINT: Record<Opportunity, string> = {
  predictive: "Prewarm a slot before a call that would start cold.",
  parallel: "Run independent calls together as a parallel group.",
  recycling: "Reuse a warm slot: call into the same pool before it cools.",
  elegance: "Keep the pattern clean: no rejected, redundant or wasted calls, no warnings.",
};

export function optimizationHints({ ctx, state }: PanelInput): HTMLElement {
  const m = state.m;
  const earned: Record<Opportunity, boolean> = {
    predictive: m.prewarmUsed > 0,
    parallel: m.parallelGroups > 0,
    recycling: m.recycledUsed > 0,
    elegance:
      m.rejected + m.redundant + m.unhandled + m.wrongArgs + m.warnings + wastedCalls(ctx, state).length ===
      0,
  };
  const list = el("ul", { className: "hints" });
  for (const op of ctx.opportunities)
    list.append(
      el("li", {
        className: earned[op] ? "done" : "",
        textContent: `${earned[op] ? "✓" : "○"} ${OPPORTUNITY_HINT[op]}`,
      }),
    );
  return panel("optimization-hints", "Optimization hints", list);
}

export function stabilityPanel({ state, eventLog, score }: PanelInput): HTMLElement {
  const warnings = eventLog.flat().filter((e) => e.type === "StabilityWarning");
  const list = el("ul", { className: "hints" });
  for (const w of warnings.slice(-5))
    list.append(
      el("li", {
        className: "bad",
        textContent: `⚠ ${w.kind} on ${w.pool}: ${w.value} over ${w.limit} (tick ${w.tick})`,
      }),
    );
  const max = DIMENSION_MAX.stability;
  return panel(
    "stability",
    "Stability",
    meter("Stability", score.stability, max, score.stability < max),
    el("p", {
      className: "muted",
      textContent: `${state.m.warnings} warning(s) · ${state.m.unhandled} unhandled failure(s) · ${state.m.reclaims} stale reclaim(s)`,
    }),
    list,
  );
}

export function dagPanel({ level, state }: PanelInput): HTMLElement {
  return panel("dag", "Live DAG", dagSvg(levelDagNodes(level, state.pit.dag)));
}

export function artifactsPanel({ state }: PanelInput): HTMLElement {
  const arts = Object.values(state.pit.artifacts);
  const table = el("table", { className: "artifacts" });
  table.append(
    el(
      "tr",
      {},
      el("th", { textContent: "Artifact" }),
      el("th", { textContent: "v" }),
      el("th", { textContent: "Quality" }),
      el("th", { textContent: "By" }),
      el("th", { textContent: "Used by" }),
    ),
  );
  for (const a of arts)
    table.append(
      el(
        "tr",
        { className: a.quality === "good" ? "" : "bad" },
        el("td", { textContent: a.id }),
        el("td", { textContent: String(a.version) }),
        el("td", { textContent: a.quality }),
        el("td", { textContent: a.producer }),
        el("td", { textContent: a.consumers.join(", ") || "—" }),
      ),
    );
  return panel(
    "artifacts",
    "Artifact store",
    arts.length ? table : el("p", { className: "muted", textContent: "Empty." }),
  );
}

/** One line per failure and the recovery the engine chose. */
export function failureLines(eventLog: readonly (readonly EngineEvent[])[]): [string, string][] {
  const out: [string, string][] = [];
  eventLog.forEach((events, i) => {
    for (const e of events) {
      const at = `step ${i + 1}`;
      if (e.type === "CallFailed")
        out.push([`${at}: ✗ ${e.reason}${e.handled ? "" : " — unhandled"}`, "bad"]);
      else if (e.type === "RetryAttempted")
        out.push([`${at}: ↻ recovery: retry ${e.fn} (attempt ${e.attempt})`, "ok"]);
      else if (e.type === "FallbackActivated")
        out.push([`${at}: ⇢ recovery: ${e.fn} fell back to ${e.fallback}`, "ok"]);
      else if (e.type === "ReverseReconstructed")
        out.push([`${at}: ⟲ recovery: rebuilt ${e.artifact} from ${e.from.join(", ")}`, "ok"]);
      else if (e.type === "GracefullySkipped")
        out.push([`${at}: ↷ recovery: skipped ${e.fn} gracefully`, "ok"]);
      else if (e.type === "ArtifactRejected")
        out.push([`${at}: ✗ ${e.artifact} rejected: ${e.reason}`, "bad"]);
      else if (e.type === "StaleReclaimed")
        out.push([`${at}: 🧹 stale ${e.kind} ${e.id} reclaimed`, e.costly ? "bad" : ""]);
    }
  });
  return out;
}

export function failuresPanel({ eventLog }: PanelInput): HTMLElement {
  const lines = failureLines(eventLog);
  const list = el("ul", { className: "log" });
  for (const [text, cls] of lines) list.append(el("li", { className: cls, textContent: text }));
  return panel(
    "failures",
    "Failures & recovery",
    lines.length ? list : el("p", { className: "muted", textContent: "No failures so far." }),
  );
}

const RENDERERS: Record<Panel, (input: PanelInput) => HTMLElement> = {
  progress: progressPanel,
  resources: resourcesPanel,
  "efficiency-hints": efficiencyHints,
  pools: poolsPanel,
  "optimization-hints": optimizationHints,
  stability: stabilityPanel,
  dag: dagPanel,
  artifacts: artifactsPanel,
  failures: failuresPanel,
};

/** The level's panels, in the level's order. */
export function renderPanels(input: PanelInput): HTMLElement[] {
  return input.level.panels.map((p) => RENDERERS[p](input));
}
