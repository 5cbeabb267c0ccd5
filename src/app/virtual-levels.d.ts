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
  /** The scores of 200 seeded random players on the level, in ten bins of 20 points (computed at build time). */
  export function loadRandomScores(
    id: string,
  ): Promise<
    { readonly runs: number; readonly histogram: readonly number[]; readonly mean: number } | undefined
  >;
}
