/**
 * Draws the story art as SVG, in one style: flat shapes, dusk palettes, warm lamp light. Writes
 * public/assets/scenes/<scene>.svg (960×400 backdrops) and public/assets/heroes/<scene>.svg (the object
 * that reacts, sized as in src/scenes/art.ts) and public/assets/title.svg. Run: npx tsx scripts/draw-scenes.ts
 */
import { writeFileSync } from "node:fs";
import { SCENE_ART } from "../src/scenes/art.ts";

const W = 960;
const H = 400;
type Sky = [string, string];

const svg = (w: number, h: number, body: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}">${body}</svg>\n`;
let gid = 0;
const grad = (stops: string[], vertical = true) => {
  const id = `g${gid++}`;
  const s = stops
    .map((c, i) => `<stop offset="${i / Math.max(1, stops.length - 1)}" stop-color="${c}"/>`)
    .join("");
  return {
    id,
    def: `<linearGradient id="${id}" x1="0" y1="0" x2="${vertical ? 0 : 1}" y2="${vertical ? 1 : 0}">${s}</linearGradient>`,
  };
};
const radial = (inner: string, outer: string) => {
  const id = `r${gid++}`;
  return {
    id,
    def: `<radialGradient id="${id}"><stop offset="0" stop-color="${inner}"/><stop offset="1" stop-color="${outer}" stop-opacity="0"/></radialGradient>`,
  };
};
function sky([top, bottom]: Sky): string {
  const g = grad([top, bottom]);
  return `<defs>${g.def}</defs><rect width="${W}" height="${H}" fill="url(#${g.id})"/>`;
}
/** Deterministic pseudo-random numbers for stars and texture (the art must not change between runs). */
function prng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}
function stars(n: number, maxY: number, seed = 7): string {
  const r = prng(seed);
  let out = "";
  for (let i = 0; i < n; i++)
    out += `<circle cx="${(r() * W).toFixed(0)}" cy="${(r() * maxY).toFixed(0)}" r="${(0.6 + r() * 1.2).toFixed(1)}" fill="#fff" opacity="${(0.3 + r() * 0.6).toFixed(2)}"/>`;
  return out;
}
function hills(color: string, base: number, amp: number, seed: number, step = 80): string {
  const r = prng(seed);
  let d = `M0 ${H} L0 ${base}`;
  for (let x = 0; x <= W + step; x += step)
    d += ` Q${x + step / 2} ${base - amp * r()} ${x + step} ${base - amp * 0.3 * r()}`;
  return `<path d="${d} L${W} ${H} Z" fill="${color}"/>`;
}
const moon = (x: number, y: number, r = 26) => {
  const g = radial("#fff6d8", "#fff6d8");
  return `<defs>${g.def}</defs><circle cx="${x}" cy="${y}" r="${r * 3}" fill="url(#${g.id})" opacity="0.25"/><circle cx="${x}" cy="${y}" r="${r}" fill="#fff3cf"/>`;
};
const glowAt = (x: number, y: number, r: number, color = "#ffcf6b", o = 0.5) => {
  const g = radial(color, color);
  return `<defs>${g.def}</defs><circle cx="${x}" cy="${y}" r="${r}" fill="url(#${g.id})" opacity="${o}"/>`;
};
const rect = (x: number, y: number, w: number, h: number, fill: string, extra = "") =>
  `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${fill}" ${extra}/>`;
