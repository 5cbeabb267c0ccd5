import { decisionsOf } from "./decisions.ts";
import { z } from "zod";
import { actionSpaceProblem } from "./compile.ts";
import {
  findPrototypeKeys,
  fromZodIssues,
  ScenarioSchema,
  ValidationError,
  type ValidationIssue,
} from "../pit-sim/index.ts";

const id = z
  .string()
  .regex(
    /^[a-z][a-z0-9_.-]*\/?$/,
    "must start with a lower-case letter and use a-z, 0-9, _ . - (a trailing / is allowed)",
  );
const text = (max: number) => z.string().min(1, "must not be empty").max(max);

/** What a level teaches; the verifier checks that the curriculum covers every one. */
export const CONCEPTS = [
  "sequencing",
  "efficiency-patterns",
  "stability-awareness",
  "optimization-discovery",
  "predictive-allocation",
  "artifact-reuse",
  "parallel-execution",
  "branching",
  "arbitration",
  "stale-cleanup",
  "quality-gates",
  "retry",
  "fallback",
  "reverse-reconstruction",
  "graceful-skip",
  "flow-sequential",
  "flow-branching",
  "flow-reverse-reconstruction",
  "flow-parallel",
] as const;
export const ConceptSchema = z.enum(CONCEPTS);
export type Concept = z.infer<typeof ConceptSchema>;

/** Infrastructure panels a level may reveal, from progress only (tier 1) to the full system (tier 4). */
export const PANELS = [
  "progress",
  "resources",
  "efficiency-hints",
  "pools",
  "optimization-hints",
  "stability",
  "dag",
  "artifacts",
  "failures",
] as const;
export const PanelSchema = z.enum(PANELS);
export type Panel = z.infer<typeof PanelSchema>;

const PoolSchema = z.strictObject({
  id,
  label: text(40),
  capacity: z.number().int().min(1).max(16),
  coldStart: z.number().int().min(0).max(20).default(0),
  warmTtl: z.number().int().min(0).max(50).default(0),
  staleAfter: z.number().int().min(1).max(100).default(6),
  healthyMax: z.number().gt(0).max(1).default(1),
  heatLimit: z.number().min(0).max(1000).default(100),
  cooling: z.number().min(0).max(100).default(1),
  recoveryTicks: z.number().int().min(0).max(20).default(2),
});

const ParamSchema = z.strictObject({
  name: id,
  /** The artifacts a player may pass. */
  values: z.array(id).min(1).max(6),
  /** The ones that work; any other makes the call fail at usage. */
  accepts: z.array(id).min(1),
});

const ArtifactOutSchema = z.strictObject({
  id,
  size: z.number().int().min(0).max(1000).default(1),
  /** Ticks without use before the Stale Manager reclaims it. */
  ttl: z.number().int().min(1).max(200).optional(),
});

export const FunctionSchema = z.strictObject({
  id,
  description: text(200),
  params: z.array(ParamSchema).max(2).default([]),
  needs: z
    .strictObject({
      artifacts: z.array(id).default([]),
      facts: z.array(id).default([]),
      /** Artifacts used when present, done without when every producer was gracefully skipped. */
      optional: z.array(id).default([]),
    })
    .default({ artifacts: [], facts: [], optional: [] }),
  /** Facts that grant permission to call; checked before anything is allocated. */
  permission: z.array(id).default([]),
  produces: z
    .strictObject({ artifacts: z.array(ArtifactOutSchema).default([]), facts: z.array(id).default([]) })
    .default({ artifacts: [], facts: [] }),
  /** Slots needed per pool while it runs. */
  resources: z.record(id, z.number().int().min(1).max(16)).default({}),
  duration: z.number().int().min(1).max(50),
  /** Heat added to each pool it uses; back-to-back heavy calls overload a pool. */
  heat: z.number().min(0).max(1000).default(0),
  priority: z.number().int().min(-10).max(10).default(0),
  quality: z.enum(["good", "degraded"]).default("good"),
  /** Refuse degraded inputs. */
  requiresGood: z.boolean().default(false),
  /** False for functions only reachable as another's fallback. */
  callable: z.boolean().default(true),
  recovery: z
    .strictObject({
      retries: z.number().int().min(0).max(5).default(0),
      /** Facts that must hold for a retry to be safe (the Alchemist's containment). */
      retryRequires: z.array(id).default([]),
      fallback: id.optional(),
      skippable: z.boolean().default(false),
    })
    .default({ retries: 0, retryRequires: [], skippable: false }),
});

