/**
 * `train`: gradient boosting for binary classification (XGBoost's `binary:logistic` with
 * `tree_method=hist`), typed arrays in, model out.
 *
 * Per round: logistic gradients from the cached margins (scale_pos_weight multiplies positive
 * rows' grad and hess, sample weights multiply all), optional row subsample and per-tree column
 * sample (seeded), one depth-wise tree on quantile-binned data, margins updated from the leaves,
 * eval-set metrics, the `onRound` callback, early stopping on the LAST eval set's first metric.
 *
 * @example
 * ```ts
 * const { model, history } = await train(
 *   { nRows, featureNames, columns, labels },
 *   { n_estimators: 200, max_depth: 5, learning_rate: 0.1 },
 *   { evalSets: [{ name: "test", data: test }], onRound: (r, m) => console.log(r, m) },
 * );
 * ```
 * @module
 */

import type {
  BinnedTrainData,
  BoosterParams,
  EvalHistory,
  GbdtModel,
  TrainData,
  TrainOptions,
  TrainResult,
  Tree,
} from "./model.ts";
import { type BinMapper, fitBinMapper, MISSING_CODE } from "./binning.ts";
import { binColumns, binnedMatrixFromCodes } from "./binned_matrix.ts";
import { createSerialBuilder, type HistogramBuilder } from "./histogram.ts";
import { type GrowParams, growTree } from "./grower.ts";
import { createParallelBuilder, spawnHistogramHelpers } from "./parallel_histogram.ts";
import { binColumnsWithHelpers } from "./column_binning.ts";
import type { WorkerClient } from "../worker/mod.ts";
import { logit, treeValueColumns } from "./predictor.ts";
import { logisticGradients } from "./gradients.ts";
import { aucRoc } from "./metrics.ts";
import { Rng } from "../random/mod.ts";
import { DEFAULT_PARAMS } from "./model.ts";

export { DEFAULT_PARAMS };

type Metric = "logloss" | "error" | "auc";
const METRICS: readonly Metric[] = ["logloss", "error", "auc"];

/** Merges `params` over the defaults and validates every value (clear RangeErrors). */
export function resolveParams(params: Partial<BoosterParams> = {}): BoosterParams {
  for (const k of Object.keys(params)) {
    if (!(k in DEFAULT_PARAMS)) {
      throw new RangeError(
        `unknown parameter "${k}"; known: ${Object.keys(DEFAULT_PARAMS).join(", ")}`,
      );
    }
  }
  const p: BoosterParams = { ...DEFAULT_PARAMS };
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new RangeError(`parameter "${k}" must be a finite number, got ${String(v)}`);
    }
    (p as unknown as Record<string, number>)[k] = v;
  }
  const int = (k: keyof BoosterParams, lo: number, hi = Infinity) => {
    const v = p[k];
    if (!Number.isInteger(v) || v < lo || v > hi) {
      throw new RangeError(`${k} must be an integer in [${lo}, ${hi}], got ${v}`);
    }
  };
  const range = (k: keyof BoosterParams, lo: number, hi: number, loOpen: boolean) => {
    const v = p[k];
    if (v > hi || v < lo || (loOpen && v === lo)) {
      throw new RangeError(`${k} must be in ${loOpen ? "(" : "["}${lo}, ${hi}], got ${v}`);
    }
  };
  int("n_estimators", 1, 100_000);
  int("max_depth", 1, 30);
  int("max_bin", 2, 256);
  int("early_stopping_rounds", 0);
  int("n_threads", 1, 64);
  int("seed", -(2 ** 31), 2 ** 32);
  range("learning_rate", 0, 1e9, true);
  range("min_child_weight", 0, 1e300, false);
  range("reg_lambda", 0, 1e300, false);
  range("reg_alpha", 0, 1e300, false);
  range("gamma", 0, 1e300, false);
  range("subsample", 0, 1, true);
  range("colsample_bytree", 0, 1, true);
  range("scale_pos_weight", 0, 1e300, true);
  if (!(p.base_score > 0 && p.base_score < 1)) {
    throw new RangeError(`base_score must be in (0, 1) for binary:logistic, got ${p.base_score}`);
  }
  return p;
}

/**
 * Checks shapes and values of a TrainData; `role` names it in messages.
 * `needBothClasses` is for the training set.
 */
