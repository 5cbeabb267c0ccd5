/**
 * Our own JavaScript time, for the frame-time benchmark: the store listeners that render panels and the
 * scene wrap their work in `timed`, which adds it up. The bench reads it through the window hook.
 */
let ourMs = 0;

export function timed<T>(fn: () => T): T {
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    ourMs += performance.now() - t0;
  }
}

/** Milliseconds spent in our rendering code since the page loaded. */
export function ourTimeMs(): number {
  return ourMs;
}
