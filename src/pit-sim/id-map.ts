/** Maps keyed by user ids (artifact, function and fact ids come from level files). */

/**
 * The prototype of id maps: an empty object whose own prototype is null. A map made with `new` on it is
 * an ordinary object to V8 (fast properties, copied in a few nanoseconds), where `Object.create(null)`
 * makes a dictionary from the start; and still no lookup reaches `Object.prototype`.
 */
function IdMapObject(): void {}
IdMapObject.prototype = Object.create(null);
const newIdMap = <T>(): Record<string, T> => new (IdMapObject as unknown as new () => Record<string, T>)();

/**
 * A map keyed by user ids (artifact, function and fact ids come from level files): nothing on its prototype
 * chain, so an id such as `constructor` or `toString` is data like any other and no lookup reaches
 * `Object.prototype`.
 */
export function idMap<T>(entries?: Iterable<readonly [string, T]>): Record<string, T> {
  const m = newIdMap<T>();
  if (entries) for (const [k, v] of entries) m[k] = v;
  return m;
}

/**
 * An id map for keys added one by one in an order the play decides (a call's attempts): a dictionary from the
 * start. Fast properties would take a hidden-class transition on every new key, slower on the step's path
 * than a dictionary insert; copying it costs more, which only the searches pay.
 */
export function idDict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A copy of an `idDict`, as a dictionary. */
export function copyIdDict<T>(src: Readonly<Record<string, T>>): Record<string, T> {
  const m = Object.create(null) as Record<string, T>;
  for (const k in src) m[k] = src[k] as T;
  return m;
}

/** A copy of an id map, as an id map (a plain loop: it sits on the searches' hot path). */
export function copyIdMap<T>(src: Readonly<Record<string, T>>): Record<string, T> {
  const m = newIdMap<T>();
  for (const k in src) m[k] = src[k] as T;
  return m;
}