export function validateTrainData(
  data: TrainData,
  role: string,
  needBothClasses: boolean,
  nFeatures?: number,
): void {
  if (!data || typeof data !== "object") throw new TypeError(`${role} data is missing`);
  const { nRows, columns, labels, featureNames, weights } = data;
  if (!Number.isInteger(nRows) || nRows < 0) {
    throw new RangeError(`${role}: nRows must be a non-negative integer, got ${nRows}`);
  }
  if (nRows === 0) throw new RangeError(`${role} data is empty (0 rows)`);
  if (!Array.isArray(columns) || columns.length === 0) {
    throw new RangeError(`${role} data has no feature columns`);
  }
  if (!Array.isArray(featureNames) || featureNames.length !== columns.length) {
    throw new RangeError(
      `${role}: ${featureNames?.length ?? 0} feature names for ${columns.length} columns`,
    );
  }
  if (nFeatures !== undefined && columns.length !== nFeatures) {
    throw new RangeError(
      `${role} has ${columns.length} features but the training data has ${nFeatures}`,
    );
  }
  for (let f = 0; f < columns.length; f++) {
    if (!(columns[f] instanceof Float32Array)) {
      throw new TypeError(`${role}: column ${f} (${featureNames[f]}) must be a Float32Array`);
    }
    if (columns[f].length !== nRows) {
      throw new RangeError(
        `${role}: column ${f} (${featureNames[f]}) has ${columns[f].length} values, ` +
          `expected nRows = ${nRows}`,
      );
    }
  }
  validateLabels(labels, weights, nRows, role, needBothClasses);
}

/** Checks labels (0/1; both classes if asked) and optional weights (finite ≥ 0) of nRows rows. */
export function validateLabels(
  labels: Uint8Array,
  weights: Float32Array | undefined,
  nRows: number,
  role: string,
  needBothClasses: boolean,
): void {
  if (!labels || labels.length !== nRows) {
    throw new RangeError(`${role}: ${labels?.length ?? 0} labels for ${nRows} rows`);
  }
  let pos = 0;
  for (let i = 0; i < nRows; i++) {
    const y = labels[i];
    if (y === 1) pos++;
    else if (y !== 0) {
      throw new RangeError(`${role}: label of row ${i} is ${y}; labels must be 0 or 1`);
    }
  }
  if (needBothClasses && (pos === 0 || pos === nRows)) {
    throw new RangeError(
      `${role} labels contain only class ${pos === 0 ? 0 : 1} (${nRows} rows); ` +
        "binary classification needs both classes",
    );
  }
  if (weights !== undefined) {
    if (weights.length !== nRows) {
      throw new RangeError(`${role}: ${weights.length} weights for ${nRows} rows`);
    }
    for (let i = 0; i < nRows; i++) {
      const w = weights[i];
      if (!(w >= 0) || w === Infinity) {
        throw new RangeError(`${role}: weight of row ${i} is ${w}; weights must be finite ≥ 0`);
      }
    }
  }
}

async function createBuilder(
  data: BinnedTrainData,
  p: BoosterParams,
  cancelFlag?: Int32Array,
  helpers?: WorkerClient[],
): Promise<HistogramBuilder> {
  if (p.n_threads > 1) {
    return await createParallelBuilder(data.mapper, data, p.n_threads, p.max_depth, {
      cancelFlag,
      helpers,
    });
  }
  for (const w of helpers ?? []) w.terminate();
  return createSerialBuilder(
    (alloc) => binnedMatrixFromCodes(data.mapper, data, data.nRows, { alloc }),
    p.max_depth,
  );
}

/** Per-round metric values of one eval set. */
function evalMetrics(
  metrics: readonly Metric[],
  labels: Uint8Array,
  margin: Float32Array,
  weights: Float32Array | undefined,
  probs: Float64Array,
): Record<string, number> {
  const n = labels.length;
  let ll = 0, err = 0, wsum = 0;
  for (let i = 0; i < n; i++) {
    const p = 1 / (1 + Math.exp(-margin[i]));
    probs[i] = p;
    const w = weights ? weights[i] : 1;
    const y = labels[i];
    // XGBoost's logloss clips with eps = 1e-16.
    const pc = Math.min(Math.max(p, 1e-16), 1 - 1e-16);
    ll -= w * (y === 1 ? Math.log(pc) : Math.log(1 - pc));
    if ((p > 0.5 ? 1 : 0) !== y) err += w;
    wsum += w;
  }
  const out: Record<string, number> = {};
  for (const m of metrics) {
    if (m === "logloss") out.logloss = wsum > 0 ? ll / wsum : NaN;
    else if (m === "error") out.error = wsum > 0 ? err / wsum : NaN;
    else out.auc = aucRoc(labels, probs, weights);
  }
  return out;
}

