import { describe, expect, it } from "vitest";
import {
  actionMask,
  compileLevel,
  computePar,
  createEnv,
  drawUnit,
  type Level,
  levelHash,
  levelProblems,
  parseLevel,
  parseScenario,
  solve,
  worldKey,
  worldPars,
} from "../src/engine/index.ts";
import { LEVELS } from "../src/levels/index.ts";
import { makeLevel } from "./helpers.ts";

/**
 * Seeds that matter and recovery as a decision (engine 2.2), on hand-countable levels.
 *
 * The lab: `mix` (2 ticks) makes a potion the goal needs. Its first attempt fails for good (scripted),
 * and it declares a retry, a fallback (`mix_by_hand`, 3 ticks) and a graceful skip.
 */
const lab = (recovery: "auto" | "choose"): Level =>
  makeLevel({
    recovery,
    pools: [{ id: "bench", label: "Bench", capacity: 2 }],
    functions: [
      {
        id: "mix",
        description: "Mix the potion.",
        produces: { artifacts: [{ id: "potion" }] },
        resources: { bench: 1 },
        duration: 2,
        recovery: { retries: 1, fallback: "mix_by_hand", skippable: true },
      },
      {
        id: "mix_by_hand",
        description: "Mix it slowly by hand.",
        callable: false,
        produces: { artifacts: [{ id: "potion" }] },
        resources: { bench: 1 },
        duration: 3,
      },
      {
        id: "sweep",
        description: "Sweep the floor.",
        produces: { facts: ["swept"] },
        resources: { bench: 1 },
        duration: 1,
      },
    ],
    goal: { artifacts: ["potion"] },
    scenario: { id: "broken-mixer", inject: [{ fn: "mix", attempt: 1, kind: "permanent" }] },
  });

function play(level: Level, actions: string[], seed = 1) {
  const env = createEnv({ level, seed });
  env.reset({ seed });
  const results = actions.map((a) => env.step(a));
  return { env, results, state: env.state() };
}

const legalLabels = (level: Level, actions: string[]): string[] => {
  const { env } = play(level, actions);
  return env.legalActions().map((a) => a.label);
};

