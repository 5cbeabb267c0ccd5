/**
 * The screen tells what the engine says: every level's reference solution is played through the real
 * play screen, and after every step each panel's figures are read off the page and compared with the
 * engine's own functions, called here directly on the engine's state (not through the view model).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { mountPlay } from "../../src/app/screens/play.ts";
import { createGameStore } from "../../src/app/store.ts";
import {
  compileLevel,
  computeScore,
  ensurePar,
  type GameState,
  goalMet,
  type Level,
  observe,
  opportunitiesTaken,
} from "../../src/engine/index.ts";
import { LEVELS } from "../../src/levels/index.ts";

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

function mount(level: Level) {
  const store = createGameStore({ speed: "instant", sound: false });
  const root = document.createElement("div");
  document.body.append(root);
  const unmount = mountPlay(
    root,
    { store, navigate: () => {}, signal: new AbortController().signal, notify: () => {} },
    { level, skipIntro: true, nextId: null, onFinished: () => ({ best: false, problem: null }) },
  );
  cleanup = () => {
    unmount();
    root.remove();
  };
  return { root, store };
}

const panel = (root: HTMLElement, id: string) =>
  root.querySelector(`[data-panel="${id}"]`) as HTMLElement | null;
const meterValue = (p: HTMLElement, label: string) =>
  (p.querySelector(`meter[aria-label="${label}"]`) as HTMLMeterElement | null)?.value;
/** Failures, recoveries and reclaims: the events the failures panel lists, one line each. */
const LOGGED = new Set([
  "CallFailed",
  "RetryAttempted",
  "FallbackActivated",
  "ReverseReconstructed",
  "GracefullySkipped",
  "ArtifactRejected",
  "StaleReclaimed",
  "DecisionAwaited",
  "RecoveryChosen",
]);

describe("every panel's figures equal the engine's, on every level's reference solution", () => {
  for (const level of LEVELS)
    it(level.id, async () => {
      const ctx = compileLevel(level);
      const par = ensurePar(ctx);
      const { root, store } = mount(level);
      let logged = 0;
      const check = (where: string) => {
        const s = store.getState().play.state as GameState;
        const score = s.score ?? computeScore(ctx, s, "earned");
        const o = observe(ctx, s);
        const progress = panel(root, "progress") as HTMLElement;
        expect(meterValue(progress, "Goal"), where).toBe(goalMet(ctx, s));
        expect(progress.textContent, where).toContain(
          `tick ${s.tick} (par ${par.ticks} ticks, ${par.steps} calls)`,
        );
        const resources = panel(root, "resources");
        if (resources) {
          expect(meterValue(resources, "Time (ticks)"), where).toBe(s.tick);
          expect(meterValue(resources, "Resource units"), where).toBe(s.m.units);
          expect(resources.textContent, where).toContain(
            `Optimal run: ${par.ticks} ticks, ${par.units} units, ${par.steps} calls.`,
          );
        }
        const pools = panel(root, "pools");
        if (pools)
          [...pools.querySelectorAll(".pool")].forEach((el, i) => {
            const p = o.pools[i] as (typeof o.pools)[number];
            expect(el.querySelectorAll(".slot.warm").length, `${where} ${p.id} warm`).toBe(p.warm);
            expect(el.querySelectorAll(".slot.prewarmed").length, `${where} ${p.id} prewarmed`).toBe(
              p.prewarmed,
            );
            const heat = meterValue(el as HTMLElement, "Heat");
            const heats = level.functions.some((f) => f.heat > 0 && (f.resources[p.id] ?? 0) > 0);
            expect(heat !== undefined, `${where} ${p.id} shows heat`).toBe(heats);
            if (heat !== undefined)
              expect(
                Math.abs(heat - p.heat),
                `${where} ${p.id} heat ${heat} vs ${p.heat}`,
              ).toBeLessThanOrEqual(0.05);
          });
        const opt = panel(root, "optimization-hints");
        if (opt) {
          const taken = opportunitiesTaken(ctx, s).filter((x) => x.taken).length;
          expect(opt.querySelectorAll("li.done").length, where).toBe(taken);
          // Once the episode is over, what the hints tick off is exactly what the score paid for.
          if (s.status === "won")
            expect(taken, where).toBe(
              score.items.filter((i) => ctx.opportunities.includes(i.code as never)).length,
            );
        }
        const stability = panel(root, "stability");
        if (stability) {
          expect(meterValue(stability, "Stability"), where).toBe(score.stability);
          expect(stability.textContent, where).toContain(
            `${s.m.warnings} warning(s) · ${s.m.unhandled} unhandled failure(s) · ${s.m.reclaims} stale reclaim(s)`,
          );
        }
        const dag = panel(root, "dag");
        if (dag)
          expect(dag.querySelectorAll('rect[data-status="done"]').length, where).toBe(
            Object.values(s.pit.dag).filter((x) => x === "done").length,
          );
        const artifacts = panel(root, "artifacts");
        if (artifacts)
          expect(Math.max(0, artifacts.querySelectorAll("tr").length - 1), where).toBe(
            Object.keys(s.pit.artifacts).length,
          );
        const failures = panel(root, "failures");
        if (failures) expect(failures.querySelectorAll("li").length, where).toBe(logged);
      };
      check("at the start");
      for (const a of level.solutions.reference.steps) {
        store.getState().act(a);
        logged += store.getState().play.lastEvents.filter((e) => LOGGED.has(e.type)).length;
        check(`after ${a}`);
      }
      expect(store.getState().play.state?.status).toBe("won");
      // The results show the engine's final score (their module loads once the level is playable).
      await vi.waitFor(() => expect(root.querySelector(".results .tier")).not.toBeNull(), {
        timeout: 15_000,
      });
      const total = root.querySelector(".results .tier")?.textContent;
      expect(total).toBe(`${store.getState().play.state?.score?.total} / 200`);
    });
});
