/**
 * lib/ml: a histogram gradient-boosting trainer (XGBoost `binary:logistic`, `tree_method=hist`
 * semantics), predictor, metrics, feature importance, model export (ONNX, XGBoost JSON) and an
 * onnxruntime-web scorer and exact TreeSHAP explanations — pure TypeScript, typed arrays in, model out; no HTTP, KV or file
 * access. The one entry the rest of the code base imports (`lib/import_graph_test.ts` checks it);
 * tests inside lib/ml import its modules directly.
 *
 * @example
 * ```ts
 * import { makeClassification, predictProbaColumns, toOnnx, trainInWorker } from "../ml/mod.ts";
 * const data = makeClassification({ nRows: 2000, nFeatures: 10, seed: 1 });
 * const { model } = await trainInWorker(data, { n_estimators: 20 });
 * const p = predictProbaColumns(model, data.columns, data.nRows);
 * const onnx = toOnnx(model);
 * ```
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
export { DEFAULT_PARAMS } from "./model.ts";
export { resolveParams, train, trainBinned, validateTrainData } from "./booster.ts";
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
export {
  chooseThreshold,
  logitGrid,
  metricCurve,
  smoothCurve,
  type ThresholdChoice,
  type ThresholdOptions,
} from "./threshold.ts";
export { binColumn, type BinMapper, binValue, fitBinMapper } from "./binning.ts";
export {
  type ColumnSource,
  type ColumnTrainOptions,
  trainColumnsInWorker,
  trainInWorker,
  type WorkerTrainOptions,
} from "./worker_train.ts";
export { type OnnxExportOptions, toOnnx } from "./onnx_export.ts";
export { OnnxScorer, type OnnxScorerOptions } from "./onnx_session.ts";
export {
  fromXgboostJson,
  stringifyXgboostJson,
  toXgboostJson,
  type XgbJsonModel,
} from "./xgboost_json.ts";
export {
  type Contribution,
  topContributions,
  TreeExplainer,
  type TreeExplainerOptions,
} from "./tree_shap.ts";
export { makeClassification, sliceRows, type SyntheticOptions } from "./synthetic.ts";
