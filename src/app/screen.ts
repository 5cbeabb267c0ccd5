/**
 * The screen contract and the notices. Every screen is `mount(root, ctx) → unmount`: it builds into
 * `root`, reads and writes the game through `ctx.store`, and gives back a function that removes its
 * listeners. A mount that awaits checks `ctx.signal`: the router aborts it when the player has already
 * moved on, and calls the unmount of whatever it did build.
 */
import type { GameStoreApi } from "./store.ts";

/** What a notice's button does (the UI decides by this, never by the notice's text). */
export type NoticeAction = "export-demonstration";

/** A message at the top of the page, with an optional action button. */
export interface Notice {
  readonly text: string;
  readonly action?: NoticeAction;
  /** "route": about the screen it was shown on, and gone on the next one. Otherwise it stays until dismissed. */
  readonly scope?: "route";
}

export interface ScreenContext {
  readonly store: GameStoreApi;
  readonly navigate: (hash: string) => void;
  /** Aborted when the route changes before this screen finished mounting. */
  readonly signal: AbortSignal;
  /** Shows a notice (once: the same text is not shown twice). */
  readonly notify: (n: Notice) => void;
}

export type Unmount = () => void;
export type MountScreen = (root: HTMLElement, ctx: ScreenContext) => Unmount | Promise<Unmount>;
