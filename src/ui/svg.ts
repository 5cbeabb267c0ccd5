/** Small SVG helpers for panels: elements built with attributes and text nodes, never markup strings. */
import type { Level, NodeStatus } from "../engine/api/view.ts";

const NS = "http://www.w3.org/2000/svg";

export function svgEl(tag: string, attrs: Record<string, string | number> = {}, text?: string): SVGElement {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
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
