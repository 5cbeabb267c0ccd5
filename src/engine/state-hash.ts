import type { CompiledLevel } from "./compile.ts";
import { artifactKey, factKey } from "./keys.ts";
import { emptyMetrics } from "./state.ts";
import type { CallRecord, GameState } from "./types.ts";

/**
 * The state hash (docs/engine.md, "State hash"): 64-bit FNV-1a over a fixed walk of the state, with no
 * JSON and no sorting. Every map is read in the level's compile-time order (functions in level order,
 * artifacts and facts sorted, pools in level order), so equal states hash equal whatever order their keys
 * were written in. Numbers go in as two little-endian uint32 words of their IEEE-754 double (read through
 * a DataView with the byte order stated, so Node and every browser agree); strings as their length and
 * UTF-16 code units; absent values as a marker word.
 *
 * The parts that grow with the episode (call records, step labels, utilisation history) are hashed as
 * running digests that continue from where they stopped, so hashing after every step of an episode costs
 * time linear in its length. The fixed part is bounded by the level's size.
 */

const view = new DataView(new ArrayBuffer(8));
const ABSENT = 0x9e3779b9;

/** 64-bit FNV-1a in four 16-bit lanes (JS numbers cannot multiply 64-bit integers exactly). */
class Fnv64 {
  h0 = 0x2325;
  h1 = 0x8422;
  h2 = 0x9ce4;
  h3 = 0xcbf2;

  reset(): this {
    this.h0 = 0x2325;
    this.h1 = 0x8422;
    this.h2 = 0x9ce4;
    this.h3 = 0xcbf2;
    return this;
  }

  /** Folds in one 16-bit unit. */
  unit(u: number): void {
    let h0 = this.h0 ^ (u & 0xffff);
    const t0 = h0 * 0x1b3;
    const t1 = this.h1 * 0x1b3;
    const t2 = this.h2 * 0x1b3 + (h0 << 8);
    const t3 = this.h3 * 0x1b3 + (this.h1 << 8);
    const c1 = t1 + (t0 >>> 16);
    const c2 = t2 + (c1 >>> 16);
    h0 = t0 & 0xffff;
    this.h0 = h0;
    this.h1 = c1 & 0xffff;
    this.h3 = (t3 + (c2 >>> 16)) & 0xffff;
    this.h2 = c2 & 0xffff;
  }

  u32(x: number): void {
    this.unit(x & 0xffff);
    this.unit(x >>> 16);
  }

  num(x: number): void {
    // Small non-negative integers (almost every number in a state) skip the DataView.
    if (x >= 0 && x < 0x40000000 && (x | 0) === x) {
      this.u32(x);
      return;
    }
    view.setFloat64(0, x, true);
    this.u32(0x7ff80001); // a tag no small integer takes, so 3 and 3.0000001 never collide in width
    this.u32(view.getUint32(0, true));
    this.u32(view.getUint32(4, true));
  }

  str(s: string): void {
    this.u32(s.length);
    for (let i = 0; i < s.length; i++) this.unit(s.charCodeAt(i));
  }

  bool(b: boolean): void {
    this.u32(b ? 1 : 0);
  }

  hex(): string {
    const h = (n: number): string => n.toString(16).padStart(4, "0");
    return h(this.h3) + h(this.h2) + h(this.h1) + h(this.h0);
  }
}

/**
 * The metrics of engine 2.1, hashed in `emptyMetrics()` order, then the counters engine 2.2 added (recovery
 * decisions), each only when non-zero and behind its own tag: a state of an automatic level hashes exactly
 * as it did in 2.1, so datasets of unchanged levels still verify.
 */
const LATER_METRICS: readonly (keyof GameState["m"])[] = ["wastedRetries", "decisions"];
const METRICS = (Object.keys(emptyMetrics()) as (keyof GameState["m"])[]).filter(
  (k) => !LATER_METRICS.includes(k),
);
const STATUS = { playing: 1, won: 2, stuck: 3, truncated: 4 } as const;
const PHASE = { cold: 1, warm: 2, prewarmed: 3, busy: 4 } as const;
const QUALITY = { good: 1, degraded: 2, corrupt: 3 } as const;
const NODE = { pending: 1, done: 2, failed: 3, skipped: 4 } as const;
const OUTCOME = { ok: 1, failed: 2, skipped: 3, rejected: 4 } as const;

function hashCall(h: Fnv64, c: CallRecord): void {
  h.num(c.step);
  h.str(c.fn);
  h.str(c.label);
  h.u32(OUTCOME[c.outcome]);
  h.u32(c.outputs.length);
  for (const o of c.outputs) h.str(o);
  h.bool(c.redundant);
  h.num(c.startTick);
  h.num(c.endTick);
}

/** A digest of a growing list that continues from where it stopped. */
class Running<T> {
  private readonly h = new Fnv64();
  private n = 0;
  private of: readonly T[] | null = null;

  constructor(private readonly fold: (h: Fnv64, x: T) => void) {}

  /** Digest of the whole list; linear in what was appended since the last call on the same list. */
  digest(list: readonly T[], out: Fnv64): void {
    if (list !== this.of || list.length < this.n) {
      this.h.reset();
      this.n = 0;
      this.of = list;
    }
    for (; this.n < list.length; this.n++) this.fold(this.h, list[this.n] as T);
    out.u32(this.n);
    out.unit(this.h.h0);
    out.unit(this.h.h1);
    out.unit(this.h.h2);
    out.unit(this.h.h3);
  }
}

