import { copyIdMap, idMap } from "./id-map.ts";
import { heatAt } from "./slots.ts";
import type {
  Allocation,
  AllocationRequest,
  AllocationState,
  Arbitration,
  ArbitrationPolicy,
  ArtifactState,
  ArtifactStore,
  BindablePit,
  Claim,
  ConflictDecision,
  DagNodeConfig,
  DagTracker,
  HeatReport,
  NodeStatus,
  PitConfig,
  PitState,
  PoolConfig,
  PoolManager,
  PoolState,
  Reclaim,
  Result,
  StaleManager,
  StoreRequest,
  Tick,
} from "./types.ts";

const ok = <T>(value: T): Result<T> => ({ ok: true, value });

const fail = <T>(reason: string): Result<T> => ({ ok: false, reason });

/** A fresh Pit state for a configuration: every slot cold, no artifacts, every node pending. */
export function initialPitState(config: PitConfig): PitState {
  const dag = idMap<NodeStatus>();
  for (const n of config.nodes) dag[n.id] = "pending";
  return {
    pools: config.pools.map((p) => ({
      id: p.id,
      slots: Array.from({ length: p.capacity }, () => ({
        phase: "cold" as const,
        until: 0,
        owner: null,
        freeFrom: 0,
      })),
      heat: 0,
      heatTick: 0,
      history: [],
      stepPeak: 0,
    })),
    artifacts: idMap<ArtifactState>(),
    dag,
    nextAllocation: 1,
    allocations: [],
  };
}

/** Deep copy of a Pit state, written out by hand because it sits on the engine's hot path. */
export function clonePitState(s: PitState): PitState {
  const artifacts = idMap<ArtifactState>();
  for (const k in s.artifacts) {
    const a = s.artifacts[k] as ArtifactState;
    artifacts[k] = {
      id: a.id,
      producer: a.producer,
      version: a.version,
      size: a.size,
      quality: a.quality,
      createdTick: a.createdTick,
      lastUsedTick: a.lastUsedTick,
      consumers: a.consumers.slice(),
      ttl: a.ttl,
      pinned: a.pinned,
    };
  }
  return {
    pools: s.pools.map((p) => ({
      id: p.id,
      slots: p.slots.map((sl) => ({
        phase: sl.phase,
        until: sl.until,
        owner: sl.owner,
        freeFrom: sl.freeFrom,
      })),
      heat: p.heat,
      heatTick: p.heatTick,
      history: p.history.slice(),
      stepPeak: p.stepPeak,
    })),
    artifacts,
    dag: copyIdMap(s.dag),
    nextAllocation: s.nextAllocation,
    allocations: s.allocations.map((a) => ({
      id: a.id,
      pool: a.pool,
      owner: a.owner,
      slots: a.slots.slice(),
      tick: a.tick,
      warm: a.warm,
    })),
  };
}

/**
 * The high-fidelity simulation of the Pit. It works in place on one `PitState`; `attach` lets the
 * engine point it at the state it is stepping without a copy.
 */
export class SimPit implements BindablePit {
  readonly pools: PoolManager;
  readonly dag: DagTracker;
  readonly artifacts: ArtifactStore;
  readonly arbitration: Arbitration;
  readonly stale: StaleManager;
  private s: PitState;
  private readonly poolIndex = new Map<string, number>();
  private readonly nodeIndex = new Map<string, DagNodeConfig>();
  private readonly producers = new Map<string, string[]>();
  private readonly reach = new Map<string, Set<string>>();

  constructor(
    readonly config: PitConfig,
    state?: PitState,
  ) {
    this.s = state ?? initialPitState(config);
    config.pools.forEach((p, i) => {
      this.poolIndex.set(p.id, i);
    });
    for (const n of config.nodes) {
      this.nodeIndex.set(n.id, n);
      for (const key of n.produces) {
        const list = this.producers.get(key) ?? [];
        list.push(n.id);
        this.producers.set(key, list);
      }
    }
    this.pools = this.makePools();
    this.artifacts = this.makeStore();
    this.dag = this.makeDag();
    this.arbitration = makeArbitration(config.arbitration);
    this.stale = this.makeStale();
  }

  /** Works on `state` in place from now on (no copy). */
  attach(state: PitState): void {
    this.s = state;
  }

  get state(): PitState {
    return this.s;
  }

