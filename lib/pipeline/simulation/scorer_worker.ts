/**
 * Worker entry of `WorkerScorer` (simulation_scorer.ts): owns one onnxruntime-web session.
 *
 * Messages in: `init` (model bytes, threads, warmup rows) then `score` requests; out: `ready`
 * (after the warmup), `scored` per request (same `id`), or `error` with a message.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { OnnxScorer } from "../../ml/onnx_session.ts";

/** Messages the worker receives. */
export type ScorerRequest =
  | {
    type: "init";
    bytes: Uint8Array;
    numThreads: number;
    /** Row-major warmup rows (`nFeatures` values each); may be empty. */
    warmupRows: Float32Array;
    warmupRuns: number;
    /** Stop the warmup runs after this long (ms), even if fewer than `warmupRuns` ran. */
    warmupMaxMs: number;
  }
  | { type: "score"; id: number; row: Float32Array };

/** Messages the worker sends. */
export type ScorerReply =
  | { type: "ready"; nFeatures: number; warmupMs: number; createMs: number; warmupRuns: number }
  | { type: "scored"; id: number; p: number }
  | { type: "error"; id: number | null; message: string };

let scorer: OnnxScorer | null = null;
const post = (m: ScorerReply) => self.postMessage(m);

self.onmessage = async (e: MessageEvent<ScorerRequest>) => {
  const msg = e.data;
  if (msg.type === "init") {
    try {
      const t0 = performance.now();
      scorer = await OnnxScorer.create(msg.bytes, { numThreads: msg.numThreads });
      const t1 = performance.now();
      const nF = scorer.nFeatures;
      const nRows = Math.floor(msg.warmupRows.length / nF);
      const deadline = t1 + msg.warmupMaxMs;
      let runs = 0;
      for (let k = 0; k < msg.warmupRuns && nRows > 0; k++) {
        if (k % 50 === 0 && performance.now() > deadline) break;
        const r = k % nRows;
        await scorer.score(msg.warmupRows.subarray(r * nF, (r + 1) * nF));
        runs++;
      }
      const warmupMs = performance.now() - t1;
      post({ type: "ready", nFeatures: nF, createMs: t1 - t0, warmupMs, warmupRuns: runs });
    } catch (err) {
      post({ type: "error", id: null, message: err instanceof Error ? err.message : String(err) });
    }
    return;
  }
  if (msg.type === "score") {
    try {
      if (!scorer) throw new Error("scorer not initialised");
      post({ type: "scored", id: msg.id, p: await scorer.score(msg.row) });
    } catch (err) {
      post({
        type: "error",
        id: msg.id,
        message: err instanceof Error ? err.message : String(err),
      });
    }
  }
};
