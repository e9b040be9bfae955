/**
 * lib/ml: a histogram gradient-boosting trainer (XGBoost `binary:logistic`, `tree_method=hist`
 * semantics), predictor, metrics and feature importance — pure TypeScript, typed arrays in,
 * model out; no HTTP, KV or file access.
 *
 * @module
 */

export type {
  BoosterParams,
  EvalHistory,
  GbdtModel,
  ImportanceType,
  TrainData,
  TrainOptions,
  TrainResult,
  Tree,
} from "./model.ts";
export { DEFAULT_PARAMS, resolveParams, train, validateTrainData } from "./booster.ts";
export {
  defaultTreeCount,
  logit,
  predictMargin,
  predictMarginColumns,
  predictProba,
  predictProbaColumns,
  sigmoid,
} from "./predictor.ts";
export {
  featureImportance,
  featureImportanceArray,
  type ImportanceOptions,
  rankFeatures,
} from "./importance.ts";
export {
  accuracy,
  aucPr,
  aucRoc,
  bestThreshold,
  classificationMetrics,
  type ConfusionMatrix,
  confusionMatrix,
  f1,
  logLoss,
  mcc,
  prCurve,
  precision,
  recall,
  rocCurve,
} from "./metrics.ts";
export { binColumn, type BinMapper, binValue, fitBinMapper } from "./binning.ts";
export { Rng } from "./random.ts";
export { trainInWorker, type WorkerTrainOptions } from "./worker_train.ts";
