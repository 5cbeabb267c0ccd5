import { slotPhaseAt } from "../pit-sim/index.ts";
import {
  actionLabel,
  type CompiledLevel,
  callLabel,
  isDecision,
  PREWARM,
  parseActionText,
} from "./compile.ts";
import { artifactKey } from "./keys.ts";
import type { LevelFunction } from "./level.ts";
import type { Action, ActionSpec, Call, GameState, Rejection, RejectionCode } from "./types.ts";

/**
 * Legality: why an action cannot run now, and the action mask. Two paths share one set of rules:
 * `checkCall` explains a rejection in words; the mask and readiness ask only yes or no, through bitsets
 * compiled per action (`CompiledLevel.checks`), and fall back to `checkCall` only for the few needs a
 * bitset cannot express (reconstructable inputs, quality gates, optional inputs).
 */

export const reject = (code: RejectionCode, fn: string | null, message: string): Rejection => ({
  code,
  fn,
  message,
});

/** An optional input is settled when present, or when no pending producer could still make it. */
function optionalSettled(ctx: CompiledLevel, s: GameState, artifact: string): boolean {
  if (s.pit.artifacts[artifact]) return true;
  const prods = ctx.producers.get(artifactKey(artifact)) ?? [];
  return prods.every((p) => s.pit.dag[p] === "skipped" || s.broken.includes(p));
}

/** True when a missing artifact can be rebuilt in reverse from what it became downstream. */
export function reconstructable(ctx: CompiledLevel, s: GameState, artifact: string): boolean {
  const r = ctx.reconstructions.get(artifact);
  return r?.from.every((a) => s.pit.artifacts[a] !== undefined) ?? false;
}

/** A slot the pool could prewarm now: cold, or warm but already cooled down. */
export function hasColdSlot(s: GameState, pool: number): boolean {
  const st = s.pit.pools[pool];
  if (!st) return false;
  for (const sl of st.slots) if (slotPhaseAt(sl, s.tick) === "cold") return true;
  return false;
}

/** Why one call cannot run now, or null when it can. */
export function checkCall(ctx: CompiledLevel, s: GameState, call: Call, detail = true): Rejection | null {
  // Masks and readiness only need yes or no: skip building the message there.
  const reject = (code: RejectionCode, fn: string | null, message: () => string): Rejection =>
    detail ? { code, fn, message: message() } : { code, fn, message: "" };
  const p = s.pending;
  if (isDecision(call.fn)) {
    const target = call.args[0] ?? "";
    if (!p) return reject("no-decision", target, () => `nothing is waiting for a recovery decision`);
    if (p.failed !== target)
      return reject("no-decision", target, () => `${p.failed} is waiting for a decision, not ${target}`);
    if (!p.options.includes(call.fn))
      return reject(
        "no-decision",
        target,
        () =>
          `${target} cannot ${call.fn === "skip" ? "be skipped" : call.fn} now: choose ${p.options.map((o) => `${o}(${target})`).join(", ")}`,
      );
    return null;
  }
  if (p)
    return reject(
      "decision-pending",
      p.failed,
      () =>
        `first decide how ${p.failed} recovers from its ${p.kind} failure: ${p.options.map((o) => `${o}(${p.failed})`).join(", ")}`,
    );
  if (call.fn === PREWARM) {
    const poolId = call.args[0] ?? "";
    const pool = ctx.poolById.get(poolId);
    if (!pool || pool.coldStart === 0)
      return reject("unknown-action", PREWARM, () => `no pool "${poolId}" to prewarm`);
    if (!hasColdSlot(s, ctx.pools.indexOf(pool)))
      return reject("no-cold-slot", PREWARM, () => `every slot of "${poolId}" is already warm`);
    return null;
  }
  const f = ctx.fns.get(call.fn);
  if (!f) return reject("unknown-action", call.fn, () => `this level has no function "${call.fn}"`);
  if (!f.callable) return reject("not-callable", f.id, () => `${f.id} runs only as a fallback`);
  if (call.args.length !== f.params.length)
    return reject(
      "bad-argument",
      f.id,
      () =>
        `${f.id} takes ${f.params.length} argument(s) (${f.params.map((p) => `${p.name}: ${p.values.join(" | ")}`).join(", ") || "none"}), got ${call.args.length}`,
    );
  if (s.broken.includes(f.id)) return reject("broken", f.id, () => `${f.id} failed permanently this episode`);
  for (const p of f.permission) {
    if (!s.facts.includes(p)) return reject("permission", f.id, () => `${f.id} needs permission "${p}"`);
  }
  for (const x of f.needs.facts) {
    if (!s.facts.includes(x)) return reject("missing-fact", f.id, () => `${f.id} needs "${x}" first`);
  }
  for (const a of f.needs.artifacts) {
    const art = s.pit.artifacts[a];
    if (!art) {
      if (reconstructable(ctx, s, a)) continue;
      return reject("missing-input", f.id, () => `${f.id} needs artifact "${a}", which is not in the store`);
    }
    if (f.requiresGood && art.quality !== "good")
      return reject("quality", f.id, () => `${f.id} refuses "${a}": its quality is ${art.quality}`);
  }
  for (const a of f.needs.optional) {
    if (!optionalSettled(ctx, s, a)) return reject("missing-input", f.id, () => `${f.id} waits for "${a}"`);
  }
  for (let i = 0; i < f.params.length; i++) {
    const p = f.params[i] as LevelFunction["params"][number];
    const v = call.args[i] as string;
    if (!p.values.includes(v))
      return reject("bad-argument", f.id, () => `${f.id}: ${p.name} cannot be "${v}"`);
    if (!s.pit.artifacts[v])
      return reject("bad-argument", f.id, () => `${f.id}: "${v}" is not in the artifact store`);
  }
  for (const [pool, amount] of ctx.needsOf.get(f.id) ?? []) {
    const cfg = ctx.poolById.get(pool);
    if (!cfg || amount > cfg.capacity)
      return reject(
        "capacity",
        f.id,
        () => `${f.id} needs ${amount} slot(s) of "${pool}", which has ${cfg?.capacity ?? 0}`,
      );
  }
  return null;
}