/**
 * Trains a binary:logistic GBDT. Rejects (throws) with a clear RangeError/TypeError on bad input:
 * empty data, single-class labels, non-0/1 labels, length mismatches, bad parameters.
 * Aborting `opts.signal` stops between rounds and rejects with the signal's reason.
 * Training is synchronous between rounds (and `n_threads > 1` blocks the calling thread in
 * Atomics.wait while helper workers build histograms): in a server use `trainInWorker`.
 */
export async function train(
  data: TrainData,
  params: Partial<BoosterParams> = {},
  opts: TrainOptions = {},
): Promise<TrainResult> {
  const p = resolveParams(params);
  validateTrainData(data, "training", true);
  const evalSets = opts.evalSets ?? [];
  const metrics = checkEvalOptions(evalSets, opts, p, data.columns.length, (s) => s === data);
  opts.signal?.throwIfAborted();

  const sets = evalSets.map((s) => ({ ...s, data: s.data === data ? null : s.data }));
  const base = { nRows: data.nRows, featureNames: data.featureNames, labels: data.labels };
  if (p.n_threads > 1) {
    // The histogram helpers start now and take a share of the binning (shared codes).
    const helpers = spawnHistogramHelpers(p.n_threads, opts.cancelFlag);
    let binned: BinnedTrainData;
    try {
      binned = {
        ...base,
        ...await binColumnsWithHelpers(data.columns, data.nRows, {
          maxBin: p.max_bin,
          seed: p.seed,
        }, helpers),
        weights: data.weights,
      };
    } catch (err) {
      for (const w of helpers) w.terminate();
      throw err;
    }
    return await trainPrepared(binned, p, { ...opts, helpers }, sets, metrics);
  }
  const mapper = fitBinMapper(data.columns, data.nRows, { maxBin: p.max_bin, seed: p.seed });
  const binned: BinnedTrainData = {
    ...base,
    mapper,
    ...binColumns(mapper, data.columns, data.nRows),
    weights: data.weights,
  };
  return await trainPrepared(binned, p, opts, sets, metrics);
}

/** An eval set of {@link trainBinned}: `data: null` = the training rows (margins reused). */
export interface BinnedEvalSet {
  name: string;
  data: TrainData | null;
  metrics?: Metric[];
}

/** Options of {@link trainBinned}: those of `train`, eval sets as {@link BinnedEvalSet}. */
export type BinnedTrainOptions = Omit<TrainOptions, "evalSets"> & {
  evalSets?: BinnedEvalSet[];
  /** Histogram helpers started ahead (`spawnHistogramHelpers`); taken over, always ended. */
  helpers?: WorkerClient[];
};

/**
 * `train` on rows that are already binned (`data.mapper` fitted with `max_bin` and `seed` of
 * `params` on the same rows gives exactly `train`'s model). Eval sets other than the training
 * rows are float columns, scored with the trees' thresholds.
 */
export async function trainBinned(
  data: BinnedTrainData,
  params: Partial<BoosterParams> = {},
  opts: BinnedTrainOptions = {},
): Promise<TrainResult> {
  let p: BoosterParams, metrics: readonly Metric[];
  const evalSets = opts.evalSets ?? [];
  try {
    p = resolveParams(params);
    validateBinnedData(data);
    metrics = checkEvalOptions(evalSets, opts, p, data.codes.length, (s) => s === null);
    opts.signal?.throwIfAborted();
  } catch (err) {
    for (const w of opts.helpers ?? []) w.terminate();
    throw err;
  }
  return await trainPrepared(data, p, opts, evalSets, metrics);
}

/** Shapes and labels of binned training rows (as {@link validateTrainData}). */
function validateBinnedData(data: BinnedTrainData): void {
  const { nRows, codes, mapper } = data;
  if (!Array.isArray(codes) || codes.length === 0) {
    throw new RangeError("training data has no feature columns");
  }
  if (mapper.cuts.length !== codes.length || data.featureNames.length !== codes.length) {
    throw new RangeError(
      `training: ${codes.length} code columns, ${mapper.cuts.length} cut lists and ` +
        `${data.featureNames.length} feature names`,
    );
  }
  for (let f = 0; f < codes.length; f++) {
    if (!(codes[f] instanceof Uint8Array) || codes[f].length !== nRows) {
      throw new RangeError(`training: code column ${f} must be a Uint8Array of ${nRows} values`);
    }
  }
  validateLabels(data.labels, data.weights, nRows, "training", true);
}

