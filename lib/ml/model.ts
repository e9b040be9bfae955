/**
 * The trained-model representation shared by the trainer, the predictor and the exporters.
 *
 * Trees are stored as flat typed arrays (structure of arrays), the same layout XGBoost's JSON
 * model uses, so export is a copy and prediction walks integer indices without allocating.
 *
 * Split semantics follow XGBoost: a row goes LEFT when `value < threshold`; a missing value
 * (NaN) goes left when `defaultLeft[node] === 1`, right otherwise. A node is a leaf when
 * `left[node] === -1`; its output (already multiplied by the learning rate) is `value[node]`.
 * The model's raw margin for a row is `baseMargin + Σ trees leaf values` over the trees in use.
 *
 * @module
 */
import type { BinMapper } from "./binning.ts";

/** One regression tree as parallel arrays indexed by node id (root = 0). */
export interface Tree {
  /** Left child id, or -1 for a leaf. */
  left: Int32Array;
  /** Right child id, or -1 for a leaf. */
  right: Int32Array;
  /** Split feature index (column in the model's feature order); 0 for leaves. */
  feature: Int32Array;
  /** Split threshold: go left when `x < threshold`; 0 for leaves. */
  threshold: Float32Array;
  /** 1 when a missing value goes left. */
  defaultLeft: Uint8Array;
  /** Leaf output (learning rate applied) for leaves; the node's weight (eta applied) for splits. */
  value: Float32Array;
  /** Loss reduction (gain) of the split; 0 for leaves. */
  gain: Float32Array;
  /** Sum of hessians of the training rows reaching the node (XGBoost's "cover"). */
  cover: Float32Array;
}

/** Hyperparameters, with XGBoost's names and meanings (binary:logistic). */
export interface BoosterParams {
  n_estimators: number;
  max_depth: number;
  learning_rate: number;
  min_child_weight: number;
  reg_lambda: number;
  reg_alpha: number;
  gamma: number;
  subsample: number;
  colsample_bytree: number;
  scale_pos_weight: number;
  max_bin: number;
  /** Prior probability; XGBoost's default is 0.5. */
  base_score: number;
  seed: number;
  /** Stop when the first eval set's metric has not improved for this many rounds (0 = off). */
  early_stopping_rounds: number;
  /** Number of worker threads for histogram building (1 = in the calling thread). */
  n_threads: number;
}

/** XGBoost 1.7 defaults (binary:logistic, tree_method=hist). */
export const DEFAULT_PARAMS: Readonly<BoosterParams> = Object.freeze({
  n_estimators: 100,
  max_depth: 6,
  learning_rate: 0.3,
  min_child_weight: 1,
  reg_lambda: 1,
  reg_alpha: 0,
  gamma: 0,
  subsample: 1,
  colsample_bytree: 1,
  scale_pos_weight: 1,
  max_bin: 256,
  base_score: 0.5,
  seed: 0,
  early_stopping_rounds: 0,
  n_threads: 1,
});

/** A trained binary:logistic ensemble. */
export interface GbdtModel {
  /** Feature names in column order (the order of `Tree.feature` indices). */
  featureNames: string[];
  trees: Tree[];
  /** Prior probability; the margin starts at `logit(baseScore)`. */
  baseScore: number;
  /** Index of the best round (0-based) when early stopping ran; otherwise the last round. */
  bestIteration: number;
  params: BoosterParams;
}

/** Per-round evaluation history: `history[setName][metricName][round]`. */
export type EvalHistory = Record<string, Record<string, number[]>>;

/** Feature importance kinds, as XGBoost's `get_score(importance_type=...)`. */
export type ImportanceType = "gain" | "total_gain" | "weight" | "cover" | "total_cover";

/**
 * Training or evaluation data, column-major: `columns[j][i]` is feature j of row i,
 * NaN = missing. Column-major matches the stored column table and makes binning a pass per column.
 */
export interface TrainData {
  nRows: number;
  featureNames: string[];
  columns: Float32Array[];
  /** 0/1 labels, length nRows. */
  labels: Uint8Array;
  /** Optional sample weights, length nRows. */
  weights?: Float32Array;
}

/**
 * Training rows already quantile-binned (`trainBinned`): the float columns are not needed any
 * more, so a caller that loads and bins one column at a time never holds them all.
 */
export interface BinnedTrainData {
  nRows: number;
  featureNames: string[];
  /** The cuts the codes were made with (`fitBinMapper` / `CutFitter` on the same rows). */
  mapper: BinMapper;
  /** Per feature, every row's code (0 = missing, k + 1 = value bin k). */
  codes: Uint8Array[];
  /** Per feature, the number of non-missing codes. */
  nnz: ArrayLike<number>;
  labels: Uint8Array;
  weights?: Float32Array;
}

/** Options of `train` beyond the hyperparameters. */
export interface TrainOptions {
  /** Sets evaluated every round; the LAST one drives early stopping (as XGBoost). */
  evalSets?: {
    name: string;
    data: TrainData;
    /** Metrics for this set only (default `evalMetrics`); e.g. skip the per-round AUC sort
     * on a large training set. Early stopping uses the last set's first metric. */
    metrics?: ("logloss" | "error" | "auc")[];
  }[];
  /** Metrics computed per round on each eval set; default ["logloss", "error", "auc"]. */
  evalMetrics?: ("logloss" | "error" | "auc")[];
  /** Called after every round with its metrics; may be async (progress reporting). */
  onRound?: (
    round: number,
    metrics: Record<string, Record<string, number>>,
  ) => void | Promise<void>;
  /** Aborting stops training between rounds (rejects with the signal's reason). */
  signal?: AbortSignal;
  /**
   * Stop flag in shared memory (`Int32Array` on a SharedArrayBuffer; non-zero = stop) for an
   * owner in another thread, where an AbortSignal cannot reach: checked between rounds, and the
   * histogram helper threads exit on it even when this thread was terminated.
   */
  cancelFlag?: Int32Array;
}

/** What `train` returns. */
export interface TrainResult {
  model: GbdtModel;
  history: EvalHistory;
}
