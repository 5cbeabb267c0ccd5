import { describe, expect, it } from "vitest";
import {
  compileLevel,
  computeScore,
  createEnv,
  DIMENSION_MAX,
  type Dimension,
  DUTY_EVENTS,
  type EngineEvent,
  ensurePar,
  initialState,
  type Level,
  step,
  undo,
} from "../src/engine/index.ts";
import { getLevel } from "../src/levels/index.ts";
import { makeLevel } from "./helpers.ts";

/** Runs actions on a fresh env; returns every step's result. */
function run(level: Level, actions: string[], seed = 1) {
  const env = createEnv({ level, seed });
  env.reset();
  const steps = actions.map((a) => env.step(a));
  return { env, steps, events: steps.flatMap((s) => s.info.events), state: env.state() };
}

const types = (events: readonly EngineEvent[]) => events.map((e) => e.type);

// The seed's efficiency example: Sequence A is direct, Sequence B adds an unnecessary step.
const promptLevel = makeLevel({
  pools: [{ id: "models", label: "Model slots", capacity: 1 }],
  functions: [
    {
      id: "enhance_prompt",
      description: "Improve the prompt.",
      produces: { artifacts: [{ id: "enhanced_prompt.txt" }] },
      resources: { models: 1 },
      duration: 2,
    },
    {
      id: "unnecessary_step",
      description: "Does nothing useful.",
      produces: { artifacts: [{ id: "notes.txt" }] },
      resources: { models: 1 },
      duration: 2,
    },
    {
      id: "generate_code",
      description: "Write the code.",
      needs: { artifacts: ["enhanced_prompt.txt"] },
      produces: { artifacts: [{ id: "source_files/" }] },
      resources: { models: 1 },
      duration: 3,
    },
  ],
  goal: { artifacts: ["source_files/"] },
});

describe("scoring (seed 000)", () => {
  it("scores Sequence A (direct) above Sequence B (with an unnecessary step), and says why", () => {
    const a = run(promptLevel, ["enhance_prompt", "generate_code"]).state.score;
    const b = run(promptLevel, ["enhance_prompt", "unnecessary_step", "generate_code"]).state.score;
    expect(a?.total).toBe(200);
    expect(b?.total).toBeLessThan(a?.total ?? 0);
    const codes = b?.items.map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(["wasted", "stale"]));
    expect(b?.items.find((i) => i.code === "speed")?.points).toBeLessThan(25);
  });

  it("keeps every dimension in range, and the items add up to each dimension and the total", () => {
    for (const actions of [
      ["enhance_prompt", "generate_code"],
      ["generate_code", "unnecessary_step", "unnecessary_step", "enhance_prompt", "generate_code"],
    ]) {
      const sc = run(promptLevel, actions).state.score;
      if (!sc) throw new Error("episode did not end");
      for (const [dim, max] of Object.entries(DIMENSION_MAX) as [Dimension, number][]) {
        expect(sc[dim]).toBeGreaterThanOrEqual(0);
        expect(sc[dim]).toBeLessThanOrEqual(max);
        expect(sc.items.filter((i) => i.dimension === dim).reduce((n, i) => n + i.points, 0)).toBe(sc[dim]);
      }
      expect(sc.total).toBe(sc.base + sc.efficiency + sc.stability + sc.optimization);
    }
  });

  it("charges a rejected call and a redundant call as wasted orchestration", () => {
    const clean = run(promptLevel, ["enhance_prompt", "generate_code"]).state.score?.total ?? 0;
    const rejected = run(promptLevel, ["generate_code", "enhance_prompt", "generate_code"]);
    expect(rejected.steps[0]?.info.rejection).toMatchObject({ code: "missing-input", fn: "generate_code" });
    expect(rejected.state.score?.items).toContainEqual(
      expect.objectContaining({ code: "rejected", points: -10 }),
    );
    const redundant = run(promptLevel, ["enhance_prompt", "enhance_prompt", "generate_code"]);
    expect(types(redundant.events)).toContain("RedundantCall");
    expect(redundant.state.score?.items).toContainEqual(
      expect.objectContaining({ code: "redundant", points: -5 }),
    );
    expect(rejected.state.score?.total).toBeLessThan(clean);
    expect(redundant.state.score?.total).toBeLessThan(clean);
  });

  it("maps totals to the seed's tiers", () => {
    const tier = (steps: string[]) => run(promptLevel, steps).state.score?.tier;
    expect(tier(["enhance_prompt", "generate_code"])).toBe("Grand Maestro");
    expect(
      tier([
        "generate_code",
        "generate_code",
        "unnecessary_step",
        "enhance_prompt",
        "unnecessary_step",
        "generate_code",
      ]),
    ).toBe("Apprentice");
  });

  it("charges an undo as the level defines", () => {
    const ctx = compileLevel(promptLevel);
    ensurePar(ctx);
    const s0 = initialState(ctx, 1);
    const s1 = step(ctx, s0, "unnecessary_step").state;
    const back = undo(s0, s1);
    expect(back.m.undos).toBe(1);
    expect(back.history).toEqual([]);
    const s2 = step(ctx, step(ctx, back, "enhance_prompt").state, "generate_code").state;
    expect(s2.score?.items).toContainEqual(expect.objectContaining({ code: "undo", points: -3 }));
  });
});

