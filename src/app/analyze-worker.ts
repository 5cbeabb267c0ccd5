/// <reference lib="webworker" />
// Runs the analyzer (and the level generator) off the main thread so the designer screen stays
// responsive; posts progress as it goes.
import {
  analyzeLevel,
  generateLevel,
  type GeneratorTier,
  type Level,
  NO_BAND,
} from "../engine/api/analysis.ts";

export type WorkerRequest =
  | { id: number; level: Level; generate?: undefined }
  | { id: number; generate: { tier: GeneratorTier; seed: number }; level?: undefined };
export type WorkerReply =
  | { id: number; type: "generated"; level: Level }
  | { id: number; type: "progress"; done: number; phase: string }
  | { id: number; type: "result"; analysis: ReturnType<typeof analyzeLevel> }
  | { id: number; type: "error"; message: string };

const post = (m: WorkerReply) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(m);

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
  const { id, level, generate } = e.data;
  try {
    if (generate) {
      // A variant to start from: valid and solved (docs/generator.md); the designer then analyzes it.
      post({ id, type: "generated", level: generateLevel(generate.tier, generate.seed, NO_BAND).level });
      return;
    }
    if (!level) return;
    const analysis = analyzeLevel(level, {
      onProgress: (done, phase) => post({ id, type: "progress", done, phase }),
    });
    post({ id, type: "result", analysis });
  } catch (err) {
    post({ id, type: "error", message: err instanceof Error ? err.message : String(err) });
  }
};
