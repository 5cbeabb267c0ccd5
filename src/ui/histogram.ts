/** The score histogram with markers (the results and the designer; loaded with them, not at first load). */
import { svgEl } from "./svg.ts";

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
          // A halo in the panel's colour keeps the label readable where it crosses a bar.
          stroke: "#181d2a",
          "stroke-width": 3,
          "paint-order": "stroke",
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
