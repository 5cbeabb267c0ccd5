/**
 * The Pit contract: behaviour any `Pit` implementation must show, the simulation and a future real Pit
 * alike (seed 002's "contract testing between mock and real implementations"). Call it from a Vitest
 * file with a factory: `runPitContract("my pit", (config) => new MyPit(config))`.
 */
import { describe, expect, it } from "vitest";
import type { PitConfig, Pit, PoolConfig } from "./types.ts";

const pool = (over: Partial<PoolConfig> & { id: string }): PoolConfig => ({
  label: over.id,
  capacity: 2,
  coldStart: 2,
  warmTtl: 3,
  staleAfter: 4,
  healthyMax: 1,
  heatLimit: 100,
  cooling: 10,
  recoveryTicks: 2,
  ...over,
});

/** A small configuration every contract case starts from. */
export const CONTRACT_CONFIG: PitConfig = {
  pools: [pool({ id: "gpu" }), pool({ id: "cpu", capacity: 1, coldStart: 0, warmTtl: 0 })],
  nodes: [
    { id: "a", needs: [], optionalNeeds: [], produces: ["artifact:x"] },
    { id: "b", needs: ["artifact:x"], optionalNeeds: [], produces: ["artifact:y"] },
    { id: "c", needs: [], optionalNeeds: [], produces: ["fact:z"] },
    { id: "d", needs: ["artifact:y", "fact:z"], optionalNeeds: [], produces: ["fact:done"] },
  ],
  arbitration: "priority",
};