const ReconstructionSchema = z.strictObject({
  artifact: id,
  from: z.array(id).min(1),
  duration: z.number().int().min(1).max(50),
  resources: z.record(id, z.number().int().min(1).max(16)).default({}),
});

const SolutionSchema = z.strictObject({
  /** Steps in the CLI's notation: `fn`, `fn(arg)`, `a + b` for a parallel group. */
  steps: z.array(z.string().min(1)).min(1),
  /** The total score this solution claims from the level's own seed (checked by the verifier). */
  score: z.number().int().min(0).max(200),
  /**
   * For a level whose scenario draws from the seed: the mean score of these steps over the documented
   * seeds (the level's seed and the next `EXPECTED_SEEDS - 1`, src/engine/world.ts), to one decimal.
   */
  meanScore: z.number().min(0).max(200).optional(),
});

const ParSchema = z.strictObject({
  ticks: z.number().int().min(1),
  units: z.number().int().min(0),
  steps: z.number().int().min(1),
});

export const LevelSchema = z.strictObject({
  $schema: z.string().optional(),
  formatVersion: z.literal(1),
  id,
  title: text(60),
  order: z.number().int().min(1).max(99),
  tier: z.number().int().min(1).max(4),
  /** Key of the scene art the browser draws. */
  scene: id,
  story: z.strictObject({ intro: text(1200), goal: text(300), success: text(400) }),
  concepts: z.array(ConceptSchema).min(1),
  panels: z.array(PanelSchema).min(1),
  pools: z.array(PoolSchema).min(1).max(6),
  initial: z
    .strictObject({
      artifacts: z
        .array(z.strictObject({ id, size: z.number().int().min(0).max(1000).default(1) }))
        .default([]),
      facts: z.array(id).default([]),
    })
    .default({ artifacts: [], facts: [] }),
  functions: z.array(FunctionSchema).min(1).max(24),
  reconstructions: z.array(ReconstructionSchema).default([]),
  goal: z.strictObject({ artifacts: z.array(id).default([]), facts: z.array(id).default([]) }),
  maxParallel: z.number().int().min(1).max(4).default(1),
  arbitration: z.enum(["priority", "shortest-first", "fifo"]).default("priority"),
  maxSteps: z.number().int().min(1).max(200).optional(),
  undoPenalty: z.number().int().min(0).max(25).default(3),
  /**
   * How failures are recovered: `auto`, the flow retries, falls back or skips on its own; `choose`, the flow
   * waits in `deciding` and the next action is the player's decision among the strategies the failed
   * function declares (`retry(fn)`, `fallback(fn)`, `skip(fn)`).
   */
  recovery: z.enum(["auto", "choose"]).default("auto"),
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  scenario: ScenarioSchema.optional(),
  /** The physical optimum under the level's own scenario; checked by the verifier, saves a search at load. */
  par: ParSchema.optional(),
  /**
   * For a level whose scenario draws from the seed: par and the play that sets it for every world its
   * first `WORLD_SEEDS` seeds draw (src/engine/level-check.ts), in the order they first appear. Derived
   * data, checked by the verifier: it saves a search per world when an episode is scored, and it is not
   * part of the level's hash.
   */
  worlds: z
    .array(
      z.strictObject({
        /** The world's key (`worldKey` in src/engine/world.ts): per drawing function, what each attempt drew. */
        world: z.string().min(1).max(4000),
        par: ParSchema,
        /** The seed's optimum: steps in the CLI's notation, scoring full efficiency against `par`. */
        play: z.array(z.string().min(1)).min(1).max(200),
      }),
    )
    .max(256)
    .optional(),
  solutions: z.strictObject({ reference: SolutionSchema, basic: SolutionSchema }),
});

