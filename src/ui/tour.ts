/**
 * The walkthrough: a short, skippable series of callouts that point at the function cards, the flow and
 * each panel as it first appears. Level 1 teaches the basics; the first level of each later tier
 * introduces what that tier reveals. The content is data (below); the store's UI slice says which step
 * is showing, and this only renders it.
 */
import { el } from "./dom.ts";

export interface TourStep {
  /** CSS selector of what the callout points at. */
  readonly target: string;
  readonly title: string;
  readonly text: string;
}

/** The steps for the first level of each tier (by tier). */
export const TOURS: Readonly<Record<number, readonly TourStep[]>> = {
  1: [
    {
      target: ".palette",
      title: "Your functions",
      text: "Call them one at a time. A function needs what earlier calls produced: a greyed card says what it is missing. Number keys call them too.",
    },
    {
      target: ".flow",
      title: "Each call, as it happens",
      text: "Every call goes through the Pit, the machinery behind the scenes. For now you only see how each call ended; later tiers show more.",
    },
    {
      target: "[data-panel=progress]",
      title: "Your goal",
      text: "The level is won when every goal item is in place. Fewer calls and less time score more.",
    },
    {
      target: ".palette-box .row",
      title: "Undo",
      text: "Took a wrong turn? Undo takes back the last step, for a few points. Hover any term to see what it means.",
    },
  ],
  2: [
    {
      target: ".flow",
      title: "The Chambering Flow",
      text: "Now you see each call's phases: request, register, activate, use, return & unload, update. Hover a phase for what it does.",
    },
    {
      target: "[data-panel=resources]",
      title: "Time and resources",
      text: "Each call costs ticks and slot-ticks. The optimal run's figures are here to beat.",
    },
    {
      target: "[data-panel=efficiency-hints]",
      title: "Hints",
      text: "Wasted work, repeated calls and overheating show up here as they happen.",
    },
  ],
  3: [
    {
      target: "[data-panel=pools]",
      title: "Pools of workers",
      text: "Calls run in slots. A cold slot takes time to start; a slot just used stays warm for a while. Prewarm one before you need it.",
    },
    {
      target: ".palette-box .row",
      title: "Parallel groups",
      text: "Independent calls can run together: Compose parallel group (G), pick the calls, then Run group (R).",
    },
    {
      target: "[data-panel=optimization-hints]",
      title: "Opportunities",
      text: "Each technique the level rewards is ticked off here once you use it.",
    },
  ],
  4: [
    {
      target: "#tab-failures",
      title: "Failures and recovery",
      text: "From here on calls can fail. The Failures tab lists each failure and the recovery that handled it; the panels sit in tabs under Progress.",
    },
    {
      target: "#tab-stability",
      title: "Stability",
      text: "Overheating, unhandled failures and things left for the Stale Manager cost stability points.",
    },
    {
      target: "#tab-dag",
      title: "The live DAG",
      text: "Which function needs which result, lit as the DAG Tracker marks each one done.",
    },
  ],
};

export interface TourIntents {
  next(): void;
  skip(): void;
}

/**
 * Shows step `i` of `steps` beside its target inside `root` (null when the target is not on the page).
 * The callout is a labelled, non-modal dialog; Escape skips the tour.
 */
export function tourCallout(
  root: HTMLElement,
  steps: readonly TourStep[],
  i: number,
  on: TourIntents,
): HTMLElement | null {
  const step = steps[i];
  const target = step ? root.querySelector<HTMLElement>(step.target) : null;
  if (!step || !target) return null;
  const last = i === steps.length - 1;
  const next = el("button", { type: "button", className: "primary", textContent: last ? "Got it" : "Next" });
  next.addEventListener("click", on.next);
  const skip = el("button", { type: "button", textContent: "Skip tour" });
  skip.addEventListener("click", on.skip);
  const box = el(
    "div",
    { className: "coach" },
    el("p", { className: "coach-count", textContent: `${i + 1} of ${steps.length}` }),
    el("h3", { textContent: step.title }),
    el("p", { textContent: step.text }),
    el("div", { className: "row" }, next, ...(last ? [] : [skip])),
  );
  box.setAttribute("role", "dialog");
  box.setAttribute("aria-label", `Walkthrough: ${step.title}`);
  box.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") on.skip();
  });
  target.classList.add("coach-target");
  // Below the target, inside the page's width.
  const r = target.getBoundingClientRect();
  const host = root.getBoundingClientRect();
  box.style.top = `${r.bottom - host.top + 8}px`;
  box.style.left = `${Math.max(0, Math.min(r.left - host.left, host.width - 340))}px`;
  return box;
}
