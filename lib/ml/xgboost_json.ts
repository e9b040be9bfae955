/**
 * XGBoost 1.7 JSON model format (`Booster.save_model("m.json")` / `load_model`), both ways.
 *
 * Layout per tree (arrays indexed by node id): `left_children`/`right_children` (-1 = leaf),
 * `split_indices`, `split_conditions` (the threshold for splits, the LEAF VALUE for leaves),
 * `default_left`, `base_weights`, `loss_changes` (gain), `sum_hessian` (cover), `parents`
 * (root: 2147483647). Only numerical splits (`split_type` 0) are supported.
 *
 * XGBoost's JSON reader types numbers: `1` is an Integer and `1.0` a Number, and a float field
 * holding an Integer fails to load ("Invalid cast, from Integer to Number"). `JSON.stringify`
 * writes 1.0 as `1`, so write files with {@link stringifyXgboostJson}, which always prints the
 * float fields with a decimal point (and as the shortest text that round-trips the float32).
 *
 * @example
 * ```ts
 * const text = stringifyXgboostJson(toXgboostJson(model)); // → models/<id>/model.xgb.json
 * const back = fromXgboostJson(text);                      // also reads XGBoost's own files
 * ```
 * @module
 */

import { type BoosterParams, DEFAULT_PARAMS, type GbdtModel, type Tree } from "./model.ts";
import { treesInUse, validateTree } from "./onnx_export.ts";

/** One tree in XGBoost's JSON schema. */
export interface XgbJsonTree {
  base_weights: number[];
  categories: number[];
  categories_nodes: number[];
  categories_segments: number[];
  categories_sizes: number[];
  default_left: number[];
  id: number;
  left_children: number[];
  loss_changes: number[];
  parents: number[];
  right_children: number[];
  split_conditions: number[];
  split_indices: number[];
  split_type: number[];
  sum_hessian: number[];
  tree_param: {
    num_deleted: string;
    num_feature: string;
    num_nodes: string;
    size_leaf_vector: string;
  };
}

/** The whole model document (the fields we write; XGBoost's own files may carry more). */
export interface XgbJsonModel {
  learner: {
    attributes: Record<string, string>;
    feature_names: string[];
    feature_types: string[];
    gradient_booster: {
      model: {
        gbtree_model_param: {
          num_parallel_tree: string;
          num_trees: string;
          size_leaf_vector: string;
        };
        tree_info: number[];
        trees: XgbJsonTree[];
      };
      name: string;
    };
    learner_model_param: {
      base_score: string;
      boost_from_average: string;
      num_class: string;
      num_feature: string;
      num_target: string;
    };
    objective: { name: string; reg_loss_param: { scale_pos_weight: string } };
  };
  version: number[];
}

/** XGBoost's root-parent marker (max int32). */
const NO_PARENT = 2147483647;
/** Learner attribute holding our hyperparameters as JSON, so a round trip keeps them. */
const PARAMS_ATTRIBUTE = "qc_booster_params";
/** Tree keys whose arrays are float32 Numbers in XGBoost's schema. */
const FLOAT_KEYS = new Set(["base_weights", "loss_changes", "split_conditions", "sum_hessian"]);

/**
 * Converts a model to XGBoost 1.7's JSON document. Only the trees in use (up to
 * `bestIteration`) are written, so any XGBoost `predict` matches ours; when early stopping ran,
 * `best_iteration` / `best_ntree_limit` are recorded as XGBoost's own training would.
 */
export function toXgboostJson(model: GbdtModel): XgbJsonModel {
  const nF = model.featureNames.length;
  if (nF === 0) throw new Error("model has no features");
  if (!(model.baseScore > 0 && model.baseScore < 1)) {
    throw new RangeError(`baseScore must be in (0, 1), got ${model.baseScore}`);
  }
  const trees = treesInUse(model);
  trees.forEach((tree, t) => validateTree(tree, t, nF));
  const attributes: Record<string, string> = { [PARAMS_ATTRIBUTE]: JSON.stringify(model.params) };
  if (model.params?.early_stopping_rounds > 0) {
    attributes.best_iteration = String(trees.length - 1);
    attributes.best_ntree_limit = String(trees.length);
  }
  return {
    learner: {
      attributes,
      feature_names: [...model.featureNames],
      feature_types: model.featureNames.map(() => "float"),
      gradient_booster: {
        model: {
          gbtree_model_param: {
            num_parallel_tree: "1",
            num_trees: String(trees.length),
            size_leaf_vector: "0",
          },
          tree_info: trees.map(() => 0),
          trees: trees.map((tree, t) => treeToJson(tree, t, nF)),
        },
        name: "gbtree",
      },
      learner_model_param: {
        base_score: String(model.baseScore),
        boost_from_average: "1",
        num_class: "0",
        num_feature: String(nF),
        num_target: "1",
      },
      objective: {
        name: "binary:logistic",
        reg_loss_param: { scale_pos_weight: String(model.params?.scale_pos_weight ?? 1) },
      },
    },
    version: [1, 7, 4],
  };
}

