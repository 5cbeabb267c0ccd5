/**
 * The infrastructure panels: pure functions from the engine's view model to DOM. Which panels a level
 * shows is the level's data (`panels`, accumulating by tier). Every figure comes from the `PlayView` the
 * store published; nothing here computes a rule or changes game state. Text always goes in as text.
 */
import {
  type Level,
  type Opportunity,
  type Panel,
  type PlayView,
  type PoolView,
} from "../engine/api/view.ts";
import { el } from "./dom.ts";
import { termHelp } from "./terms.ts";
import { dagSvg, levelDagNodes, svgEl } from "./svg.ts";

export interface PanelInput {
  readonly level: Level;
  readonly view: PlayView;
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

function meter(
  label: string,
  value: number,
  max: number,
  warn = false,
  text = `${value} / ${max}`,
): HTMLElement {
  const m = el("meter", { min: 0, max: Math.max(1, max), value, className: warn ? "warn" : "" });
  m.setAttribute("aria-label", label);
  return el(
    "div",
    { className: "meter-row" },
    el("span", {
      textContent: label,
      title: termHelp(label) ?? termHelp(label.split(" ").at(-1) ?? "") ?? "",
    }),
    m,
    el("span", { textContent: text }),
  );
}

export function progressPanel({ view }: PanelInput): HTMLElement {
  const list = el("ul", { className: "checklist" });
  for (const g of view.goal.items)
    list.append(el("li", { className: g.done ? "done" : "", textContent: `${g.done ? "✓" : "○"} ${g.id}` }));
  const par = view.par;
  return panel(
    "progress",
    "Progress",
    meter("Goal", view.goal.met, view.goal.total),
    list,
    el("p", {
      className: "muted",
      textContent: `Step ${view.step} · tick ${view.tick}${par ? ` (par ${par.ticks} ticks, ${par.steps} calls)` : ""}`,
    }),
  );
}

/** A measure against the optimal run's: the bar is full at 1.5 times par, where efficiency points run out. */
function parMeter(label: string, value: number, par: number | undefined): HTMLElement {
  if (par === undefined) return meter(label, value, value, false, String(value));
  return meter(label, value, Math.max(value, Math.ceil(par * 1.5)), value > par, `${value} · par ${par}`);
}

export function resourcesPanel({ level, view }: PanelInput): HTMLElement {
  const par = view.par;
  return panel(
    "resources",
    "Resources",
    parMeter("Time (ticks)", view.tick, par?.ticks),
    parMeter("Resource units", view.units, par?.units),
    // Heat where the level has heat and no pools panel shows it (tier 2: the stove, the furnace).
    ...(level.panels.includes("pools")
      ? []
      : view.pools
          .filter((p) => p.heats)
          .map((p) => meter(`${p.label} heat`, p.heat, p.heatLimit, p.heat > p.heatLimit * 0.8))),
    el("p", {
      className: "muted",
      textContent: par ? `Optimal run: ${par.ticks} ticks, ${par.units} units, ${par.steps} calls.` : "",
    }),
  );
}

/** Live advice on efficiency: what the play so far is wasting (the engine's hints). */
export function efficiencyHints({ view }: PanelInput): HTMLElement {
  const list = el("ul", { className: "hints" });
  for (const h of view.hints) list.append(el("li", { textContent: h }));
  return panel("efficiency-hints", "Efficiency hints", list);
}

/** A sparkline of a pool's utilisation per step (0..1). */
function sparkline(p: PoolView): SVGElement {
  const h = p.history;
  const W = 120;
  const H = 28;
  const svg = svgEl("svg", { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img" });
  svg.setAttribute(
    "aria-label",
    `utilisation over the last ${h.length} steps: ${h.join(", ") || "none yet"}`,
  );
  svg.append(svgEl("rect", { x: 0, y: 0, width: W, height: H, fill: "#11151f", rx: 4 }));
  const dx = W / Math.max(1, h.length);
  h.forEach((v, i) => {
    const bh = Math.min(1, v) * (H - 4);
    svg.append(
      svgEl("rect", {
        x: i * dx + 1,
        y: H - 2 - bh,
        width: Math.max(1, dx - 2),
        height: bh,
        fill: v > 0.8 ? "#ff9f5a" : "#5fd39a",
      }),
    );
  });
  return svg;
}

export function poolsPanel({ view }: PanelInput): HTMLElement {
  const body = el("div", { className: "pools" });
  for (const p of view.pools) {
    const slots = el("div", { className: "slots" });
    p.slots.forEach((phase, i) => {
      const dot = el("span", {
        className: `slot ${phase}`,
        title: `slot ${i + 1}: ${phase}. ${termHelp(phase) ?? ""}`,
      });
      dot.setAttribute("role", "img");
      dot.setAttribute("aria-label", `slot ${i + 1} ${phase}`);
      slots.append(dot);
    });
    const warm = p.slots.length - p.cold;
    body.append(
      el(
        "div",
        { className: "pool" },
        el("strong", { textContent: p.label }),
        el("span", {
          className: "muted",
          textContent: ` ${warm} warm · ${p.cold} cold · cold start ${p.coldStart} ticks`,
          title: `${termHelp("warm") ?? ""} ${termHelp("cold") ?? ""}`,
        }),
        slots,
        sparkline(p),
        // Heat only where some function of the level heats this pool.
        ...(p.heats ? [meter("Heat", p.heat, p.heatLimit, p.heat > p.heatLimit * 0.8)] : []),
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

export function optimizationHints({ view }: PanelInput): HTMLElement {
  const list = el("ul", { className: "hints" });
  for (const { op, taken } of view.opportunities)
    list.append(
      el("li", {
        className: taken ? "done" : "",
        textContent: `${taken ? "✓" : "○"} ${OPPORTUNITY_HINT[op]}`,
      }),
    );
  return panel("optimization-hints", "Optimization hints", list);
}

export function stabilityPanel({ view }: PanelInput): HTMLElement {
  const st = view.stability;
  const list = el("ul", { className: "hints" });
  for (const w of view.incidents.filter((x) => x.kind === "warning").slice(-5))
    list.append(el("li", { className: "bad", textContent: w.text }));
  return panel(
    "stability",
    "Stability",
    meter("Stability", st.points, st.max, st.points < st.max),
    el("p", {
      className: "muted",
      textContent: `${st.warnings} warning(s) · ${st.unhandled} unhandled failure(s) · ${st.reclaims} stale reclaim(s)`,
      title: termHelp("stability")
        ? `${termHelp("stability")} A stale reclaim: ${termHelp("stale reclaim")}`
        : "",
    }),
    list,
  );
}

export function dagPanel({ level, view }: PanelInput): HTMLElement {
  // Drawn at 90% of its natural size at least, so its labels stay readable; the panel scrolls sideways.
  const svg = dagSvg(levelDagNodes(level, view.dag));
  const natural = Number(svg.getAttribute("viewBox")?.split(" ")[2] ?? 0);
  svg.style.minWidth = `${Math.round(natural * 0.9)}px`;
  const box = panel("dag", "Live DAG", svg);
  box.tabIndex = 0;
  return box;
}

export function artifactsPanel({ view }: PanelInput): HTMLElement {
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
  for (const a of view.artifacts)
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
    view.artifacts.length ? table : el("p", { className: "muted", textContent: "Empty." }),
  );
}

/** One line per failure, recovery and reclaim, in the engine's words. */
export function failuresPanel({ view }: PanelInput): HTMLElement {
  const lines = view.incidents.filter(
    (x) => x.kind === "failure" || x.kind === "recovery" || x.kind === "reclaim",
  );
  const list = el("ul", { className: "log" });
  for (const line of lines)
    list.append(
      el("li", {
        className: line.tone === "bad" ? "bad" : line.tone === "good" ? "ok" : "",
        textContent: `step ${line.step}: ${line.text}`,
      }),
    );
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

/** Levels with more panels than this show them in tabs (Progress stays in view above them). */
export const TABS_FROM = 6;

const TAB_NAMES: Record<Panel, string> = {
  progress: "Progress",
  resources: "Resources",
  "efficiency-hints": "Hints",
  pools: "Pools",
  "optimization-hints": "Opportunities",
  stability: "Stability",
  dag: "DAG",
  artifacts: "Artifacts",
  failures: "Failures",
};

/**
 * The level's panels, compact: up to TABS_FROM - 1 panels stack; beyond that Progress stays on top and
 * the rest sit behind an accessible tab list (arrow keys move between tabs). `selected` is the open tab
 * (the store's UI slice); `select` asks to open another.
 */
export function panelsView(
  input: PanelInput,
  selected: Panel | null,
  select: (p: Panel) => void,
): HTMLElement[] {
  const nodes = renderPanels(input);
  if (input.level.panels.length < TABS_FROM) return nodes;
  const rest: Panel[] = input.level.panels.filter((p) => p !== "progress");
  const open = selected && rest.includes(selected) ? selected : (rest[0] as Panel);
  const list = el("div", { className: "panel-tabs" });
  list.setAttribute("role", "tablist");
  list.setAttribute("aria-label", "Panels");
  const tabs = rest.map((p) => {
    const t = el("button", {
      type: "button",
      textContent: TAB_NAMES[p],
      id: `tab-${p}`,
    }) as HTMLButtonElement;
    t.setAttribute("role", "tab");
    t.setAttribute("aria-selected", String(p === open));
    t.setAttribute("aria-controls", `tabpanel-${p}`);
    t.tabIndex = p === open ? 0 : -1;
    t.addEventListener("click", () => select(p));
    return t;
  });
  list.addEventListener("keydown", (ev) => {
    const i = rest.indexOf(open);
    const to = ev.key === "ArrowRight" ? i + 1 : ev.key === "ArrowLeft" ? i - 1 : null;
    if (to === null) return;
    const next = rest[(to + rest.length) % rest.length] as Panel;
    ev.preventDefault();
    select(next);
    queueMicrotask(() => document.getElementById(`tab-${next}`)?.focus());
  });
  list.append(...tabs);
  for (const n of nodes) {
    const p = n.dataset.panel as Panel;
    if (p === "progress") continue;
    n.id = `tabpanel-${p}`;
    n.setAttribute("role", "tabpanel");
    n.setAttribute("aria-labelledby", `tab-${p}`);
    n.hidden = p !== open;
  }
  const progress = nodes.filter((n) => n.dataset.panel === "progress");
  return [...progress, list, ...nodes.filter((n) => n.dataset.panel !== "progress")];
}
