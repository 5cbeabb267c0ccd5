/**
 * The demonstration recorder: every play of a level in the browser is an episode, written to IndexedDB
 * step by step as it happens (append-only). It writes the step records the store publishes after each
 * intent (the env's own observation, mask, reward, state hash and events), so what it stores is exactly
 * what `recordEpisode` and `fq verify` produce in Node; a restart is the store's explicit intent. Think time comes from the UI's clock; the engine never
 * reads one. A failed write (a full quota) is reported with the steps kept in memory, never dropped.
 *
 * Layout (database `fq-demos`): `episodes` (keyPath `episode_id`, the episode without its per-step
 * arrays) and `steps` (keyPath [`episode_id`, `i`], one record per step). docs/trajectories.md.
 */
import type { Level } from "../engine/api/rl.ts";
import { ENGINE_VERSION, type Episode, levelHash, scoreNumbers } from "../engine/api/datasets.ts";
import type { Notice } from "./screen.ts";
import type { GameStoreApi, StepRecord } from "./store.ts";

export const DB_NAME = "fq-demos";
const DB_VERSION = 1;

/** An episode as stored: the header fields of `Episode`, plus what the library lists. */
export interface StoredEpisode {
  readonly episode_id: string;
  readonly level_id: string;
  readonly level_title: string;
  readonly tier: number;
  readonly level_hash: string;
  readonly engine_version: string;
  readonly seed: number;
  readonly scenario: Episode["scenario"];
  readonly provenance: Episode["provenance"];
  status: Episode["status"];
  /** Wall-clock start in ms since 1970 (UI side, for sorting and display only). */
  readonly started: number;
  steps: number;
  score: Episode["score"];
  readonly initial_state_hash: string;
  readonly initial_observation: number[];
}

export interface StoredStep {
  readonly episode_id: string;
  readonly i: number;
  readonly action: number;
  readonly action_label: string;
  readonly action_mask: (0 | 1)[];
  /** The observation after the step (the one before is the previous step's, or the initial one). */
  readonly observation: number[];
  readonly reward: number;
  readonly terminated: boolean;
  readonly truncated: boolean;
  readonly state_hash: string;
  readonly think_ms: number | null;
  readonly events: { type: string }[];
}

/** An IndexedDB request as a promise. */
export function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error("IndexedDB request failed"));
  });
}

/** A transaction's completion as a promise (rejects with why it aborted). */
export function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new DOMException("The write was aborted", "AbortError"));
    tx.onerror = () => reject(tx.error ?? new Error("IndexedDB transaction failed"));
  });
}

export function openDemos(): Promise<IDBDatabase> {
  const open = indexedDB.open(DB_NAME, DB_VERSION);
  open.onupgradeneeded = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains("episodes")) {
      const eps = db.createObjectStore("episodes", { keyPath: "episode_id" });
      eps.createIndex("status", "status");
    }
    if (!db.objectStoreNames.contains("steps"))
      db.createObjectStore("steps", { keyPath: ["episode_id", "i"] });
  };
  return request(open);
}

/** Marks every episode still in progress as abandoned (run when the game starts). Returns how many. */
export async function markAbandoned(db: IDBDatabase): Promise<number> {
  const tx = db.transaction("episodes", "readwrite");
  const store = tx.objectStore("episodes");
  const open = (await request(store.index("status").getAll("in_progress"))) as StoredEpisode[];
  for (const ep of open) store.put({ ...ep, status: "abandoned" });
  await done(tx);
  return open.length;
}

export interface RecorderStats {
  /** Synchronous main-thread time per recorded step: turning the store's step record into a stored one, ms. */
  readonly syncMs: number[];
  /** Time from a write's transaction starting to its commit, ms (writes run one after another). */
  readonly writeMs: number[];
}

