import { describe, expect, it } from "vitest";
import { eventBetween, traceCalls } from "../src/ui/flow-inspector.ts";
import { createEnv, FLOW_STATES, FLOW_TABLE } from "../src/engine/index.ts";
import { LEVELS } from "../src/levels/index.ts";

describe("Pit inspector: engine runs replayed through the XState actor", () => {
  it("has exactly one event for every pair of phases the table connects", () => {
    for (const from of FLOW_STATES) {
      const targets = Object.values(FLOW_TABLE[from]).map((e) => e?.target);
      expect(new Set(targets).size, from).toBe(targets.length);
      for (const to of targets) expect(eventBetween(from, to as (typeof FLOW_STATES)[number])).not.toBeNull();
    }
    expect(eventBetween("done", "requesting")).toBeNull();
  });

  it.each(LEVELS.map((l) => [l.id, l] as const))(
    "%s: every call of both solutions ends where the engine says",
    (_id, level) => {
      let calls = 0;
      for (const steps of [level.solutions.reference.steps, level.solutions.basic.steps]) {
        const env = createEnv({ level });
        env.reset();
        for (const a of steps) {
          for (const t of traceCalls(env.step(a).info.events)) {
            calls++;
            expect(t.actorState, `${t.fn}: ${t.phases.join(" > ")}`).toBe(t.phases.at(-1));
            expect(["done", "rejected", "deciding"]).toContain(t.actorState);
          }
        }
      }
      expect(calls).toBeGreaterThan(level.solutions.reference.steps.length);
    },
  );
});
