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
  return issues.map((i) => ({ path: formatPath(i.path), message: plain(i) }));
}

const KIND: Readonly<Record<string, string>> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
};

/**
 * zod's wording in plain words, naming the allowed values; the technical form stays in brackets where it
 * helps a programmer ("must be a whole number (expected int, received number)").
 */
function plain(i: z.core.$ZodIssue): string {
  const raw = i.message.replace(/^Invalid input: /, "");
  switch (i.code) {
    case "invalid_type": {
      const kind = KIND[i.expected] ?? i.expected;
      return /received undefined$/.test(i.message)
        ? `missing: expected ${i.expected} (${kind})`
        : `must be ${kind} (${raw})`;
    }
    case "invalid_value":
      return i.values.length === 1
        ? `must be ${JSON.stringify(i.values[0])}`
        : `must be one of: ${i.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
    case "too_big": {
      const n = Number(i.code === "too_small" ? i.minimum : i.maximum);
      const bound =
        i.code === "too_small"
          ? i.inclusive
            ? "at least"
            : "more than"
          : i.inclusive
            ? "at most"
            : "less than";
      if (i.origin === "array" || i.origin === "set") return `needs ${bound} ${n} item(s)`;
      if (i.origin === "string")
        return n === 1 && i.code === "too_small" ? "must not be empty" : `needs ${bound} ${n} character(s)`;
      return `must be ${bound} ${n}`;
    }
    case "unrecognized_keys":
      return `unknown field(s) ${i.keys.map((k) => JSON.stringify(k)).join(", ")}: remove them or check the spelling (${raw})`;
    default:
      return raw;
  }
}

/** Data nested deeper than this is refused: no level, scenario or dataset needs more, and a walk stays cheap. */
export const MAX_DEPTH = 64;

const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Refuses keys that would poison prototypes when the data is later spread or merged, and data nested
 * deeper than `maxDepth`. Iterative (a file nested thousands deep cannot overflow the stack), and paths
 * are only spelled out for the problems found.
 */
export function findPrototypeKeys(
  value: unknown,
  path: PropertyKey[] = [],
  maxDepth = MAX_DEPTH,
): ValidationIssue[] {
  if (value === null || typeof value !== "object") return [];
  const out: ValidationIssue[] = [];
  // Every object and array met, with its parent and key: a path is rebuilt from them when needed.
  const nodes: object[] = [value];
  const parents: number[] = [-1];
  const keys: PropertyKey[] = [""];
  const depths: number[] = [0];
  const pathOf = (i: number, last?: PropertyKey): string => {
    const rev: PropertyKey[] = last === undefined ? [] : [last];
    for (let j = i; j > 0; j = parents[j] as number) rev.push(keys[j] as PropertyKey);
    return formatPath([...path, ...rev.reverse()]);
  };
  for (let i = 0; i < nodes.length; i++) {
    const v = nodes[i] as Record<string, unknown>;
    const depth = depths[i] as number;
    if (depth >= maxDepth) {
      out.push({ path: pathOf(i), message: `nested more than ${maxDepth} levels deep` });
      break;
    }
    if (Array.isArray(v)) {
      for (let k = 0; k < v.length; k++) {
        const c = v[k] as unknown;
        if (c !== null && typeof c === "object") {
          nodes.push(c);
          parents.push(i);
          keys.push(k);
          depths.push(depth + 1);
        }
      }
      continue;
    }
    for (const key of Object.keys(v)) {
      if (FORBIDDEN.has(key)) {
        out.push({ path: pathOf(i, key), message: `forbidden key "${key}"` });
        continue;
      }
      const c = v[key];
      if (c !== null && typeof c === "object") {
        nodes.push(c);
        parents.push(i);
        keys.push(key);
        depths.push(depth + 1);
      }
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
