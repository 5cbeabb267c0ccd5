/**
 * Validation without `eval`. The page's Content-Security-Policy forbids eval (index.html), and zod probes for
 * it with `new Function("")` when it builds an object schema unless told not to: a CSP violation that the
 * browser reports on every screen that loads a schema. main.ts imports this module before anything else, so
 * the setting holds before zod loads. Node keeps zod's compiled parsers (about 20% faster on an episode's
 * validation), so the engine does not set it.
 *
 * zod keeps its settings in `globalThis.__zod_globalConfig` and adopts an object found there when it loads
 * (`z.config` writes the same object). Setting it here, rather than importing `z.config`, keeps zod out of
 * the first load. tests/no-eval.test.ts checks that zod still reads that object, and e2e/game.spec.ts that no
 * screen breaks the CSP.
 */
const g = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
g.__zod_globalConfig ??= {};
g.__zod_globalConfig.jitless = true;
export {};