export function runPitContract(name: string, create: (config: PitConfig) => Pit): void {
  describe(`Pit contract: ${name}`, () => {
    it("allocates up to capacity and refuses beyond it, naming the pool", () => {
      const pit = create(CONTRACT_CONFIG);
      const a = pit.pools.allocate({ pool: "gpu", amount: 2, owner: "f", tick: 0 });
      expect(a.ok).toBe(true);
      const b = pit.pools.allocate({ pool: "gpu", amount: 1, owner: "g", tick: 0 });
      expect(b).toEqual({ ok: false, reason: expect.stringContaining('"gpu"') });
      expect(pit.pools.utilisation("gpu", 0)).toBe(1);
      expect(pit.pools.allocate({ pool: "nope", amount: 1, owner: "f", tick: 0 }).ok).toBe(false);
      expect(pit.pools.allocate({ pool: "cpu", amount: 2, owner: "f", tick: 0 }).ok).toBe(false);
    });

    it("charges a cold start, then serves a released slot warm until its TTL runs out", () => {
      const pit = create(CONTRACT_CONFIG);
      const a = pit.pools.allocate({ pool: "gpu", amount: 1, owner: "f", tick: 0 });
      if (!a.ok) throw new Error(a.reason);
      expect(a.value.coldTicks).toBe(2);
      expect(pit.pools.release(a.value.id, 5).ok).toBe(true);
      expect(pit.pools.utilisation("gpu", 5)).toBe(0);
      const warm = pit.pools.allocate({ pool: "gpu", amount: 1, owner: "g", tick: 7 });
      if (!warm.ok) throw new Error(warm.reason);
      expect(warm.value).toMatchObject({ coldTicks: 0, usedRecycled: true, warm: true });
      pit.pools.release(warm.value.id, 7);
      const late = pit.pools.allocate({ pool: "gpu", amount: 2, owner: "h", tick: 20 });
      if (!late.ok) throw new Error(late.reason);
      expect(late.value.coldTicks).toBe(2);
      expect(pit.pools.release("no-such-allocation", 20).ok).toBe(false);
    });

    it("prewarms a slot that the next allocation uses without a cold start", () => {
      const pit = create(CONTRACT_CONFIG);
      expect(pit.pools.prewarm("gpu", 0).ok).toBe(true);
      const a = pit.pools.allocate({ pool: "gpu", amount: 1, owner: "f", tick: 1 });
      if (!a.ok) throw new Error(a.reason);
      expect(a.value).toMatchObject({ coldTicks: 0, usedPrewarm: true });
    });

    it("reclaims a prewarmed slot left unused past staleAfter, and reports it once", () => {
      const pit = create(CONTRACT_CONFIG);
      pit.pools.prewarm("gpu", 0);
      expect(pit.stale.sweep(3)).toEqual([]);
      const r = pit.stale.sweep(5);
      expect(r).toEqual([{ kind: "prewarmed-slot", id: "gpu#0", pool: "gpu", idleTicks: 5 }]);
      expect(pit.stale.sweep(9)).toEqual([]);
    });

    it("reports when free slots come back", () => {
      const pit = create(CONTRACT_CONFIG);
      const a = pit.pools.allocate({ pool: "cpu", amount: 1, owner: "f", tick: 0 });
      if (!a.ok) throw new Error(a.reason);
      expect(pit.pools.freeAt("gpu", 2, 3)).toBe(3);
      expect(pit.pools.freeAt("cpu", 1, 0)).toBe(Number.POSITIVE_INFINITY);
      expect(pit.pools.freeAt("cpu", 2, 0)).toBe(Number.POSITIVE_INFINITY);
      // A slot released at tick 5 is free from 5 on, even to a caller scheduling from tick 0.
      pit.pools.release(a.value.id, 5);
      expect(pit.pools.freeAt("cpu", 1, 0)).toBe(5);
      expect(pit.pools.allocate({ pool: "cpu", amount: 1, owner: "g", tick: 2 }).ok).toBe(false);
      expect(pit.pools.allocate({ pool: "cpu", amount: 1, owner: "g", tick: 5 }).ok).toBe(true);
    });

    it("heats pools, cools them over time and flags an overload", () => {
      const pit = create(CONTRACT_CONFIG);
      expect(pit.pools.addHeat("gpu", 70, 0).overloaded).toBe(false);
      expect(pit.pools.addHeat("gpu", 70, 3)).toMatchObject({ heat: 110, overloaded: true });
      expect(pit.pools.addHeat("gpu", 0, 20)).toMatchObject({ heat: 0, overloaded: false });
    });

    it("records each step's peak utilisation in the pool history", () => {
      const pit = create(CONTRACT_CONFIG);
      const a = pit.pools.allocate({ pool: "gpu", amount: 1, owner: "f", tick: 0 });
      if (!a.ok) throw new Error(a.reason);
      pit.pools.release(a.value.id, 2);
      const peaks = pit.pools.closeStep();
      expect(peaks.find((p) => p.pool === "gpu")?.peak).toBe(0.5);
      expect(pit.snapshot().pools[0]?.history).toEqual([0.5]);
    });

    it("versions artifacts, records their readers and refuses corrupt ones at the quality gate", () => {
      const pit = create(CONTRACT_CONFIG);
      const base = { producer: "a", size: 3, tick: 1, ttl: null, pinned: false } as const;
      expect(pit.artifacts.store({ ...base, id: "x", quality: "good" })).toMatchObject({
        ok: true,
        value: { version: 1 },
      });
      expect(pit.artifacts.store({ ...base, id: "x", quality: "degraded", tick: 2 })).toMatchObject({
        ok: true,
        value: { version: 2, quality: "degraded" },
      });
      const bad = pit.artifacts.store({ ...base, id: "y", quality: "corrupt" });
      expect(bad).toEqual({ ok: false, reason: expect.stringContaining("quality gate") });
      expect(pit.artifacts.has("y")).toBe(false);
      expect(pit.artifacts.use("x", "b", 4)).toMatchObject({
        ok: true,
        value: { consumers: ["b"], lastUsedTick: 4 },
      });
      expect(pit.artifacts.use("nope", "b", 4).ok).toBe(false);
      expect(pit.artifacts.list().map((a) => a.id)).toEqual(["x"]);
    });

    it("reclaims artifacts idle past their TTL, and at the end those nobody used", () => {
      const pit = create(CONTRACT_CONFIG);
      pit.artifacts.store({
        id: "t",
        producer: "a",
        size: 1,
        quality: "good",
        tick: 0,
        ttl: 2,
        pinned: false,
      });
      pit.artifacts.store({
        id: "kept",
        producer: "a",
        size: 1,
        quality: "good",
        tick: 0,
        ttl: null,
        pinned: true,
      });
      pit.artifacts.store({
        id: "junk",
        producer: "c",
        size: 1,
        quality: "good",
        tick: 0,
        ttl: null,
        pinned: false,
      });
      pit.artifacts.store({
        id: "read",
        producer: "c",
        size: 1,
        quality: "good",
        tick: 0,
        ttl: null,
        pinned: false,
      });
      pit.artifacts.use("read", "d", 1);
      expect(pit.stale.sweep(3).map((r) => r.id)).toEqual(["t"]);
      expect(pit.stale.sweepAll(4).map((r) => r.id)).toEqual(["junk"]);
      expect(
        pit.artifacts
          .list()
          .map((a) => a.id)
          .sort(),
      ).toEqual(["kept", "read"]);
    });

    it("tracks the DAG: missing needs, ready nodes, upstream and independence", () => {
      const pit = create(CONTRACT_CONFIG);
      const have = new Set<string>();
      const available = (k: string) => have.has(k);
      expect(pit.dag.ready(available).sort()).toEqual(["a", "c"]);
      expect(pit.dag.missing("d", available)).toEqual(["artifact:y", "fact:z"]);
      have.add("artifact:x");
      pit.dag.mark("a", "done");
      expect(pit.dag.status("a")).toBe("done");
      expect(pit.dag.ready(available).sort()).toEqual(["b", "c"]);
      expect(pit.dag.upstream("d").sort()).toEqual(["b", "c"]);
      expect(pit.dag.independent("a", "c")).toBe(true);
      expect(pit.dag.independent("a", "d")).toBe(false);
      expect(pit.dag.independent("b", "a")).toBe(false);
    });

    it("arbitrates contested resources by its stated policy, deterministically", () => {
      const pit = create(CONTRACT_CONFIG);
      const claims = [
        { owner: "low", resources: ["pool:gpu"], priority: 0, duration: 1, order: 0 },
        { owner: "high", resources: ["pool:gpu"], priority: 5, duration: 9, order: 1 },
        { owner: "free", resources: ["pool:cpu"], priority: 0, duration: 1, order: 2 },
      ];
      const r = pit.arbitration.arbitrate(claims, (res) => res === "pool:gpu");
      expect(pit.arbitration.policy).toBe("priority");
      expect(r.order).toEqual(["high", "low", "free"]);
      expect(r.decisions).toEqual([
        { resource: "pool:gpu", winner: "high", loser: "low", policy: "priority" },
      ]);
      expect(pit.arbitration.arbitrate(claims, (res) => res === "pool:gpu")).toEqual(r);
    });

    it("snapshots to plain data that survives JSON and restores to the same behaviour", () => {
      const pit = create(CONTRACT_CONFIG);
      pit.pools.prewarm("gpu", 0);
      pit.artifacts.store({
        id: "x",
        producer: "a",
        size: 1,
        quality: "good",
        tick: 0,
        ttl: null,
        pinned: false,
      });
      const snap = pit.snapshot();
      expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
      const other = create(CONTRACT_CONFIG);
      other.restore(JSON.parse(JSON.stringify(snap)));
      expect(other.snapshot()).toEqual(snap);
      const a = other.pools.allocate({ pool: "gpu", amount: 1, owner: "f", tick: 1 });
      expect(a.ok && a.value.usedPrewarm).toBe(true);
      // Restoring copies: changing the restored Pit leaves the snapshot alone.
      expect(snap.pools[0]?.slots[0]?.phase).toBe("prewarmed");
    });
  });
}