function treeToJson(tree: Tree, id: number, nF: number): XgbJsonTree {
  const n = tree.left.length;
  const parents = new Array<number>(n).fill(NO_PARENT);
  const conditions = new Array<number>(n);
  const indices = new Array<number>(n);
  const defaultLeft = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const leaf = tree.left[i] === -1;
    if (!leaf) parents[tree.left[i]] = parents[tree.right[i]] = i;
    conditions[i] = leaf ? tree.value[i] : tree.threshold[i];
    indices[i] = leaf ? 0 : tree.feature[i];
    defaultLeft[i] = leaf ? 0 : tree.defaultLeft[i] ? 1 : 0;
  }
  return {
    base_weights: Array.from(tree.value),
    categories: [],
    categories_nodes: [],
    categories_segments: [],
    categories_sizes: [],
    default_left: defaultLeft,
    id,
    left_children: Array.from(tree.left),
    loss_changes: Array.from(tree.gain, (g, i) => (tree.left[i] === -1 ? 0 : g)),
    parents,
    right_children: Array.from(tree.right),
    split_conditions: conditions,
    split_indices: indices,
    split_type: new Array<number>(n).fill(0),
    sum_hessian: Array.from(tree.cover),
    tree_param: {
      num_deleted: "0",
      num_feature: String(nF),
      num_nodes: String(n),
      size_leaf_vector: "0",
    },
  };
}

/** The shortest decimal that reads back as the same float32, always with a '.' (see module). */
export function formatFloat32(value: number): string {
  const v = Math.fround(value);
  if (!Number.isFinite(v)) throw new RangeError(`cannot write ${value} in an XGBoost model`);
  if (v === 0) return Object.is(v, -0) ? "-0.0" : "0.0";
  let s = "";
  for (let p = 1; p <= 9; p++) {
    s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) break;
  }
  const [mantissa, exponent] = s.split("e");
  const m = mantissa.includes(".") ? mantissa : `${mantissa}.0`;
  return exponent === undefined ? m : `${m}e${exponent}`;
}