  snapshot(): PitState {
    return clonePitState(this.s);
  }

  restore(state: PitState): void {
    this.s = clonePitState(state);
  }

  private pool(id: string): { cfg: PoolConfig; st: PoolState } | undefined {
    const i = this.poolIndex.get(id);
    if (i === undefined) return undefined;
    return { cfg: this.config.pools[i] as PoolConfig, st: this.s.pools[i] as PoolState };
  }

  private makePools(): PoolManager {
    const settle = (st: PoolState, tick: Tick): void => {
      // Busy slots stay held until released explicitly; only warmth expires with time.
      for (const slot of st.slots) {
        if (slot.phase === "warm" && slot.until <= tick) {
          slot.phase = "cold";
          slot.until = 0;
        }
      }
    };
    const busyCount = (st: PoolState): number => {
      let n = 0;
      for (const slot of st.slots) if (slot.phase === "busy") n++;
      return n;
    };
    return {
      allocate: (req: AllocationRequest): Result<Allocation> => {
        const p = this.pool(req.pool);
        if (!p) return fail(`unknown pool "${req.pool}"`);
        if (req.amount < 1 || !Number.isInteger(req.amount)) return fail(`amount must be a positive integer`);
        if (req.amount > p.cfg.capacity)
          return fail(`pool "${req.pool}" has ${p.cfg.capacity} slots; ${req.amount} requested`);
        settle(p.st, req.tick);
        // Prefer slots prewarmed for this purpose, then recycled warm slots, then cold ones.
        const slots = p.st.slots;
        const chosen: number[] = [];
        for (let rank = 0; rank < 3 && chosen.length < req.amount; rank++) {
          const phase = rank === 0 ? "prewarmed" : rank === 1 ? "warm" : "cold";
          for (let i = 0; i < slots.length && chosen.length < req.amount; i++) {
            const sl = slots[i] as PoolState["slots"][number];
            if (sl.phase === phase && sl.freeFrom <= req.tick) chosen.push(i);
          }
        }
        if (chosen.length < req.amount)
          return fail(`pool "${req.pool}" has ${chosen.length} free slots; ${req.amount} requested`);
        let usedPrewarm = false;
        let usedRecycled = false;
        let cold = false;
        for (const i of chosen) {
          const slot = slots[i] as PoolState["slots"][number];
          if (slot.phase === "prewarmed") usedPrewarm = true;
          else if (slot.phase === "warm") usedRecycled = true;
          else cold = true;
          slot.phase = "busy";
          slot.until = req.tick;
          slot.owner = req.owner;
        }
        const busy = busyCount(p.st);
        if (busy > p.st.stepPeak) p.st.stepPeak = busy;
        const alloc: AllocationState = {
          id: `a${this.s.nextAllocation++}`,
          pool: req.pool,
          owner: req.owner,
          slots: chosen,
          tick: req.tick,
          warm: !cold,
        };
        this.s.allocations.push(alloc);
        // Written out field by field: an object spread here took V8's slow path (~4 µs a call).
        return ok({
          id: alloc.id,
          pool: alloc.pool,
          owner: alloc.owner,
          slots: alloc.slots,
          tick: alloc.tick,
          warm: alloc.warm,
          coldTicks: cold ? p.cfg.coldStart : 0,
          usedPrewarm,
          usedRecycled,
        });
      },
      release: (allocationId: string, tick: Tick): Result<AllocationState> => {
        const idx = this.s.allocations.findIndex((a) => a.id === allocationId);
        if (idx < 0) return fail(`no allocation "${allocationId}"`);
        const alloc = this.s.allocations[idx] as AllocationState;
        const p = this.pool(alloc.pool) as { cfg: PoolConfig; st: PoolState };
        for (const i of alloc.slots) {
          const slot = p.st.slots[i] as PoolState["slots"][number];
          slot.phase = p.cfg.warmTtl > 0 ? "warm" : "cold";
          slot.until = p.cfg.warmTtl > 0 ? tick + p.cfg.warmTtl : 0;
          slot.owner = null;
          slot.freeFrom = tick;
        }
        this.s.allocations.splice(idx, 1);
        return ok(alloc);
      },
      prewarm: (pool: string, tick: Tick) => {
        const p = this.pool(pool);
        if (!p) return fail(`unknown pool "${pool}"`);
        settle(p.st, tick);
        const i = p.st.slots.findIndex((slot) => slot.phase === "cold");
        if (i < 0) return fail(`pool "${pool}" has no cold slot to prewarm`);
        const slot = p.st.slots[i] as PoolState["slots"][number];
        slot.phase = "prewarmed";
        slot.until = tick;
        slot.owner = "prewarm";
        return ok({ pool, slot: i });
      },
      freeAt: (pool: string, amount: number, tick: Tick): Tick => {
        const p = this.pool(pool);
        if (!p || amount > p.st.slots.length) return Number.POSITIVE_INFINITY;
        // The amount-th smallest time at which a slot is free (slots are few: a partial selection sort).
        const times: number[] = [];
        for (const slot of p.st.slots)
          times.push(slot.phase === "busy" ? Number.POSITIVE_INFINITY : Math.max(slot.freeFrom, tick));
        for (let i = 0; i < amount; i++) {
          let m = i;
          for (let j = i + 1; j < times.length; j++) if ((times[j] as number) < (times[m] as number)) m = j;
          const t = times[i] as number;
          times[i] = times[m] as number;
          times[m] = t;
        }
        return times[amount - 1] as number;
      },
      addHeat: (pool: string, heat: number, tick: Tick): HeatReport => {
        const p = this.pool(pool);
        if (!p) return { pool, heat: 0, limit: 0, overloaded: false };
        p.st.heat = heatAt(p.cfg, p.st, tick) + heat;
        p.st.heatTick = Math.max(p.st.heatTick, tick);
        return { pool, heat: p.st.heat, limit: p.cfg.heatLimit, overloaded: p.st.heat > p.cfg.heatLimit };
      },
      utilisation: (pool: string, _tick: Tick): number => {
        const p = this.pool(pool);
        if (!p || p.cfg.capacity === 0) return 0;
        return busyCount(p.st) / p.cfg.capacity;
      },
      closeStep: () =>
        this.config.pools.map((cfg, i) => {
          const st = this.s.pools[i] as PoolState;
          const peak = cfg.capacity === 0 ? 0 : st.stepPeak / cfg.capacity;
          st.history.push(peak);
          st.stepPeak = busyCount(st);
          return { pool: cfg.id, peak, healthyMax: cfg.healthyMax };
        }),
      config: (pool: string) => this.pool(pool)?.cfg,
      list: () => this.config.pools,
    };
  }