describe("recovery as a decision", () => {
  it("an automatic level recovers on its own: permanent, so no retry, straight to the fallback", () => {
    const { state, results } = play(lab("auto"), ["mix"]);
    expect(state.status).toBe("won");
    expect(state.pending).toBeNull();
    expect(results[0]?.info.events.map((e) => e.type)).toContain("FallbackActivated");
    // mix fails at tick 2, mix_by_hand runs 3 ticks: the potion is ready at tick 5.
    expect(state.tick).toBe(5);
  });

  it("a choose level pauses the failed call and masks exactly the declared decisions", () => {
    const level = lab("choose");
    const { state, results } = play(level, ["mix"]);
    expect(state.status).toBe("playing");
    expect(state.pending).toMatchObject({ fn: "mix", failed: "mix", kind: "permanent" });
    expect(state.pending?.options).toEqual(["retry", "fallback", "skip"]);
    expect(legalLabels(level, ["mix"])).toEqual(["retry(mix)", "fallback(mix)", "skip(mix)"]);
    const phases = results[0]?.info.events.flatMap((e) => (e.type === "FlowPhase" ? [e.phase] : []));
    expect(phases?.slice(-3)).toEqual(["using", "recovering", "deciding"]);
    // The call gave its slot back while it waits.
    expect(state.pit.allocations).toEqual([]);
  });

  it("refuses anything but a decision while one is pending, and a decision when none is", () => {
    const level = lab("choose");
    const paused = play(level, ["mix", "sweep"]).results[1];
    expect(paused?.info.rejection?.code).toBe("decision-pending");
    expect(paused?.info.rejection?.message).toMatch(
      /first decide how mix recovers from its permanent failure/,
    );
    const early = play(level, ["retry(mix)"]).results[0];
    expect(early?.info.rejection?.code).toBe("no-decision");
  });

  it("fallback: the hand mix finishes the potion, and par is that play's figures", () => {
    const level = lab("choose");
    const { state } = play(level, ["mix", "fallback(mix)"]);
    expect(state.status).toBe("won");
    expect(state.tick).toBe(5);
    expect(state.m.decisions).toBe(1);
    const par = computePar(compileLevel(level));
    expect(par).toMatchObject({ ticks: 5, steps: 2 });
    expect(state.score?.total).toBe(200);
  });

  it("retrying a permanent failure fails again, costs its time and 5 density points, with the reason", () => {
    const level = lab("choose");
    const { state } = play(level, ["mix", "retry(mix)", "fallback(mix)"]);
    expect(state.status).toBe("won");
    expect(state.m.wastedRetries).toBe(1);
    // 2 ticks for the first attempt, 2 for the hopeless retry, 3 by hand.
    expect(state.tick).toBe(7);
    const items = state.score?.items ?? [];
    expect(items.find((i) => i.code === "hopeless-retry")).toMatchObject({ points: -5 });
    expect(items.find((i) => i.code === "hopeless-retry")?.reason).toMatch(/permanent failure/);
    expect(state.score?.total).toBeLessThan(200);
  });

  it("skipping a function the goal needs loses its result: the goal is out of reach", () => {
    const level = lab("choose");
    const { state } = play(level, ["mix", "skip(mix)"]);
    expect(state.m.skips).toBe(1);
    expect(state.pit.artifacts.potion).toBeUndefined();
    expect(state.status).not.toBe("won");
  });

  it("two calls of one group that both fail are decided one after the other", () => {
    const base = lab("choose");
    const level = makeLevel({
      ...base,
      maxParallel: 2,
      goal: { artifacts: ["potion"], facts: ["swept"] },
      scenario: {
        id: "two-down",
        inject: [
          { fn: "mix", attempt: 1, kind: "permanent" },
          { fn: "sweep", attempt: 1, kind: "transient" },
        ],
      },
      functions: base.functions.map((f) =>
        f.id === "sweep" ? { ...f, recovery: { retries: 1, retryRequires: [], skippable: false } } : f,
      ),
    });
    const { env, state, results } = play(level, ["mix + sweep"]);
    expect(results[0]?.info.rejection).toBeNull();
    expect(state.pending?.failed).toBe("mix");
    expect(state.pending?.next?.failed).toBe("sweep");
    env.step("fallback(mix)");
    expect(env.state().pending?.failed).toBe("sweep");
    expect(env.legalActions().map((a) => a.label)).toEqual(["retry(sweep)"]);
    env.step("retry(sweep)");
    expect(env.state().status).toBe("won");
    expect(env.state().facts).toContain("swept");
  });

  it("the solver chooses: it never retries the permanent failure", () => {
    const sol = solve(compileLevel(lab("choose")));
    expect(sol.actions).toEqual(["mix", "fallback(mix)"]);
    expect(sol.score?.total).toBe(200);
  });

  it("the observation shows the pending decision, and the mask matches legality at every step", () => {
    const level = lab("choose");
    const env = createEnv({ level });
    env.reset();
    const r = env.step("mix");
    const names = env.observationSpace.names;
    const at = (n: string) => r.observation.vector[names.indexOf(n)];
    expect(at("decision.pending")).toBe(1);
    expect(at("decision.permanent")).toBe(1);
    expect(r.observation.json.decision).toEqual({
      fn: "mix",
      kind: "permanent",
      options: ["retry(mix)", "fallback(mix)", "skip(mix)"],
    });
    const mask = actionMask(env.ctx, env.state());
    env.actionSpace.actions.forEach((a, i) => {
      const legal = createEnv({ level }).actionSpace.n > 0 && mask[i] === 1;
      expect(legal, a.label).toBe(["retry(mix)", "fallback(mix)", "skip(mix)"].includes(a.label));
    });
  });

  it("at least four tier-4 levels let the player choose", () => {
    expect(LEVELS.filter((l) => l.tier === 4 && l.recovery === "choose").length).toBeGreaterThanOrEqual(4);
  });
});

