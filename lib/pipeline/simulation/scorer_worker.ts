/**
 * Worker entry of `WorkerScorer` (scorer.ts): owns one onnxruntime-web session, served over the
 * `lib/worker` protocol. Calls: `init` (model bytes, threads, warmup rows) → `ScorerReady`, then
 * `score` (one row) → P(class 1).
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { OnnxScorer } from "../../ml/mod.ts";
import { serveWorker } from "../../worker/protocol.ts";

/** Calls the worker serves. */
export type ScorerRequest =
  | {
    kind: "init";
    bytes: Uint8Array;
    numThreads: number;
    /** Row-major warmup rows (`nFeatures` values each); may be empty. */
    warmupRows: Float32Array;
    warmupRuns: number;
    /** Stop the warmup runs after this long (ms), even if fewer than `warmupRuns` ran. */
    warmupMaxMs: number;
  }
  | { kind: "score"; row: Float32Array };

/** Answer to `init`. */
export interface ScorerReady {
  nFeatures: number;
  createMs: number;
  warmupMs: number;
  warmupRuns: number;
}

let scorer: OnnxScorer | null = null;

serveWorker<ScorerRequest, ScorerReady | number>(async (req) => {
  if (req.kind === "score") {
    if (!scorer) throw new Error("scorer not initialised");
    return await scorer.score(req.row);
  }
  const t0 = performance.now();
  scorer = await OnnxScorer.create(req.bytes, { numThreads: req.numThreads });
  const t1 = performance.now();
  const nF = scorer.nFeatures;
  const nRows = Math.floor(req.warmupRows.length / nF);
  const deadline = t1 + req.warmupMaxMs;
  let runs = 0;
  for (let k = 0; k < req.warmupRuns && nRows > 0; k++) {
    if (k % 50 === 0 && performance.now() > deadline) break;
    const r = k % nRows;
    await scorer.score(req.warmupRows.subarray(r * nF, (r + 1) * nF));
    runs++;
  }
  return { nFeatures: nF, createMs: t1 - t0, warmupMs: performance.now() - t1, warmupRuns: runs };
});