describe("rejections are typed, never thrown", () => {
  const level = getLevel("escape-the-room") as Level;
  it.each([
    [42, "unknown-action"],
    ["fly_away", "unknown-action"],
    ["open_door", "missing-fact"],
    ["unlock_door(rusty_key)", "bad-argument"],
    ["pick_lock", "missing-input"],
  ] as const)("%s -> %s", (action, code) => {
    const r = run(level, [action as string]);
    expect(r.steps[0]?.info.rejection?.code).toBe(code);
    expect(r.steps[0]?.info.rejection?.message.length).toBeGreaterThan(10);
    expect(types(r.events)).toContain("CallRejected");
    expect(r.events.find((e) => e.type === "FlowPhase" && e.phase === "rejected")).toBeDefined();
  });

  it("refuses odd action objects and steps after the end without throwing", () => {
    const env = createEnv({ level });
    env.reset();
    expect(env.step({ calls: [] }).info.rejection?.code).toBe("unknown-action");
    expect(env.step({ calls: [{ fn: "unlock_door", args: ["a", "b"] }] }).info.rejection?.code).toBe(
      "bad-argument",
    );
    expect(env.step(-1).info.rejection?.code).toBe("unknown-action");
    for (const a of level.solutions.reference.steps) env.step(a);
    const after = env.step("find_key");
    expect(after.info.rejection?.code).toBe("episode-over");
    expect(after.terminated).toBe(true);
  });

  it("masks exactly the actions that would be rejected", () => {
    const lvl = getLevel("launch-the-spaceship") as Level;
    const env = createEnv({ level: lvl });
    env.reset();
    for (const next of lvl.solutions.reference.steps) {
      const mask = env.actionMask();
      const saved = env.state();
      env.actionSpace.actions.forEach((a, i) => {
        env.setState(saved);
        expect(env.step(i).info.rejection === null, a.label).toBe(mask[i] === 1);
      });
      env.setState(saved);
      env.step(next);
    }
  });
});