/** Checks eval sets and metrics; returns the default metric list. */
function checkEvalOptions<D>(
  evalSets: { name: string; data: D; metrics?: Metric[] }[],
  opts: { evalMetrics?: Metric[] },
  p: BoosterParams,
  nFeatures: number,
  isTraining: (d: D) => boolean,
): readonly Metric[] {
  evalSets.forEach((s, i) => {
    if (!s || typeof s.name !== "string") throw new TypeError(`eval set ${i} needs a name`);
    if (!isTraining(s.data)) {
      validateTrainData(s.data as TrainData, `eval set "${s.name}"`, false, nFeatures);
    }
  });
  if (new Set(evalSets.map((s) => s.name)).size !== evalSets.length) {
    throw new RangeError("eval set names must be unique");
  }
  const metrics = opts.evalMetrics ?? ["logloss", "error", "auc"];
  for (const list of [metrics, ...evalSets.map((s) => s.metrics ?? metrics)]) {
    for (const m of list) {
      if (!METRICS.includes(m)) {
        throw new RangeError(`unknown eval metric "${m}"; use ${METRICS.join(", ")}`);
      }
    }
    if (list.length === 0) throw new RangeError("evalMetrics must not be empty");
  }
  if (p.early_stopping_rounds > 0 && evalSets.length === 0) {
    throw new RangeError("early_stopping_rounds needs at least one eval set");
  }
  return metrics;
}

async function trainPrepared(
  data: BinnedTrainData,
  p: BoosterParams,
  opts: BinnedTrainOptions,
  evalSets: BinnedEvalSet[],
  metrics: readonly Metric[],
): Promise<TrainResult> {
  const builder = await createBuilder(data, p, opts.cancelFlag, opts.helpers);
  try {
    return await boost(data, p, opts, evalSets, metrics, builder);
  } finally {
    builder.close();
  }
}

/**
 * Value bin of each split node's threshold (the training rows' codes then decide the side
 * exactly: a threshold is a cut, or the minimum for "only missing go left", bin −1).
 */
function splitBins(tree: Tree, mapper: BinMapper): Int32Array {
  const out = new Int32Array(tree.left.length).fill(-1);
  for (let k = 0; k < out.length; k++) {
    if (tree.left[k] < 0) continue;
    const cuts = mapper.cuts[tree.feature[k]], thr = tree.threshold[k];
    let lo = 0, hi = cuts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cuts[mid] < thr) lo = mid + 1;
      else hi = mid;
    }
    out[k] = lo < cuts.length && cuts[lo] === thr ? lo : -1;
  }
  return out;
}

/** A tree's output for training row r, walked on its codes with {@link splitBins}. */
function treeValueCodes(tree: Tree, bins: Int32Array, codes: Uint8Array[], r: number): number {
  let k = 0;
  while (tree.left[k] >= 0) {
    const c = codes[tree.feature[k]][r];
    const left = c === MISSING_CODE ? tree.defaultLeft[k] === 1 : c - 1 <= bins[k];
    k = left ? tree.left[k] : tree.right[k];
  }
  return tree.value[k];
}

