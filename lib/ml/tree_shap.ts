/**
 * Exact TreeSHAP for our tree ensembles: per-row feature contributions in margin (log-odds) units.
 *
 * The polynomial-time path algorithm of Lundberg, Erion & Lee, "Consistent Individualized Feature
 * Attribution for Tree Ensembles" (2018), Algorithm 2: one recursion per tree that carries, along
 * the path from the root, the share of all feature subsets that reach each node ("tree
 * path-dependent": a feature outside the subset sends the row down both children in proportion to
 * their training cover). It gives the same numbers as XGBoost's `predict(pred_contribs=True)`:
 *
 * - `contributions[j]` is feature j's Shapley value summed over the trees in use;
 * - `bias` = logit(baseScore) + Σ trees' expected value (cover-weighted mean of the leaves);
 * - `bias + Σ contributions = margin` for every row (up to float rounding).
 *
 * Split semantics are the predictor's: `x < threshold` goes left, a missing value (NaN) follows
 * the node's learned default direction.
 *
 * Everything that does not depend on the row (child cover fractions, expected values, the path
 * buffer) is computed once by the {@link TreeExplainer} constructor; `explain` allocates nothing
 * when given an output array. Cost per row: O(trees × leaves × depth²).
 *
 * @example
 * ```ts
 * const explainer = new TreeExplainer(model);            // once per model
 * const phi = explainer.explain(row);                    // Float64Array, one per feature
 * const margin = explainer.bias + phi.reduce((a, b) => a + b, 0);
 * const top = explainer.top(row, 5);                     // 5 largest |contribution|
 * ```
 *
 * @module
 */

import type { GbdtModel, Tree } from "./model.ts";
import { defaultTreeCount, logit } from "./predictor.ts";

/** One tree with the row-independent numbers TreeSHAP needs. */
interface PreparedTree {
  left: Int32Array;
  right: Int32Array;
  feature: Int32Array;
  threshold: Float32Array;
  defaultLeft: Uint8Array;
  value: Float32Array;
  /** cover[node] / cover[parent] (1 for the root): the share of the parent's data a child gets. */
  coverShare: Float64Array;
  /** Depth of the deepest leaf (root = 0). */
  maxDepth: number;
}

/** A feature's contribution to one row's margin. */
export interface Contribution {
  /** Index in the model's feature order. */
  feature: number;
  contribution: number;
}

/** Options of {@link TreeExplainer}. */
export interface TreeExplainerOptions {
  /** Trees to use (the first n); default `bestIteration + 1`, as the predictor. */
  nTrees?: number;
}

/**
 * Exact TreeSHAP over a model's trees, precomputed once per model (see the module doc).
 * Not safe to share between concurrent callers of `explain` — it owns one path buffer — but
 * JavaScript runs one `explain` at a time per thread anyway.
 */
export class TreeExplainer {
  /** Number of features (length of a row and of the contributions). */
  readonly nFeatures: number;
  /** Feature names in model order. */
  readonly featureNames: readonly string[];
  /** logit(baseScore) + Σ trees' expected values: the margin when nothing is known. */
  readonly bias: number;
  /** Trees explained. */
  readonly nTrees: number;
  readonly #trees: PreparedTree[];
  readonly #baseMargin: number;
  // The path of unique features from the root, one segment per recursion level (see #recurse).
  readonly #pathFeature: Int32Array;
  readonly #pathZero: Float64Array;
  readonly #pathOne: Float64Array;
  readonly #pathWeight: Float64Array;

  constructor(model: GbdtModel, opts: TreeExplainerOptions = {}) {
    const n = opts.nTrees ?? defaultTreeCount(model);
    if (!Number.isInteger(n) || n < 0) {
      throw new RangeError(`nTrees must be a non-negative integer, got ${n}`);
    }
    this.nFeatures = model.featureNames.length;
    this.featureNames = model.featureNames;
    this.nTrees = Math.min(n, model.trees.length);
    this.#baseMargin = logit(model.baseScore);
    this.#trees = [];
    let bias = this.#baseMargin, depth = 0;
    for (let t = 0; t < this.nTrees; t++) {
      const { prepared, expected } = prepareTree(model.trees[t], t, this.nFeatures);
      this.#trees.push(prepared);
      bias += expected;
      depth = Math.max(depth, prepared.maxDepth);
    }
    this.bias = bias;
    // Level k's segment starts after level k-1's (≤ k+1 entries each): (D+2)(D+3)/2 suffices.
    const size = ((depth + 2) * (depth + 3)) / 2 + 2;
    this.#pathFeature = new Int32Array(size);
    this.#pathZero = new Float64Array(size);
    this.#pathOne = new Float64Array(size);
    this.#pathWeight = new Float64Array(size);
  }