describe("failure recovery (the four strategies)", () => {
  const base = {
    pools: [{ id: "lab", label: "Lab", capacity: 2 }],
    goal: { facts: ["done"] },
  };
  it("retries a transient failure when it is safe, and leaves it unhandled when it is not", () => {
    const fns = (retryRequires: string[]) => [
      { id: "contain", description: "Prepare containment.", produces: { facts: ["contained"] }, duration: 1 },
      {
        id: "experiment",
        description: "Risky experiment.",
        produces: { facts: ["done"] },
        resources: { lab: 1 },
        duration: 2,
        recovery: { retries: 1, retryRequires },
      },
    ];
    const scenario = { id: "s", inject: [{ fn: "experiment", attempt: 1, kind: "transient" as const }] };
    const safe = run(makeLevel({ ...base, functions: fns(["contained"]), scenario }), [
      "contain",
      "experiment",
    ]);
    expect(types(safe.events)).toEqual(
      expect.arrayContaining(["CallFailed", "RetryAttempted", "GoalReached"]),
    );
    expect(safe.state.m.unhandled).toBe(0);
    const reckless = run(makeLevel({ ...base, functions: fns(["contained"]), scenario }), ["experiment"]);
    expect(reckless.events.find((e) => e.type === "CallFailed")).toMatchObject({
      handled: false,
      kind: "transient",
    });
    expect(reckless.state.status).toBe("playing");
    reckless.env.step("contain");
    const earned = computeScore(reckless.env.ctx, reckless.env.state(), "earned");
    expect(earned.items).toContainEqual(expect.objectContaining({ code: "unhandled", points: -15 }));
    expect(earned.stability).toBe(15);
  });

  it("falls back after a permanent failure, and the broken function stays broken", () => {
    const level = makeLevel({
      ...base,
      functions: [
        {
          id: "auto_fix",
          description: "Automatic.",
          produces: { facts: ["done"] },
          resources: { lab: 1 },
          duration: 1,
          recovery: { fallback: "manual_fix" },
        },
        {
          id: "manual_fix",
          description: "Manual.",
          callable: false,
          produces: { facts: ["done"] },
          resources: { lab: 1 },
          duration: 3,
        },
      ],
      scenario: { id: "s", inject: [{ fn: "auto_fix", attempt: 1, kind: "permanent" }] },
    });
    const r = run(level, ["auto_fix"]);
    expect(r.events.find((e) => e.type === "FallbackActivated")).toEqual({
      type: "FallbackActivated",
      fn: "auto_fix",
      fallback: "manual_fix",
    });
    expect(r.state.status).toBe("won");
    expect(r.state.broken).toEqual(["auto_fix"]);
    const phases = r.events.filter((e) => e.type === "FlowPhase").map((e) => (e as { phase: string }).phase);
    expect(phases).toEqual([
      "requesting",
      "registering",
      "activating",
      "using",
      "recovering",
      "fallingBack",
      "using",
      "returning",
      "updating",
      "done",
    ]);
  });

  it("skips an optional step gracefully and carries on without it", () => {
    const level = makeLevel({
      ...base,
      functions: [
        {
          id: "forecast",
          description: "Optional.",
          produces: { artifacts: [{ id: "weather" }] },
          duration: 1,
          recovery: { skippable: true },
        },
        {
          id: "launch",
          description: "Go.",
          needs: { optional: ["weather"] },
          produces: { facts: ["done"] },
          duration: 1,
        },
      ],
      scenario: { id: "s", inject: [{ fn: "forecast", attempt: 1, kind: "permanent" }] },
    });
    expect(run(level, ["launch"]).steps[0]?.info.rejection?.code).toBe("missing-input");
    const r = run(level, ["forecast", "launch"]);
    expect(types(r.events)).toContain("GracefullySkipped");
    expect(r.state.status).toBe("won");
    expect(r.state.score?.items).toContainEqual(expect.objectContaining({ code: "skipped", points: -5 }));
  });

  it("rebuilds a reclaimed upstream artifact from its downstream one (reverse reconstruction)", () => {
    const level = makeLevel({
      ...base,
      functions: [
        {
          id: "draft",
          description: "Draft.",
          produces: { artifacts: [{ id: "draft.txt", ttl: 2 }] },
          duration: 1,
        },
        {
          id: "outline",
          description: "Outline.",
          needs: { artifacts: ["draft.txt"] },
          produces: { artifacts: [{ id: "outline.csv" }] },
          duration: 1,
        },
        { id: "dawdle", description: "Waste time.", duration: 3 },
        {
          id: "publish",
          description: "Publish.",
          needs: { artifacts: ["draft.txt", "outline.csv"] },
          produces: { facts: ["done"] },
          duration: 1,
        },
      ],
      reconstructions: [{ artifact: "draft.txt", from: ["outline.csv"], duration: 2 }],
    });
    const r = run(level, ["draft", "outline", "dawdle", "publish"]);
    expect(r.events.find((e) => e.type === "StaleReclaimed")).toMatchObject({
      kind: "artifact",
      id: "draft.txt",
    });
    expect(r.events.find((e) => e.type === "ReverseReconstructed")).toMatchObject({
      artifact: "draft.txt",
      from: ["outline.csv"],
    });
    expect(r.state.status).toBe("won");
  });

  it("sends corrupt output back through the quality gate and retries it", () => {
    const level = makeLevel({
      ...base,
      functions: [
        {
          id: "render",
          description: "Render.",
          produces: { artifacts: [{ id: "frame" }] },
          duration: 1,
          recovery: { retries: 2 },
        },
      ],
      goal: { artifacts: ["frame"] },
      scenario: { id: "s", inject: [{ fn: "render", attempt: 1, kind: "corrupt" }] },
    });
    const r = run(level, ["render"]);
    expect(types(r.events)).toEqual(
      expect.arrayContaining(["ArtifactRejected", "RetryAttempted", "ArtifactStored"]),
    );
    expect(r.state.pit.artifacts.frame?.quality).toBe("good");
  });
});

