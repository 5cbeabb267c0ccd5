/**
 * Seeded pseudo-random generator (sfc32). Its whole state is four uint32s kept in plain data, so a
 * game state that carries it survives a JSON round trip and replays byte for byte.
 */
export type RngState = [number, number, number, number];

/** Derives a generator state from a 32-bit seed (splitmix32 spreads nearby seeds apart). */
export function seedRng(seed: number): RngState {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const state: RngState = [next(), next(), next(), next()];
  // sfc32 is weak for its first outputs; discard a few.
  for (let i = 0; i < 12; i++) nextUint32(state);
  return state;
}

/** Advances the generator in place and returns the next uint32. */
export function nextUint32(r: RngState): number {
  const t = (((r[0] + r[1]) >>> 0) + r[3]) >>> 0;
  r[3] = (r[3] + 1) >>> 0;
  r[0] = (r[1] ^ (r[1] >>> 9)) >>> 0;
  r[1] = (r[2] + (r[2] << 3)) >>> 0;
  r[2] = ((r[2] << 21) | (r[2] >>> 11)) >>> 0;
  r[2] = (r[2] + t) >>> 0;
  return t;
}

/** A float in [0, 1) drawn from the generator. */
export function nextFloat(r: RngState): number {
  return nextUint32(r) / 4294967296;
}

/** An integer in [0, n) drawn from the generator. */
export function nextInt(r: RngState, n: number): number {
  return n <= 1 ? 0 : Math.floor(nextFloat(r) * n);
}
