/**
 * Binary-classification metrics (positive class = 1, e.g. `Response` = fail).
 *
 * Conventions, chosen to match XGBoost / scikit-learn:
 * - A row is predicted positive when `prob > threshold` (XGBoost's `predict` uses `> 0.5`).
 * - Ratios with a zero denominator are 0 (scikit-learn's `zero_division=0`), MCC likewise.
 * - `aucRoc` counts tied scores as half-ordered (the Mann–Whitney statistic); `aucPr` is
 *   scikit-learn's `average_precision_score`. Both are NaN when only one class is present.
 *
 * @example
 * ```ts
 * const cm = confusionMatrix([0, 1, 1], [0.2, 0.7, 0.4]); // {tp:1, fp:0, tn:1, fn:1}
 * f1(cm); // 0.666…
 * ```
 * @module
 */

/** Counts of a thresholded binary prediction. */
export interface ConfusionMatrix {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Labels must be 0/1; scores are probabilities (or any monotone score for the AUCs). */
export type Labels = ArrayLike<number>;
export type Scores = ArrayLike<number>;

function checkLengths(labels: Labels, scores: Scores, weights?: ArrayLike<number>): void {
  if (labels.length !== scores.length) {
    throw new RangeError(
      `labels (${labels.length}) and scores (${scores.length}) must have the same length`,
    );
  }
  if (weights && weights.length !== labels.length) {
    throw new RangeError(
      `weights (${weights.length}) and labels (${labels.length}) must have the same length`,
    );
  }
}

/** Confusion matrix of `prob > threshold` against the labels. */
export function confusionMatrix(labels: Labels, probs: Scores, threshold = 0.5): ConfusionMatrix {
  checkLengths(labels, probs);
  let tp = 0, fp = 0, tn = 0, fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const pos = probs[i] > threshold;
    if (labels[i] === 1) pos ? tp++ : fn++;
    else pos ? fp++ : tn++;
  }
  return { tp, fp, tn, fn };
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** (tp + tn) / n. */
export function accuracy(cm: ConfusionMatrix): number {
  return ratio(cm.tp + cm.tn, cm.tp + cm.tn + cm.fp + cm.fn);
}
/** tp / (tp + fp). */
export function precision(cm: ConfusionMatrix): number {
  return ratio(cm.tp, cm.tp + cm.fp);
}
/** tp / (tp + fn). */
export function recall(cm: ConfusionMatrix): number {
  return ratio(cm.tp, cm.tp + cm.fn);
}
/** Harmonic mean of precision and recall = 2tp / (2tp + fp + fn). */
export function f1(cm: ConfusionMatrix): number {
  return ratio(2 * cm.tp, 2 * cm.tp + cm.fp + cm.fn);
}
/** Matthews correlation coefficient in [-1, 1]; 0 when any margin is empty. */
export function mcc(cm: ConfusionMatrix): number {
  const { tp, fp, tn, fn } = cm;
  const den = Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
  return den === 0 ? 0 : (tp * tn - fp * fn) / den;
}

/** All threshold metrics at once. */
export function classificationMetrics(
  labels: Labels,
  probs: Scores,
  threshold = 0.5,
): ConfusionMatrix & {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  mcc: number;
} {
  const cm = confusionMatrix(labels, probs, threshold);
  return {
    ...cm,
    accuracy: accuracy(cm),
    precision: precision(cm),
    recall: recall(cm),
    f1: f1(cm),
    mcc: mcc(cm),
  };
}

/** Row indices ordered by descending score (stable). */
function orderDesc(scores: Scores): Uint32Array {
  const n = scores.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = scores[i];
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => keys[b] - keys[a] || a - b);
  return idx;
}

/**
 * Area under the ROC curve; ties count ½. Optional sample weights. NaN with a single class.
 * Unweighted input uses two native typed-array sorts and a merge (fast enough per boosting round).
 */
export function aucRoc(labels: Labels, scores: Scores, weights?: ArrayLike<number>): number {
  checkLengths(labels, scores, weights);
  const n = labels.length;
  if (!weights) {
    let nPos = 0;
    for (let i = 0; i < n; i++) if (labels[i] === 1) nPos++;
    const nNeg = n - nPos;
    if (nPos === 0 || nNeg === 0) return NaN;
    const pos = new Float64Array(nPos), neg = new Float64Array(nNeg);
    for (let i = 0, p = 0, q = 0; i < n; i++) {
      if (labels[i] === 1) pos[p++] = scores[i];
      else neg[q++] = scores[i];
    }
    pos.sort();
    neg.sort();
    // For each positive: negatives strictly below + ½ negatives equal.
    let below = 0, upTo = 0, sum = 0;
    for (let i = 0; i < nPos; i++) {
      const s = pos[i];
      while (below < nNeg && neg[below] < s) below++;
      if (upTo < below) upTo = below;
      while (upTo < nNeg && neg[upTo] <= s) upTo++;
      sum += below + 0.5 * (upTo - below);
    }
    return sum / nPos / nNeg;
  }
  const idx = orderDesc(scores);
  let totPos = 0, totNeg = 0, area = 0;
  // Sweep from the highest score: each tie group adds its positives × negatives above it.
  for (let k = 0; k < n;) {
    const s = scores[idx[k]];
    let gp = 0, gn = 0;
    for (; k < n && scores[idx[k]] === s; k++) {
      const i = idx[k];
      const w = weights[i];
      if (labels[i] === 1) gp += w;
      else gn += w;
    }
    area += gn * (totPos + 0.5 * gp);
    totPos += gp;
    totNeg += gn;
  }
  if (totPos <= 0 || totNeg <= 0) return NaN;
  return area / (totPos * totNeg);
}

