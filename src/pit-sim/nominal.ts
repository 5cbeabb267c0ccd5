import type { Scenario } from "./scenario.ts";

/**
 * The scenario with nothing injected: nominal latency, no failures. Written out (a test checks it equals
 * `ScenarioSchema.parse({ id: "nominal" })`) so the play path of the browser game does not load zod.
 */
export const NOMINAL_SCENARIO: Scenario = {
  id: "nominal",
  jitter: 0,
  latency: {},
  failures: {},
  inject: [],
  pools: {},
};
