/**
 * Export a binary:logistic GBDT as an ONNX model with one `ai.onnx.ml` `TreeEnsembleClassifier`
 * node, runnable by onnxruntime anywhere (web/WASM, .NET, Python).
 *
 * Graph: input `input` float [N, nFeatures] → outputs `label` int64 [N] and `probabilities`
 * float [N, 2] = [1 − p, p], where p = σ(logit(baseScore) + Σ leaf values).
 *
 * onnxruntime semantics this relies on (tree_ensemble_aggregator.h): with two class labels and
 * every leaf weight on class id 0, the ensemble is a "binary case"; one `base_values` entry is
 * added to the summed score and, with post_transform LOGISTIC and at least one NEGATIVE weight,
 * the output is [σ(−s), σ(s)]. If no weight is negative, onnxruntime before 1.26 instead outputs
 * [1 − s, s] with no logistic at all (microsoft/onnxruntime#27533; consumers such as .NET may run
 * older versions), so we then add a one-leaf tree with a negligible negative weight.
 *
 * Splits: BRANCH_LT (go to the true branch = our left child when x < threshold);
 * `nodes_missing_value_tracks_true` = our `defaultLeft`, so NaN follows the learned direction.
 *
 * @example
 * ```ts
 * const bytes = toOnnx(model);
 * await services.storage.put(`models/${id}/model.onnx`, bytes);
 * ```
 * @module
 */

import type { GbdtModel, Tree } from "./model.ts";
import { ProtoWriter } from "./protobuf.ts";

/** Options of {@link toOnnx}. */
export interface OnnxExportOptions {
  /** Graph input name; default "input". */
  inputName?: string;
  /** ModelProto.producer_name; default "qc-gbdt". */
  producerName?: string;
  /** ModelProto.producer_version; default "1". */
  producerVersion?: string;
  /** Extra ModelProto.metadata_props (feature names are always added as `feature_names`). */
  metadata?: Record<string, string>;
}

/** ONNX IR version written (ONNX 1.10+; onnxruntime ≥ 1.10 loads it). */
export const ONNX_IR_VERSION = 8;
/** Weight of the guard tree added when no leaf is negative (see the module docs). */
const GUARD_WEIGHT = -1e-30;

// ONNX enums (onnx.proto).
const ATTR_STRING = 3, ATTR_FLOATS = 6, ATTR_INTS = 7, ATTR_STRINGS = 8;
const ELEM_FLOAT = 1, ELEM_INT64 = 7;

/** The trees that predictions use: the first `bestIteration + 1` (all when it is out of range). */
export function treesInUse(model: GbdtModel): Tree[] {
  const n = Number.isInteger(model.bestIteration) && model.bestIteration >= 0
    ? Math.min(model.bestIteration + 1, model.trees.length)
    : model.trees.length;
  return model.trees.slice(0, n);
}

/** logit(baseScore), the margin every row starts from; throws on a score outside (0, 1). */
export function baseMargin(baseScore: number): number {
  if (!(baseScore > 0 && baseScore < 1)) {
    throw new RangeError(`baseScore must be in (0, 1), got ${baseScore}`);
  }
  return Math.log(baseScore / (1 - baseScore));
}

/** Checks a tree's arrays are consistent; throws a message naming the tree and node. */
export function validateTree(tree: Tree, t: number, nFeatures: number): void {
  const n = tree.left.length;
  const arrays = [tree.right, tree.feature, tree.threshold, tree.defaultLeft, tree.value];
  if (n === 0) throw new Error(`tree ${t} has no nodes`);
  if (arrays.some((a) => a.length !== n)) {
    throw new Error(`tree ${t}: node arrays differ in length`);
  }
  for (let i = 0; i < n; i++) {
    const l = tree.left[i], r = tree.right[i];
    if (l === -1) {
      if (r !== -1) throw new Error(`tree ${t} node ${i}: left is -1 but right is ${r}`);
      if (!Number.isFinite(tree.value[i])) throw new Error(`tree ${t} node ${i}: leaf not finite`);
      continue;
    }
    if (l <= i || r <= i || l >= n || r >= n || l === r) {
      throw new Error(`tree ${t} node ${i}: bad children ${l}, ${r}`);
    }
    const f = tree.feature[i];
    if (f < 0 || f >= nFeatures) {
      throw new Error(`tree ${t} node ${i}: feature ${f} out of range 0..${nFeatures - 1}`);
    }
    if (Number.isNaN(tree.threshold[i])) throw new Error(`tree ${t} node ${i}: NaN threshold`);
  }
}

/**
 * Serialises the model's trees in use (see {@link treesInUse}) as an ONNX ModelProto
 * (IR 8, opsets "" 15 and "ai.onnx.ml" 3).
 */
