/**
 * Worker entry of `WorkerScorer` (simulation_scorer.ts): owns one onnxruntime-web session and,
 * when given the model's XGBoost JSON, a TreeSHAP explainer (so explanations, ~1 ms a row at 200
 * trees, stay off the service thread too).
 *
 * Messages in: `init` (model bytes, threads, warmup rows, optional explain model) then `score`
 * requests; out: `ready` (after the warmup), `scored` per request (same `id`, with the row's
 * explanation when explaining), or `error` with a message.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { OnnxScorer } from "../../ml/onnx_session.ts";
import { TreeExplainer } from "../../ml/tree_shap.ts";
import { fromXgboostJson } from "../../ml/xgboost_json.ts";
import type { RowExplanation } from "./explanation.ts";

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
    /** The same model as XGBoost JSON text, to explain each row (TreeSHAP); omit to not explain. */
    explainModel?: string;
    /** Contributions per explanation (largest |value| first). */
    explainTop?: number;
  }
  | { type: "score"; id: number; row: Float32Array };

/** Messages the worker sends. */
export type ScorerReply =
  | {
    type: "ready";
    nFeatures: number;
    warmupMs: number;
    createMs: number;
    warmupRuns: number;
    /** Feature order of the explain model (null when not explaining). */
    explainFeatures: string[] | null;
  }
  | { type: "scored"; id: number; p: number; explanation: RowExplanation | null }
  | { type: "error"; id: number | null; message: string };

let scorer: OnnxScorer | null = null;
let explainer: TreeExplainer | null = null;
let explainTop = 0;
let phi = new Float64Array(0);
const post = (m: ScorerReply) => self.postMessage(m);

self.onmessage = async (e: MessageEvent<ScorerRequest>) => {
  const msg = e.data;
  if (msg.type === "init") {
    try {
      const t0 = performance.now();
      scorer = await OnnxScorer.create(msg.bytes, { numThreads: msg.numThreads });
      const t1 = performance.now();
      const nF = scorer.nFeatures;
      if (msg.explainModel !== undefined) {
        explainer = new TreeExplainer(fromXgboostJson(msg.explainModel));
        if (explainer.nFeatures !== nF) {
          throw new Error(
            `the XGBoost JSON model has ${explainer.nFeatures} features, the ONNX model ${nF}`,
          );
        }
        explainTop = msg.explainTop ?? 5;
        phi = new Float64Array(nF);
      }
      const nRows = Math.floor(msg.warmupRows.length / nF);
      const deadline = t1 + msg.warmupMaxMs;
      let runs = 0;
      for (let k = 0; k < msg.warmupRuns && nRows > 0; k++) {
        if (k % 50 === 0 && performance.now() > deadline) break;
        const r = k % nRows;
        const row = msg.warmupRows.subarray(r * nF, (r + 1) * nF);
        await scorer.score(row);
        if (explainer && k < nRows) explainer.explain(row, phi);
        runs++;
      }
      const warmupMs = performance.now() - t1;
      post({
        type: "ready",
        nFeatures: nF,
        createMs: t1 - t0,
        warmupMs,
        warmupRuns: runs,
        explainFeatures: explainer ? [...explainer.featureNames] : null,
      });
    } catch (err) {
      post({ type: "error", id: null, message: err instanceof Error ? err.message : String(err) });
    }
    return;
  }
  if (msg.type === "score") {
    try {
      if (!scorer) throw new Error("scorer not initialised");
      const p = await scorer.score(msg.row);
      let explanation: RowExplanation | null = null;
      if (explainer) {
        explainer.explain(msg.row, phi);
        explanation = {
          margin: explainer.margin(msg.row),
          bias: explainer.bias,
          top: explainer.top(msg.row, explainTop, phi),
        };
      }
      post({ type: "scored", id: msg.id, p, explanation });
    } catch (err) {
      post({
        type: "error",
        id: msg.id,
        message: err instanceof Error ? err.message : String(err),
      });
    }
  }
};
