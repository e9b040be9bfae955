/**
 * Pure-TypeScript prediction over the flat tree arrays (no allocation per row).
 *
 * By default the first `model.bestIteration + 1` trees are used, which is every tree unless
 * early stopping ran (XGBoost's sklearn API does the same with `iteration_range`).
 *
 * @example
 * ```ts
 * const p = predictProba(model, [1.5, NaN, 3]);            // one row, NaN = missing
 * const ps = predictProbaColumns(model, columns, nRows);    // column-major batch
 * ```
 * @module
 */

import type { GbdtModel, Tree } from "./model.ts";

/** Logistic function. */
export function sigmoid(m: number): number {
  return 1 / (1 + Math.exp(-m));
}

/** logit(p): the margin of a probability (base_score → base margin). */
export function logit(p: number): number {
  return Math.log(p / (1 - p));
}

/** Number of trees used when the caller does not say. */
export function defaultTreeCount(model: GbdtModel): number {
  return Math.min(model.trees.length, Math.max(0, model.bestIteration + 1));
}

function treeCount(model: GbdtModel, nTrees?: number): number {
  if (nTrees === undefined) return defaultTreeCount(model);
  if (!Number.isInteger(nTrees) || nTrees < 0) {
    throw new RangeError(`nTrees must be a non-negative integer, got ${nTrees}`);
  }
  return Math.min(nTrees, model.trees.length);
}

/** Leaf value of one tree for a row given as an indexable feature vector. */
export function treeValue(tree: Tree, row: ArrayLike<number>): number {
  const { left, right, feature, threshold, defaultLeft, value } = tree;
  let n = 0;
  while (left[n] !== -1) {
    const v = row[feature[n]];
    n = v < threshold[n] ? left[n] : v !== v ? (defaultLeft[n] ? left[n] : right[n]) : right[n];
  }
  return value[n];
}

/** Leaf value of one tree for row `r` of column-major data. */
export function treeValueColumns(tree: Tree, columns: Float32Array[], r: number): number {
  const { left, right, feature, threshold, defaultLeft, value } = tree;
  let n = 0;
  while (left[n] !== -1) {
    const v = columns[feature[n]][r];
    n = v < threshold[n] ? left[n] : v !== v ? (defaultLeft[n] ? left[n] : right[n]) : right[n];
  }
  return value[n];
}

/** Leaf index (node id) of one tree for row `r` of column-major data. */
export function treeLeafColumns(tree: Tree, columns: Float32Array[], r: number): number {
  const { left, right, feature, threshold, defaultLeft } = tree;
  let n = 0;
  while (left[n] !== -1) {
    const v = columns[feature[n]][r];
    n = v < threshold[n] ? left[n] : v !== v ? (defaultLeft[n] ? left[n] : right[n]) : right[n];
  }
  return n;
}

function checkRow(model: GbdtModel, row: ArrayLike<number>): void {
  if (row.length !== model.featureNames.length) {
    throw new RangeError(
      `row has ${row.length} values but the model has ${model.featureNames.length} features`,
    );
  }
}

/** Raw margin (log-odds) of one row; `nTrees` defaults to bestIteration + 1. */
export function predictMargin(model: GbdtModel, row: ArrayLike<number>, nTrees?: number): number {
  checkRow(model, row);
  const t = treeCount(model, nTrees);
  let m = logit(model.baseScore);
  for (let i = 0; i < t; i++) m += treeValue(model.trees[i], row);
  return m;
}

/** P(class 1) of one row. */
export function predictProba(model: GbdtModel, row: ArrayLike<number>, nTrees?: number): number {
  return sigmoid(predictMargin(model, row, nTrees));
}

/** Margins of many rows (column-major, NaN = missing); tree-major for cache locality. */
export function predictMarginColumns(
  model: GbdtModel,
  columns: Float32Array[],
  nRows: number,
  nTrees?: number,
): Float64Array {
  if (columns.length !== model.featureNames.length) {
    throw new RangeError(
      `got ${columns.length} columns but the model has ${model.featureNames.length} features`,
    );
  }
  for (let f = 0; f < columns.length; f++) {
    if (columns[f].length < nRows) {
      throw new RangeError(`column ${f} has ${columns[f].length} values, expected ${nRows}`);
    }
  }
  const t = treeCount(model, nTrees);
  const out = new Float64Array(nRows).fill(logit(model.baseScore));
  for (let k = 0; k < t; k++) {
    const tree = model.trees[k];
    for (let r = 0; r < nRows; r++) out[r] += treeValueColumns(tree, columns, r);
  }
  return out;
}

/** P(class 1) for many rows given column-major. */
export function predictProbaColumns(
  model: GbdtModel,
  columns: Float32Array[],
  nRows: number,
  nTrees?: number,
): Float64Array {
  const out = predictMarginColumns(model, columns, nRows, nTrees);
  for (let r = 0; r < nRows; r++) out[r] = sigmoid(out[r]);
  return out;
}
