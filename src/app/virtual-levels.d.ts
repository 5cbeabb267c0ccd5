// Types of the modules vite-plugin-levels.ts generates.
declare module "virtual:fq-levels" {
  import type { Level } from "../engine/api/rl.ts";
  export const LEVEL_META: readonly {
    readonly id: string;
    readonly title: string;
    readonly order: number;
    readonly tier: number;
    readonly scene: string;
  }[];
  /** The shipped level with this id, validated at build time; undefined for an unknown id. */
  export function loadShippedLevel(id: string): Promise<Level | undefined>;
}