  private makeStore(): ArtifactStore {
    return {
      store: (req: StoreRequest): Result<ArtifactState> => {
        if (req.quality === "corrupt")
          return fail(`quality gate: "${req.id}" from ${req.producer} is corrupt`);
        if (req.size < 0) return fail(`artifact "${req.id}" has negative size`);
        const prev = this.s.artifacts[req.id];
        const art: ArtifactState = {
          id: req.id,
          producer: req.producer,
          version: prev ? prev.version + 1 : 1,
          size: req.size,
          quality: req.quality,
          createdTick: req.tick,
          lastUsedTick: req.tick,
          consumers: prev ? prev.consumers.slice() : [],
          ttl: req.ttl,
          pinned: req.pinned,
        };
        this.s.artifacts[req.id] = art;
        return ok(art);
      },
      get: (id: string) => this.s.artifacts[id],
      has: (id: string) => this.s.artifacts[id] !== undefined,
      use: (id: string, consumer: string, tick: Tick) => {
        const art = this.s.artifacts[id];
        if (!art) return fail(`artifact "${id}" is not in the store`);
        art.lastUsedTick = Math.max(art.lastUsedTick, tick);
        if (!art.consumers.includes(consumer)) art.consumers.push(consumer);
        return ok(art);
      },
      remove: (id: string) => {
        if (!this.s.artifacts[id]) return false;
        delete this.s.artifacts[id];
        return true;
      },
      list: () => Object.keys(this.s.artifacts).map((k) => this.s.artifacts[k] as ArtifactState),
    };
  }