export type Level = z.infer<typeof LevelSchema>;
export type LevelInput = z.input<typeof LevelSchema>;
export type LevelFunction = z.infer<typeof FunctionSchema>;
export type Reconstruction = z.infer<typeof ReconstructionSchema>;

/** Parses and validates level data; throws a `ValidationError` that names the source and every bad field. */
export function parseLevel(data: unknown, source = "level"): Level {
  const proto = findPrototypeKeys(data);
  if (proto.length) throw new ValidationError(source, proto);
  const r = LevelSchema.safeParse(data);
  if (!r.success) throw new ValidationError(source, fromZodIssues(r.error.issues));
  const issues = checkLevelReferences(r.data);
  if (issues.length) throw new ValidationError(source, issues);
  // Only a level whose references hold can be compiled; then its action space must stay playable.
  const size = actionSpaceProblem(r.data);
  if (size) throw new ValidationError(source, [size]);
  return r.data;
}

/** The level format as JSON Schema (draft 2020-12), generated from the validator itself. */
export function levelJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(LevelSchema, { io: "input", unrepresentable: "any" }),
    $id: "https://function-quest.dev/schemas/level.schema.json",
    title: "Function Quest V2 level",
    description:
      "A level file: see docs/levels.md. Cross-references (ids, pools, cycles, reachability) are checked by the loader, not by this schema.",
  };
}

