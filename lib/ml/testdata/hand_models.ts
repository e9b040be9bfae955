/**
 * Hand-built models and a tiny reference predictor for the export tests, independent of the
 * trainer: they pin the split semantics (x < threshold → left, NaN → defaultLeft) on their own.
 * @module
 */

import { Rng } from "../../random/mod.ts";
import { type BoosterParams, DEFAULT_PARAMS, type GbdtModel, type Tree } from "../model.ts";

/** Parameters recorded on hand-built models (values are only metadata here). */
export const HAND_PARAMS: BoosterParams = { ...DEFAULT_PARAMS, n_estimators: 3, max_depth: 3 };

/** Builds a tree from plain arrays (gain/cover default to zeros). */
export function makeTree(
  left: number[],
  right: number[],
  feature: number[],
  threshold: number[],
  defaultLeft: number[],
  value: number[],
  gain?: number[],
  cover?: number[],
): Tree {
  const n = left.length;
  return {
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    feature: Int32Array.from(feature),
    threshold: Float32Array.from(threshold),
    defaultLeft: Uint8Array.from(defaultLeft),
    value: Float32Array.from(value),
    gain: gain ? Float32Array.from(gain) : new Float32Array(n),
    cover: cover ? Float32Array.from(cover) : new Float32Array(n),
  };
}

/** Uniforms in [0, 1) from the shared seeded PRNG, so random models and rows are reproducible. */
export function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

/** A random complete-ish tree of the given depth over `nFeatures` features (breadth-first ids). */
export function randomTree(rand: () => number, nFeatures: number, depth: number): Tree {
  const left: number[] = [], right: number[] = [], feature: number[] = [];
  const threshold: number[] = [], defaultLeft: number[] = [], value: number[] = [];
  const gain: number[] = [], cover: number[] = [];
  const depthOf: number[] = [0];
  for (let i = 0; i < depthOf.length; i++) {
    const d = depthOf[i];
    const split = d < depth && (d === 0 || rand() < 0.8);
    value.push(Math.fround((rand() - 0.5) * 0.4));
    cover.push(Math.fround(100 / (d + 1)));
    if (split) {
      left.push(depthOf.length);
      right.push(depthOf.length + 1);
      depthOf.push(d + 1, d + 1);
      feature.push(Math.floor(rand() * nFeatures));
      threshold.push(Math.fround(rand() * 2 - 1));
      defaultLeft.push(rand() < 0.5 ? 1 : 0);
      gain.push(Math.fround(rand() * 10));
    } else {
      left.push(-1);
      right.push(-1);
      feature.push(0);
      threshold.push(0);
      defaultLeft.push(0);
      gain.push(0);
    }
  }
  return makeTree(left, right, feature, threshold, defaultLeft, value, gain, cover);
}

/** A random ensemble; `bestIteration` below the last tree exercises truncation. */
export function randomModel(
  seed: number,
  nFeatures = 6,
  nTrees = 12,
  bestIteration = nTrees - 1,
  baseScore = 0.3,
): GbdtModel {
  const rand = rng(seed);
  const trees = Array.from({ length: nTrees }, () => randomTree(rand, nFeatures, 4));
  return {
    featureNames: Array.from({ length: nFeatures }, (_, j) => `f_${j}`),
    trees,
    baseScore,
    bestIteration,
    params: { ...HAND_PARAMS, n_estimators: nTrees, base_score: baseScore },
  };
}

/** Random row-major rows in [-1.2, 1.2) with a share of NaN, plus exact-threshold hits. */
export function randomRows(
  seed: number,
  model: GbdtModel,
  nRows: number,
  missingShare = 0.25,
): Float32Array {
  const rand = rng(seed);
  const nF = model.featureNames.length;
  const rows = new Float32Array(nRows * nF);
  const thresholds = model.trees.flatMap((t) => Array.from(t.threshold));
  for (let i = 0; i < rows.length; i++) {
    const u = rand();
    rows[i] = u < missingShare
      ? Number.NaN
      : u < missingShare + 0.1
      ? thresholds[Math.floor(rand() * thresholds.length)] // ties: x === threshold goes right
      : rand() * 2.4 - 1.2;
  }
  return rows;
}

/** Reference margin: XGBoost semantics over the first `bestIteration + 1` trees. */
export function refMargin(model: GbdtModel, row: ArrayLike<number>): number {
  const n = Math.min(model.bestIteration + 1, model.trees.length);
  let sum = Math.log(model.baseScore / (1 - model.baseScore));
  for (let t = 0; t < n; t++) {
    const tree = model.trees[t];
    let i = 0;
    while (tree.left[i] !== -1) {
      const x = Math.fround(row[tree.feature[i]]);
      const goLeft = Number.isNaN(x) ? tree.defaultLeft[i] === 1 : x < tree.threshold[i];
      i = goLeft ? tree.left[i] : tree.right[i];
    }
    sum += tree.value[i];
  }
  return sum;
}

/** Reference probability σ(refMargin). */
export function refProba(model: GbdtModel, row: ArrayLike<number>): number {
  return 1 / (1 + Math.exp(-refMargin(model, row)));
}