/**
 * Hashes game states of one compiled level. Keep one per env: it remembers the running digests of the
 * state it last hashed, so hashing the same episode after each step stays linear in its length.
 */
export class StateHasher {
  private readonly h = new Fnv64();
  private readonly calls = new Running<CallRecord>(hashCall);
  private readonly labels = new Running<string>((h, x) => h.str(x));
  private readonly utilisation: Running<number>[];

  /** Names a state repeats (functions, producers, owners, keys) hashed as small integers. */
  private readonly names = new Map<string, number>();

  constructor(private readonly ctx: CompiledLevel) {
    this.utilisation = ctx.pools.map(() => new Running<number>((h, x) => h.num(x)));
    const add = (n: string) => {
      if (!this.names.has(n)) this.names.set(n, this.names.size + 1);
    };
    for (const n of ["initial", "prewarm"]) add(n);
    for (const f of ctx.level.functions) add(f.id);
    for (const r of ctx.level.reconstructions) add(`reconstruct:${r.artifact}`);
    for (const x of ctx.factIds) add(factKey(x));
    for (const x of ctx.artifactIds) add(artifactKey(x));
  }

  /** A name: its small integer when the level knows it, else its text (tagged apart from the integers). */
  private name(n: string): void {
    const id = this.names.get(n);
    if (id !== undefined) this.h.u32(id);
    else {
      this.h.u32(0);
      this.h.str(n);
    }
  }

  /** The state's hash, as 16 hex digits. */
  hash(s: GameState): string {
    const { ctx } = this;
    const h = this.h.reset();
    h.u32(2); // the algorithm's version (docs/engine.md)
    h.str(s.levelId);
    h.num(s.seed);
    for (let i = 0; i < 4; i++) h.num(s.rng[i] as number);
    h.num(s.tick);
    h.num(s.step);
    h.u32(STATUS[s.status]);
    h.num(s.lastWarnStep);
    for (const f of ctx.factIds) h.bool(s.facts.includes(f));
    h.u32(s.facts.length);
    for (const k of METRICS) h.num(s.m[k]);
    LATER_METRICS.forEach((k, i) => {
      if (s.m[k] === 0) return;
      h.u32(0xdec0 + i);
      h.num(s.m[k]);
    });
    for (const f of ctx.level.functions) {
      h.num(s.attempts[f.id] ?? 0);
      h.bool(s.broken.includes(f.id));
      h.u32(NODE[s.pit.dag[f.id] ?? "pending"]);
    }
    h.u32(s.used.length);
    for (const k of s.used) this.name(k);
    this.pit(s);
    this.calls.digest(s.calls, h);
    this.labels.digest(s.history, h);
    s.pit.pools.forEach((p, i) => this.utilisation[i]?.digest(p.history, h));
    // A call paused for a decision (rare: its JSON text, behind a tag; nothing when none, as in 2.1).
    if (s.pending) {
      h.u32(0xdec2);
      h.str(JSON.stringify(s.pending));
    }
    if (s.score) {
      h.num(s.score.total);
      h.num(s.score.base);
      h.num(s.score.efficiency);
      h.num(s.score.stability);
      h.num(s.score.optimization);
      h.str(s.score.tier);
    } else h.u32(ABSENT);
    return h.hex();
  }

  private pit(s: GameState): void {
    const { h, ctx } = this;
    const pit = s.pit;
    for (const p of pit.pools) {
      h.num(p.heat);
      h.num(p.heatTick);
      h.num(p.stepPeak);
      for (const sl of p.slots) {
        h.u32(PHASE[sl.phase]);
        h.num(sl.until);
        if (sl.owner === null) h.u32(ABSENT);
        else this.name(sl.owner);
        h.num(sl.freeFrom);
      }
    }
    let count = 0;
    for (const id of ctx.artifactIds) {
      const a = pit.artifacts[id];
      if (!a) {
        h.u32(ABSENT);
        continue;
      }
      count++;
      this.name(a.producer);
      h.num(a.version);
      h.num(a.size);
      h.u32(QUALITY[a.quality]);
      h.num(a.createdTick);
      h.num(a.lastUsedTick);
      h.u32(a.consumers.length);
      for (const c of a.consumers) this.name(c);
      if (a.ttl === null) h.u32(ABSENT);
      else h.num(a.ttl);
      h.bool(a.pinned);
    }
    // Artifacts outside the level's list cannot arise from play; a hand-made state may hold them.
    for (const id in pit.artifacts) if (!ctx.bits.artifactBit.has(id)) h.str(id);
    h.u32(count);
    h.num(pit.nextAllocation);
    h.u32(pit.allocations.length);
    for (const a of pit.allocations) {
      h.str(a.id);
      h.str(a.pool);
      h.str(a.owner);
      h.u32(a.slots.length);
      for (const x of a.slots) h.num(x);
      h.num(a.tick);
      h.bool(a.warm);
    }
  }
}

/** The hash of one state (from scratch: an env's `stateHash` keeps the running digests instead). */
export function hashState(ctx: CompiledLevel, s: GameState): string {
  return new StateHasher(ctx).hash(s);
}
