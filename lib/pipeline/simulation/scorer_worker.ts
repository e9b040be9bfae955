/**
 * Worker entry of `WorkerScorer` (scorer.ts): owns one onnxruntime-web session and, when given
 * the model's XGBoost JSON, a TreeSHAP explainer (so explanations, ~1 ms a row at 200 trees, stay
 * off the service thread too), served over the `lib/worker` protocol. Calls: `init` (model bytes,
 * threads, warmup rows, optional explain model) → `ScorerReady`, then `score` (one row) →
 * {@link ScoredRow} (P(class 1) and the row's explanation when explaining).
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { fromXgboostJson, OnnxScorer, TreeExplainer } from "../../ml/mod.ts";
import { serveWorker } from "../../worker/protocol.ts";
import type { RowExplanation } from "./explanation.ts";

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
    /**
     * The same model as XGBoost JSON (text or UTF-8 bytes), to explain each row (TreeSHAP); omit
     * to not explain.
     */
    explainModel?: string | Uint8Array;
    /** Contributions per explanation (largest |value| first). */
    explainTop?: number;
  }
  | { kind: "score"; row: Float32Array };

/** Answer to `init`. */
export interface ScorerReady {
  nFeatures: number;
  createMs: number;
  warmupMs: number;
  warmupRuns: number;
  /** Feature order of the explain model (null when not explaining). */
  explainFeatures: string[] | null;
}

/** Answer to `score`: P(class 1) and, when the scorer explains, the row's explanation. */
export interface ScoredRow {
  p: number;
  explanation: RowExplanation | null;
}

let scorer: OnnxScorer | null = null;
let explainer: TreeExplainer | null = null;
let explainTop = 0;
let phi = new Float64Array(0);

serveWorker<ScorerRequest, ScorerReady | ScoredRow>(async (req) => {
  if (req.kind === "score") {
    if (!scorer) throw new Error("scorer not initialised");
    const p = await scorer.score(req.row);
    let explanation: RowExplanation | null = null;
    if (explainer) {
      explainer.explain(req.row, phi);
      explanation = {
        margin: explainer.margin(req.row),
        bias: explainer.bias,
        top: explainer.top(req.row, explainTop, phi),
      };
    }
    return { p, explanation };
  }
  const t0 = performance.now();
  scorer = await OnnxScorer.create(req.bytes, { numThreads: req.numThreads });
  const t1 = performance.now();
  const nF = scorer.nFeatures;
  if (req.explainModel !== undefined) {
    const json = typeof req.explainModel === "string"
      ? req.explainModel
      : new TextDecoder().decode(req.explainModel);
    explainer = new TreeExplainer(fromXgboostJson(json));
    if (explainer.nFeatures !== nF) {
      throw new Error(
        `the XGBoost JSON model has ${explainer.nFeatures} features, the ONNX model ${nF}`,
      );
    }
    explainTop = req.explainTop ?? 5;
    phi = new Float64Array(nF);
  }
  const nRows = Math.floor(req.warmupRows.length / nF);
  const deadline = t1 + req.warmupMaxMs;
  let runs = 0;
  for (let k = 0; k < req.warmupRuns && nRows > 0; k++) {
    if (k % 50 === 0 && performance.now() > deadline) break;
    const r = k % nRows;
    const row = req.warmupRows.subarray(r * nF, (r + 1) * nF);
    await scorer.score(row);
    if (explainer && k < nRows) explainer.explain(row, phi);
    runs++;
  }
  return {
    nFeatures: nF,
    createMs: t1 - t0,
    warmupMs: performance.now() - t1,
    warmupRuns: runs,
    explainFeatures: explainer ? [...explainer.featureNames] : null,
  };
});