/** Every cross-reference a schema cannot see: ids, pools, producers, cycles, reachability. */
export function checkLevelReferences(level: Level): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });

  const dup = (items: readonly { id: string }[], where: string) => {
    const seen = new Map<string, number>();
    items.forEach((it, i) => {
      const prev = seen.get(it.id);
      if (prev !== undefined) add(`${where}[${i}].id`, `duplicate id "${it.id}" (also ${where}[${prev}])`);
      else seen.set(it.id, i);
    });
  };
  dup(level.pools, "pools");
  dup(level.functions, "functions");

  const pools = new Map(level.pools.map((p) => [p.id, p]));
  const fns = new Map(level.functions.map((f) => [f.id, f]));
  for (const b of ["prewarm", "retry", "fallback", "skip"])
    if (fns.has(b)) add("functions", `"${b}" is a built-in action and cannot be a function id`);

  const producible = new Set<string>(level.initial.artifacts.map((a) => a.id));
  const factSources = new Set<string>(level.initial.facts);
  for (const f of level.functions) {
    for (const a of f.produces.artifacts) producible.add(a.id);
    for (const fact of f.produces.facts) factSources.add(fact);
  }
  for (const r of level.reconstructions) producible.add(r.artifact);

  const checkResources = (res: Record<string, number>, path: string) => {
    for (const [pool, amount] of Object.entries(res)) {
      const p = pools.get(pool);
      if (!p) add(`${path}.${pool}`, `unknown pool "${pool}"`);
      else if (amount > p.capacity)
        add(`${path}.${pool}`, `needs ${amount} slots but pool "${pool}" has ${p.capacity}`);
    }
  };

  level.functions.forEach((f, i) => {
    const at = `functions[${i}]`;
    f.needs.artifacts.forEach((a, j) => {
      if (!producible.has(a))
        add(`${at}.needs.artifacts[${j}]`, `no function, initial artifact or reconstruction produces "${a}"`);
    });
    f.needs.optional.forEach((a, j) => {
      if (!producible.has(a)) add(`${at}.needs.optional[${j}]`, `no function produces "${a}"`);
    });
    f.needs.facts.forEach((a, j) => {
      if (!factSources.has(a)) add(`${at}.needs.facts[${j}]`, `no function or initial fact provides "${a}"`);
    });
    f.permission.forEach((a, j) => {
      if (!factSources.has(a)) add(`${at}.permission[${j}]`, `no function or initial fact grants "${a}"`);
    });
    f.recovery.retryRequires.forEach((a, j) => {
      if (!factSources.has(a))
        add(`${at}.recovery.retryRequires[${j}]`, `no function or initial fact provides "${a}"`);
    });
    checkResources(f.resources, `${at}.resources`);
    if (f.recovery.fallback !== undefined) {
      const fb = fns.get(f.recovery.fallback);
      if (!fb) add(`${at}.recovery.fallback`, `unknown function "${f.recovery.fallback}"`);
      else if (fb.id === f.id) add(`${at}.recovery.fallback`, "a function cannot be its own fallback");
      else {
        const missing = f.produces.artifacts.filter((a) => !fb.produces.artifacts.some((b) => b.id === a.id));
        const missingFacts = f.produces.facts.filter((a) => !fb.produces.facts.includes(a));
        if (missing.length || missingFacts.length)
          add(
            `${at}.recovery.fallback`,
            `fallback "${fb.id}" does not produce ${[...missing.map((m) => m.id), ...missingFacts].join(", ")}`,
          );
      }
    }
    f.params.forEach((p, j) => {
      p.values.forEach((v, k) => {
        if (!producible.has(v)) add(`${at}.params[${j}].values[${k}]`, `no function produces "${v}"`);
      });
      p.accepts.forEach((v, k) => {
        if (!p.values.includes(v)) add(`${at}.params[${j}].accepts[${k}]`, `"${v}" is not one of the values`);
      });
    });
  });
  level.reconstructions.forEach((r, i) => {
    r.from.forEach((a, j) => {
      if (!producible.has(a)) add(`reconstructions[${i}].from[${j}]`, `no function produces "${a}"`);
    });
    checkResources(r.resources, `reconstructions[${i}].resources`);
  });
  level.goal.artifacts.forEach((a, j) => {
    if (!producible.has(a))
      add(`goal.artifacts[${j}]`, `nothing produces "${a}": the goal cannot be reached`);
  });
  level.goal.facts.forEach((a, j) => {
    if (!factSources.has(a)) add(`goal.facts[${j}]`, `nothing provides "${a}": the goal cannot be reached`);
  });
  if (level.goal.artifacts.length + level.goal.facts.length === 0)
    add("goal", "the goal names nothing to reach");
  if (level.scenario) {
    const sc = level.scenario;
    for (const fn of Object.keys(sc.latency))
      if (!fns.has(fn)) add(`scenario.latency.${fn}`, `unknown function "${fn}"`);
    for (const fn of Object.keys(sc.failures))
      if (!fns.has(fn)) add(`scenario.failures.${fn}`, `unknown function "${fn}"`);
    sc.inject.forEach((inj, i) => {
      if (!fns.has(inj.fn)) add(`scenario.inject[${i}].fn`, `unknown function "${inj.fn}"`);
    });
    for (const p of Object.keys(sc.pools))
      if (!pools.has(p)) add(`scenario.pools.${p}`, `unknown pool "${p}"`);
  }
  for (const which of ["reference", "basic"] as const) {
    level.solutions[which].steps.forEach((step, i) => {
      const at = `solutions.${which}.steps[${i}]`;
      const calls = step.split("+").map((c) => c.trim());
      if (calls.length > level.maxParallel)
        add(at, `"${step}" runs ${calls.length} calls at once; maxParallel is ${level.maxParallel}`);
      for (const c of calls) {
        const m = /^([a-z][a-z0-9_.-]*)\s*(?:\(([^()]*)\))?$/.exec(c);
        if (!m) {
          add(at, `cannot read "${c}" as a call: write fn or fn(arg)`);
          continue;
        }
        const name = m[1] as string;
        const args = m[2]?.trim() ? m[2].split(",").map((a) => a.trim()) : [];
        if (name === "prewarm") {
          const p = pools.get(args[0] ?? "");
          if (!p || p.coldStart === 0)
            add(at, `prewarm needs a pool with a cold start, got "${args[0] ?? ""}"`);
          continue;
        }
        if (name === "retry" || name === "fallback" || name === "skip") {
          const f = fns.get(args[0] ?? "");
          if (level.recovery !== "choose")
            add(at, `${name}(…) is a recovery decision: only levels with recovery "choose" take it`);
          else if (!f) add(at, `${name} names unknown function "${args[0] ?? ""}"`);
          else if (!decisionsOf(f).includes(name))
            add(at, `${f.id} declares no ${name === "skip" ? "graceful skip" : name}`);
          continue;
        }
        const f = fns.get(name);
        if (!f) add(at, `unknown function "${name}"`);
        else if (!f.callable) add(at, `"${name}" runs only as a fallback and cannot be called`);
        else if (args.length !== f.params.length)
          add(at, `${name} takes ${f.params.length} argument(s), got ${args.length}`);
        else
          args.forEach((a, k) => {
            if (!f.params[k]?.values.includes(a))
              add(at, `${name}: "${a}" is not a value of ${f.params[k]?.name}`);
          });
      }
    });
  }
  if (issues.length) return issues;

  // A cycle among producers and consumers can never run.
  const cycle = findCycle(level);
  if (cycle) add("functions", `dependency cycle: ${cycle.join(" -> ")} (each must run before the next)`);

  // Static reachability: can the goal be reached at all, ignoring failures?
  const have = new Set<string>([
    ...level.initial.artifacts.map((a) => `artifact:${a.id}`),
    ...level.initial.facts.map((f) => `fact:${f}`),
  ]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const f of level.functions) {
      if (!f.callable && !level.functions.some((g) => g.recovery.fallback === f.id)) continue;
      const needs = [
        ...f.needs.artifacts.map((a) => `artifact:${a}`),
        ...f.needs.facts.map((a) => `fact:${a}`),
        ...f.permission.map((a) => `fact:${a}`),
      ];
      if (!needs.every((k) => have.has(k))) continue;
      for (const k of [
        ...f.produces.artifacts.map((a) => `artifact:${a.id}`),
        ...f.produces.facts.map((a) => `fact:${a}`),
      ]) {
        if (!have.has(k)) {
          have.add(k);
          grew = true;
        }
      }
    }
  }
  const unreached = [
    ...level.goal.artifacts.filter((a) => !have.has(`artifact:${a}`)),
    ...level.goal.facts.filter((a) => !have.has(`fact:${a}`)),
  ];
  if (unreached.length)
    add("goal", `the goal cannot be reached: nothing callable ever provides ${unreached.join(", ")}`);
  return issues;
}

