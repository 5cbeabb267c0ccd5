/**
 * `fq serve`: the engine for Python trainers (python/function_quest), over stdin and stdout. The same
 * engine as everything else, stepped through `fastStep`; this file only moves bytes.
 *
 * Every message is a frame: a uint32 length (little-endian, of what follows), a one-byte opcode, a payload.
 * Every reply is a frame whose opcode is `o` (ok) or `e` (error, payload: UTF-8 message). Numbers are
 * little-endian. A batch is a set of slots, each holding one env at a time (any level). docs/training.md
 * lists the opcodes; python/function_quest/_engine.py is the other side.
 *
 *   D describe   -> JSON: engine version, reward scale, tiers, and per level its id, title, tier, action
 *                   labels, action roles, observation names and step limit (the engine's own description)
 *   M make       JSON {slots, obsWidth, maskWidth, levels?, events?} -> JSON {slots}
 *   S step       per slot: int32 action, uint8 mode (0 step, 1 reset, 2 leave), uint32 seed, uint16 level
 *                -> per slot: float64 reward, float64 score, uint8 terminated, uint8 truncated, uint8 tier,
 *                   uint8 rejected, then float32 obs[obsWidth] and uint8 mask[maskWidth] per slot
 *   T text       uint32 slot -> UTF-8: a text view of the slot's last step (calls, flow phases, pools, score)
 *   G greedy     uint32 slot -> int32: the engine's greedy choice in the slot's state now (-1: none legal)
 *   O solve      JSON {level, seed} -> JSON {actions: [index], score}
 *   N generate   JSON {count, seed, tiers, band?} -> JSON {first, levels}: generates `count` levels
 *                (level k of tier tiers[k % tiers.length], generator seed seed + k; band "none" or
 *                "shipped"), appends them to the levels the batch plays (indexes first..first+count-1),
 *                and describes them as `D` does
 *   Q quit       -> (nothing; the process exits)
 */
import { readSync, writevSync } from "node:fs";
import {
  type CompiledLevel,
  createEnv,
  ENGINE_VERSION,
  type EngineEvent,
  type Env,
  type Band,
  type FastStep,
  type GeneratorTier,
  generateLevel,
  greedyChoice,
  NO_BAND,
  type Level,
  isDecision,
  observe,
  PREWARM,
  REWARD_SCALE,
  searchableActions,
  solve,
  tierOf,
} from "../engine/index.ts";
import { LEVELS } from "../levels/index.ts";
import { shippedBand } from "./generate.ts";

const TIERS = ["Apprentice", "Journeyman", "Master", "Grand Maestro"] as const;

/** One slot of the batch: its env per level (compiled once), the current one, and its last step. */
interface Slot {
  readonly envs: Map<number, Env>;
  env: Env | null;
  level: number;
  last: FastStep | null;
  events: readonly EngineEvent[];
  calls: string[];
}

/**
 * Input, read in large pieces: a request usually arrives whole, so one system call reads it (a frame header
 * and its payload read separately cost two, and the round trip is most of a single env's step).
 */
class Input {
  private buf = Buffer.alloc(1 << 16);
  private start = 0;
  private end = 0;

  /** The next `n` bytes (valid until the next call), or null at the end of input. */
  take(n: number): Buffer | null {
    if (this.end - this.start < n) {
      if (this.start > 0) {
        this.buf.copy(this.buf, 0, this.start, this.end);
        this.end -= this.start;
        this.start = 0;
      }
      if (n > this.buf.length) {
        const bigger = Buffer.alloc(Math.max(n, this.buf.length * 2));
        this.buf.copy(bigger, 0, 0, this.end);
        this.buf = bigger;
      }
      while (this.end < n) {
        let got: number;
        try {
          got = readSync(0, this.buf, this.end, this.buf.length - this.end, null);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === "EAGAIN") continue;
          if (code === "EOF") return null;
          throw e;
        }
        if (got === 0) return null;
        this.end += got;
      }
    }
    const out = this.buf.subarray(this.start, this.start + n);
    this.start += n;
    return out;
  }
}

