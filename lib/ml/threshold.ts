/**
 * Choosing the decision threshold on validation predictions, robustly.
 *
 * With rare failures the MCC-versus-threshold curve of a validation slice is noisy: the exact
 * arg-max (`bestThreshold` in metrics.ts) often sits on a spike made by two or three positives
 * and does not carry over to the test days. `chooseThreshold` evaluates MCC (or F1) on a grid of
 * thresholds evenly spaced in logit space between the smallest and the largest validation score,
 * averages the curve over a window of ±`smoothing` logits, and takes the arg-max of the smoothed
 * curve (`smoothing` = 0 → the exact arg-max over all distinct scores). The grid curve is
 * returned too, so a result payload can show why the threshold was chosen.
 *
 * @example
 * ```ts
 * const choice = chooseThreshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], { smoothing: 0 });
 * choice.threshold; // 0.375 (midpoint between 0.35 and 0.4 … see tests)
 * choice.curve.thresholds.length; // grid points
 * ```
 *
 * @module
 */
import {
  bestThreshold,
  type ConfusionMatrix,
  f1,
  type Labels,
  mcc,
  type Scores,
} from "./metrics.ts";

/** The chosen threshold and the curve it was chosen on. */
export interface ThresholdChoice {
  threshold: number;
  /** The metric on the validation rows at `threshold` (unsmoothed). */
  value: number;
  /** The smoothed metric at `threshold` (equals `value` without smoothing). */
  smoothed_value: number;
  /** The metric over the grid (ascending thresholds) — for charts and payloads. */
  curve: { thresholds: number[]; values: number[] };
}

/** Options of {@link chooseThreshold}. */
export interface ThresholdOptions {
  metric?: "mcc" | "f1";
  /** Half-width of the moving average, in logit units; 0 = exact arg-max. */
  smoothing?: number;
  /** Grid points (default 200). */
  gridPoints?: number;
}

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Thresholds evenly spaced in logit space over `[min, max]` of the scores (clipped to
 * [1e-9, 1 − 1e-9]), ascending. A single distinct score gives one point.
 */
export function logitGrid(probs: Scores, points: number): number[] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] < lo) lo = probs[i];
    if (probs[i] > hi) hi = probs[i];
  }
  const clip = (p: number) => Math.min(Math.max(p, 1e-9), 1 - 1e-9);
  const a = logit(clip(lo)), b = logit(clip(hi));
  if (!(b > a) || points < 2) return [clip(lo)];
  const out: number[] = [];
  for (let k = 0; k < points; k++) out.push(sigmoid(a + ((b - a) * k) / (points - 1)));
  return out;
}

/** The metric of `prob > t` for each ascending threshold `t` (one sort, one sweep). */
export function metricCurve(
  labels: Labels,
  probs: Scores,
  thresholds: number[],
  metric: "mcc" | "f1" = "mcc",
): number[] {
  const n = labels.length;
  const order = new Float64Array(n);
  for (let i = 0; i < n; i++) order[i] = probs[i];
  const idx = new Uint32Array(n).map((_, i) => i);
  idx.sort((x, y) => order[x] - order[y]);
  let nPos = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 1) nPos++;
  const score = metric === "f1" ? f1 : mcc;
  // Sweep ascending: rows with prob <= t are predicted negative.
  const cm: ConfusionMatrix = { tp: nPos, fp: n - nPos, tn: 0, fn: 0 };
  const out: number[] = [];
  let k = 0;
  for (const t of thresholds) {
    for (; k < n && order[idx[k]] <= t; k++) {
      if (labels[idx[k]] === 1) {
        cm.tp--;
        cm.fn++;
      } else {
        cm.fp--;
        cm.tn++;
      }
    }
    out.push(score(cm));
  }
  return out;
}

/** Moving average of `values` over the grid points within ±`halfWidth` logits of each point. */
export function smoothCurve(thresholds: number[], values: number[], halfWidth: number): number[] {
  if (halfWidth <= 0) return [...values];
  const z = thresholds.map((t) => logit(Math.min(Math.max(t, 1e-12), 1 - 1e-12)));
  const out: number[] = [];
  let lo = 0, hi = 0, sum = 0;
  for (let i = 0; i < z.length; i++) {
    while (hi < z.length && z[hi] <= z[i] + halfWidth + 1e-12) sum += values[hi++];
    while (z[lo] < z[i] - halfWidth - 1e-12) sum -= values[lo++];
    out.push(sum / (hi - lo));
  }
  return out;
}

/** The validation threshold (see the module doc). Needs at least one row. */
export function chooseThreshold(
  labels: Labels,
  probs: Scores,
  opts: ThresholdOptions = {},
): ThresholdChoice {
  const metric = opts.metric ?? "mcc";
  const smoothing = opts.smoothing ?? 0;
  if (labels.length === 0) throw new RangeError("chooseThreshold needs at least one row");
  const thresholds = logitGrid(probs, opts.gridPoints ?? 200);
  const values = metricCurve(labels, probs, thresholds, metric);
  const curve = { thresholds, values };
  if (smoothing <= 0) {
    const exact = bestThreshold(labels, probs, metric);
    return { threshold: exact.threshold, value: exact.value, smoothed_value: exact.value, curve };
  }
  const smoothed = smoothCurve(thresholds, values, smoothing);
  // Ties keep the highest threshold (fewer alarms for the same score), as bestThreshold does.
  let best = 0;
  for (let k = 1; k < smoothed.length; k++) if (smoothed[k] >= smoothed[best]) best = k;
  return {
    threshold: thresholds[best],
    value: values[best],
    smoothed_value: smoothed[best],
    curve,
  };
}