/** True for an entry of a level's action space (as opposed to an action object built by a caller). */
export function isSpec(a: Action): a is ActionSpec {
  return (a as Partial<ActionSpec>).members !== undefined;
}

/** Why an action cannot run now, or null when it can. */
export function checkAction(ctx: CompiledLevel, s: GameState, action: Action): Rejection | null {
  if (s.status !== "playing") return reject("episode-over", null, `the episode is over (${s.status})`);
  if (action.calls.length === 0) return reject("unknown-action", null, "an action needs at least one call");
  // An entry of the action space was checked for size and independence when the level was compiled.
  if (action.calls.length > 1 && !isSpec(action)) {
    if (action.calls.length > ctx.level.maxParallel)
      return reject(
        "group-too-large",
        null,
        `this level runs at most ${ctx.level.maxParallel} call(s) at once`,
      );
    const idx = action.calls.map((c) => ctx.actionIndex.get(callLabel(c)));
    const label = actionLabel(
      action.calls
        .slice()
        .sort((a, b) => (ctx.actionIndex.get(callLabel(a)) ?? 0) - (ctx.actionIndex.get(callLabel(b)) ?? 0)),
    );
    if (idx.every((i) => i !== undefined) && !ctx.actionIndex.has(label))
      return reject(
        "not-independent",
        null,
        `${label}: these calls depend on each other and cannot run in parallel`,
      );
  }
  for (const c of action.calls) {
    const r = checkCall(ctx, s, c);
    if (r) return r;
  }
  return null;
}

/**
 * The facts and artifacts present now, as the level's bitset (facts first, then artifacts). Written into
 * the compiled level's scratch words: valid until the next call.
 */
export function presence(ctx: CompiledLevel, s: GameState): Int32Array {
  const sc = ctx.scratch;
  const have = sc.have;
  // Asked several times per step (the action's check, stuck detection, the mask, the observation): the
  // engine changes presence only inside a step, which moves `step` or calls `forgetPresence`.
  if (sc.of === s && sc.step === s.step && sc.tick === s.tick && sc.facts === s.facts.length) return have;
  sc.of = s;
  sc.step = s.step;
  sc.tick = s.tick;
  sc.facts = s.facts.length;
  have.fill(0);
  const { factBit, artifactBit } = ctx.bits;
  const facts = s.facts;
  for (let k = 0; k < facts.length; k++) {
    const b = factBit.get(facts[k] as string);
    if (b !== undefined) have[b >>> 5] = (have[b >>> 5] as number) | (1 << (b & 31));
  }
  for (const a in s.pit.artifacts) {
    const b = artifactBit.get(a);
    if (b !== undefined) have[b >>> 5] = (have[b >>> 5] as number) | (1 << (b & 31));
  }
  return have;
}

const hasBit = (have: Int32Array, bit: number): boolean =>
  bit >= 0 && (((have[bit >>> 5] as number) >>> (bit & 31)) & 1) === 1;

const covers = (have: Int32Array, need: Int32Array): boolean => {
  for (let w = 0; w < need.length; w++) {
    const n = need[w] as number;
    if (((have[w] as number) & n) !== n) return false;
  }
  return true;
};