/** Writes a reply frame with one system call, header and payload together, without copying the payload. */
function reply(op: "o" | "e", payload: Buffer): void {
  const head = Buffer.alloc(5);
  head.writeUInt32LE(payload.length + 1, 0);
  head.writeUInt8(op.charCodeAt(0), 4);
  let parts: Buffer[] = [head, payload];
  while (parts.length) {
    let n: number;
    try {
      n = writevSync(1, parts);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EAGAIN") continue;
      throw e;
    }
    // A partial write (a full pipe): keep what is left.
    const rest: Buffer[] = [];
    for (const p of parts) {
      if (n >= p.length) n -= p.length;
      else {
        rest.push(p.subarray(n));
        n = 0;
      }
    }
    parts = rest;
  }
}

const json = (x: unknown): Buffer => Buffer.from(JSON.stringify(x), "utf8");

/** The engine's description of every level: what Python builds its spaces, labels and ids from. */
function describe(levels: readonly Level[]): unknown {
  return {
    engine_version: ENGINE_VERSION,
    reward_scale: REWARD_SCALE,
    tiers: TIERS,
    levels: levels.map((level) => {
      const env = createEnv({ level });
      return {
        id: level.id,
        title: level.title,
        tier: level.tier,
        order: level.order,
        max_steps: env.ctx.maxSteps,
        actions: env.actionSpace.actions.map((a) => a.label),
        action_roles: actionRoles(env.ctx),
        observation: env.observationSpace.names,
        par: env.ctx.par,
      };
    }),
  };
}

/**
 * What each action is, by role rather than by name (features a policy can carry from one level to another):
 * its kind, the functions whose status it acts on (a decision: the failed function; a prewarm: none), and
 * whether it can contribute to the goal (`searchableActions`, the searches' own relevance).
 */
function actionRoles(ctx: CompiledLevel): { kind: string; fns: string[]; relevant: boolean }[] {
  const relevant = searchableActions(ctx);
  return ctx.actions.map((a, i) => {
    const first = a.calls[0] as (typeof a.calls)[number];
    const kind =
      a.calls.length > 1
        ? "group"
        : first.fn === PREWARM
          ? "prewarm"
          : isDecision(first.fn)
            ? "decision"
            : "call";
    const fns =
      kind === "decision"
        ? [first.args[0] as string]
        : a.calls.filter((c) => c.fn !== PREWARM).map((c) => c.fn);
    return { kind, fns, relevant: relevant[i] === 1 };
  });
}

/** A text view of a slot's last step: its calls, the Chambering Flow phases they went through, pools, score. */
function text(slot: Slot): string {
  const env = slot.env;
  if (!env) return "(no episode yet: reset first)";
  const ctx: CompiledLevel = env.ctx;
  const s = env.state();
  const o = observe(ctx, s);
  const lines = [`${ctx.level.title} — step ${o.step}/${ctx.maxSteps}, tick ${o.tick}, ${o.status}`];
  if (slot.calls.length) lines.push(`calls: ${slot.calls.join(" | ")}`);
  const phases = new Map<string, string[]>();
  for (const e of slot.events)
    if (e.type === "FlowPhase") phases.set(e.fn, [...(phases.get(e.fn) ?? []), e.phase]);
  for (const [fn, ps] of phases) lines.push(`  flow ${fn}: ${ps.join(" → ")}`);
  for (const e of slot.events) {
    if (e.type === "CallRejected") lines.push(`  rejected: ${e.reason}`);
    else if (e.type === "CallFailed") lines.push(`  failed: ${e.reason}${e.handled ? " (handled)" : ""}`);
    else if (e.type === "StabilityWarning") lines.push(`  warning: ${e.kind} on ${e.pool}`);
  }
  for (const p of o.pools)
    lines.push(
      `  pool ${p.id}: ${p.warm} warm, ${p.prewarmed} prewarmed of ${p.capacity}, heat ${p.heat}, utilisation ${Math.round(p.utilisation * 100)}%`,
    );
  lines.push(`goal ${o.goal.met}/${o.goal.total}; facts: ${o.facts.join(", ") || "none"}`);
  const score = s.score;
  lines.push(
    score ? `score ${score.total}/200 — ${score.tier}` : `points earned so far: ${slot.last?.score ?? 0}`,
  );
  return lines.join("\n");
}