function findCycle(level: Level): string[] | null {
  const producersOf = new Map<string, string[]>();
  for (const f of level.functions) {
    for (const k of [
      ...f.produces.artifacts.map((a) => `artifact:${a.id}`),
      ...f.produces.facts.map((a) => `fact:${a}`),
    ]) {
      producersOf.set(k, [...(producersOf.get(k) ?? []), f.id]);
    }
  }
  const initial = new Set([
    ...level.initial.artifacts.map((a) => `artifact:${a.id}`),
    ...level.initial.facts.map((f) => `fact:${f}`),
  ]);
  const deps = new Map<string, string[]>();
  for (const f of level.functions) {
    const keys = [
      ...f.needs.artifacts.map((a) => `artifact:${a}`),
      ...f.needs.facts.map((a) => `fact:${a}`),
      ...f.permission.map((a) => `fact:${a}`),
    ];
    deps.set(
      f.id,
      keys.filter((k) => !initial.has(k)).flatMap((k) => producersOf.get(k) ?? []),
    );
  }
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (n: string): string[] | null => {
    state.set(n, 1);
    stack.push(n);
    for (const d of deps.get(n) ?? []) {
      const s = state.get(d);
      if (s === 1) return [...stack.slice(stack.indexOf(d)), d].reverse();
      if (s === undefined) {
        const c = visit(d);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(n, 2);
    return null;
  };
  for (const f of level.functions) {
    if (!state.has(f.id)) {
      const c = visit(f.id);
      if (c) return c;
    }
  }
  return null;
}
