/**
 * The Pit's contract: what the engine may ask of its infrastructure, and the plain-data state a
 * simulation keeps. A real Pit replaces the simulation by implementing `Pit` (seed 002).
 */

export type Tick = number;

/** How a pool behaves; comes from the level, possibly overridden by a scenario's constraints. */
export interface PoolConfig {
  readonly id: string;
  readonly label: string;
  /** Number of slots. */
  readonly capacity: number;
  /** Extra activation ticks when no warm slot is available. */
  readonly coldStart: number;
  /** How long a released slot stays warm (resource recycling). */
  readonly warmTtl: number;
  /** A prewarmed slot left unused for longer than this is reclaimed as stale. */
  readonly staleAfter: number;
  /** Utilisation above this share of capacity is an overload warning. */
  readonly healthyMax: number;
  /** Heat above this raises a stability warning and costs recovery ticks. */
  readonly heatLimit: number;
  /** Heat lost per tick. */
  readonly cooling: number;
  /** Ticks spent recovering after an overload. */
  readonly recoveryTicks: number;
}

export type SlotPhase = "cold" | "warm" | "prewarmed" | "busy";

export interface SlotState {
  phase: SlotPhase;
  /** busy: when it frees; warm: when it cools; prewarmed: when it was prewarmed. */
  until: Tick;
  owner: string | null;
  /** When the slot was last released: within a step's schedule it cannot be taken earlier. */
  freeFrom: Tick;
}

export interface PoolState {
  readonly id: string;
  slots: SlotState[];
  heat: number;
  heatTick: Tick;
  /** Peak utilisation (0..1) of each step, oldest first. */
  history: number[];
  /** Peak busy slots since the last `closeStep`. */
  stepPeak: number;
}

export type Quality = "good" | "degraded" | "corrupt";

export interface ArtifactState {
  readonly id: string;
  producer: string;
  version: number;
  size: number;
  quality: Quality;
  createdTick: Tick;
  lastUsedTick: Tick;
  consumers: string[];
  /** Ticks without use after which the Stale Manager reclaims it; null keeps it. */
  ttl: number | null;
  /** True for artifacts the goal needs; those are never stale. */
  pinned: boolean;
}

export type NodeStatus = "pending" | "done" | "failed" | "skipped";

export interface DagNodeConfig {
  readonly id: string;
  /** Keys this node needs, as `artifact:<id>` or `fact:<id>`. */
  readonly needs: readonly string[];
  /** Keys a node may do without (a gracefully skipped producer leaves them missing). */
  readonly optionalNeeds: readonly string[];
  readonly produces: readonly string[];
}

export interface PitConfig {
  readonly pools: readonly PoolConfig[];
  readonly nodes: readonly DagNodeConfig[];
  readonly arbitration: ArbitrationPolicy;
}

/** The whole Pit state: plain, JSON-serialisable data. */
export interface PitState {
  pools: PoolState[];
  artifacts: Record<string, ArtifactState>;
  dag: Record<string, NodeStatus>;
  nextAllocation: number;
  allocations: AllocationState[];
}

export interface AllocationState {
  readonly id: string;
  readonly pool: string;
  readonly owner: string;
  readonly slots: number[];
  readonly tick: Tick;
  readonly warm: boolean;
}

export type Result<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface AllocationRequest {
  readonly pool: string;
  readonly amount: number;
  readonly owner: string;
  readonly tick: Tick;
}

export interface Allocation extends AllocationState {
  /** Ticks the activation waits because no warm slot could be had. */
  readonly coldTicks: number;
  /** True when a prewarmed slot served this allocation (predictive allocation paid off). */
  readonly usedPrewarm: boolean;
  /** True when a recycled warm slot served it. */
  readonly usedRecycled: boolean;
}

export interface HeatReport {
  readonly pool: string;
  readonly heat: number;
  readonly limit: number;
  readonly overloaded: boolean;
}

/** Pool Manager: named pools of slots with warm and cold slots and a utilisation history. */
export interface PoolManager {
  /** Allocates `amount` slots at `tick`, warm ones first; fails if the pool has too few free slots. */
  allocate(request: AllocationRequest): Result<Allocation>;
  /** Releases an allocation at `tick`; its slots stay warm for the pool's warm TTL. */
  release(allocationId: string, tick: Tick): Result<AllocationState>;
  /** Warms one cold slot ahead of need (predictive allocation). */
  prewarm(pool: string, tick: Tick): Result<{ pool: string; slot: number }>;
  /** Earliest tick at or after `tick` when `amount` slots of the pool are free. */
  freeAt(pool: string, amount: number, tick: Tick): Tick;
  /** Adds heat from a call at `tick` after cooling, and reports whether the pool overloaded. */
  addHeat(pool: string, heat: number, tick: Tick): HeatReport;
  /** Busy slots / capacity at `tick`. */
  utilisation(pool: string, tick: Tick): number;
  /** Closes a step: records each pool's peak utilisation in its history. */
  closeStep(): { pool: string; peak: number; healthyMax: number }[];
  config(pool: string): PoolConfig | undefined;
  list(): readonly PoolConfig[];
}

