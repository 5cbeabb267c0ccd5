/// <reference lib="webworker" />
// Runs the analyzer off the main thread so the designer screen stays responsive; posts progress as it goes.
import { analyzeLevel, type Level } from "../engine/api/analysis.ts";

export type WorkerRequest = { id: number; level: Level };
export type WorkerReply =
  | { id: number; type: "progress"; done: number; phase: string }
  | { id: number; type: "result"; analysis: ReturnType<typeof analyzeLevel> }
  | { id: number; type: "error"; message: string };

const post = (m: WorkerReply) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(m);

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
  const { id, level } = e.data;
  try {
    const analysis = analyzeLevel(level, {
      onProgress: (done, phase) => post({ id, type: "progress", done, phase }),
    });
    post({ id, type: "result", analysis });
  } catch (err) {
    post({ id, type: "error", message: err instanceof Error ? err.message : String(err) });
  }
};