describe("the Pit at work", () => {
  it("arbitrates a parallel group that wants more slots than a pool has", () => {
    const level = makeLevel({
      pools: [{ id: "oven", label: "Oven", capacity: 1 }],
      maxParallel: 2,
      functions: [
        {
          id: "bake_pie",
          description: "Pie.",
          produces: { facts: ["pie"] },
          resources: { oven: 1 },
          duration: 2,
          priority: 1,
        },
        {
          id: "bake_cake",
          description: "Cake.",
          produces: { facts: ["cake"] },
          resources: { oven: 1 },
          duration: 3,
          priority: 5,
        },
      ],
      goal: { facts: ["pie", "cake"] },
    });
    const r = run(level, ["bake_pie + bake_cake"]);
    expect(r.events.find((e) => e.type === "ConflictArbitrated")).toEqual({
      type: "ConflictArbitrated",
      resource: "pool:oven",
      winner: "bake_cake",
      loser: "bake_pie",
      policy: "priority",
    });
    expect(r.state.tick).toBe(5);
  });

  it("runs independent calls in parallel and refuses dependent ones as a group", () => {
    const level = getLevel("launch-the-spaceship") as Level;
    const r = run(level, ["inspect_hull + check_weather", "inspect_hull + calibrate_systems"]);
    expect(r.steps[0]?.info.rejection).toBeNull();
    expect(r.steps[0]?.info.tick).toBe(2);
    expect(r.steps[1]?.info.rejection?.code).toBe("not-independent");
    const env = createEnv({ level });
    expect(
      env.step({
        calls: [
          { fn: "inspect_hull", args: [] },
          { fn: "calibrate_systems", args: [] },
        ],
      }).info.rejection?.code,
    ).toBe("not-independent");
  });

  it("warns when heavy calls run back to back, and not when the stove can cool", () => {
    const level = getLevel("prepare-the-banquet") as Level;
    const hot = run(level, ["chop_vegetables", "cook_food", "bake_bread"]);
    expect(hot.events.find((e) => e.type === "StabilityWarning")).toMatchObject({
      kind: "overheat",
      pool: "stove",
    });
    const cool = run(level, ["chop_vegetables", "cook_food", "set_table", "bake_bread"]);
    expect(types(cool.events)).not.toContain("StabilityWarning");
    expect(cool.state.tick).toBeLessThan(hot.state.tick + 1);
  });

  it("reclaims an unused prewarmed slot as stale, at a cost in stability", () => {
    const level = getLevel("launch-the-spaceship") as Level;
    const r = run(level, [
      "prewarm(launch_pad)",
      "inspect_hull",
      "polish_nose_cone",
      "fuel_engines",
      "check_weather",
    ]);
    expect(r.events.find((e) => e.type === "StaleReclaimed")).toMatchObject({
      kind: "prewarmed-slot",
      pool: "launch_pad",
    });
    expect(r.state.m.reclaims).toBe(1);
  });

  it("a prewarmed slot removes the cold start of the next activation", () => {
    const level = getLevel("launch-the-spaceship") as Level;
    const cold = run(level, ["inspect_hull", "calibrate_systems"]);
    const warm = run(level, ["inspect_hull + prewarm(launch_pad)", "calibrate_systems"]);
    const alloc = (events: readonly EngineEvent[]) =>
      events.find((e) => e.type === "ResourceAllocated" && e.pool === "launch_pad");
    expect(alloc(cold.events)).toMatchObject({ warm: false, coldTicks: 2 });
    expect(alloc(warm.events)).toMatchObject({ warm: true, coldTicks: 0 });
    expect(warm.state.tick).toBeLessThan(cold.state.tick);
  });

  it("reports each of the twelve automatic duties of seed 000 as its own event", () => {
    const level = getLevel("launch-the-spaceship") as Level;
    const r = run(level, level.solutions.reference.steps);
    const seen = new Set(types(r.events));
    for (const [duty, type] of Object.entries(DUTY_EVENTS)) expect(seen.has(type), duty).toBe(true);
    expect(Object.keys(DUTY_EVENTS)).toHaveLength(12);
  });

  it("passes a wrong argument through the flow as a failed call", () => {
    const level = getLevel("escape-the-room") as Level;
    const r = run(level, ["search_drawer", "unlock_door(hairpin)"]);
    expect(r.events.find((e) => e.type === "CallFailed")).toMatchObject({ kind: "argument", handled: false });
    expect(r.state.facts).not.toContain("door_unlocked");
  });

  it("truncates at the step limit", () => {
    const level = getLevel("escape-the-room") as Level;
    const env = createEnv({ level, maxSteps: 3 });
    env.reset();
    const last = ["search_bookshelf", "search_drawer", "search_bookshelf"].map((a) => env.step(a)).at(-1);
    expect(last).toMatchObject({ truncated: true, terminated: false });
    expect(last?.info.score.final).toBe(true);
  });
});
