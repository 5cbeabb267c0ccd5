import type { FailureKind } from "../pit-sim/index.ts";
import { activate, type Activation, release } from "./activation.ts";
import type { Events, Flow, Plan } from "./call-flow.ts";
import type { CompiledLevel } from "./compile.ts";
import { factKey } from "./keys.ts";
import type { LevelFunction } from "./level.ts";
import { markBroken, markUsed } from "./state.ts";
import type { Decision, GameState, PendingDecision } from "./types.ts";
import { durationFor, failureFor } from "./world.ts";

/**
 * The use phase of a call and its recovery: each attempt (the seed's failures and jitter, `world.ts`), and on
 * failure the level's recovery, automatic (retry, fallback, graceful skip, or give up) or, on a `"choose"`
 * level, a pause in `deciding` for the player's decision (`PendingDecision`; `runDecision` in call.ts
 * resumes it).
 */

export interface Used {
  /** The function that finally ran: the main one, or a fallback. */
  f: LevelFunction;
  outcome: "ok" | "failed" | "skipped" | "paused";
  act: Activation;
  firstStart: number;
  startUse: number;
  tick: number;
}

/** Where a call stands in its use phase: what the loop below carries from attempt to attempt. */
export interface Use {
  readonly main: LevelFunction;
  f: LevelFunction;
  attemptsLeft: number;
  tried: string[];
  act: Activation;
  readonly firstStart: number;
  startUse: number;
  tick: number;
}

/** The decisions a `"choose"` level offers after `f` failed: declared by `f`, with requirements holding. */
function offered(ctx: CompiledLevel, s: GameState, u: Use): Decision[] {
  const f = u.f;
  const out: Decision[] = [];
  if (
    f.recovery.retries > 0 &&
    u.attemptsLeft > 0 &&
    f.recovery.retryRequires.every((x) => s.facts.includes(x))
  )
    out.push("retry");
  const fb = f.recovery.fallback;
  if (fb && ctx.fns.has(fb) && !u.tried.includes(fb) && !s.broken.includes(fb)) out.push("fallback");
  if (f.recovery.skippable) out.push("skip");
  return out;
}

/** Use, with recovery: each failed attempt is retried, handed to a fallback, skipped, or given up. */
export function useWithRecovery(
  ctx: CompiledLevel,
  s: GameState,
  p: Plan,
  from: number,
  flow: Flow | null,
  ev: Events,
): Used {
  const main = p.fn as LevelFunction;
  const act = activate(ctx, s, main, from, ev);
  const u: Use = {
    main,
    f: main,
    attemptsLeft: main.recovery.retries,
    tried: [main.id],
    act,
    firstStart: act.start,
    startUse: act.start,
    tick: from,
  };
  flow?.send({ type: "ACTIVATED" }, u.tick);
  return attempts(ctx, s, p, u, flow, ev);
}

