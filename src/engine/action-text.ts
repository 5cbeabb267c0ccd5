import type { CompiledLevel } from "./compile.ts";
import { actionLabel, callLabel } from "./compile.ts";
import type { Call } from "./types.ts";

/** Actions written as text (the CLI's notation, the level files' solutions): reading and finding them. */

/** Parses `fn`, `fn(a, b)` or `a + b(x)` into calls; returns an error message on bad syntax. */
export function parseActionText(text: string): { ok: true; calls: Call[] } | { ok: false; message: string } {
  const parts = text.split("+").map((p) => p.trim());
  const calls: Call[] = [];
  for (const p of parts) {
    const m = /^([a-z][a-z0-9_.-]*)\s*(?:\(([^()]*)\))?$/.exec(p);
    if (!m) return { ok: false, message: `cannot read "${p}" as a call: write fn or fn(arg)` };
    const args = m[2]?.trim() ? m[2].split(",").map((a) => a.trim()) : [];
    calls.push({ fn: m[1] as string, args });
  }
  return { ok: true, calls };
}

/** The index of an action written as text, whatever the order of a group's calls; null if none. */
export function actionIndexOf(ctx: CompiledLevel, text: string): number | null {
  const direct = ctx.actionIndex.get(text);
  if (direct !== undefined) return direct;
  const parsed = parseActionText(text);
  if (!parsed.ok) return null;
  const singles = parsed.calls.map((c) => ctx.actionIndex.get(callLabel(c)));
  if (singles.some((i) => i === undefined)) return null;
  const ordered = parsed.calls
    .map((c, k) => ({ c, i: singles[k] as number }))
    .sort((a, b) => a.i - b.i)
    .map((x) => x.c);
  return ctx.actionIndex.get(actionLabel(ordered)) ?? null;
}
