/**
 * A second Pit, deliberately different from the simulation: it records every call the engine makes on
 * each component (and on the Pit itself), then delegates to another Pit. It proves the dependency
 * injection seam (ADR-004): the engine plays every level through it with the same results, and the
 * contract suite passes against it. It is also a template for an adapter to a real infrastructure
 * layer (docs/pit.md): the same five components, wrapped.
 */
import type { BindablePit, PitConfig, PitFactory, PitState } from "./types.ts";

/** One call the engine made: `pools.allocate`, `dag.mark`, `attach`, … */
export type PitCall = string;

const COMPONENTS = ["pools", "dag", "artifacts", "arbitration", "stale"] as const;

/** Wraps a component so every method call is logged, then forwarded with the component as `this`. */
function recorded<T extends object>(name: string, inner: T, log: PitCall[]): T {
  const cache = new Map<PropertyKey, unknown>();
  return new Proxy(inner, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (typeof value !== "function") return value;
      let fn = cache.get(key);
      if (!fn) {
        fn = (...args: unknown[]) => {
          log.push(`${name}.${String(key)}`);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
        cache.set(key, fn);
      }
      return fn;
    },
  });
}

export class RecordingPit implements BindablePit {
  /** Every call, in order. */
  readonly calls: PitCall[] = [];
  readonly pools: BindablePit["pools"];
  readonly dag: BindablePit["dag"];
  readonly artifacts: BindablePit["artifacts"];
  readonly arbitration: BindablePit["arbitration"];
  readonly stale: BindablePit["stale"];

  constructor(private readonly inner: BindablePit) {
    const [pools, dag, artifacts, arbitration, stale] = COMPONENTS.map((c) =>
      recorded(c, inner[c] as object, this.calls),
    );
    this.pools = pools as BindablePit["pools"];
    this.dag = dag as BindablePit["dag"];
    this.artifacts = artifacts as BindablePit["artifacts"];
    this.arbitration = arbitration as BindablePit["arbitration"];
    this.stale = stale as BindablePit["stale"];
  }

  attach(state: PitState): void {
    this.calls.push("attach");
    this.inner.attach(state);
  }

  snapshot(): PitState {
    this.calls.push("snapshot");
    return this.inner.snapshot();
  }

  restore(state: PitState): void {
    this.calls.push("restore");
    this.inner.restore(state);
  }
}

/**
 * A factory of recording Pits around `inner` (the simulation by default); `made` collects every Pit it
 * makes, so a test can read what the engine asked of each.
 */
export function recordingPitFactory(inner: PitFactory, made: RecordingPit[] = []): PitFactory {
  return (config: PitConfig) => {
    const pit = new RecordingPit(inner(config));
    made.push(pit);
    return pit;
  };
}