export interface Recorder {
  /** The episode being recorded, if any. */
  readonly current: () => StoredEpisode | null;
  /** Resolves when every write so far has been committed (or has failed and been reported). */
  readonly flushed: () => Promise<void>;
  /** Steps that could not be written, kept for export. */
  readonly unsaved: () => { meta: StoredEpisode; steps: StoredStep[] } | null;
  readonly stats: RecorderStats;
  stop(): void;
}

let counter = 0;
/** A unique episode id from the UI's clock and a counter, prefixed by its provenance (ids never come from the engine). */
function newEpisodeId(provenance: Episode["provenance"]): string {
  counter += 1;
  const rand = crypto.getRandomValues(new Uint32Array(1))[0]?.toString(16).padStart(8, "0");
  return `${provenance}-${Date.now().toString(36)}-${counter}-${rand}`;
}

/**
 * Records every episode played through `store`. `onProblem` receives a message when a write fails;
 * `provenance` is "human" in the game (automation can pass another through the URL).
 */
export function attachRecorder(
  db: IDBDatabase,
  store: GameStoreApi,
  options: {
    provenance?: Episode["provenance"];
    onProblem: (notice: Notice) => void;
    isShipped: (level: Level) => boolean;
    /** After each step is handed over and each commit: how many steps are stored of those recorded. */
    onSaved?: (progress: { stored: number; queued: number }) => void;
  },
): Recorder {
  let meta: StoredEpisode | null = null;
  let lastShown = performance.now();
  let unsaved: StoredStep[] = [];
  let failed = false;
  const stats: RecorderStats = { syncMs: [], writeMs: [] };

  // The write queue. Steps are coalesced, never held back: the first step after a quiet spell is committed
  // at once, and the steps that arrive within the next COALESCE_MS go together in one transaction. Nothing
  // waits for an earlier commit to finish (IndexedDB keeps transactions on the same stores in the order they
  // were created), so a step is handed to the database at most COALESCE_MS after it was played, and when the
  // page is hidden or left, whatever waits is committed at once.
  const COALESCE_MS = 30;
  const pendingMetas = new Map<string, StoredEpisode>();
  let pendingSteps: StoredStep[] = [];
  let inFlight = 0;
  let stored = 0; // steps committed
  let queued = 0; // steps handed to the recorder
  let lastCommit = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let idle: (() => void)[] = [];
  const settle = () => {
    options.onSaved?.({ stored, queued });
    if (inFlight === 0 && pendingSteps.length === 0 && pendingMetas.size === 0) {
      for (const r of idle) r();
      idle = [];
    }
  };
  const commit = (): void => {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    const metas = [...pendingMetas.values()];
    const steps = pendingSteps;
    pendingMetas.clear();
    pendingSteps = [];
    if (!metas.length && !steps.length) return settle();
    if (failed) {
      // After a failure, later steps are kept in memory too (in order) rather than leave a gap.
      unsaved.push(...steps);
      return settle();
    }
    lastCommit = performance.now();
    inFlight++;
    const t0 = performance.now();
    let tx: IDBTransaction;
    try {
      // "relaxed": committed once the data is handed to the operating system, which survives a closed tab or a
      // crashed browser (not a power cut) and commits in a few ms instead of waiting for fsync.
      tx = db.transaction(["episodes", "steps"], "readwrite", { durability: "relaxed" });
      for (const m of metas) tx.objectStore("episodes").put(m);
      for (const st of steps) tx.objectStore("steps").put(st);
      // Hand it to the database now, not when this task ends: a page being hidden or closed may not get
      // another task, and a transaction still waiting for one would be dropped with the page.
      tx.commit();
    } catch (e) {
      inFlight--;
      fail(e, steps);
      return settle();
    }
    done(tx).then(
      () => {
        inFlight--;
        stored += steps.length;
        stats.writeMs.push(performance.now() - t0);
        settle();
      },
      (e: unknown) => {
        inFlight--;
        fail(e, steps);
        settle();
      },
    );
  };
  const fail = (e: unknown, steps: StoredStep[]) => {
    failed = true;
    unsaved.push(...steps);
    const name = e instanceof DOMException ? e.name : "";
    options.onProblem({
      text:
        name === "QuotaExceededError"
          ? "Your demonstrations could not be saved: the browser's storage is full. Export them now so nothing is lost."
          : `Your demonstration could not be saved (${e instanceof Error ? e.message : String(e)}). Export it now so nothing is lost.`,
      action: "export-demonstration",
    });
  };
  const write = (records: { meta: StoredEpisode; step?: StoredStep }) => {
    pendingMetas.set(records.meta.episode_id, { ...records.meta });
    if (records.step) {
      pendingSteps.push(records.step);
      queued++;
    }
    options.onSaved?.({ stored, queued });
    const wait = lastCommit + COALESCE_MS - performance.now();
    if (wait <= 0) commit();
    else timer ??= setTimeout(commit, wait);
  };
  const flushNow = () => {
    if (pendingSteps.length || pendingMetas.size) commit();
  };
  const onHide = () => {
    if (document.visibilityState === "hidden") flushNow();
  };
  addEventListener("pagehide", flushNow);
  document.addEventListener("visibilitychange", onHide);

  const finishPrevious = () => {
    if (meta && meta.status === "in_progress" && meta.steps > 0) {
      meta.status = "abandoned";
      write({ meta });
    }
  };

  /** The episode being recorded is the store's `play.episode`; steps of any other are not this one's. */
  let episode = -1;
  const start = () => {
    const { level, seed, initial, episode: ep } = store.getState().play;
    finishPrevious();
    meta = null;
    unsaved = [];
    failed = false;
    episode = ep;
    if (!level || !initial || !options.isShipped(level)) return;
    meta = {
      episode_id: newEpisodeId(options.provenance ?? "human"),
      level_id: level.id,
      level_title: level.title,
      tier: level.tier,
      level_hash: levelHash(level),
      engine_version: ENGINE_VERSION,
      seed,
      scenario: null,
      provenance: options.provenance ?? "human",
      status: "in_progress",
      started: Date.now(),
      steps: 0,
      score: null,
      initial_state_hash: initial.stateHash,
      initial_observation: [...initial.observation],
    };
    // Nothing is written until the first step: opening a level and leaving is not a demonstration.
    lastShown = performance.now();
  };

  /** Writes the store's step record as it is: the recorder never re-simulates what the store played. */
  const record = (r: StepRecord) => {
    if (!meta || r.episode !== episode) return;
    const now = performance.now();
    const think = Math.round(now - lastShown);
    lastShown = now;
    const step: StoredStep = {
      episode_id: meta.episode_id,
      i: meta.steps,
      action: r.action,
      action_label: r.label,
      action_mask: [...r.mask],
      observation: [...r.observation],
      reward: r.reward,
      terminated: r.terminated,
      truncated: r.truncated,
      state_hash: r.stateHash,
      think_ms: think,
      events: r.events as unknown as { type: string }[],
    };
    meta.steps += 1;
    if (r.terminated || r.truncated) {
      meta.status = "completed";
      meta.score = scoreNumbers(r.score);
    }
    stats.syncMs.push(performance.now() - now);
    write({ meta, step });
  };

  const offs = [
    store.subscribe(
      (s) => s.play.episode,
      () => start(),
    ),
    store.subscribe(
      (s) => s.play.record,
      (r) => {
        if (r) record(r);
      },
    ),
  ];
  if (store.getState().play.level) start();

  return {
    current: () => meta,
    flushed: () =>
      inFlight === 0 && pendingSteps.length === 0 && pendingMetas.size === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => idle.push(resolve)),
    unsaved: () => (meta && unsaved.length ? { meta, steps: [...unsaved] } : null),
    stats,
    stop() {
      for (const off of offs) off();
      if (timer !== null) clearTimeout(timer);
      removeEventListener("pagehide", flushNow);
      document.removeEventListener("visibilitychange", onHide);
    },
  };
}