const floor = (y: number, c1: string, c2: string) => {
  const g = grad([c1, c2]);
  return `<defs>${g.def}</defs>${rect(0, y, W, H - y, `url(#${g.id})`)}`;
};
const lantern = (x: number, y: number, c = "#ffb347") =>
  `${glowAt(x, y + 10, 36, c, 0.6)}<line x1="${x}" y1="${y - 14}" x2="${x}" y2="${y}" stroke="#2b2233" stroke-width="2"/><rect x="${x - 7}" y="${y}" width="14" height="20" rx="5" fill="${c}"/>`;
const windowLit = (x: number, y: number, w: number, h: number, c = "#ffd27a") =>
  `${rect(x, y, w, h, c, 'rx="2"')}<line x1="${x + w / 2}" y1="${y}" x2="${x + w / 2}" y2="${y + h}" stroke="#2a2030" stroke-width="2"/><line x1="${x}" y1="${y + h / 2}" x2="${x + w}" y2="${y + h / 2}" stroke="#2a2030" stroke-width="2"/>`;
const books = (x: number, y: number, w: number, seed: number) => {
  const r = prng(seed);
  const cols = ["#b5523b", "#3f7cac", "#d9a441", "#5c8f5a", "#8a5a9e", "#c46f3e"];
  let out = "";
  let cx = x;
  while (cx < x + w - 8) {
    const bw = 6 + Math.floor(r() * 8);
    const bh = 22 + Math.floor(r() * 12);
    out += rect(cx, y - bh, bw, bh, cols[Math.floor(r() * cols.length)] as string, 'rx="1"');
    cx += bw + 1;
  }
  return out;
};
const bunting = (x1: number, x2: number, y: number, sag: number) => {
  const cols = ["#f2b84b", "#ff6b6b", "#5fd39a", "#8fd3ff", "#c792ea"];
  let out = `<path d="M${x1} ${y} Q${(x1 + x2) / 2} ${y + sag} ${x2} ${y}" stroke="#2b2233" stroke-width="2" fill="none"/>`;
  const n = Math.floor((x2 - x1) / 28);
  for (let i = 1; i < n; i++) {
    const t = i / n;
    const x = x1 + (x2 - x1) * t;
    const yy = y + 4 * sag * t * (1 - t) * 0.5 * 2 * 0.5 * 2 * 0.5;
    out += `<path d="M${x - 8} ${yy} L${x + 8} ${yy} L${x} ${yy + 16} Z" fill="${cols[i % cols.length]}"/>`;
  }
  return out;
};

/** A backdrop per scene key; each also leaves room for its hero (src/scenes/art.ts). */
const BACKDROPS: Record<string, () => string> = {
  room: () => {
    const day = grad(["#fff4cf", "#ffd27a", "#f3a64b"]);
    return `${sky(["#2a2236", "#3b2c42"])}<defs>${day.def}</defs>
${rect(0, 0, W, 318, "#3a2b3f")}${rect(0, 300, W, 18, "#2a1f2e")}
${rect(140, 70, 170, 110, "#1d2a44", 'rx="4"')}${moon(250, 110, 18)}${rect(140, 70, 170, 110, "none", 'stroke="#5a4150" stroke-width="8"')}<line x1="225" y1="70" x2="225" y2="180" stroke="#5a4150" stroke-width="6"/>
${glowAt(225, 230, 140, "#8fb4ff", 0.12)}
${rect(40, 150, 90, 168, "#5a3a2a")}${rect(46, 158, 78, 2, "#3a2418")}${books(48, 200, 76, 3)}${books(48, 250, 76, 5)}${books(48, 300, 76, 9)}${rect(46, 200, 78, 4, "#3a2418")}${rect(46, 250, 78, 4, "#3a2418")}
${rect(330, 230, 190, 14, "#6b4630")}${rect(340, 244, 16, 74, "#4e3222")}${rect(494, 244, 16, 74, "#4e3222")}${rect(390, 246, 90, 34, "#5c3c29")}<circle cx="435" cy="263" r="4" fill="#e9c46a"/>
${rect(370, 196, 10, 34, "#e8e0c8")}${glowAt(375, 190, 40, "#ffcf6b", 0.7)}<path d="M375 180 q5 8 0 14 q-5 -6 0 -14" fill="#ffb347"/>
${rect(600, 112, 132, 210, "#2a1f2e")}${rect(612, 122, 108, 196, `url(#${day.id})`)}${glowAt(666, 260, 160, "#ffd27a", 0.35)}
${floor(318, "#5a3d2e", "#3a271e")}<ellipse cx="470" cy="350" rx="180" ry="22" fill="#7a2e3a" opacity="0.8"/><ellipse cx="470" cy="350" rx="150" ry="16" fill="none" stroke="#e9c46a" stroke-width="2" opacity="0.6"/>`;
  },
  bridge: () =>
    `${sky(["#1b2a4a", "#f08a5d"])}${stars(40, 120)}${moon(800, 70, 22)}${hills("#4a3b5c", 250, 60, 2)}
<path d="M0 180 L250 190 L270 400 L0 400 Z" fill="#2d2438"/><path d="M960 180 L710 190 L690 400 L960 400 Z" fill="#2d2438"/>
<path d="M250 190 L330 400 L630 400 L710 190 Q480 260 250 190" fill="#1a1626"/>${rect(270, 360, 420, 40, "#2e6f8e")}<path d="M280 372 q30 -6 60 0 t60 0 t60 0 t60 0 t60 0 t60 0" stroke="#8fd3ff" stroke-width="2" fill="none" opacity="0.6"/>
${rect(240, 150, 12, 110, "#6b4630")}${rect(708, 150, 12, 110, "#6b4630")}<path d="M246 160 Q480 300 714 160" stroke="#c9a26b" stroke-width="3" fill="none"/><path d="M246 190 Q480 320 714 190" stroke="#c9a26b" stroke-width="2" fill="none" opacity="0.6"/>
${lantern(246, 130)}${lantern(714, 130)}`,
  castle: () =>
    `${sky(["#1d2b53", "#d96c5b"])}${stars(50, 140, 11)}${hills("#3c3358", 260, 70, 4)}
<g fill="#2b2440">${rect(560, 150, 300, 170, "#2b2440")}${rect(540, 110, 60, 210, "#2b2440")}${rect(820, 110, 60, 210, "#2b2440")}${rect(660, 90, 90, 230, "#2b2440")}
<path d="M540 110 L570 70 L600 110 Z M820 110 L850 70 L880 110 Z M660 90 L705 40 L750 90 Z"/></g>
${windowLit(690, 140, 26, 34)}${windowLit(556, 170, 20, 26)}${windowLit(836, 170, 20, 26)}<path d="M680 320 L680 270 Q705 245 730 270 L730 320 Z" fill="#1a1526"/>
<path d="M705 40 L705 10 L735 20 L705 30" fill="#ff6b6b"/>${floor(320, "#3f5a3a", "#243524")}<path d="M0 380 Q300 330 680 322 L730 322 Q420 350 300 400 L0 400Z" fill="#8a7152" opacity="0.8"/>`,
  lighthouse: () =>
    `${sky(["#0f1a33", "#3d5a80"])}${stars(80, 200, 13)}${moon(180, 80)}
${rect(0, 280, W, 120, "#1d3b5a")}<path d="M0 300 q40 -8 80 0 t80 0 t80 0 t80 0 t80 0 t80 0 t80 0 t80 0 t80 0 t80 0 t80 0 t80 0" stroke="#8fd3ff" stroke-width="2" fill="none" opacity="0.4"/>
<path d="M500 300 Q560 250 640 252 Q740 250 800 300 Z" fill="#2b2d3a"/><path d="M600 260 L612 140 L668 140 L680 260 Z" fill="#e9e4d8"/>
<path d="M604 225 L676 225 L673 205 L607 205 Z M609 180 L671 180 L669 160 L611 160 Z" fill="#c44536"/>${rect(596, 132, 88, 10, "#2b2d3a")}${rect(604, 70, 72, 64, "#2b2d3a", 'rx="4"')}<path d="M598 72 L640 44 L682 72 Z" fill="#c44536"/>`,
  windmill: () =>
    `${sky(["#7fb3d5", "#f6d8ae"])}<circle cx="150" cy="90" r="40" fill="#fff1c1"/>${hills("#8fbf7f", 300, 50, 6)}${hills("#6a9f5c", 330, 30, 8)}
<path d="M560 330 L575 170 L625 170 L640 330 Z" fill="#d9c8a9"/><path d="M568 172 L600 130 L632 172 Z" fill="#8a5a44"/>${rect(588, 280, 24, 50, "#6b4630", 'rx="10"')}${windowLit(590, 210, 20, 22, "#ffe7a3")}
${rect(0, 330, W, 70, "#5c8a4f")}${[80, 180, 760, 860].map((x) => `<circle cx="${x}" cy="340" r="18" fill="#4c7a40"/>`).join("")}`,
  kitchen: () =>
    `${rect(0, 0, W, H, "#3b2f2a")}${Array.from({ length: 12 }, (_, i) => Array.from({ length: 5 }, (_, j) => rect(i * 80 + (j % 2) * 40 - 40, j * 40 + 20, 78, 38, "#4a3a32", 'rx="2"')).join("")).join("")}
${rect(60, 120, 200, 200, "#2a201c")}<path d="M70 320 L70 190 Q160 120 250 190 L250 320 Z" fill="#15100e"/>${glowAt(160, 290, 90, "#ff7a3c", 0.8)}<path d="M120 320 q20 -50 40 -20 q20 -40 40 10 q10 -20 20 10 Z" fill="#ff9f43"/>
${rect(700, 90, 220, 12, "#6b4630")}${rect(700, 170, 220, 12, "#6b4630")}${[720, 760, 800, 850, 890].map((x, i) => `<circle cx="${x}" cy="${75}" r="${12 + (i % 2) * 4}" fill="${["#c9a26b", "#8fb4d9", "#d98c5f"][i % 3]}"/>`).join("")}${[730, 790, 860].map((x) => rect(x - 12, 140, 24, 30, "#b87333", 'rx="4"')).join("")}
${lantern(480, 30)}${floor(320, "#5a4336", "#3a2a22")}
${rect(680, 290, 250, 10, "#8d5a3a", 'rx="3"')}${rect(690, 300, 230, 20, "#5c3c29")}${[750, 860].map((x) => rect(x, 304, 40, 12, "#4a3022", 'rx="2"')).join("")}`,
  market: () =>
    `${sky(["#161430", "#5b3a6e"])}${stars(50, 150, 17)}${hills("#2a2244", 240, 40, 9)}
${[90, 810].map((x) => `${rect(x - 70, 190, 140, 130, "#3a2a4a")}<path d="M${x - 80} 190 L${x} 150 L${x + 80} 190 Z" fill="#c44536"/>${rect(x - 60, 250, 120, 12, "#6b4630")}`).join("")}
${[150, 330, 480, 630, 810].map((x) => lantern(x, 120, x % 2 ? "#ff7aa2" : "#ffb347")).join("")}<path d="M60 120 Q240 160 480 120 Q720 160 900 120" stroke="#2b2233" stroke-width="2" fill="none"/>
${floor(320, "#3a3042", "#221c2a")}`,
  "print-shop": () =>
    `${rect(0, 0, W, H, "#2f3a3a")}${rect(0, 0, W, 40, "#263030")}${[100, 300, 660, 860].map((x) => `<line x1="${x}" y1="40" x2="${x}" y2="200" stroke="#1e2626" stroke-width="2"/><g>${rect(x - 40, 200, 80, 56, "#e8e0c8")}${rect(x - 32, 210, 64, 4, "#555")}${rect(x - 32, 222, 50, 4, "#555")}${rect(x - 32, 234, 58, 4, "#555")}</g>`).join("")}
${windowLit(430, 60, 100, 70, "#9fc7e8")}${glowAt(480, 120, 160, "#9fc7e8", 0.2)}${rect(40, 290, 160, 30, "#6b4630")}${rect(760, 270, 170, 50, "#4e3222")}${floor(320, "#3a3a36", "#252521")}`,
  forge: () =>
    `${rect(0, 0, W, H, "#231a1a")}${Array.from({ length: 10 }, (_, i) => rect(i * 100, 0, 96, 320, i % 2 ? "#2c2020" : "#292020")).join("")}
${rect(700, 120, 200, 200, "#3a2a26")}<path d="M720 320 L720 210 Q800 150 880 210 L880 320 Z" fill="#120c0c"/>${glowAt(800, 290, 120, "#ff5a1f", 0.9)}<path d="M760 320 q20 -60 40 -20 q20 -50 40 20 Z" fill="#ffb347"/>
${[80, 140, 200].map((x, i) => `<line x1="${x}" y1="120" x2="${x + 20}" y2="250" stroke="#8d8d99" stroke-width="${4 + i}"/>`).join("")}${rect(40, 110, 200, 10, "#4e3222")}${floor(320, "#3a2a26", "#1c1412")}`,
  library: () =>
    `${rect(0, 0, W, H, "#2a2230")}${[40, 200, 720].map((x) => `${rect(x, 60, 150, 260, "#4e3222")}${[110, 170, 230, 290].map((y, j) => `${rect(x + 6, y, 138, 6, "#3a2418")}${books(x + 8, y, 134, x + j)}`).join("")}`).join("")}
${windowLit(420, 50, 120, 150, "#8fb4ff")}${glowAt(480, 200, 200, "#8fb4ff", 0.15)}${lantern(600, 40)}${floor(320, "#4a3344", "#2a1f2e")}`,
  festival: () =>
    `${sky(["#0f1740", "#c0587e"])}${stars(60, 160, 19)}${[
      [120, 60, "#f2b84b"],
      [820, 90, "#8fd3ff"],
      [700, 40, "#ff6b6b"],
    ]
      .map(
        ([x, y, c]) =>
          `${Array.from({ length: 12 }, (_, i) => `<line x1="${x}" y1="${y}" x2="${(x as number) + Math.cos(i / 1.9) * 30}" y2="${(y as number) + Math.sin(i / 1.9) * 30}" stroke="${c}" stroke-width="2"/>`).join("")}`,
      )
      .join("")}
${hills("#2d2450", 260, 40, 21)}${[90, 860].map((x) => `<path d="M${x - 60} 320 L${x} 200 L${x + 60} 320 Z" fill="${x < 400 ? "#c44536" : "#3f7cac"}"/><path d="M${x} 200 L${x} 180 L${x + 20} 186 L${x} 192" fill="#f2b84b"/>`).join("")}
${bunting(0, 960, 60, 60)}${floor(320, "#3a5a3a", "#223522")}`,
  harbour: () =>
    `${sky(["#203a5c", "#f2a65a"])}<circle cx="780" cy="230" r="50" fill="#ffd27a" opacity="0.9"/>${rect(0, 270, W, 130, "#1f4a6e")}<path d="M0 290 q40 -6 80 0 t80 0 t80 0 t80 0 t80 0 t80 0 t80 0 t80 0 t80 0 t80 0 t80 0 t80 0" stroke="#ffd27a" stroke-width="2" fill="none" opacity="0.4"/>
<g stroke="#2b2d3a" stroke-width="8" fill="none"><path d="M420 330 L420 60 L700 60"/><path d="M420 100 L470 60"/></g><line x1="560" y1="60" x2="560" y2="175" stroke="#2b2d3a" stroke-width="2"/>
${rect(80, 230, 180, 60, "#c44536")}${rect(100, 200, 60, 30, "#e9e4d8")}${rect(0, 320, 620, 80, "#3a3a44")}${[40, 110, 180].map((x, i) => rect(x, 282, 60, 38, ["#3f7cac", "#5c8f5a", "#d9a441"][i] as string)).join("")}`,
  observatory: () =>
    `${sky(["#070b1e", "#25305c"])}${stars(140, 260, 23)}<path d="M100 60 Q300 20 500 90" stroke="#8fd3ff" stroke-width="1" opacity="0.3" fill="none"/>${hills("#1a1e36", 300, 50, 23)}
${rect(540, 200, 200, 120, "#cfd3de")}<path d="M540 200 A100 100 0 0 1 740 200 Z" fill="#aab1c4"/>${windowLit(620, 250, 40, 40, "#ffd27a")}${rect(0, 320, W, 80, "#20243a")}`,
  station: () =>
    `${rect(0, 0, W, H, "#2a3040")}<path d="M0 0 L480 -40 L960 0 L960 60 L0 60 Z" fill="#1e2430"/>${Array.from({ length: 8 }, (_, i) => `<path d="M${i * 130} 60 Q${i * 130 + 65} -10 ${i * 130 + 130} 60" stroke="#4a5370" stroke-width="4" fill="none"/>`).join("")}
${windowLit(60, 90, 120, 80, "#9fc7e8")}${windowLit(780, 90, 120, 80, "#9fc7e8")}<circle cx="480" cy="110" r="34" fill="#e9e4d8" stroke="#6b4630" stroke-width="6"/><line x1="480" y1="110" x2="480" y2="86" stroke="#222" stroke-width="3"/><line x1="480" y1="110" x2="498" y2="116" stroke="#222" stroke-width="3"/>
${rect(0, 322, W, 10, "#6b6f7a")}${rect(0, 340, W, 6, "#8d8d99")}${rect(0, 360, W, 6, "#8d8d99")}${floor(366, "#3a3a44", "#23232a")}`,
  theatre: () =>
    `${rect(0, 0, W, H, "#1a0f14")}${rect(230, 60, 500, 270, "#2a1c2a")}${glowAt(480, 260, 220, "#ffd27a", 0.35)}
<path d="M0 0 L260 0 Q220 200 250 400 L0 400 Z" fill="#8e1b2e"/><path d="M960 0 L700 0 Q740 200 710 400 L960 400 Z" fill="#8e1b2e"/>${rect(0, 0, W, 50, "#6e1422")}${bunting(200, 760, 50, 20)}
${rect(200, 330, 560, 20, "#6b4630")}${floor(350, "#2a1a20", "#120a0e")}${[300, 420, 540, 660].map((x) => `<circle cx="${x}" cy="395" r="22" fill="#0a0508"/>`).join("")}`,
  "launch-pad": () =>
    `${sky(["#05081a", "#28336b"])}${stars(160, 300, 29)}<circle cx="330" cy="150" r="30" fill="#c9d3ff" opacity="0.8"/>${hills("#141a33", 310, 40, 29)}
<g stroke="#e85d3f" stroke-width="6" fill="none"><path d="M720 332 L720 60"/><path d="M760 332 L760 60"/>${Array.from({ length: 9 }, (_, i) => `<path d="M720 ${70 + i * 30} L760 ${100 + i * 30}"/>`).join("")}</g><path d="M700 120 L660 120" stroke="#e85d3f" stroke-width="5"/><path d="M700 220 L660 220" stroke="#e85d3f" stroke-width="5"/>
${rect(520, 332, 200, 14, "#555a6e")}${rect(0, 346, W, 54, "#1e2236")}${lantern(740, 40, "#ff4d4d")}`,
  laboratory: () =>
    `${rect(0, 0, W, H, "#1e2a26")}${Array.from({ length: 10 }, (_, i) => rect(i * 96, 0, 92, 320, i % 2 ? "#22302b" : "#203029")).join("")}
${rect(60, 130, 200, 10, "#6b4630")}${rect(700, 130, 200, 10, "#6b4630")}${[80, 130, 180, 720, 780, 840].map((x, i) => `<path d="M${x} 130 L${x + 8} 100 L${x + 8} 86 L${x + 18} 86 L${x + 18} 100 L${x + 26} 130 Z" fill="${["#5fd39a", "#c792ea", "#ff9f5a"][i % 3]}" opacity="0.85"/>`).join("")}
${glowAt(480, 200, 220, "#5fd39a", 0.15)}${lantern(480, 30, "#5fd39a")}${floor(320, "#2a3430", "#151c1a")}`,
  river: () =>
    `${sky(["#1a2233", "#4a5a70"])}${Array.from({ length: 60 }, (_, i) => `<line x1="${(i * 97) % 960}" y1="${(i * 53) % 200}" x2="${((i * 97) % 960) - 8}" y2="${((i * 53) % 200) + 24}" stroke="#9fb4d0" stroke-width="1.5" opacity="0.5"/>`).join("")}
${hills("#2a3344", 230, 40, 31)}${rect(0, 250, W, 150, "#2e4f6e")}<path d="M0 270 q40 -10 80 0 t80 0 t80 0 t80 0 t80 0 t80 0 t80 0 t80 0 t80 0 t80 0 t80 0 t80 0" stroke="#8fd3ff" stroke-width="2" fill="none" opacity="0.5"/>
${[120, 840].map((x) => `${rect(x - 40, 180, 80, 70, "#4a3b44")}<path d="M${x - 50} 180 L${x} 150 L${x + 50} 180 Z" fill="#2b2233"/>${windowLit(x - 10, 200, 20, 20)}`).join("")}${rect(0, 340, W, 60, "#3a3a2e")}`,
  studio: () =>
    `${rect(0, 0, W, H, "#171b2b")}${Array.from({ length: 14 }, (_, i) => `<line x1="${i * 70}" y1="0" x2="${i * 70}" y2="320" stroke="#1f2540" stroke-width="2"/>`).join("")}
${windowLit(80, 60, 160, 110, "#3d5a80")}${[60, 120, 180].map((y) => rect(720, y, 180, 40, "#22304d", 'rx="6"')).join("")}${[60, 120, 180].map((y, i) => rect(730, y + 14, 40 + i * 40, 10, ["#5fd39a", "#f2b84b", "#8fd3ff"][i] as string, 'rx="3"')).join("")}
${glowAt(480, 220, 220, "#8fd3ff", 0.15)}${rect(300, 300, 360, 20, "#3a3f55")}${floor(320, "#23283a", "#12151f")}<path d="M120 320 L120 250 Q140 230 160 250 L160 320" fill="#2c6e49"/>`,
  "control-room": () =>
    `${rect(0, 0, W, H, "#101624")}${Array.from({ length: 6 }, (_, i) => `${rect(40 + i * 150, 40, 130, 80, "#1a2540", 'rx="6"')}<path d="M${50 + i * 150} ${100} ${Array.from({ length: 6 }, (_, k) => `L${60 + i * 150 + k * 20} ${70 + ((i + k) % 3) * 12}`).join(" ")}" stroke="${["#5fd39a", "#f2b84b", "#8fd3ff"][i % 3]}" stroke-width="2" fill="none"/>`).join("")}
${[100, 200, 760, 860].map((x) => `<path d="M${x - 20} 320 L${x - 14} 260 L${x + 14} 260 L${x + 20} 320 Z" fill="#2a3550"/><circle cx="${x}" cy="246" r="14" fill="#3a4668"/>`).join("")}${glowAt(480, 240, 220, "#f2b84b", 0.12)}${floor(320, "#1c2336", "#0c1018")}`,
};

/** The hero objects, drawn in their own viewBox (the sizes of SCENE_ART). */
const HEROES: Record<string, (w: number, h: number) => string> = {
  room: (w, h) =>
    `${rect(0, 0, w, h, "#7a4a2e")}${rect(12, 14, w - 24, h / 2 - 24, "#8d5a3a", 'rx="3"')}${rect(12, h / 2 + 6, w - 24, h / 2 - 24, "#8d5a3a", 'rx="3"')}<rect width="${w}" height="${h}" fill="none" stroke="#4e2f1c" stroke-width="6"/><circle cx="${w - 18}" cy="${h / 2}" r="6" fill="#e9c46a"/><path d="M${w - 22} ${h / 2 + 12} l4 12 l-8 0 Z" fill="#2a1a10"/>`,
  bridge: (w, h) =>
    `<path d="M0 10 Q${w / 2} ${h - 10} ${w} 10 L${w} 24 Q${w / 2} ${h + 6} 0 24 Z" fill="#8d5a3a"/>${Array.from(
      { length: 21 },
      (_, i) => {
        const x = (i / 20) * w;
        const y = 12 + 4 * (h - 22) * (i / 20) * (1 - i / 20);
        return `<line x1="${x}" y1="${y - 8}" x2="${x}" y2="${y + 8}" stroke="#4e2f1c" stroke-width="3"/>`;
      },
    ).join("")}`,
  castle: (w, h) =>
    `<rect x="6" y="${h / 2 - 22}" width="${w - 12}" height="44" rx="14" fill="#f1e3c0"/><rect x="0" y="${h / 2 - 26}" width="14" height="52" rx="7" fill="#d9c49a"/><rect x="${w - 14}" y="${h / 2 - 26}" width="14" height="52" rx="7" fill="#d9c49a"/><circle cx="${w / 2}" cy="${h / 2 + 16}" r="14" fill="#b5252f"/><path d="M${w / 2 - 6} ${h / 2 + 28} l-6 18 l10 -6 Z M${w / 2 + 6} ${h / 2 + 28} l6 18 l-10 -6 Z" fill="#b5252f"/>`,
  lighthouse: (w, h) =>
    `<rect x="${w / 2 - 30}" y="${h / 2 - 26}" width="60" height="52" rx="6" fill="#ffe9a8"/><circle cx="${w / 2}" cy="${h / 2}" r="18" fill="#fff7d6"/>${glowAt(w / 2, h / 2, w / 2, "#fff3b0", 0.8)}`,
  windmill: (w, h) =>
    `${[0, 90, 180, 270].map((a) => `<g transform="rotate(${a + 20} ${w / 2} ${h / 2})"><rect x="${w / 2 - 4}" y="8" width="8" height="${h / 2 - 8}" fill="#6b4630"/><rect x="${w / 2 + 4}" y="14" width="30" height="${h / 2 - 34}" fill="#efe6d2" stroke="#8a7152" stroke-width="2"/>${Array.from({ length: 5 }, (_, k) => `<line x1="${w / 2 + 4}" y1="${30 + k * 18}" x2="${w / 2 + 34}" y2="${30 + k * 18}" stroke="#8a7152" stroke-width="1.5"/>`).join("")}</g>`).join("")}<circle cx="${w / 2}" cy="${h / 2}" r="12" fill="#4e2f1c"/>`,
  kitchen: (w, h) =>
    `${rect(0, h - 60, w, 14, "#8d5a3a")}${rect(14, h - 46, 14, 46, "#5c3c29")}${rect(w - 28, h - 46, 14, 46, "#5c3c29")}${rect(0, h - 64, w, 6, "#f1e3c0")}
<ellipse cx="${w / 2}" cy="${h - 70}" rx="60" ry="14" fill="#d9d9d9"/><path d="M${w / 2 - 50} ${h - 72} Q${w / 2} ${h - 140} ${w / 2 + 50} ${h - 72} Z" fill="#c97b3a"/>${[50, w - 60].map((x) => `<ellipse cx="${x}" cy="${h - 68}" rx="26" ry="8" fill="#d9d9d9"/><circle cx="${x}" cy="${h - 76}" r="12" fill="#5fd39a"/>`).join("")}${[100, w - 100].map((x) => `${rect(x - 3, h - 110, 6, 40, "#f1e3c0")}<path d="M${x} ${h - 122} q5 6 0 10 q-5 -4 0 -10" fill="#ffb347"/>`).join("")}`,
  market: (w, h) =>
    `${rect(10, 40, w - 20, h - 40, "#5a3a2a")}<path d="M0 44 L${w / 2} 0 L${w} 44 Z" fill="#f2b84b"/>${Array.from({ length: 6 }, (_, i) => `<path d="M${(i * w) / 6} 44 L${((i + 1) * w) / 6} 44 L${((i + 0.5) * w) / 6} 64 Z" fill="${i % 2 ? "#c44536" : "#f1e3c0"}"/>`).join("")}${rect(20, h - 50, w - 40, 14, "#8d5a3a")}${Array.from({ length: 7 }, (_, i) => `<circle cx="${40 + i * ((w - 80) / 6)}" cy="${h - 60}" r="10" fill="${["#ff6b6b", "#f2b84b", "#5fd39a"][i % 3]}"/>`).join("")}`,
  "print-shop": (w, h) =>
    `${rect(20, h - 30, w - 40, 30, "#3a3a44")}${rect(40, 30, 20, h - 60, "#4a4a56")}${rect(w - 60, 30, 20, h - 60, "#4a4a56")}${rect(30, 20, w - 60, 24, "#5a5a68")}<circle cx="${w / 2}" cy="60" r="26" fill="none" stroke="#8d8d99" stroke-width="6"/>${rect(w / 2 - 4, 60, 8, 60, "#8d8d99")}${rect(50, 120, w - 100, 20, "#6b6f7a")}${rect(60, 100, w - 120, 18, "#f1e3c0")}`,
  forge: (w, h) =>
    `<path d="M20 40 L${w - 20} 40 L${w - 50} 70 L${w / 2 + 30} 70 L${w / 2 + 20} ${h - 20} L${w / 2 - 20} ${h - 20} L${w / 2 - 30} 70 L50 70 Z" fill="#4a4a56"/>${rect(w / 2 - 50, h - 22, 100, 22, "#3a3a44")}<path d="M40 34 L${w - 40} 30 L${w - 30} 34 L${w - 40} 38 Z" fill="#ff9f43"/>${glowAt(w / 2, 34, 80, "#ff7a3c", 0.7)}`,
  library: (w, h) =>
    `${rect(0, 0, w, h, "#5a3a2a")}${[0.25, 0.5, 0.75].map((t) => `${rect(8, h * t, w - 16, 8, "#3a2418")}${books(12, h * t, w - 24, Math.round(t * 100))}`).join("")}${books(12, h - 8, w - 24, 77)}<rect width="${w}" height="${h}" fill="none" stroke="#3a2418" stroke-width="8"/>`,
  festival: (w, h) =>
    `${rect(0, h - 40, w, 40, "#6b4630")}${rect(10, 30, 14, h - 70, "#8d5a3a")}${rect(w - 24, 30, 14, h - 70, "#8d5a3a")}<path d="M0 30 Q${w / 2} 0 ${w} 30 L${w} 50 Q${w / 2} 20 0 50 Z" fill="#c44536"/>${bunting(20, w - 20, 56, 30)}${[w / 2 - 60, w / 2, w / 2 + 60].map((x, i) => `<circle cx="${x}" cy="${h - 70}" r="14" fill="${["#8fd3ff", "#f2b84b", "#c792ea"][i]}"/>${rect(x - 10, h - 58, 20, 18, "#2b2233")}`).join("")}`,
  harbour: (w, h) =>
    `<line x1="${w / 2}" y1="0" x2="${w / 2}" y2="40" stroke="#2b2d3a" stroke-width="2"/><path d="M${w / 2} 40 L10 62 M${w / 2} 40 L${w - 10} 62" stroke="#2b2d3a" stroke-width="2"/>${rect(4, 62, w - 8, h - 66, "#d9a441")}${Array.from({ length: 6 }, (_, i) => rect(12 + i * ((w - 24) / 6), 70, 6, h - 82, "#b5832d")).join("")}`,
  observatory: (w, h) =>
    `<g transform="rotate(-28 ${w / 2} ${h / 2})">${rect(10, h / 2 - 16, w - 40, 32, "#8d8d99", 'rx="8"')}${rect(w - 40, h / 2 - 22, 30, 44, "#6b6f7a", 'rx="6"')}<circle cx="${w - 12}" cy="${h / 2}" r="14" fill="#8fd3ff"/></g>${rect(w / 2 - 8, h / 2, 16, h / 2, "#4a4a56")}`,
  station: (w, h) =>
    `${rect(0, 20, w - 60, h - 40, "#2e6f8e", 'rx="12"')}<path d="M${w - 60} 20 L${w - 10} 50 L${w} ${h - 20} L${w - 60} ${h - 20} Z" fill="#245a74"/>${Array.from({ length: 5 }, (_, i) => windowLit(20 + i * 52, 36, 38, 26, "#ffe7a3")).join("")}${rect(0, h - 36, w, 8, "#f2b84b")}${[40, 110, 200, 270].map((x) => `<circle cx="${x}" cy="${h - 12}" r="12" fill="#23232a" stroke="#8d8d99" stroke-width="3"/>`).join("")}`,
  theatre: (w, h) =>
    `${Array.from({ length: 12 }, (_, i) => rect((i * w) / 12, 0, w / 12 + 1, h, i % 2 ? "#a3233a" : "#8e1b2e")).join("")}<path d="M0 ${h - 20} ${Array.from({ length: 12 }, (_, i) => `Q${((i + 0.5) * w) / 12} ${h + 6} ${((i + 1) * w) / 12} ${h - 20}`).join(" ")} L${w} ${h} L0 ${h} Z" fill="#6e1422"/>${rect(0, 0, w, 16, "#f2b84b")}`,
  "launch-pad": (w, h) =>
    `<path d="M${w / 2} 0 Q${w} 60 ${w * 0.78} ${h * 0.78} L${w * 0.22} ${h * 0.78} Q0 60 ${w / 2} 0 Z" fill="#e9e4d8"/><path d="M${w / 2} 0 Q${w * 0.7} 24 ${w * 0.74} 46 L${w * 0.26} 46 Q${w * 0.3} 24 ${w / 2} 0 Z" fill="#c44536"/><circle cx="${w / 2}" cy="${h * 0.32}" r="${w * 0.16}" fill="#8fd3ff" stroke="#4a4a56" stroke-width="4"/>
<path d="M${w * 0.22} ${h * 0.6} L0 ${h * 0.9} L${w * 0.22} ${h * 0.84} Z M${w * 0.78} ${h * 0.6} L${w} ${h * 0.9} L${w * 0.78} ${h * 0.84} Z" fill="#c44536"/>${rect(w * 0.3, h * 0.78, w * 0.4, h * 0.1, "#4a4a56")}<path d="M${w * 0.34} ${h * 0.88} L${w / 2} ${h} L${w * 0.66} ${h * 0.88} Z" fill="#ff9f43"/>`,
  laboratory: (w, h) =>
    `${rect(0, h - 20, w, 20, "#6b4630")}<path d="M30 ${h - 20} L50 ${h - 90} L50 ${h - 130} L70 ${h - 130} L70 ${h - 90} L90 ${h - 20} Z" fill="#c792ea" opacity="0.9"/><circle cx="${w - 60}" cy="${h - 60}" r="40" fill="#5fd39a" opacity="0.85"/>${rect(w - 68, h - 140, 16, 44, "#9fb4d0", 'opacity="0.8"')}<path d="M70 ${h - 126} Q${w / 2} ${h - 170} ${w - 60} ${h - 140}" stroke="#9fb4d0" stroke-width="6" fill="none"/>${[0, 1, 2].map((i) => `<circle cx="${w - 70 + i * 10}" cy="${h - 80 - i * 14}" r="${4 + i}" fill="#eafff3" opacity="0.8"/>`).join("")}`,
  river: (w, h) =>
    `${rect(0, 10, w, h - 10, "#7a6a58")}${Array.from({ length: 13 }, (_, i) => Array.from({ length: 3 }, (_, j) => rect(i * 40 + (j % 2) * 20 - 20, 14 + j * 26, 38, 24, j % 2 ? "#8d7a64" : "#9a866e", 'rx="3"')).join("")).join("")}${rect(0, 0, w, 12, "#5a4a3a")}`,
  studio: (w, h) =>
    `${rect(10, 0, w - 20, h - 40, "#2b2d3a", 'rx="10"')}${rect(22, 12, w - 44, h - 64, "#0e1424", 'rx="4"')}${["#5fd39a", "#f2b84b", "#8fd3ff", "#c792ea", "#ff6b6b"].map((c, i) => rect(36 + (i % 2) * 20, 26 + i * 18, 60 + ((i * 37) % 90), 8, c, 'rx="3"')).join("")}${rect(w / 2 - 14, h - 40, 28, 24, "#3a3f55")}${rect(w / 2 - 60, h - 18, 120, 10, "#3a3f55", 'rx="4"')}`,
  "control-room": (w, h) =>
    `${rect(20, h - 60, w - 40, 60, "#2a3550", 'rx="8"')}${Array.from({ length: 8 }, (_, i) => `<circle cx="${44 + i * ((w - 88) / 7)}" cy="${h - 40}" r="6" fill="${["#5fd39a", "#f2b84b", "#ff6b6b", "#8fd3ff"][i % 4]}"/>`).join("")}<line x1="${w / 2}" y1="${h - 60}" x2="${w / 2 + 70}" y2="20" stroke="#f1e3c0" stroke-width="5" stroke-linecap="round"/><circle cx="${w / 2 + 70}" cy="20" r="7" fill="#fff3b0"/>${glowAt(w / 2 + 70, 20, 40, "#fff3b0", 0.8)}${Array.from({ length: 3 }, (_, i) => `<path d="M${40 + i * 60} ${60 - i * 10} q6 -20 12 0 v-24" stroke="#f2b84b" stroke-width="3" fill="none"/>`).join("")}`,
};

const TITLE = () =>
  `<defs>${grad(["#0f1733", "#2b2450"]).def.replace(/id="g\d+"/, 'id="tsky"')}</defs><rect width="560" height="240" rx="18" fill="url(#tsky)"/>${stars(50, 140, 41).replace(/cx="(\d+)"/g, (_, x) => `cx="${(Number(x) * 560) / 960}"`)}
<path d="M0 170 Q140 140 280 165 T560 160 L560 240 L0 240 Z" fill="#1a1526"/>${glowAt(280, 200, 170, "#f2b84b", 0.45)}
${[0, 1, 2, 3, 4].map((i) => `<rect x="${150 + i * 56}" y="${176 - (i % 2) * 10}" width="36" height="${40 + (i % 2) * 10}" rx="6" fill="${["#2d6cdf", "#5fd39a", "#f2b84b", "#c792ea", "#ff9f5a"][i]}" opacity="0.85"/>`).join("")}
<path d="M120 120 L400 40" stroke="#f1e3c0" stroke-width="7" stroke-linecap="round"/><circle cx="400" cy="40" r="9" fill="#fff3b0"/>${glowAt(400, 40, 50, "#fff3b0", 0.9)}
<g fill="#f2b84b"><ellipse cx="424" cy="84" rx="9" ry="6.5" transform="rotate(-22 424 84)"/><ellipse cx="470" cy="104" rx="9" ry="6.5" transform="rotate(-22 470 104)"/><ellipse cx="500" cy="96" rx="9" ry="6.5" transform="rotate(-22 500 96)"/></g>
<g stroke="#f2b84b" stroke-width="3" fill="none" stroke-linecap="round"><path d="M432 81 V38 q14 8 12 26"/><path d="M478 101 V62 M508 93 V54"/></g><path d="M478 62 L508 54 L508 61 L478 69 Z" fill="#f2b84b"/>`;

for (const [scene, draw] of Object.entries(BACKDROPS)) {
  writeFileSync(new URL(`../public/assets/scenes/${scene}.svg`, import.meta.url), svg(W, H, draw()));
  const art = SCENE_ART[scene];
  const hero = HEROES[scene];
  if (!art || !hero) throw new Error(`scene ${scene}: missing hero or placement`);
  writeFileSync(
    new URL(`../public/assets/heroes/${scene}.svg`, import.meta.url),
    svg(art.w, art.h, hero(art.w, art.h)),
  );
}
writeFileSync(new URL("../public/assets/title.svg", import.meta.url), svg(560, 240, TITLE()));
console.log(`${Object.keys(BACKDROPS).length} scenes drawn`);
