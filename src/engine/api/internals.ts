/**
 * Everything, internals included: for tests and tools that check the engine from the inside. Game code
 * uses the entry point for its audience (`rl.ts`, `view.ts`, `analysis.ts`, `datasets.ts`).
 */
export * from "../index.ts";
export { presence, singleLegal, checkSpec } from "../legality.ts";