  private makeDag(): DagTracker {
    const reachFrom = (id: string): Set<string> => {
      const cached = this.reach.get(id);
      if (cached) return cached;
      const seen = new Set<string>();
      const stack = [id];
      while (stack.length) {
        const cur = stack.pop() as string;
        const node = this.nodeIndex.get(cur);
        if (!node) continue;
        for (const key of node.needs.concat(node.optionalNeeds)) {
          for (const prod of this.producers.get(key) ?? []) {
            if (!seen.has(prod)) {
              seen.add(prod);
              stack.push(prod);
            }
          }
        }
      }
      this.reach.set(id, seen);
      return seen;
    };
    return {
      nodes: () => this.config.nodes,
      status: (node: string) => this.s.dag[node] ?? "pending",
      mark: (node: string, status: NodeStatus) => {
        if (this.nodeIndex.has(node)) this.s.dag[node] = status;
      },
      missing: (node: string, available: (key: string) => boolean) => {
        const n = this.nodeIndex.get(node);
        if (!n) return [];
        return n.needs.filter((k) => !available(k));
      },
      ready: (available: (key: string) => boolean) =>
        this.config.nodes
          .filter((n) => (this.s.dag[n.id] ?? "pending") === "pending" && n.needs.every(available))
          .map((n) => n.id),
      upstream: (node: string) => {
        const n = this.nodeIndex.get(node);
        if (!n) return [];
        const out = new Set<string>();
        for (const key of n.needs) for (const p of this.producers.get(key) ?? []) out.add(p);
        return [...out];
      },
      independent: (a: string, b: string) => a !== b && !reachFrom(a).has(b) && !reachFrom(b).has(a),
    };
  }

  private makeStale(): StaleManager {
    const reclaimSlots = (tick: Tick, all: boolean): Reclaim[] => {
      const out: Reclaim[] = [];
      this.config.pools.forEach((cfg, i) => {
        const st = this.s.pools[i] as PoolState;
        st.slots.forEach((slot, si) => {
          if (slot.phase !== "prewarmed") return;
          const idle = tick - slot.until;
          if (all || idle > cfg.staleAfter) {
            out.push({ kind: "prewarmed-slot", id: `${cfg.id}#${si}`, pool: cfg.id, idleTicks: idle });
            slot.phase = "cold";
            slot.until = 0;
            slot.owner = null;
          }
        });
      });
      return out;
    };
    return {
      sweep: (tick: Tick) => {
        const out = reclaimSlots(tick, false);
        // Runs every step: collect candidates first and sort only those (reclaims are reported in id order).
        let stale: string[] | null = null;
        for (const id in this.s.artifacts) {
          const art = this.s.artifacts[id] as ArtifactState;
          if (!art.pinned && art.ttl !== null && tick - art.lastUsedTick > art.ttl) (stale ??= []).push(id);
        }
        for (const id of stale?.sort() ?? []) {
          const art = this.s.artifacts[id] as ArtifactState;
          delete this.s.artifacts[id];
          out.push({ kind: "artifact", id, idleTicks: tick - art.lastUsedTick });
        }
        return out;
      },
      sweepAll: (tick: Tick) => {
        const out = reclaimSlots(tick, true);
        for (const id of Object.keys(this.s.artifacts).sort()) {
          const art = this.s.artifacts[id] as ArtifactState;
          if (art.pinned || art.consumers.length > 0) continue;
          delete this.s.artifacts[id];
          out.push({ kind: "artifact", id, idleTicks: tick - art.lastUsedTick });
        }
        return out;
      },
    };
  }
}

/** Arbitration by a stated policy; ties always fall back to submission order, so it is deterministic. */
export function makeArbitration(policy: ArbitrationPolicy): Arbitration {
  const rank = (a: Claim, b: Claim): number => {
    if (policy === "priority" && a.priority !== b.priority) return b.priority - a.priority;
    if (policy === "shortest-first" && a.duration !== b.duration) return a.duration - b.duration;
    return a.order - b.order;
  };
  return {
    policy,
    arbitrate: (claims: readonly Claim[], contested: (resource: string) => boolean) => {
      const sorted = claims.slice().sort(rank);
      const decisions: ConflictDecision[] = [];
      for (let i = 0; i < sorted.length; i++) {
        for (let j = i + 1; j < sorted.length; j++) {
          const w = sorted[i] as Claim;
          const l = sorted[j] as Claim;
          const shared = w.resources.find((r) => l.resources.includes(r) && contested(r));
          if (shared !== undefined)
            decisions.push({ resource: shared, winner: w.owner, loser: l.owner, policy });
        }
      }
      return { order: sorted.map((c) => c.owner), decisions };
    },
  };
}