/** Drops the remembered presence bitset: the state's facts or artifacts changed within a step. */
export function forgetPresence(ctx: CompiledLevel): void {
  ctx.scratch.of = null;
}

/**
 * Why an entry of the action space cannot run now, or null: the bitset check answers a legal action with
 * no allocation, and only a refused one pays for `checkAction`'s message.
 */
export function checkSpec(ctx: CompiledLevel, s: GameState, spec: ActionSpec): Rejection | null {
  if (s.status === "playing") {
    const have = presence(ctx, s);
    let ok = true;
    for (let k = 0; k < spec.members.length; k++) {
      if (!singleLegal(ctx, s, spec.members[k] as number, have)) {
        ok = false;
        break;
      }
    }
    if (ok) return null;
  }
  return checkAction(ctx, s, spec);
}

/**
 * Whether single action `i` is legal, given the presence bitset of `s` (see `presence`). The same rules as
 * `checkCall`, compiled (a property test holds the two together); allocates nothing.
 */
export function singleLegal(ctx: CompiledLevel, s: GameState, i: number, have: Int32Array): boolean {
  const c = ctx.checks[i];
  if (!c || c.kind === "never") return false;
  // A paused call takes a decision first, and a decision needs a paused call that offers it.
  const p = s.pending;
  if (c.kind === "decide") return p !== null && p.failed === c.fn && p.options.includes(c.decision);
  if (p) return false;
  if (c.kind === "prewarm") return hasColdSlot(s, c.pool);
  if (s.broken.length && s.broken.includes(c.fn)) return false;
  if (!covers(have, c.need)) return false;
  for (let k = 0; k < c.rebuilt.length; k++) {
    const r = c.rebuilt[k] as (typeof c.rebuilt)[number];
    if (!hasBit(have, r.bit) && !covers(have, r.from)) return false;
  }
  for (let k = 0; k < c.good.length; k++) {
    const art = s.pit.artifacts[c.good[k] as string];
    if (art && art.quality !== "good") return false;
  }
  for (let k = 0; k < c.optional.length; k++) {
    const o = c.optional[k] as (typeof c.optional)[number];
    if (hasBit(have, o.bit)) continue;
    for (let q = 0; q < o.producers.length; q++) {
      const p = o.producers[q] as string;
      if (s.pit.dag[p] !== "skipped" && !s.broken.includes(p)) return false;
    }
  }
  return true;
}

/** The action mask: 1 where the action at that index is legal now. */
export function actionMask(
  ctx: CompiledLevel,
  s: GameState,
  out?: Uint8Array,
  /** The state's presence bitset, when the caller has it already. */
  known?: Int32Array,
): Uint8Array {
  const mask = out ?? new Uint8Array(ctx.actions.length);
  if (s.status !== "playing") {
    mask.fill(0);
    return mask;
  }
  const have = known ?? presence(ctx, s);
  for (let i = 0; i < ctx.singles; i++) mask[i] = singleLegal(ctx, s, i, have) ? 1 : 0;
  for (let i = ctx.singles; i < ctx.actions.length; i++) {
    const members = (ctx.actions[i] as ActionSpec).members;
    let ok = 1;
    for (let k = 0; k < members.length; k++) {
      if (!mask[members[k] as number]) {
        ok = 0;
        break;
      }
    }
    mask[i] = ok;
  }
  return mask;
}

/** True when at least one action is legal now (an episode with none is stuck). */
export function hasLegalAction(ctx: CompiledLevel, s: GameState): boolean {
  const have = presence(ctx, s);
  for (let i = 0; i < ctx.singles; i++) if (singleLegal(ctx, s, i, have)) return true;
  return false;
}

/** Resolves a number, a label or an action object to an action; null when it names nothing. */
export function resolveAction(ctx: CompiledLevel, a: number | string | Action): Action | null {
  if (typeof a === "number") return ctx.actions[a] ?? null;
  if (typeof a === "string") {
    const i = ctx.actionIndex.get(a);
    if (i !== undefined) return ctx.actions[i] as Action;
    // Not a canonical label (say, a group written in another order): read it as calls.
    const parsed = parseActionText(a);
    return parsed.ok ? { calls: parsed.calls } : null;
  }
  return a;
}

/** True when a function's facts, permissions and artifact inputs are all present (the DAG's "ready"). */
export function needsMet(s: GameState, f: LevelFunction): boolean {
  for (const x of f.needs.facts) if (!s.facts.includes(x)) return false;
  for (const x of f.permission) if (!s.facts.includes(x)) return false;
  for (const a of f.needs.artifacts) if (!s.pit.artifacts[a]) return false;
  return true;
}