export interface StoreRequest {
  readonly id: string;
  readonly producer: string;
  readonly size: number;
  readonly quality: Quality;
  readonly tick: Tick;
  readonly ttl: number | null;
  readonly pinned: boolean;
}

/** Artifact Store: versioned artifacts with producer, size and quality, behind a quality gate. */
export interface ArtifactStore {
  /** Stores or versions an artifact; the quality gate refuses corrupt ones. */
  store(request: StoreRequest): Result<ArtifactState>;
  get(id: string): ArtifactState | undefined;
  has(id: string): boolean;
  /** Records that `consumer` read the artifact at `tick`. */
  use(id: string, consumer: string, tick: Tick): Result<ArtifactState>;
  remove(id: string): boolean;
  list(): readonly ArtifactState[];
}

export interface Claim {
  /** Who claims: a function call id. */
  readonly owner: string;
  /** What it claims: `pool:<id>` slots or `artifact:<id>` writes. */
  readonly resources: readonly string[];
  readonly priority: number;
  readonly duration: number;
  /** Position in the submitted group. */
  readonly order: number;
}

export type ArbitrationPolicy = "priority" | "shortest-first" | "fifo";

export interface ConflictDecision {
  readonly resource: string;
  readonly winner: string;
  readonly loser: string;
  readonly policy: ArbitrationPolicy;
}

/** Arbitration: orders claims on contested resources by a stated policy. */
export interface Arbitration {
  readonly policy: ArbitrationPolicy;
  /** Orders the claims, winners first, and states a decision for each contested pair. */
  arbitrate(
    claims: readonly Claim[],
    contested: (resource: string) => boolean,
  ): {
    order: string[];
    decisions: ConflictDecision[];
  };
}

/** DAG Tracker: the dependency graph of a level's functions and the status of each node. */
export interface DagTracker {
  nodes(): readonly DagNodeConfig[];
  status(node: string): NodeStatus;
  mark(node: string, status: NodeStatus): void;
  /** Which needs of `node` are not available now. */
  missing(node: string, available: (key: string) => boolean): string[];
  /** Pending nodes whose needs are all available. */
  ready(available: (key: string) => boolean): string[];
  /** Nodes that directly produce what `node` needs. */
  upstream(node: string): string[];
  /** Groups of nodes with no path between them: the branches that can run in parallel. */
  independent(a: string, b: string): boolean;
}

export type ReclaimKind = "prewarmed-slot" | "artifact";

export interface Reclaim {
  readonly kind: ReclaimKind;
  readonly id: string;
  readonly pool?: string;
  readonly idleTicks: number;
}

/** Stale Manager: finds allocations and artifacts left behind and reclaims them. */
export interface StaleManager {
  /** Reclaims what has gone stale by `tick`. */
  sweep(tick: Tick): Reclaim[];
  /** End of episode: reclaims unused prewarmed slots and artifacts nobody used and the goal does not need. */
  sweepAll(tick: Tick): Reclaim[];
}

/**
 * What the engine steps with: a Pit that works on the state the engine hands it. The engine keeps the Pit's
 * state inside its own plain-data game state (so it replays and serialises), and binds it before each step.
 */
export interface BindablePit extends Pit {
  /** Works on `state` in place from now on (no copy). */
  attach(state: PitState): void;
}

/**
 * Makes a Pit for a compiled level (ADR-004's dependency injection): the engine calls it once per
 * compiled level with the level's pools, DAG nodes and arbitration policy. `SimPit` is the default;
 * docs/pit.md says what any other must guarantee.
 */
export type PitFactory = (config: PitConfig) => BindablePit;

/** The Pit behind one interface (seed 002): five components over one snapshot-able state. */
export interface Pit {
  readonly pools: PoolManager;
  readonly dag: DagTracker;
  readonly artifacts: ArtifactStore;
  readonly arbitration: Arbitration;
  readonly stale: StaleManager;
  /** The current state as plain data (a copy). */
  snapshot(): PitState;
  /** Continues from a state previously taken with `snapshot`. */
  restore(state: PitState): void;
}