  /**
   * SHAP values of one row (NaN = missing), one per feature, in margin units. Writes into `out`
   * (zeroed first) when given, else into a new array.
   */
  explain(row: ArrayLike<number>, out?: Float64Array): Float64Array {
    if (row.length !== this.nFeatures) {
      throw new RangeError(`row has ${row.length} values but the model has ${this.nFeatures}`);
    }
    const phi = out ?? new Float64Array(this.nFeatures);
    if (phi.length < this.nFeatures) throw new RangeError("output array is too short");
    phi.fill(0, 0, this.nFeatures);
    for (const tree of this.#trees) this.#recurse(tree, row, phi, 0, 0, 0, 1, 1, -1);
    return phi;
  }

  /** The model's margin for a row (the same tree walk as the predictor). */
  margin(row: ArrayLike<number>): number {
    let m = this.#baseMargin;
    for (const tree of this.#trees) {
      const { left, right, feature, threshold, defaultLeft, value } = tree;
      let node = 0;
      while (left[node] !== -1) {
        const v = row[feature[node]];
        node = v < threshold[node]
          ? left[node]
          : v !== v
          ? (defaultLeft[node] ? left[node] : right[node])
          : right[node];
      }
      m += value[node];
    }
    return m;
  }

  /**
   * The `k` contributions of largest magnitude, largest first (ties: lower feature index first).
   * Features with a zero contribution are left out.
   */
  top(row: ArrayLike<number>, k: number, phi?: Float64Array): Contribution[] {
    const values = phi ?? this.explain(row);
    return topContributions(values, k, this.nFeatures);
  }

  /**
   * One level of Algorithm 2. `parentStart` is where the parent's path segment begins,
   * `depth` the number of unique features on the path so far (the root's placeholder not
   * counted); this level's segment begins right after the parent's.
   */
  #recurse(
    tree: PreparedTree,
    row: ArrayLike<number>,
    phi: Float64Array,
    node: number,
    parentStart: number,
    depth: number,
    zeroFraction: number,
    oneFraction: number,
    featureIndex: number,
  ): void {
    const pf = this.#pathFeature, pz = this.#pathZero, po = this.#pathOne, pw = this.#pathWeight;
    const start = parentStart + depth + 1;
    for (let i = 0; i < depth; i++) {
      pf[start + i] = pf[parentStart + i];
      pz[start + i] = pz[parentStart + i];
      po[start + i] = po[parentStart + i];
      pw[start + i] = pw[parentStart + i];
    }
    extendPath(pf, pz, po, pw, start, depth, zeroFraction, oneFraction, featureIndex);

    const { left, right } = tree;
    if (left[node] === -1) {
      const leafValue = tree.value[node];
      for (let i = 1; i <= depth; i++) {
        const w = unwoundPathSum(pz, po, pw, start, depth, i);
        phi[pf[start + i]] += w * (po[start + i] - pz[start + i]) * leafValue;
      }
      return;
    }
    const split = tree.feature[node];
    const v = row[split];
    const goLeft = v < tree.threshold[node] || (v !== v && tree.defaultLeft[node] === 1);
    const hot = goLeft ? left[node] : right[node];
    const cold = goLeft ? right[node] : left[node];

    // A feature already on the path is taken off and put back with the fractions combined.
    let incomingZero = 1, incomingOne = 1;
    for (let i = 0; i <= depth; i++) {
      if (pf[start + i] === split) {
        incomingZero = pz[start + i];
        incomingOne = po[start + i];
        unwindPath(pf, pz, po, pw, start, depth, i);
        depth--;
        break;
      }
    }
    const share = tree.coverShare;
    this.#recurse(
      tree,
      row,
      phi,
      hot,
      start,
      depth + 1,
      share[hot] * incomingZero,
      incomingOne,
      split,
    );
    this.#recurse(tree, row, phi, cold, start, depth + 1, share[cold] * incomingZero, 0, split);
  }
}

/** Grows the path by one feature with the given zero/one fractions (updates the weights). */
function extendPath(
  pf: Int32Array,
  pz: Float64Array,
  po: Float64Array,
  pw: Float64Array,
  start: number,
  depth: number,
  zeroFraction: number,
  oneFraction: number,
  featureIndex: number,
): void {
  const at = start + depth;
  pf[at] = featureIndex;
  pz[at] = zeroFraction;
  po[at] = oneFraction;
  pw[at] = depth === 0 ? 1 : 0;
  const d1 = depth + 1;
  for (let i = depth - 1; i >= 0; i--) {
    pw[start + i + 1] += (oneFraction * pw[start + i] * (i + 1)) / d1;
    pw[start + i] = (zeroFraction * pw[start + i] * (depth - i)) / d1;
  }
}