async function boost(
  data: BinnedTrainData,
  p: BoosterParams,
  opts: BinnedTrainOptions,
  evalSets: BinnedEvalSet[],
  metrics: readonly Metric[],
  builder: HistogramBuilder,
): Promise<TrainResult> {
  const n = data.nRows;
  const { mapper, labels, weights } = data;
  const baseMargin = logit(p.base_score);
  // A parallel builder owns a shared margin array so its helpers compute gradients.
  const margin = builder.margin ?? new Float32Array(n);
  margin.fill(baseMargin);
  const gh = builder.gh;
  const ctx = {
    builder,
    mapper,
    codes: builder.matrix.codes ?? data.codes,
    tmp: new Int32Array(n),
  };
  const rng = new Rng(p.seed);
  const gp: GrowParams = {
    maxDepth: p.max_depth,
    eta: p.learning_rate,
    lambda: p.reg_lambda,
    alpha: p.reg_alpha,
    minChildWeight: p.min_child_weight,
    gamma: p.gamma,
  };
  const nF = data.codes.length;
  const nColSample = Math.max(1, Math.floor(nF * p.colsample_bytree));
  const featureMask = nColSample < nF ? new Uint8Array(nF) : null;
  const featOrder = new Uint32Array(nF).map((_, i) => i);
  const inSample = p.subsample < 1 ? new Uint8Array(n) : null;

  const evalState = evalSets.map((s) => ({
    name: s.name,
    metrics: s.metrics ?? metrics,
    data: s.data ?? { nRows: n, columns: [], labels, weights },
    isTrain: s.data === null,
    margin: s.data === null ? margin : new Float32Array(s.data.nRows).fill(baseMargin),
    probs: new Float64Array(s.data?.nRows ?? n),
  }));
  const history: EvalHistory = {};
  for (const s of evalState) {
    history[s.name] = {};
    for (const m of s.metrics) history[s.name][m] = [];
  }
  const stopMetric = evalState.length > 0 ? evalState[evalState.length - 1].metrics[0] : "logloss";
  const maximize = stopMetric === "auc";
  let bestScore = maximize ? -Infinity : Infinity;
  let bestIteration = -1;
  const trees: Tree[] = [];

  for (let round = 0; round < p.n_estimators; round++) {
    // Gradients of the logistic loss at the current margins (a parallel builder resets the
    // rows to the identity on the way when the tree takes all rows).
    if (builder.gradients) builder.gradients(p.scale_pos_weight, inSample === null);
    else logisticGradients(margin, labels, weights, p.scale_pos_weight, gh, 0, n);
    // Row subsample (Bernoulli per row, as XGBoost) into the grower's row list.
    const rows = builder.rows;
    let nSample = 0;
    if (inSample) {
      for (let i = 0; i < n; i++) {
        const s = rng.next() < p.subsample ? 1 : 0;
        inSample[i] = s;
        if (s) rows[nSample++] = i;
      }
    } else {
      if (!builder.gradients) { for (let i = 0; i < n; i++) rows[i] = i; }
      nSample = n;
    }
    if (featureMask) {
      rng.shuffle(featOrder);
      featureMask.fill(0);
      for (let k = 0; k < nColSample; k++) featureMask[featOrder[k]] = 1;
    }
    const tree = growTree(ctx, nSample, gp, featureMask, margin);
    trees.push(tree);
    if (inSample) {
      const bins = splitBins(tree, mapper), codes = ctx.codes;
      for (let i = 0; i < n; i++) {
        if (!inSample[i]) margin[i] += treeValueCodes(tree, bins, codes, i);
      }
    }

    const roundMetrics: Record<string, Record<string, number>> = {};
    for (const s of evalState) {
      if (!s.isTrain) {
        const cols = s.data.columns;
        for (let i = 0; i < s.data.nRows; i++) s.margin[i] += treeValueColumns(tree, cols, i);
      }
      const m = evalMetrics(s.metrics, s.data.labels, s.margin, s.data.weights, s.probs);
      roundMetrics[s.name] = m;
      for (const k of s.metrics) history[s.name][k].push(m[k]);
    }
    let stop = false;
    if (evalState.length > 0 && p.early_stopping_rounds > 0) {
      const score = roundMetrics[evalState[evalState.length - 1].name][stopMetric];
      if (maximize ? score > bestScore : score < bestScore) {
        bestScore = score;
        bestIteration = round;
      }
      if (round - Math.max(bestIteration, 0) >= p.early_stopping_rounds) stop = true;
    }
    if (opts.onRound) await opts.onRound(round, roundMetrics);
    if (opts.signal) {
      // Let timers/abort events run between rounds when training in the calling thread.
      await new Promise((r) => setTimeout(r, 0));
      opts.signal.throwIfAborted();
    }
    if (opts.cancelFlag && Atomics.load(opts.cancelFlag, 0) !== 0) {
      throw new DOMException("Training was cancelled.", "AbortError");
    }
    if (stop) break;
  }

  const model: GbdtModel = {
    featureNames: [...data.featureNames],
    trees,
    baseScore: p.base_score,
    bestIteration: p.early_stopping_rounds > 0 && bestIteration >= 0
      ? bestIteration
      : trees.length - 1,
    params: p,
  };
  return { model, history };
}