/** Average precision (area under the precision–recall curve, step-wise). NaN without positives. */
export function aucPr(labels: Labels, scores: Scores): number {
  checkLengths(labels, scores);
  const n = labels.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 1) nPos++;
  if (nPos === 0) return NaN;
  const idx = orderDesc(scores);
  let tp = 0, fp = 0, ap = 0, prevRecall = 0;
  for (let k = 0; k < n;) {
    const s = scores[idx[k]];
    for (; k < n && scores[idx[k]] === s; k++) labels[idx[k]] === 1 ? tp++ : fp++;
    const r = tp / nPos;
    ap += (r - prevRecall) * (tp / (tp + fp));
    prevRecall = r;
  }
  return ap;
}

/** Mean binary cross-entropy with probabilities clipped to [eps, 1 − eps]; optional weights. */
export function logLoss(
  labels: Labels,
  probs: Scores,
  weights?: ArrayLike<number>,
  eps = 1e-15,
): number {
  checkLengths(labels, probs, weights);
  let sum = 0, wsum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(Math.max(probs[i], eps), 1 - eps);
    const w = weights ? weights[i] : 1;
    sum -= w * (labels[i] === 1 ? Math.log(p) : Math.log(1 - p));
    wsum += w;
  }
  return wsum === 0 ? NaN : sum / wsum;
}

/**
 * The threshold maximising MCC or F1. Candidates are the midpoints between consecutive distinct
 * scores (so `prob > threshold` and `prob >= threshold` classify identically), plus one just below
 * the smallest score (everything positive). Ties in the metric keep the highest threshold.
 */
export function bestThreshold(
  labels: Labels,
  probs: Scores,
  metric: "mcc" | "f1" = "mcc",
): { threshold: number; value: number } {
  checkLengths(labels, probs);
  const n = labels.length;
  if (n === 0) throw new RangeError("bestThreshold needs at least one row");
  let nPos = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 1) nPos++;
  const idx = orderDesc(probs);
  const score = metric === "f1" ? f1 : mcc;
  const cm: ConfusionMatrix = { tp: 0, fp: 0, tn: n - nPos, fn: nPos };
  // Start with "nothing positive": `p > max(p)` is false for every row.
  let best = score(cm), bestT = probs[idx[0]];
  for (let k = 0; k < n;) {
    const s = probs[idx[k]];
    for (; k < n && probs[idx[k]] === s; k++) {
      if (labels[idx[k]] === 1) {
        cm.tp++;
        cm.fn--;
      } else {
        cm.fp++;
        cm.tn--;
      }
    }
    const v = score(cm);
    if (v > best) {
      best = v;
      bestT = k < n ? (s + probs[idx[k]]) / 2 : s - Math.max(1e-12, Math.abs(s) * 1e-9);
    }
  }
  return { threshold: bestT, value: best };
}

/** ROC curve points (descending thresholds), one per distinct score, at most `maxPoints`. */
export function rocCurve(
  labels: Labels,
  scores: Scores,
  maxPoints = 200,
): { fpr: number[]; tpr: number[]; thresholds: number[] } {
  const pts = sweep(labels, scores);
  const out = { fpr: [0] as number[], tpr: [0] as number[], thresholds: [Infinity] as number[] };
  const step = Math.max(1, Math.ceil(pts.length / Math.max(1, maxPoints - 1)));
  for (let i = 0; i < pts.length; i++) {
    if (i % step !== 0 && i !== pts.length - 1) continue;
    const p = pts[i];
    out.fpr.push(p.nNeg ? p.fp / p.nNeg : 0);
    out.tpr.push(p.nPos ? p.tp / p.nPos : 0);
    out.thresholds.push(p.s);
  }
  return out;
}

/** Precision–recall curve points (descending thresholds), at most `maxPoints`. */
export function prCurve(
  labels: Labels,
  scores: Scores,
  maxPoints = 200,
): { precision: number[]; recall: number[]; thresholds: number[] } {
  const pts = sweep(labels, scores);
  const out = { precision: [] as number[], recall: [] as number[], thresholds: [] as number[] };
  const step = Math.max(1, Math.ceil(pts.length / Math.max(1, maxPoints)));
  for (let i = 0; i < pts.length; i++) {
    if (i % step !== 0 && i !== pts.length - 1) continue;
    const p = pts[i];
    out.precision.push(p.tp / (p.tp + p.fp));
    out.recall.push(p.nPos ? p.tp / p.nPos : 0);
    out.thresholds.push(p.s);
  }
  return out;
}

function sweep(labels: Labels, scores: Scores) {
  checkLengths(labels, scores);
  const n = labels.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 1) nPos++;
  const nNeg = n - nPos;
  const idx = orderDesc(scores);
  const pts: { s: number; tp: number; fp: number; nPos: number; nNeg: number }[] = [];
  let tp = 0, fp = 0;
  for (let k = 0; k < n;) {
    const s = scores[idx[k]];
    for (; k < n && scores[idx[k]] === s; k++) labels[idx[k]] === 1 ? tp++ : fp++;
    pts.push({ s, tp, fp, nPos, nNeg });
  }
  return pts;
}