/** Undoes `extendPath` for the element at `index` (the inverse recurrence), removing it. */
function unwindPath(
  pf: Int32Array,
  pz: Float64Array,
  po: Float64Array,
  pw: Float64Array,
  start: number,
  depth: number,
  index: number,
): void {
  const one = po[start + index], zero = pz[start + index];
  const d1 = depth + 1;
  let next = pw[start + depth];
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const kept = pw[start + i];
      pw[start + i] = (next * d1) / ((i + 1) * one);
      next = kept - (pw[start + i] * zero * (depth - i)) / d1;
    } else {
      pw[start + i] = (pw[start + i] * d1) / (zero * (depth - i));
    }
  }
  for (let i = index; i < depth; i++) {
    pf[start + i] = pf[start + i + 1];
    pz[start + i] = pz[start + i + 1];
    po[start + i] = po[start + i + 1];
  }
}

/** Σ of the path weights as they would be with the element at `index` unwound (no mutation). */
function unwoundPathSum(
  pz: Float64Array,
  po: Float64Array,
  pw: Float64Array,
  start: number,
  depth: number,
  index: number,
): number {
  const one = po[start + index], zero = pz[start + index];
  const d1 = depth + 1;
  let next = pw[start + depth];
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const w = (next * d1) / ((i + 1) * one);
      total += w;
      next = pw[start + i] - (w * zero * (depth - i)) / d1;
    } else {
      total += (pw[start + i] / zero) * (d1 / (depth - i));
    }
  }
  return total;
}

/**
 * Checks one tree and computes its cover shares, depth and expected value (XGBoost's node mean:
 * the children's means weighted by their cover over the node's own cover).
 */
function prepareTree(
  tree: Tree,
  index: number,
  nFeatures: number,
): { prepared: PreparedTree; expected: number } {
  const { left, right, feature, cover, value } = tree;
  const n = left.length;
  if (n === 0) throw new RangeError(`tree ${index} has no nodes`);
  const coverShare = new Float64Array(n).fill(1);
  const mean = new Float64Array(n);
  const depthOf = new Int32Array(n);
  const order: number[] = [0];
  const seen = new Uint8Array(n);
  seen[0] = 1;
  let maxDepth = 0;
  for (let k = 0; k < order.length; k++) {
    const node = order[k];
    if (left[node] === -1) continue;
    const l = left[node], r = right[node];
    if (!(l > 0 && l < n && r > 0 && r < n) || seen[l] || seen[r]) {
      throw new RangeError(`tree ${index}: node ${node} has invalid children ${l}, ${r}`);
    }
    if (feature[node] < 0 || feature[node] >= nFeatures) {
      throw new RangeError(
        `tree ${index}: node ${node} splits on unknown feature ${feature[node]}`,
      );
    }
    // Cover (sum of hessians) is what weighs the branches; XGBoost's models always carry it.
    if (!(cover[node] > 0 && cover[l] > 0 && cover[r] > 0)) {
      throw new RangeError(
        `tree ${index}: node ${node} or its children have no positive cover; ` +
          "TreeSHAP needs the training cover of every node",
      );
    }
    seen[l] = seen[r] = 1;
    coverShare[l] = cover[l] / cover[node];
    coverShare[r] = cover[r] / cover[node];
    depthOf[l] = depthOf[r] = depthOf[node] + 1;
    maxDepth = Math.max(maxDepth, depthOf[l]);
    order.push(l, r);
  }
  for (let k = order.length - 1; k >= 0; k--) {
    const node = order[k];
    mean[node] = left[node] === -1
      ? value[node]
      : (mean[left[node]] * cover[left[node]] + mean[right[node]] * cover[right[node]]) /
        cover[node];
  }
  return {
    prepared: {
      left,
      right,
      feature,
      threshold: tree.threshold,
      defaultLeft: tree.defaultLeft,
      value,
      coverShare,
      maxDepth,
    },
    expected: mean[0],
  };
}

/**
 * The `k` entries of `values` (first `n`) with the largest |value|, largest first; ties go to the
 * lower index; zeros are left out. O(n·k), fine for k ≈ 5.
 */
export function topContributions(
  values: ArrayLike<number>,
  k: number,
  n = values.length,
): Contribution[] {
  const out: Contribution[] = [];
  if (!(k > 0)) return out;
  for (let j = 0; j < n; j++) {
    const c = values[j];
    if (c === 0 || c !== c) continue;
    const a = Math.abs(c);
    if (out.length === k && a <= Math.abs(out[k - 1].contribution)) continue;
    let at = out.length < k ? out.length : k - 1;
    while (at > 0 && Math.abs(out[at - 1].contribution) < a) at--;
    if (out.length === k) out.pop();
    out.splice(at, 0, { feature: j, contribution: c });
  }
  return out;
}
