/**
 * The recovery decisions a function declares: what a `"choose"` level may offer when it fails (no zod here:
 * the compiled level needs this on the play path, which ships without the validators).
 */
export function decisionsOf(f: {
  readonly recovery: {
    readonly retries: number;
    readonly fallback?: string | undefined;
    readonly skippable: boolean;
  };
}): ("retry" | "fallback" | "skip")[] {
  const out: ("retry" | "fallback" | "skip")[] = [];
  if (f.recovery.retries > 0) out.push("retry");
  if (f.recovery.fallback) out.push("fallback");
  if (f.recovery.skippable) out.push("skip");
  return out;
}
