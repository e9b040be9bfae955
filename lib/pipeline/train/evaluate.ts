/**
 * Evaluating a trained model for the training step: probabilities on the validation slice (to
 * tune the decision threshold for MCC or F1), on the test set (metrics at the tuned threshold
 * and at 0.5, AUCs, log loss) and the `predictions.json` artifact. At Bosch scale this is
 * ~270 k rows × 200 trees plus sorts, seconds of CPU, so `evaluateInWorker` runs it in a Web
 * Worker (evaluate_worker.ts) and the HTTP side keeps answering status polls.
 *
 * @example
 * ```ts
 * const ev = await evaluateInWorker({ model, valid, test, metric: "mcc" }, { signal });
 * ev.threshold; ev.at_threshold.f1_score; ev.test_probs.length === test.nRows;
 * ```
 *
 * @module
 */
import {
  aucPr,
  aucRoc,
  bestThreshold,
  type GbdtModel,
  logLoss,
  predictProbaColumns,
} from "../../ml/mod.ts";
import { runInWorker } from "../../worker/run.ts";
import type { ModelMetrics } from "./models.ts";
import { classCounts, finiteOrNull, metricsAt } from "./report.ts";

/** Rows to score: column-major features, 0/1 labels (and ids for the test set). */
export interface EvalSet {
  nRows: number;
  columns: Float32Array[];
  labels: Uint8Array;
  ids?: Float64Array;
}

/** What to evaluate. */
export interface EvaluateRequest {
  model: GbdtModel;
  /** Validation slice for the threshold; null → threshold 0.5. */
  valid: EvalSet | null;
  test: EvalSet;
  metric: "mcc" | "f1";
}

/** The evaluation. */
export interface Evaluation {
  threshold: number;
  /** `validation_mcc` / `validation_f1`, or `default` when the slice could not tune it. */
  threshold_source: string;
  at_threshold: ModelMetrics;
  at_0_5: ModelMetrics;
  auc_roc: number | null;
  auc_pr: number | null;
  log_loss: number | null;
  /** P(fail) per test row. */
  test_probs: Float64Array;
  /** UTF-8 JSON of `predictions.json`: `{threshold, ids, labels, probabilities}`. */
  predictions_json: Uint8Array;
}

/** Evaluate in the calling thread (the worker runs this; tests may too). */
export function evaluateModel(req: EvaluateRequest): Evaluation {
  const { model, valid, test, metric } = req;
  let threshold = 0.5;
  let source = "default";
  if (valid && valid.nRows > 0) {
    const c = classCounts(valid.labels);
    // With one class in the slice no threshold is better than another: keep 0.5.
    if (c.pos > 0 && c.neg > 0) {
      const vp = predictProbaColumns(model, valid.columns, valid.nRows);
      threshold = bestThreshold(valid.labels, vp, metric).threshold;
      source = `validation_${metric}`;
    }
  }
  const probs = predictProbaColumns(model, test.columns, test.nRows);
  const ids = test.ids ?? new Float64Array(test.nRows).map((_, i) => i);
  // Built by hand: one string for ~170 k rows without intermediate arrays of boxed numbers.
  const parts: string[] = [`{"threshold":${threshold},"ids":[`];
  for (let i = 0; i < test.nRows; i++) parts.push(i ? `,${ids[i]}` : `${ids[i]}`);
  parts.push(`],"labels":[`);
  for (let i = 0; i < test.nRows; i++) parts.push(i ? `,${test.labels[i]}` : `${test.labels[i]}`);
  parts.push(`],"probabilities":[`);
  for (let i = 0; i < test.nRows; i++) parts.push(i ? `,${probs[i]}` : `${probs[i]}`);
  parts.push("]}");
  return {
    threshold,
    threshold_source: source,
    at_threshold: metricsAt(test.labels, probs, threshold),
    at_0_5: metricsAt(test.labels, probs, 0.5),
    auc_roc: finiteOrNull(aucRoc(test.labels, probs)),
    auc_pr: finiteOrNull(aucPr(test.labels, probs)),
    log_loss: finiteOrNull(logLoss(test.labels, probs)),
    test_probs: probs,
    predictions_json: new TextEncoder().encode(parts.join("")),
  };
}

/** Let the event loop run (HTTP requests) between chunks of main-thread work. */
const yieldNow = () => new Promise((r) => setTimeout(r, 0));

/** A compact copy of a set (views would post their whole underlying buffers), yielding often. */
async function compact(set: EvalSet, transfer: Transferable[]): Promise<EvalSet> {
  const columns: Float32Array[] = [];
  for (let j = 0; j < set.columns.length; j++) {
    const c = set.columns[j].slice(0, set.nRows);
    columns.push(c);
    transfer.push(c.buffer);
    if (j % 16 === 15) await yieldNow();
  }
  const labels = set.labels.slice(0, set.nRows);
  transfer.push(labels.buffer);
  const out: EvalSet = { nRows: set.nRows, columns, labels };
  if (set.ids) {
    out.ids = set.ids.slice(0, set.nRows);
    transfer.push(out.ids.buffer);
  }
  return out;
}

/** `evaluateModel` in a Web Worker; the sets are copied (the caller's arrays stay usable). */
export async function evaluateInWorker(
  req: EvaluateRequest,
  opts: { signal?: AbortSignal } = {},
): Promise<Evaluation> {
  const transfer: Transferable[] = [];
  const request: EvaluateRequest = {
    model: req.model,
    valid: req.valid ? await compact(req.valid, transfer) : null,
    test: await compact(req.test, transfer),
    metric: req.metric,
  };
  return await runInWorker<EvaluateRequest, Evaluation>(
    new URL("./evaluate_worker.ts", import.meta.url),
    request,
    { signal: opts.signal, transfer, name: "evaluate", hangTimeoutMs: 600_000 },
  );
}