export function toOnnx(model: GbdtModel, opts: OnnxExportOptions = {}): Uint8Array {
  const nFeatures = model.featureNames.length;
  if (nFeatures === 0) throw new Error("model has no features");
  const trees = treesInUse(model);
  trees.forEach((tree, t) => validateTree(tree, t, nFeatures));
  const margin = baseMargin(model.baseScore);

  // Flatten all nodes; ids are (tree index, node index) so they stay our own indices.
  let nNodes = 0, nLeaves = 0, anyNegative = false;
  for (const tree of trees) {
    nNodes += tree.left.length;
    for (let i = 0; i < tree.left.length; i++) {
      if (tree.left[i] === -1) {
        nLeaves++;
        if (tree.value[i] < 0) anyNegative = true;
      }
    }
  }
  const guard = !anyNegative;
  if (guard) nNodes++, nLeaves++;

  const treeIds = new Int32Array(nNodes), nodeIds = new Int32Array(nNodes);
  const featureIds = new Int32Array(nNodes), values = new Float32Array(nNodes);
  const trueIds = new Int32Array(nNodes), falseIds = new Int32Array(nNodes);
  const missingTrue = new Int32Array(nNodes);
  const modes: string[] = new Array(nNodes);
  const leafTree = new Int32Array(nLeaves), leafNode = new Int32Array(nLeaves);
  const leafWeight = new Float32Array(nLeaves);
  let k = 0, m = 0;
  trees.forEach((tree, t) => {
    for (let i = 0; i < tree.left.length; i++, k++) {
      treeIds[k] = t;
      nodeIds[k] = i;
      if (tree.left[i] === -1) {
        modes[k] = "LEAF";
        leafTree[m] = t;
        leafNode[m] = i;
        leafWeight[m++] = tree.value[i];
      } else {
        modes[k] = "BRANCH_LT";
        featureIds[k] = tree.feature[i];
        values[k] = tree.threshold[i];
        trueIds[k] = tree.left[i];
        falseIds[k] = tree.right[i];
        missingTrue[k] = tree.defaultLeft[i] ? 1 : 0;
      }
    }
  });
  if (guard) {
    treeIds[k] = trees.length;
    modes[k] = "LEAF";
    leafTree[m] = trees.length;
    leafWeight[m] = GUARD_WEIGHT;
  }

  const inputName = opts.inputName ?? "input";
  const w = new ProtoWriter();
  w.int64(1, ONNX_IR_VERSION);
  w.string(2, opts.producerName ?? "qc-gbdt");
  w.string(3, opts.producerVersion ?? "1");
  w.message(7, (g) => {
    g.message(1, (node) => {
      node.string(1, inputName).string(2, "label").string(2, "probabilities");
      node.string(3, "TreeEnsembleClassifier").string(4, "TreeEnsembleClassifier");
      node.string(7, "ai.onnx.ml");
      const ints = (name: string, v: ArrayLike<number>) =>
        node.message(5, (a) => a.string(1, name).int64(20, ATTR_INTS).packedInt64(8, v));
      const floats = (name: string, v: ArrayLike<number>) =>
        node.message(5, (a) => a.string(1, name).int64(20, ATTR_FLOATS).packedFloats(7, v));
      ints("nodes_treeids", treeIds);
      ints("nodes_nodeids", nodeIds);
      ints("nodes_featureids", featureIds);
      floats("nodes_values", values);
      node.message(5, (a) => {
        a.string(1, "nodes_modes").int64(20, ATTR_STRINGS);
        for (const s of modes) a.string(9, s);
      });
      ints("nodes_truenodeids", trueIds);
      ints("nodes_falsenodeids", falseIds);
      ints("nodes_missing_value_tracks_true", missingTrue);
      ints("class_treeids", leafTree);
      ints("class_nodeids", leafNode);
      ints("class_ids", new Int32Array(nLeaves));
      floats("class_weights", leafWeight);
      ints("classlabels_int64s", [0, 1]);
      floats("base_values", [margin]);
      node.message(
        5,
        (a) => a.string(1, "post_transform").int64(20, ATTR_STRING).string(4, "LOGISTIC"),
      );
    });
    g.string(2, "gbdt_binary_logistic");
    g.message(11, (v) => valueInfo(v, inputName, ELEM_FLOAT, [null, nFeatures]));
    g.message(12, (v) => valueInfo(v, "label", ELEM_INT64, [null]));
    g.message(12, (v) => valueInfo(v, "probabilities", ELEM_FLOAT, [null, 2]));
  });
  w.message(8, (o) => o.string(1, "").int64(2, 15));
  w.message(8, (o) => o.string(1, "ai.onnx.ml").int64(2, 3));
  const meta: Record<string, string> = {
    feature_names: JSON.stringify(model.featureNames),
    base_score: String(model.baseScore),
    n_trees: String(trees.length),
    ...opts.metadata,
  };
  for (const [key, value] of Object.entries(meta)) {
    w.message(14, (e) => e.string(1, key).string(2, value));
  }
  return w.finish();
}

/** ValueInfoProto for a tensor; `null` dims are the symbolic batch dimension "N". */
function valueInfo(v: ProtoWriter, name: string, elemType: number, dims: (number | null)[]): void {
  v.string(1, name);
  v.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int64(1, elemType);
      tensor.message(2, (shape) => {
        for (const d of dims) {
          shape.message(1, (dim) => d === null ? dim.string(2, "N") : dim.int64(1, d));
        }
      });
    }));
}
