/**
 * Pure helpers of the training step: the time-ordered validation cut, the contract's training
 * chart built from the per-round eval history, and test-set metrics at a threshold. No I/O, so
 * they are unit-tested on their own (train_report_test.ts).
 *
 * @example
 * ```ts
 * const cut = validationCut(labels, 0.15); // { nTrain, nValid }
 * const chart = trainingChart(history);    // { train_loss: [{x: 0, y: 0.6}], ... }
 * ```
 *
 * @module
 */
import { classificationMetrics, type EvalHistory } from "../../ml/mod.ts";
import type { ModelMetrics } from "./models.ts";

/** One chart point: `x` is the 0-based boosting round (an integer on the wire). */
export interface ChartPoint {
  x: number;
  y: number;
}

/** The contract's `training_chart` plus the validation curves (extras). */
export interface TrainingChart {
  train_loss: ChartPoint[];
  train_accuracy: ChartPoint[];
  validation_loss?: ChartPoint[];
  validation_accuracy?: ChartPoint[];
}

/** Class counts of 0/1 labels in `[start, end)`. */
export function classCounts(
  labels: ArrayLike<number>,
  start = 0,
  end = labels.length,
): { neg: number; pos: number } {
  let pos = 0;
  for (let i = start; i < end; i++) if (labels[i] === 1) pos++;
  return { neg: end - start - pos, pos };
}

/**
 * Where to cut the validation slice off the END of a time-ordered training window (so the model
 * never sees rows later than the ones it is validated on). The slice is dropped (nValid = 0)
 * when it would be empty or would leave a training part without both classes.
 */
export function validationCut(
  labels: ArrayLike<number>,
  fraction: number,
): { nTrain: number; nValid: number } {
  const n = labels.length;
  const nValid = fraction > 0 ? Math.floor(n * fraction) : 0;
  if (nValid <= 0 || nValid >= n) return { nTrain: n, nValid: 0 };
  const c = classCounts(labels, 0, n - nValid);
  if (c.pos === 0 || c.neg === 0) return { nTrain: n, nValid: 0 };
  return { nTrain: n - nValid, nValid };
}

/** Round to 6 decimals: keeps the chart small in the task record; curves.json keeps full values. */
function r6(v: number): number {
  return Number.isFinite(v) ? Math.round(v * 1e6) / 1e6 : v;
}

function points(values: number[] | undefined, transform: (v: number) => number): ChartPoint[] {
  return (values ?? []).map((v, i) => ({ x: i, y: transform(v) }));
}

/**
 * The chart from the eval history (`history.train.logloss`, `history.train.error`, and the same
 * for `validation` when present). Accuracy = 1 − error at 0.5, as the old service plotted.
 */
export function trainingChart(history: EvalHistory, opts: { round?: boolean } = {}): TrainingChart {
  const f = opts.round === false ? (v: number) => v : r6;
  const chart: TrainingChart = {
    train_loss: points(history.train?.logloss, f),
    train_accuracy: points(history.train?.error, (e) => f(1 - e)),
  };
  if (history.validation) {
    chart.validation_loss = points(history.validation.logloss, f);
    chart.validation_accuracy = points(history.validation.error, (e) => f(1 - e));
  }
  return chart;
}

/**
 * Keep every k-th point of each curve (plus the last and `keep` rounds) so the chart fits in
 * `maxPoints` per curve. Only long runs (overridden `n_estimators`) are thinned; `x` stays the
 * round index, the full curves stay in curves.json.
 */
export function thinChart(
  chart: TrainingChart,
  maxPoints: number,
  keep: number[] = [],
): TrainingChart {
  const thin = (pts: ChartPoint[] | undefined) => {
    if (!pts || pts.length <= maxPoints) return pts;
    const step = Math.ceil(pts.length / maxPoints);
    const keepSet = new Set(keep);
    return pts.filter((p, i) => i % step === 0 || i === pts.length - 1 || keepSet.has(p.x));
  };
  const out: TrainingChart = {
    train_loss: thin(chart.train_loss)!,
    train_accuracy: thin(chart.train_accuracy)!,
  };
  if (chart.validation_loss) out.validation_loss = thin(chart.validation_loss);
  if (chart.validation_accuracy) out.validation_accuracy = thin(chart.validation_accuracy);
  return out;
}

/** Accuracy, precision, recall, F1, MCC and the confusion matrix of `prob > threshold`. */
export function metricsAt(
  labels: ArrayLike<number>,
  probs: ArrayLike<number>,
  threshold: number,
): ModelMetrics {
  const m = classificationMetrics(labels, probs, threshold);
  return {
    accuracy: m.accuracy,
    precision: m.precision,
    recall: m.recall,
    f1_score: m.f1,
    mcc: m.mcc,
    threshold,
    confusion_matrix: {
      true_positives: m.tp,
      false_positives: m.fp,
      true_negatives: m.tn,
      false_negatives: m.fn,
    },
  };
}

/** NaN/Infinity are not JSON: report them as null. */
export function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
