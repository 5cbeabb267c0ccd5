/**
 * One rule for seeds everywhere (engine, CLI, URL, datasets, Python): a whole number from 0 to 4294967295,
 * the generator's uint32. Anything else is refused with the range named; nothing is wrapped or rounded.
 */
export const SEED_MAX = 0xffffffff;

/** Returns the seed, or throws a RangeError naming the range. */
export function checkSeed(seed: number, what = "seed"): number {
  if (!Number.isInteger(seed) || seed < 0 || seed > SEED_MAX)
    throw new RangeError(
      `${what} must be a whole number from 0 to ${SEED_MAX} (uint32), got ${String(seed)}`,
    );
  return seed;
}

/** A seed written as text (a URL, a flag): digits only and within uint32, or null. */
export function parseSeedText(text: string): number | null {
  return /^\d{1,10}$/.test(text) && Number(text) <= SEED_MAX ? Number(text) : null;
}
