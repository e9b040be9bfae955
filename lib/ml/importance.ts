/**
 * Feature importance as XGBoost's `Booster.get_score(importance_type=…)`:
 * - `weight`: number of splits on the feature;
 * - `total_gain` / `total_cover`: sum of split gains / covers (hessian sums) on the feature;
 * - `gain` / `cover`: those sums divided by `weight` (averages; `gain` is what the sklearn
 *   wrapper's `feature_importances_` normalises).
 *
 * @example
 * ```ts
 * featureImportance(model);                       // {"f3": 12.5, "f0": 3.1} (used features only)
 * featureImportance(model, "gain", { normalize: true }); // sums to 1
 * rankFeatures(model, "gain").slice(0, 100);      // names, most important first
 * ```
 * @module
 */

import type { GbdtModel, ImportanceType } from "./model.ts";

/** Options of {@link featureImportance}. */
export interface ImportanceOptions {
  /** Divide by the sum so the values add up to 1 (sklearn's `feature_importances_`). */
  normalize?: boolean;
  /** Also list features never split on, with 0 (get_score omits them). */
  includeZero?: boolean;
  /** Use only the first n trees (default: all trees, as get_score). */
  nTrees?: number;
}

const TYPES: readonly ImportanceType[] = ["gain", "total_gain", "weight", "cover", "total_cover"];

/** Per-feature split counts, gain sums and cover sums over the first `nTrees` trees. */
function splitStats(model: GbdtModel, nTreesOpt?: number) {
  const nF = model.featureNames.length;
  const weight = new Float64Array(nF), gain = new Float64Array(nF), cover = new Float64Array(nF);
  const nTrees = Math.min(nTreesOpt ?? model.trees.length, model.trees.length);
  for (let t = 0; t < nTrees; t++) {
    const tree = model.trees[t];
    for (let n = 0; n < tree.left.length; n++) {
      if (tree.left[n] === -1) continue;
      const f = tree.feature[n];
      weight[f] += 1;
      gain[f] += tree.gain[n];
      cover[f] += tree.cover[n];
    }
  }
  return { weight, gain, cover };
}

function importanceFromStats(
  stats: ReturnType<typeof splitStats>,
  type: ImportanceType,
  normalize: boolean,
): Float64Array {
  if (!TYPES.includes(type)) {
    throw new RangeError(`unknown importance type "${type}"; use one of ${TYPES.join(", ")}`);
  }
  const { weight, gain, cover } = stats;
  const nF = weight.length;
  const out = new Float64Array(nF);
  for (let f = 0; f < nF; f++) {
    const w = weight[f];
    switch (type) {
      case "weight":
        out[f] = w;
        break;
      case "total_gain":
        out[f] = gain[f];
        break;
      case "total_cover":
        out[f] = cover[f];
        break;
      case "gain":
        out[f] = w > 0 ? gain[f] / w : 0;
        break;
      case "cover":
        out[f] = w > 0 ? cover[f] / w : 0;
        break;
    }
  }
  if (normalize) {
    let sum = 0;
    for (let f = 0; f < nF; f++) sum += out[f];
    if (sum > 0) { for (let f = 0; f < nF; f++) out[f] /= sum; }
  }
  return out;
}

/** Importance per feature index, aligned with `model.featureNames` (0 for unused features). */
export function featureImportanceArray(
  model: GbdtModel,
  type: ImportanceType = "gain",
  options: ImportanceOptions = {},
): Float64Array {
  return importanceFromStats(splitStats(model, options.nTrees), type, !!options.normalize);
}

/**
 * Importance by feature name. Like get_score, features never used in a split are omitted
 * unless `includeZero`.
 */
export function featureImportance(
  model: GbdtModel,
  type: ImportanceType = "gain",
  options: ImportanceOptions = {},
): Record<string, number> {
  const stats = splitStats(model, options.nTrees);
  const arr = importanceFromStats(stats, type, !!options.normalize);
  const out: Record<string, number> = {};
  for (let f = 0; f < arr.length; f++) {
    if (options.includeZero || stats.weight[f] > 0) out[model.featureNames[f]] = arr[f];
  }
  return out;
}

/** Feature names with importance, most important first (ties by column order). */
export function rankFeatures(
  model: GbdtModel,
  type: ImportanceType = "gain",
  options: ImportanceOptions = {},
): { name: string; importance: number }[] {
  const arr = featureImportanceArray(model, type, options);
  const idx = Array.from(arr.keys()).sort((a, b) => arr[b] - arr[a] || a - b);
  return idx.map((f) => ({ name: model.featureNames[f], importance: arr[f] }));
}