/** The attempts of a call: each use, and on failure the level's recovery (automatic, or a pause to choose). */
export function attempts(
  ctx: CompiledLevel,
  s: GameState,
  p: Plan,
  u: Use,
  flow: Flow | null,
  ev: Events,
): Used {
  const main = u.main;
  const choose = ctx.level.recovery === "choose";
  for (;;) {
    const f = u.f;
    const attempt = (s.attempts[f.id] ?? 0) + 1;
    s.attempts[f.id] = attempt;
    ev?.push({ type: "StatePrepared", fn: f.id, attempt, tick: u.startUse });
    s.m.calls++;
    let kind: FailureKind | "argument" | null = null;
    let reason = "";
    for (let i = 0; i < f.params.length && f === main; i++) {
      const prm = f.params[i] as LevelFunction["params"][number];
      const v = p.call.args[i] as string;
      if (!prm.accepts.includes(v)) {
        kind = "argument";
        reason = `${f.id} cannot use "${v}" as ${prm.name}`;
      }
    }
    if (!kind) {
      // A function that failed for good fails again (a retry chosen after a permanent failure).
      kind = s.broken.includes(f.id) ? "permanent" : failureFor(ctx, s.seed, f, attempt);
      if (kind)
        reason =
          kind === "corrupt"
            ? `${f.id} produced corrupt output: the quality gate refused it`
            : `${f.id} failed (${kind})`;
    }
    u.tick = u.startUse + u.act.extra + durationFor(ctx, s.seed, f, attempt);
    if (!kind) {
      flow?.send({ type: "USAGE_SUCCEEDED" }, u.tick);
      return { f, outcome: "ok", act: u.act, firstStart: u.firstStart, startUse: u.startUse, tick: u.tick };
    }
    if (kind === "corrupt")
      for (const a of f.produces.artifacts)
        ev?.push({ type: "ArtifactRejected", fn: f.id, artifact: a.id, reason: "quality gate: corrupt" });
    flow?.send({ type: "USAGE_FAILED", reason }, u.tick);
    if (choose && kind !== "argument") {
      if (kind === "permanent") markBroken(s, f.id);
      const options = offered(ctx, s, u);
      if (options.length) {
        ev?.push({ type: "CallFailed", fn: f.id, kind, reason, attempt, handled: true });
        ev?.push({ type: "DecisionAwaited", fn: f.id, kind, options: options.slice(), tick: u.tick });
        flow?.send({ type: "AWAIT_DECISION", options }, u.tick);
        // The call waits without its slots (they go back warm): nothing else waits on a pause.
        release(ctx, s, { fn: f.id, act: u.act, tick: u.tick, ev });
        const paused: PendingDecision = {
          fn: main.id,
          failed: f.id,
          label: p.label,
          args: p.call.args.slice(),
          kind,
          attempt,
          attemptsLeft: u.attemptsLeft,
          tried: u.tried.slice(),
          options,
          reason,
          step: s.step,
          firstStart: u.firstStart,
          startUse: u.startUse,
          tick: u.tick,
          wasDone: s.pit.dag[main.id] === "done",
          act: { allocs: [], start: u.act.start, extra: u.act.extra },
          next: null,
        };
        // Two calls of one group may pause: the second waits for its decision after the first.
        s.pending = queueDecision(s.pending, paused);
        return {
          f,
          outcome: "paused",
          act: u.act,
          firstStart: u.firstStart,
          startUse: u.startUse,
          tick: u.tick,
        };
      }
    } else {
      const safe = f.recovery.retryRequires.every((x) => s.facts.includes(x));
      const fb = f.recovery.fallback ? ctx.fns.get(f.recovery.fallback) : undefined;
      if (kind !== "argument" && kind !== "permanent" && u.attemptsLeft > 0 && safe) {
        ev?.push({ type: "CallFailed", fn: f.id, kind, reason, attempt, handled: true });
        flow?.send({ type: "RETRY", attemptsLeft: u.attemptsLeft, safe }, u.tick);
        retry(s, u, attempt, ev);
        continue;
      }
      if (kind !== "argument" && fb && !u.tried.includes(fb.id) && !s.broken.includes(fb.id)) {
        ev?.push({ type: "CallFailed", fn: f.id, kind, reason, attempt, handled: true });
        if (kind === "permanent") markBroken(s, f.id);
        flow?.send({ type: "FALLBACK", fallback: fb.id }, u.tick);
        fallBack(ctx, s, u, fb, flow, ev);
        continue;
      }
      if (kind !== "argument" && f.recovery.skippable) {
        ev?.push({ type: "CallFailed", fn: f.id, kind, reason, attempt, handled: true });
        flow?.send({ type: "SKIP", skippable: true }, u.tick);
        return skip(s, u, ev);
      }
    }
    ev?.push({ type: "CallFailed", fn: f.id, kind, reason, attempt, handled: false });
    if (kind === "argument") s.m.wrongArgs++;
    else {
      s.m.unhandled++;
      if (kind === "permanent") markBroken(s, f.id);
    }
    flow?.send({ type: "GIVE_UP" }, u.tick);
    return { f, outcome: "failed", act: u.act, firstStart: u.firstStart, startUse: u.startUse, tick: u.tick };
  }
}

/** Recovery by retry: the slots stay allocated and warm; the next attempt starts when this one failed. */
export function retry(s: GameState, u: Use, attempt: number, ev: Events): void {
  u.attemptsLeft--;
  s.m.retries++;
  // The preparation that made the retry safe was put to use.
  for (const x of u.f.recovery.retryRequires) markUsed(s, factKey(x));
  ev?.push({ type: "RetryAttempted", fn: u.f.id, attempt: attempt + 1 });
  u.startUse = u.tick;
  u.act.extra = 0;
}

/** Recovery by fallback: the failed function's slots are released and the fallback is activated. */
export function fallBack(
  ctx: CompiledLevel,
  s: GameState,
  u: Use,
  fb: LevelFunction,
  flow: Flow | null,
  ev: Events,
): void {
  ev?.push({ type: "FallbackActivated", fn: u.f.id, fallback: fb.id });
  s.m.fallbacks++;
  release(ctx, s, { fn: u.f.id, act: u.act, tick: u.tick, ev });
  u.tried.push(fb.id);
  u.f = fb;
  u.attemptsLeft = fb.recovery.retries;
  u.act = activate(ctx, s, fb, u.tick, ev);
  u.startUse = u.act.start;
  flow?.send({ type: "ACTIVATED" }, u.tick);
}

/** Recovery by graceful skip: the call ends without its results. */
export function skip(s: GameState, u: Use, ev: Events): Used {
  ev?.push({ type: "GracefullySkipped", fn: u.main.id });
  s.m.skips++;
  return {
    f: u.f,
    outcome: "skipped",
    act: u.act,
    firstStart: u.firstStart,
    startUse: u.startUse,
    tick: u.tick,
  };
}

/** Appends a paused call to the queue of decisions (pending decisions are never mutated, only rebuilt). */
function queueDecision(head: PendingDecision | null, pd: PendingDecision): PendingDecision {
  return head ? { ...head, next: queueDecision(head.next, pd) } : pd;
}

/** Paused calls the episode ended on: each failure counts as unhandled. */
export function abandonPending(s: GameState, ev: Events): void {
  for (let pd = s.pending; pd; pd = pd.next) {
    s.m.unhandled++;
    ev?.push({
      type: "CallFailed",
      fn: pd.failed,
      kind: pd.kind,
      reason: pd.reason,
      attempt: pd.attempt,
      handled: false,
    });
  }
  s.pending = null;
}