describe("seeds that matter", () => {
  it("a draw depends only on (seed, function, attempt, which draw)", () => {
    expect(drawUnit(7, "mix", 1, 1)).toBe(drawUnit(7, "mix", 1, 1));
    expect(drawUnit(7, "mix", 1, 1)).not.toBe(drawUnit(8, "mix", 1, 1));
    expect(drawUnit(7, "mix", 1, 1)).not.toBe(drawUnit(7, "mix", 2, 1));
    expect(drawUnit(7, "mix", 1, 1)).not.toBe(drawUnit(7, "sweep", 1, 1));
    for (let s = 0; s < 200; s++) {
      const u = drawUnit(s, "mix", 1, 2);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
    }
  });

  it("the order of the calls does not change what a function draws", () => {
    const level = makeLevel({
      pools: [{ id: "bench", label: "Bench", capacity: 1 }],
      functions: [
        { id: "a", description: "A.", produces: { facts: ["a_done"] }, resources: { bench: 1 }, duration: 1 },
        { id: "b", description: "B.", produces: { facts: ["b_done"] }, resources: { bench: 1 }, duration: 1 },
      ],
      goal: { facts: ["a_done", "b_done"] },
      scenario: { id: "jittery", latency: { a: { jitter: 5 }, b: { jitter: 5 } } },
    });
    for (let seed = 1; seed <= 20; seed++) {
      const ab = play(level, ["a", "b"], seed).state;
      const ba = play(level, ["b", "a"], seed).state;
      // Each call's own duration: 1 + its draw, whichever ran first.
      const dur = (st: typeof ab, fn: string) => {
        const c = st.calls.find((x) => x.fn === fn);
        return (c?.endTick ?? 0) - (c?.startTick ?? 0);
      };
      expect(dur(ab, "a")).toBe(dur(ba, "a"));
      expect(dur(ab, "b")).toBe(dur(ba, "b"));
      expect(ab.tick).toBe(ba.tick);
    }
  });

  it("different seeds give different episodes on every tier-3 and tier-4 level, and one world per key", () => {
    for (const level of LEVELS.filter((l) => l.tier >= 3)) {
      const ctx = compileLevel(level);
      const worlds = new Set(Array.from({ length: 20 }, (_, i) => worldKey(ctx, level.seed + i)));
      expect(worlds.size, level.id).toBeGreaterThanOrEqual(2);
    }
    for (const level of LEVELS.filter((l) => l.tier <= 2))
      expect(worldKey(compileLevel(level), 1), level.id).toBe("");
  });

  it("par is per seed: a seed that draws a slower world has a slower par, and its best play meets it", () => {
    const level = LEVELS.find((l) => l.id === "the-observatory") as Level;
    const ctx = compileLevel(level);
    const bySeed = new Map<string, number>();
    for (let seed = 1; seed <= 20; seed++) {
      const w = worldKey(ctx, seed);
      if (bySeed.has(w)) continue;
      bySeed.set(w, seed);
    }
    const pars = [...bySeed.values()].map((seed) => ({ seed, par: computePar(ctx, { seed }) }));
    expect(new Set(pars.map((p) => p.par.ticks)).size).toBeGreaterThan(1);
    for (const { seed, par } of pars) {
      const sol = solve(ctx, { seed });
      expect(sol.ticks).toBe(par.ticks);
      const eff = sol.score?.items.filter((i) => i.code === "speed" || i.code === "resources");
      expect(eff?.map((i) => i.points)).toEqual([25, 15]);
    }
  });

  it("a seeded level states each world's par and play: seeds are scored without a search, a wrong one is refused", () => {
    const level = LEVELS.find((l) => l.id === "the-grand-station") as Level;
    expect(worldPars(compileLevel(level))).toEqual({ worlds: level.worlds, problems: [] });
    const text = JSON.stringify(level);
    const ctx = compileLevel(parseLevel(JSON.parse(text), "station"));
    for (let seed = 1; seed <= 20; seed++) {
      const sol = solve(ctx, { seed });
      // The stated play of the seed's world, replayed: no state expanded.
      expect(sol.expanded, `seed ${seed}`).toBe(0);
      expect(sol.actions).toEqual(level.worlds?.find((w) => w.world === worldKey(ctx, seed))?.play);
      expect(sol.score?.total).toBe(200);
    }
    const wrong = JSON.parse(text);
    wrong.worlds[1].par.ticks += 1;
    expect(levelProblems(parseLevel(wrong, "station")).join("\n")).toMatch(
      /worlds\[1\] states .*"ticks":9.*the search gives .*"ticks":8/,
    );
    const { worlds: _, ...none } = JSON.parse(text);
    expect(levelProblems(parseLevel(none, "station")).join("\n")).toMatch(/states no worlds: its 2 world/);
    // Derived data: the level's hash (and so its recorded episodes) does not change with it.
    expect(levelHash(parseLevel(wrong, "station"))).toBe(levelHash(level));
  });

  it("a world's par does not depend on what was computed before it", () => {
    const raw = JSON.stringify(LEVELS.find((l) => l.id === "the-flood-defences"));
    const fresh = () => compileLevel(parseLevel(JSON.parse(raw), "flood"));
    const seeds = Array.from({ length: 12 }, (_, i) => i + 1);
    const a = fresh();
    const up = seeds.map((seed) => computePar(a, { seed }));
    const b = fresh();
    const down = [...seeds].reverse().map((seed) => computePar(b, { seed }));
    expect(down.reverse()).toEqual(up);
  });

  it("a scenario with randomness everywhere falls back to its nominal par instead of a search per seed", () => {
    const level = LEVELS.find((l) => l.id === "prepare-the-banquet") as Level;
    const scenario = parseScenario({
      id: "chaos",
      jitter: 3,
      failures: Object.fromEntries(
        level.functions.map((f) => [f.id, { probability: 0.3, kind: "transient" }]),
      ),
    });
    const env = createEnv({ level, scenario, seed: 5 });
    env.reset({ seed: 5 });
    expect(env.ctx.par).toEqual(level.par);
  });
});