/** Serves one batch of slots until `Q` or the end of input. */
export function serve(base: readonly Level[] = LEVELS): void {
  // The levels the batch can play: the shipped ones, then any generated (`N`).
  let levels: readonly Level[] = base;
  let slots: Slot[] = [];
  let obsWidth = 0;
  let maskWidth = 0;
  let withEvents = false;
  const input = new Input();
  for (;;) {
    const head = input.take(5);
    if (!head) return;
    const len = head.readUInt32LE(0);
    const op = String.fromCharCode(head.readUInt8(4));
    // The payload views the input buffer: every request is handled before the next is read.
    const payload = input.take(len - 1);
    if (!payload) return;
    try {
      switch (op) {
        case "D":
          reply("o", json(describe(levels)));
          break;
        case "M": {
          const m = JSON.parse(payload.toString("utf8")) as {
            slots: number;
            obsWidth: number;
            maskWidth: number;
            events?: boolean;
          };
          if (!Number.isInteger(m.slots) || m.slots < 1 || m.slots > 4096)
            throw new Error(`make: slots must be 1..4096, got ${m.slots}`);
          obsWidth = m.obsWidth;
          maskWidth = m.maskWidth;
          withEvents = m.events === true;
          slots = Array.from({ length: m.slots }, () => ({
            envs: new Map(),
            env: null,
            level: -1,
            last: null,
            events: [],
            calls: [],
          }));
          reply("o", json({ slots: slots.length }));
          break;
        }
        case "S":
          reply("o", stepBatch(payload));
          break;
        case "T": {
          const slot = slots[payload.readUInt32LE(0)];
          if (!slot) throw new Error(`text: no slot ${payload.readUInt32LE(0)}`);
          reply("o", Buffer.from(text(slot), "utf8"));
          break;
        }
        case "G": {
          const slot = slots[payload.readUInt32LE(0)];
          if (!slot?.env) throw new Error(`greedy: slot ${payload.readUInt32LE(0)} has no episode`);
          const choice = greedyChoice(slot.env.ctx, slot.env.state());
          const b = Buffer.alloc(4);
          b.writeInt32LE(choice?.action ?? -1, 0);
          reply("o", b);
          break;
        }
        case "O": {
          const q = JSON.parse(payload.toString("utf8")) as { level: string; seed: number };
          const level = levels.find((l) => l.id === q.level);
          if (!level) throw new Error(`solve: unknown level "${q.level}"`);
          const env = createEnv({ level, seed: q.seed });
          const sol = solve(env.ctx, { seed: q.seed });
          reply(
            "o",
            json({
              actions: sol.actions.map((a) => env.ctx.actionIndex.get(a)),
              score: sol.score?.total ?? null,
              found: sol.found,
            }),
          );
          break;
        }
        case "N": {
          const g = JSON.parse(payload.toString("utf8")) as {
            count: number;
            seed: number;
            tiers: number[];
            band?: "none" | "shipped";
          };
          if (!Number.isInteger(g.count) || g.count < 1 || g.count > 10_000)
            throw new Error(`generate: count must be 1..10000, got ${g.count}`);
          if (!Array.isArray(g.tiers) || !g.tiers.length || g.tiers.some((t) => ![1, 2, 3, 4].includes(t)))
            throw new Error(
              `generate: tiers must be a non-empty list of 1..4, got ${JSON.stringify(g.tiers)}`,
            );
          const bands = new Map<number, Band>();
          const bandOfTier = (t: number): Band => {
            if (g.band !== "shipped") return NO_BAND;
            let b = bands.get(t);
            if (!b) {
              b = shippedBand(t);
              bands.set(t, b);
            }
            return b;
          };
          const made: Level[] = [];
          for (let k = 0; k < g.count; k++) {
            const tier = g.tiers[k % g.tiers.length] as GeneratorTier;
            made.push(generateLevel(tier, (g.seed + k) >>> 0, bandOfTier(tier)).level);
          }
          const first = levels.length;
          levels = [...levels, ...made];
          reply("o", json({ first, levels: (describe(made) as { levels: unknown[] }).levels }));
          break;
        }
        case "Q":
          return;
        default:
          throw new Error(`unknown opcode ${JSON.stringify(op)}`);
      }
    } catch (e) {
      reply("e", Buffer.from((e as Error).message, "utf8"));
    }
  }

  function stepBatch(p: Buffer): Buffer {
    const n = slots.length;
    const per = 11; // int32 action, uint8 mode, uint32 seed, uint16 level
    if (p.length !== n * per)
      throw new Error(`step: expected ${n * per} bytes for ${n} slots, got ${p.length}`);
    const headBytes = 8 + 8 + 4; // reward, score, four flags
    const out = Buffer.alloc(n * (headBytes + obsWidth * 4 + maskWidth));
    const obs = new Float32Array(out.buffer, out.byteOffset + n * headBytes, n * obsWidth);
    const masks = new Uint8Array(out.buffer, out.byteOffset + n * (headBytes + obsWidth * 4), n * maskWidth);
    for (let i = 0; i < n; i++) {
      const slot = slots[i] as Slot;
      const action = p.readInt32LE(i * per);
      const mode = p.readUInt8(i * per + 4);
      const seed = p.readUInt32LE(i * per + 5);
      const li = p.readUInt16LE(i * per + 9);
      let r: FastStep | null = slot.last;
      if (mode === 1) {
        const level = levels[li];
        if (!level) throw new Error(`step: slot ${i}: no level ${li}`);
        let env = slot.envs.get(li);
        if (!env) {
          env = createEnv({ level, events: withEvents });
          slot.envs.set(li, env);
        }
        if (env.observationSpace.size > obsWidth || env.actionSpace.n > maskWidth)
          throw new Error(
            `step: level ${level.id} needs ${env.observationSpace.size} x ${env.actionSpace.n}`,
          );
        slot.env = env;
        slot.level = li;
        r = env.fastReset(seed);
        slot.events = [];
        slot.calls = [];
      } else if (mode === 0) {
        const env = slot.env;
        if (!env) throw new Error(`step: slot ${i} has no episode: reset it first`);
        // An index outside the level's actions (a padded action of a multi-level space) is the engine's
        // to refuse: a rejected step, as any illegal action.
        if (withEvents) {
          // Rendering wants the step's events: take the general path, then refresh the buffers.
          const full = env.step(action);
          slot.events = full.info.events;
          slot.calls.push(full.info.action);
          r = mirror(env, full);
        } else r = env.fastStep(action);
      }
      slot.last = r;
      const at = i * headBytes;
      if (!r) {
        out.fill(0, at, at + headBytes);
        continue;
      }
      out.writeDoubleLE(r.reward, at);
      out.writeDoubleLE(r.score, at + 8);
      out.writeUInt8(r.terminated ? 1 : 0, at + 16);
      out.writeUInt8(r.truncated ? 1 : 0, at + 17);
      out.writeUInt8(TIERS.indexOf(tierOf(r.score)), at + 18);
      out.writeUInt8(r.rejected ? 1 : 0, at + 19);
      obs.set(r.observation, i * obsWidth);
      masks.set(r.mask, i * maskWidth);
    }
    return out;
  }
}

/** A FastStep-shaped view of a general step (used when events are wanted). */
function mirror(env: Env, full: ReturnType<Env["step"]>): FastStep {
  return {
    reward: full.reward,
    terminated: full.terminated,
    truncated: full.truncated,
    rejected: full.info.rejection?.code ?? null,
    score: full.info.score.total,
    observation: Float64Array.from(full.observation.vector),
    mask: env.actionMask(),
  };
}
