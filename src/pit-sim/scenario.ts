import { z } from "zod";
import { findPrototypeKeys, fromZodIssues, ValidationError } from "./validation.ts";

const id = z.string().regex(/^[a-z][a-z0-9_-]*$/, "must be lower-case letters, digits, _ or -");
const ticks = z.number().int().min(0);

export const FailureKindSchema = z.enum(["transient", "permanent", "corrupt"]);
export type FailureKind = z.infer<typeof FailureKindSchema>;

/**
 * A scenario (seed 002): performance profile, failure modes and resource constraints that the Pit
 * simulation applies on top of a level. Data only, validated like levels.
 */
export const ScenarioSchema = z.strictObject({
  id,
  description: z.string().max(500).optional(),
  /** Jitter in ticks added to every call: uniform in [0, jitter]. */
  jitter: ticks.max(20).default(0),
  /** Per function: extra latency and its own jitter. */
  latency: z
    .record(id, z.strictObject({ extra: ticks.max(100).default(0), jitter: ticks.max(20).default(0) }))
    .default({}),
  /** Per function: chance that an attempt fails, and how. */
  failures: z
    .record(id, z.strictObject({ probability: z.number().min(0).max(1), kind: FailureKindSchema }))
    .default({}),
  /** Deterministic failures on given attempts: the level's injected failures. */
  inject: z
    .array(z.strictObject({ fn: id, attempt: z.number().int().min(1).max(10), kind: FailureKindSchema }))
    .default([]),
  /** Resource constraints overriding the level's pools. */
  pools: z
    .record(
      id,
      z.strictObject({
        capacity: z.number().int().min(1).max(16).optional(),
        coldStart: ticks.max(20).optional(),
        heatLimit: z.number().min(0).optional(),
      }),
    )
    .default({}),
});

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;

/** The scenario with nothing injected: nominal latency, no failures. */
export { NOMINAL_SCENARIO } from "./nominal.ts";

/** Validates scenario data; throws a `ValidationError` naming every bad field. */
export function parseScenario(data: unknown, source = "scenario"): Scenario {
  const proto = findPrototypeKeys(data);
  if (proto.length) throw new ValidationError(source, proto);
  const r = ScenarioSchema.safeParse(data);
  if (!r.success) throw new ValidationError(source, fromZodIssues(r.error.issues));
  return r.data;
}
