import type { z } from "zod";

/** One problem found in input data: where it is (a JSON path) and what is wrong. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

/** Thrown (only at load boundaries, never from a step) when data fails validation. */
export class ValidationError extends Error {
  constructor(
    readonly source: string,
    readonly issues: readonly ValidationIssue[],
  ) {
    super(
      `${source}: ${issues.length} problem${issues.length === 1 ? "" : "s"}\n${issues.map((i) => `  ${i.path || "(root)"}: ${i.message}`).join("\n")}`,
    );
    this.name = "ValidationError";
  }
}

/** `functions[2].needs[0]` style path from a list of keys. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** Converts zod issues to ours. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[]): ValidationIssue[] {
  return issues.map((i) => ({ path: formatPath(i.path), message: plain(i.message) }));
}

/** zod's "Invalid input: expected string, received undefined" reads better as what it means. */
function plain(message: string): string {
  const missing = /^Invalid input: expected (\w+), received undefined$/.exec(message);
  if (missing) return `missing: expected ${missing[1]}`;
  return message.replace(/^Invalid input: /, "");
}

/** Refuses keys that would poison prototypes when the data is later spread or merged. */
export function findPrototypeKeys(value: unknown, path: PropertyKey[] = []): ValidationIssue[] {
  if (value === null || typeof value !== "object") return [];
  const out: ValidationIssue[] = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push(...findPrototypeKeys(v, [...path, i]));
    });
    return out;
  }
  for (const key of Object.keys(value)) {
    if (key === "__proto__" || key === "constructor" || key === "prototype") {
      out.push({ path: formatPath([...path, key]), message: `forbidden key "${key}"` });
    } else {
      out.push(...findPrototypeKeys((value as Record<string, unknown>)[key], [...path, key]));
    }
  }
  return out;
}

/** Parses JSON text, turning a syntax error into a validation issue that names the position. */
export function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ValidationError(source, [{ path: "", message: `not valid JSON: ${(e as Error).message}` }]);
  }
}
