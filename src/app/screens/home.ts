/** The title screen and the level map. */
import { LEVEL_META } from "virtual:fq-levels";
import { button, el } from "../../ui/dom.ts";
import { isUnlocked, type SaveData } from "../save.ts";
import type { ScreenContext, Unmount } from "../screen.ts";

const ORDERED = LEVEL_META.map((m) => m.id);
const TIER_NAMES = [
  "",
  "Tier 1 — Sequencing",
  "Tier 2 — Resources",
  "Tier 3 — Pools and parallelism",
  "Tier 4 — Stability and recovery",
];

export function mountTitle(root: HTMLElement, ctx: ScreenContext, save: SaveData): Unmount {
  const done = ORDERED.filter((id) => save.best[id]).length;
  const firstOpen = ORDERED.find((id) => !save.best[id] && isUnlocked(save, ORDERED, id)) ?? ORDERED[0];
  const start = button(done ? "Continue" : "Play", () => ctx.navigate(`#/level/${firstOpen}`), {
    className: "primary",
  });
  root.append(
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
        button("Level map", () => ctx.navigate("#/map")),
      ),
      el("p", { className: "muted", textContent: `${done} of ${ORDERED.length} levels completed.` }),
    ),
  );
  start.dataset.autofocus = "";
  return () => {};
}

export function mountMap(root: HTMLElement, ctx: ScreenContext, save: SaveData): Unmount {
  const tiers = el("div", { className: "tiers" });
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
      b.addEventListener("click", () => ctx.navigate(`#/level/${m.id}`));
      list.append(el("li", {}, b));
    }
    tiers.append(
      el("section", { className: "tier-group" }, el("h2", { textContent: TIER_NAMES[tier] as string }), list),
    );
  }
  root.append(el("h2", { className: "screen-title", textContent: "Levels" }), tiers);
  return () => {};
}
