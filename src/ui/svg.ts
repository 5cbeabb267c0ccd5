/** Small SVG helpers for panels: elements built with attributes and text nodes, never markup strings. */
import type { Level, NodeStatus } from "../engine/api/view.ts";

const NS = "http://www.w3.org/2000/svg";

export function svgEl(tag: string, attrs: Record<string, string | number> = {}, text?: string): SVGElement {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

export interface Marker {
  readonly score: number;
  readonly label: string;
  readonly colour: string;
}

/** Histogram of scores in 20-point bins, with vertical markers (optimum, recorded and human scores). */
export function histogramSvg(histogram: readonly number[], markers: readonly Marker[]): SVGElement {
  const W = 460;
  const H = 200;
  const L = 34;
  const B = 34;
  const T = 26;
  const svg = svgEl("svg", {
    viewBox: `0 0 ${W} ${H}`,
    width: "100%",
    role: "img",
    "aria-label": "Histogram of random-player scores",
  });
  const peak = Math.max(1, ...histogram);
  const bw = (W - L - 10) / histogram.length;
  const x = (score: number) => L + ((W - L - 10) * Math.min(score, 199.9)) / 200;
  histogram.forEach((n, i) => {
    const h = ((H - T - B) * n) / peak;
    svg.append(
      svgEl("rect", {
        x: L + i * bw + 2,
        y: H - B - h,
        width: bw - 4,
        height: h,
        fill: "#5ab4f2",
        opacity: 0.8,
      }),
    );
    if (n)
      svg.append(
        svgEl(
          "text",
          {
            x: L + i * bw + bw / 2,
            y: H - B - h - 4,
            fill: "#97a0b8",
            "font-size": 10,
            "text-anchor": "middle",
          },
          String(n),
        ),
      );
  });
  for (let s = 0; s <= 200; s += 40)
    svg.append(
      svgEl(
        "text",
        { x: x(s), y: H - B + 14, fill: "#97a0b8", "font-size": 10, "text-anchor": "middle" },
        String(s),
      ),
    );
  svg.append(svgEl("line", { x1: L, x2: W - 10, y1: H - B, y2: H - B, stroke: "#2a3246" }));
  markers.forEach((m, i) => {
    svg.append(
      svgEl("line", {
        x1: x(m.score),
        x2: x(m.score),
        y1: T - 6,
        y2: H - B,
        stroke: m.colour,
        "stroke-width": 2,
        "stroke-dasharray": "4 3",
      }),
    );
    // Labels on the right half sit left of their line, so none runs off the edge.
    const right = x(m.score) > W / 2;
    svg.append(
      svgEl(
        "text",
        {
          x: x(m.score) + (right ? -4 : 4),
          y: T + 2 + i * 12,
          fill: m.colour,
          "font-size": 10,
          "text-anchor": right ? "end" : "start",
        },
        `${m.label} ${m.score}`,
      ),
    );
  });
  svg.append(
    svgEl(
      "text",
      { x: (L + W) / 2, y: H - 4, fill: "#97a0b8", "font-size": 11, "text-anchor": "middle" },
      "final score of random legal play",
    ),
  );
  return svg;
}

export interface DagNode {
  readonly id: string;
  readonly needs: readonly string[];
  readonly distractor: boolean;
  /** Live status from the DAG Tracker, when drawn during play. */
  readonly status?: NodeStatus;
}

/** The functions of a level as DAG nodes: each needs the producers of what it needs. */
export function levelDagNodes(level: Level, status?: Readonly<Record<string, NodeStatus>>): DagNode[] {
  const used = new Set(
    level.solutions.reference.steps.flatMap((s) => s.split("+").map((c) => c.trim().replace(/\(.*\)$/, ""))),
  );
  const producers = new Map<string, string[]>();
  for (const f of level.functions) {
    for (const k of [...f.produces.artifacts.map((x) => x.id), ...f.produces.facts])
      producers.set(k, [...(producers.get(k) ?? []), f.id]);
  }
  return level.functions.map((f) => {
    const s = status?.[f.id];
    return {
      id: f.id,
      needs: [
        ...new Set(
          [...f.needs.artifacts, ...f.needs.facts, ...f.needs.optional, ...f.permission].flatMap(
            (k) => producers.get(k) ?? [],
          ),
        ),
      ].filter((p) => p !== f.id),
      // During play (with a status) distractors are not given away.
      distractor: !status && f.callable && !used.has(f.id),
      ...(s ? { status: s } : {}),
    };
  });
}

const STATUS_FILL: Record<NodeStatus, string> = {
  pending: "#222a3d",
  done: "#1f4a38",
  failed: "#5a2328",
  skipped: "#3a3a44",
};

/** The dependency DAG of a level's functions, laid out in layers by longest path from the roots. */
export function dagSvg(nodes: readonly DagNode[]): SVGElement {
  const depth = new Map<string, number>();
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const d = (id: string, seen: Set<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0;
    seen.add(id);
    const n = byId.get(id);
    const v = n && n.needs.length ? 1 + Math.max(...n.needs.map((p) => d(p, seen))) : 0;
    depth.set(id, v);
    return v;
  };
  for (const n of nodes) d(n.id, new Set());
  const layers: string[][] = [];
  for (const n of nodes) (layers[depth.get(n.id) ?? 0] ??= []).push(n.id);
  const colW = 150;
  const rowH = 44;
  const W = Math.max(300, layers.length * colW + 20);
  const H = Math.max(...layers.map((l) => l?.length ?? 0)) * rowH + 20;
  const pos = new Map<string, [number, number]>();
  layers.forEach((layer, li) => {
    layer?.forEach((id, ri) => {
      pos.set(id, [10 + li * colW, 10 + ri * rowH + (H - 20 - layer.length * rowH) / 2]);
    });
  });
  const svg = svgEl("svg", {
    viewBox: `0 0 ${W} ${H}`,
    width: "100%",
    role: "img",
    "aria-label": "Dependency graph of the level's functions",
  });
  for (const n of nodes) {
    const [x2, y2] = pos.get(n.id) ?? [0, 0];
    for (const p of n.needs) {
      const [x1, y1] = pos.get(p) ?? [0, 0];
      svg.append(
        svgEl("path", {
          d: `M${x1 + 130},${y1 + 15} C${x1 + 145},${y1 + 15} ${x2 - 15},${y2 + 15} ${x2},${y2 + 15}`,
          stroke: "#97a0b8",
          fill: "none",
          "stroke-width": 1.5,
        }),
      );
    }
  }
  for (const n of nodes) {
    const [x, y] = pos.get(n.id) ?? [0, 0];
    svg.append(
      svgEl("rect", {
        x,
        y,
        width: 130,
        height: 30,
        rx: 8,
        fill: n.status ? STATUS_FILL[n.status] : n.distractor ? "#2a2230" : "#222a3d",
        stroke: n.status === "done" ? "#5fd39a" : n.distractor ? "#ff6b6b" : "#f2b84b",
        "data-status": n.status ?? "",
      }),
    );
    svg.append(
      svgEl(
        "text",
        { x: x + 65, y: y + 19, fill: "#e6e9f2", "font-size": 11, "text-anchor": "middle" },
        n.id.length > 20 ? `${n.id.slice(0, 19)}…` : n.id,
      ),
    );
  }
  return svg;
}
