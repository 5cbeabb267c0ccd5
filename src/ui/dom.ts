/** DOM helpers shared by every screen: elements are built with properties, never from markup strings. */

/** Creates an element with properties (never innerHTML) and children. */
export function el(
  tag: string,
  props: Record<string, unknown> = {},
  ...children: (Node | string)[]
): HTMLElement {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** A real button with an accessible name (its text, or `label` when the text is not enough). */
export function button(
  text: string,
  onClick: () => void,
  props: Record<string, unknown> = {},
  label?: string,
): HTMLButtonElement {
  const b = el("button", { type: "button", textContent: text, ...props }) as HTMLButtonElement;
  if (label) b.setAttribute("aria-label", label);
  b.addEventListener("click", onClick);
  return b;
}

export type Screen = "title" | "map" | "play" | "designer" | "library";

/** The navigation shared by every screen: real links, reachable by keyboard. */
export function navBar(current: Screen): HTMLElement {
  const link = (href: string, text: string, here: boolean) => {
    const a = el("a", { href, textContent: text, className: here ? "here" : "" });
    if (here) a.setAttribute("aria-current", "page");
    return a;
  };
  return el(
    "nav",
    { className: "row", ariaLabel: "Main" },
    el(
      "a",
      { href: "#/", className: "brand" },
      el("h1", {}, "Function Quest ", el("span", { textContent: "V2" })),
    ),
    link("#/map", "Levels", current === "map" || current === "play"),
    link("#library", "Demonstrations", current === "library"),
    link("#designer", "Designer", current === "designer"),
  );
}
