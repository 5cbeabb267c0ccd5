import { describe, expect, it } from "vitest";
import { actionIndexOf, createEnv, type Level, parseLevel, ValidationError } from "../src/engine/index.ts";
import { LEVELS } from "../src/levels/index.ts";
import { rawLevel } from "./helpers.ts";

/**
 * Every id in a level is user data. An id that names a member of Object.prototype (`constructor` is the one a
 * level id may spell) must behave like any other id: no lookup may reach the prototype.
 */
function renamed(level: Level, from: string, to: string): Level {
  const text = JSON.stringify(rawLevel(level.id)).replace(new RegExp(`\\b${from}\\b`, "g"), to);
  return parseLevel(JSON.parse(text), `${level.id} (${from} -> ${to})`);
}

/** Every id a level declares: artifacts, facts, functions and pools. */
function ids(level: Level): string[] {
  const out = new Set<string>();
  for (const f of level.functions) {
    out.add(f.id);
    for (const a of f.produces.artifacts) out.add(a.id);
    for (const x of f.produces.facts) out.add(x);
  }
  for (const p of level.pools) out.add(p.id);
  for (const a of level.initial.artifacts) out.add(a.id);
  return [...out];
}

describe("ids that name Object.prototype members are plain data", () => {
  it("every level plays its reference solution to the same score with any one id renamed constructor", () => {
    let cases = 0;
    let refused = 0;
    for (const level of LEVELS) {
      for (const id of ids(level)) {
        let lv: Level;
        try {
          lv = renamed(level, id, "constructor");
        } catch (e) {
          // Where the id is a key of the file's own objects (a pool in `resources`), validation refuses the
          // file, naming the key: refused clearly, never misread.
          expect(e).toBeInstanceOf(ValidationError);
          expect((e as ValidationError).issues.some((i) => i.message === 'forbidden key "constructor"')).toBe(
            true,
          );
          refused++;
          continue;
        }
        const env = createEnv({ level: lv });
        env.reset();
        let last = null;
        for (const label of level.solutions.reference.steps) {
          const text = label.replace(new RegExp(`\\b${id}\\b`, "g"), "constructor");
          const index = actionIndexOf(env.ctx, text);
          expect(index, `${level.id}: ${text}`).not.toBeNull();
          last = env.step(index as number);
          expect(last.info.rejection, `${level.id} with ${id} renamed: ${text}`).toBeNull();
        }
        expect(last?.info.score.total, `${level.id} with ${id} renamed`).toBe(
          level.solutions.reference.score,
        );
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(150);
    expect(refused).toBeGreaterThan(0);
  });

  it("an artifact named constructor is absent until made: the mask and the check agree, and nothing throws", () => {
    const level = renamed(LEVELS[0] as Level, "rusty_key", "constructor");
    const env = createEnv({ level });
    env.reset();
    const unlock = actionIndexOf(env.ctx, "unlock_door(constructor)") as number;
    expect(env.actionMask()[unlock]).toBe(0);
    const r = env.step("unlock_door(constructor)");
    expect(r.info.rejection?.code).toBe("bad-argument");
    expect(r.info.rejection?.message).toContain('"constructor" is not in the artifact store');
    expect(Object.keys(env.state().pit.artifacts)).not.toContain("constructor");
    expect(env.state().attempts.constructor).toBeUndefined();
  });
});
