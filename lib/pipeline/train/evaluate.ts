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
  chooseThreshold,
  type GbdtModel,
  logLoss,
  predictProbaColumns,
} from "../../ml/mod.ts";
import { runInWorker } from "../../worker/run.ts";
import { thinCurve } from "./recipe.ts";
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
  /** Half-width in logits of the moving average over the validation curve (0 = exact). */
  smoothing?: number;
  /** Model scoring the validation slice (the early-stopped one when `model` is a refit). */
  thresholdModel?: GbdtModel;
}

/** The evaluation. */
export interface Evaluation {
  threshold: number;
  /** `validation_mcc` / `validation_f1`, or `default` when the slice could not tune it. */
  threshold_source: string;
  /** Validation metric at the threshold, raw and smoothed, and its curve (thinned); or null. */
  validation: {
    metric: "mcc" | "f1";
    value: number;
    smoothed_value: number;
    curve: { threshold: number; value: number }[];
  } | null;
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
  const smoothing = req.smoothing ?? 0;
  let threshold = 0.5;
  let source = "default";
  let validation: Evaluation["validation"] = null;
  if (valid && valid.nRows > 0) {
    const c = classCounts(valid.labels);
    // With one class in the slice no threshold is better than another: keep 0.5.
    if (c.pos > 0 && c.neg > 0) {
      const vp = predictProbaColumns(req.thresholdModel ?? model, valid.columns, valid.nRows);
      const choice = chooseThreshold(valid.labels, vp, { metric, smoothing });
      threshold = choice.threshold;
      source = `validation_${metric}${smoothing > 0 ? "_smoothed" : ""}`;
      validation = {
        metric,
        value: choice.value,
        smoothed_value: choice.smoothed_value,
        curve: thinCurve(choice.curve),
      };
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
    validation,
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

/**
 * The set as posted: each array moved when `move` and it spans its whole buffer, else a compact
 * copy (a view would post its whole underlying buffer). Copies yield often; on this 2-core VM a
 * fresh array costs ~2.8 ms per MB of page faults, so a Bosch-scale copy (~110 MB) held the
 * server thread ~300 ms in 20 ms slices — moving costs nothing.
 */
async function forPosting(
  set: EvalSet,
  transfer: Transferable[],
  move: boolean,
): Promise<EvalSet> {
  let copied = 0;
  const post = async <T extends Float32Array | Float64Array | Uint8Array>(a: T): Promise<T> => {
    const whole = a.byteOffset === 0 && a.byteLength === a.buffer.byteLength &&
      a.buffer instanceof ArrayBuffer && a.length === set.nRows;
    const out = move && whole ? a : a.slice(0, set.nRows) as T;
    if (out !== a && ++copied % 16 === 0) await yieldNow();
    transfer.push(out.buffer);
    return out;
  };
  const columns: Float32Array[] = [];
  for (const c of set.columns) columns.push(await post(c));
  const out: EvalSet = { nRows: set.nRows, columns, labels: await post(set.labels) };
  if (set.ids) out.ids = await post(set.ids);
  return out;
}

/**
 * `evaluateModel` in a Web Worker. The sets are copied (the caller's arrays stay usable), or with
 * `move` their arrays that span their own buffers are moved instead (detached here afterwards).
 */
export async function evaluateInWorker(
  req: EvaluateRequest,
  opts: { signal?: AbortSignal; move?: boolean } = {},
): Promise<Evaluation> {
  const transfer: Transferable[] = [];
  const move = opts.move ?? false;
  const request: EvaluateRequest = {
    model: req.model,
    valid: req.valid ? await forPosting(req.valid, transfer, move) : null,
    test: await forPosting(req.test, transfer, move),
    metric: req.metric,
    smoothing: req.smoothing,
    thresholdModel: req.thresholdModel,
  };
  return await runInWorker<EvaluateRequest, Evaluation>(
    new URL("./evaluate_worker.ts", import.meta.url),
    request,
    { signal: opts.signal, transfer, name: "evaluate", hangTimeoutMs: 600_000 },
  );
}
