/**
 * Seeded synthetic binary-classification data (for tests and benchmarks): Gaussian features, a
 * label drawn from a logistic model with linear terms, an interaction and a threshold effect on
 * the first few features, the intercept tuned to a target positive rate, then cells blanked at
 * random (NaN = missing), as in Bosch-like production data.
 *
 * @module
 */

import type { TrainData } from "./model.ts";
import { Rng } from "../random/mod.ts";

/** Options of {@link makeClassification}. */
export interface SyntheticOptions {
  nRows: number;
  nFeatures: number;
  /** Share of cells set to NaN (default 0.3). */
  missingRate?: number;
  /** Target share of positives (default 0.05). */
  positiveRate?: number;
  /** Features carrying signal (default min(8, nFeatures)). */
  nInformative?: number;
  /** Signal strength multiplier (default 1). */
  signal?: number;
  seed?: number;
}

/** Generates a dataset; the same options always give the same data. */
export function makeClassification(o: SyntheticOptions): TrainData {
  const rng = new Rng(o.seed ?? 0);
  const n = o.nRows, nF = o.nFeatures;
  const miss = o.missingRate ?? 0.3;
  const k = Math.min(o.nInformative ?? 8, nF);
  const strength = o.signal ?? 1;
  const columns: Float32Array[] = [];
  for (let f = 0; f < nF; f++) {
    const c = new Float32Array(n);
    // Some features are coarse (few distinct values), like many Bosch measurements.
    const coarse = f % 5 === 4;
    for (let i = 0; i < n; i++) {
      const g = rng.gauss();
      c[i] = coarse ? Math.round(g * 4) / 4 : g;
    }
    columns.push(c);
  }
  const w = Array.from({ length: k }, (_, j) => (j % 2 === 0 ? 1 : -0.7) / Math.sqrt(1 + j));
  const logits = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = 0;
    for (let j = 0; j < k; j++) z += w[j] * columns[j][i];
    if (k >= 2) z += 0.8 * columns[0][i] * columns[1][i];
    if (k >= 3) z += columns[2][i] > 0.8 ? 1.2 : 0;
    logits[i] = strength * z;
  }
  // Intercept by bisection so that the mean probability hits the target rate.
  const target = o.positiveRate ?? 0.05;
  let lo = -30, hi = 30;
  for (let it = 0; it < 50; it++) {
    const b = (lo + hi) / 2;
    let s = 0;
    for (let i = 0; i < n; i++) s += 1 / (1 + Math.exp(-(logits[i] + b)));
    if (s / n > target) hi = b;
    else lo = b;
  }
  const b = (lo + hi) / 2;
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) labels[i] = rng.next() < 1 / (1 + Math.exp(-(logits[i] + b))) ? 1 : 0;
  for (let f = 0; f < nF; f++) {
    const c = columns[f];
    for (let i = 0; i < n; i++) if (rng.next() < miss) c[i] = NaN;
  }
  const featureNames = Array.from({ length: nF }, (_, f) => `f${f}`);
  return { nRows: n, featureNames, columns, labels };
}

/** Rows [start, end) of a dataset (copies). */
export function sliceRows(d: TrainData, start: number, end: number): TrainData {
  return {
    nRows: end - start,
    featureNames: d.featureNames,
    columns: d.columns.map((c) => c.slice(start, end)),
    labels: d.labels.slice(start, end),
    weights: d.weights?.slice(start, end),
  };
}