/** Serialises like `JSON.stringify`, but float fields keep a decimal point (XGBoost needs it). */
export function stringifyXgboostJson(doc: XgbJsonModel | Record<string, unknown>): string {
  const write = (value: unknown, key: string): string => {
    if (Array.isArray(value)) {
      if (FLOAT_KEYS.has(key)) return `[${value.map((v) => formatFloat32(v as number)).join(",")}]`;
      return `[${value.map((v) => write(v, "")).join(",")}]`;
    }
    if (value !== null && typeof value === "object") {
      const parts = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${write(v, k)}`);
      return `{${parts.join(",")}}`;
    }
    return JSON.stringify(value);
  };
  return write(doc, "");
}

/**
 * Reads an XGBoost 1.7 JSON model (ours, or saved by XGBoost for binary:logistic) into a
 * {@link GbdtModel}. Accepts the parsed document or its text; throws a clear error for anything
 * else (other objectives, multi-class, categorical splits, malformed trees).
 */
export function fromXgboostJson(json: unknown): GbdtModel {
  let doc: unknown = json;
  if (typeof json === "string") {
    try {
      doc = JSON.parse(json);
    } catch (e) {
      throw new Error(`XGBoost model is not valid JSON: ${(e as Error).message}`);
    }
  }
  const learner = field(doc, "learner", "object");
  const mparam = field(learner, "learner_model_param", "object");
  const objective = field(field(learner, "objective", "object"), "name", "string");
  if (objective !== "binary:logistic") {
    throw new Error(`unsupported objective "${objective}" (only binary:logistic)`);
  }
  const numClass = Number(mparam.num_class ?? "0");
  if (numClass > 1) throw new Error(`multi-class models (num_class ${numClass}) are not supported`);
  const booster = field(learner, "gradient_booster", "object");
  if (booster.name !== "gbtree") throw new Error(`unsupported booster "${booster.name}"`);
  const gbtree = field(booster, "model", "object");
  const parallel = Number(gbtree.gbtree_model_param?.num_parallel_tree ?? "1");
  if (parallel !== 1) throw new Error(`num_parallel_tree ${parallel} is not supported`);
  const jsonTrees = field(gbtree, "trees", "array") as unknown[];

  const nF = Number(mparam.num_feature);
  if (!Number.isInteger(nF) || nF < 1) {
    throw new Error(`invalid num_feature "${mparam.num_feature}"`);
  }
  const names = Array.isArray(learner.feature_names) ? learner.feature_names.map(String) : [];
  if (names.length !== 0 && names.length !== nF) {
    throw new Error(`feature_names has ${names.length} entries, num_feature is ${nF}`);
  }
  const featureNames = names.length ? names : Array.from({ length: nF }, (_, j) => `f${j}`);

  const baseScore = Number.parseFloat(String(mparam.base_score));
  if (!(baseScore > 0 && baseScore < 1)) {
    throw new Error(`invalid base_score "${mparam.base_score}"`);
  }

  const trees: Tree[] = new Array(jsonTrees.length);
  jsonTrees.forEach((jt, pos) => {
    const id = field(jt, "id", "number");
    if (!Number.isInteger(id) || id < 0 || id >= jsonTrees.length || trees[id]) {
      throw new Error(`tree at position ${pos} has invalid id ${id}`);
    }
    trees[id] = treeFromJson(jt, id);
    validateTree(trees[id], id, nF);
  });

  const attributes = (learner.attributes ?? {}) as Record<string, string>;
  let params: BoosterParams = {
    ...DEFAULT_PARAMS,
    n_estimators: trees.length,
    base_score: baseScore,
  };
  if (typeof attributes[PARAMS_ATTRIBUTE] === "string") {
    try {
      params = { ...params, ...JSON.parse(attributes[PARAMS_ATTRIBUTE]) };
    } catch {
      throw new Error(`attribute ${PARAMS_ATTRIBUTE} is not valid JSON`);
    }
  }
  const best = Number(attributes.best_iteration);
  const bestIteration = Number.isInteger(best) && best >= 0 && best < trees.length
    ? best
    : trees.length - 1;
  return { featureNames, trees, baseScore, bestIteration, params };
}

function treeFromJson(jt: unknown, id: number): Tree {
  const nums = (key: string) => field(jt, key, "array") as number[];
  const left = nums("left_children"), right = nums("right_children");
  const n = left.length;
  const cols: Record<string, number[]> = {};
  for (
    const key of [
      "split_indices",
      "split_conditions",
      "default_left",
      "base_weights",
      "loss_changes",
    ]
  ) {
    cols[key] = nums(key);
    if (cols[key].length !== n) {
      throw new Error(`tree ${id}: ${key} has ${cols[key].length} of ${n} nodes`);
    }
  }
  const hess = Array.isArray((jt as Record<string, unknown>).sum_hessian)
    ? nums("sum_hessian")
    : [];
  const splitType = Array.isArray((jt as Record<string, unknown>).split_type)
    ? nums("split_type")
    : [];
  if (splitType.some((s) => s !== 0)) {
    throw new Error(`tree ${id}: categorical splits are not supported`);
  }
  const tree: Tree = {
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    feature: new Int32Array(n),
    threshold: new Float32Array(n),
    defaultLeft: new Uint8Array(n),
    value: new Float32Array(n),
    gain: new Float32Array(n),
    cover: new Float32Array(n),
  };
  for (let i = 0; i < n; i++) {
    const leaf = left[i] === -1;
    tree.cover[i] = hess[i] ?? 0;
    if (leaf) {
      tree.value[i] = cols.split_conditions[i]; // the leaf value lives in split_conditions
      continue;
    }
    tree.feature[i] = cols.split_indices[i];
    tree.threshold[i] = cols.split_conditions[i];
    tree.defaultLeft[i] = cols.default_left[i] ? 1 : 0;
    tree.value[i] = cols.base_weights[i];
    tree.gain[i] = cols.loss_changes[i];
  }
  return tree;
}

// deno-lint-ignore no-explicit-any
type Json = any;

/** Reads `obj[key]` checking its JSON type; throws naming the missing or mistyped field. */
function field(obj: unknown, key: string, type: "object" | "array" | "string" | "number"): Json {
  const value = obj !== null && typeof obj === "object"
    ? (obj as Record<string, unknown>)[key]
    : undefined;
  const ok = type === "array"
    ? Array.isArray(value)
    : type === "object"
    ? value !== null && typeof value === "object" && !Array.isArray(value)
    : type === "string"
    ? typeof value === "string"
    : typeof value === "number";
  if (!ok) {
    throw new Error(
      `XGBoost model: field "${key}" missing or not a${type === "array" ? "n" : ""} ${type}`,
    );
  }
  return value;
}
