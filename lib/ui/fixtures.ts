/**
 * Realistic records for the admin UI's tests (SSR of islands and pages): a READY dataset, a
 * split, a trained model, a finished training result and simulation packets. Test support only.
 *
 * @module
 */
import type { DatasetRecord, ModelRecord, SimPacket, SplitRecord, TrainResult } from "./types.ts";
import { TRAIN_DEFAULTS } from "../pipeline/train/params.ts";

const DAY = 86_400_000;

/** Days `2025-01-01` … (n days) with `perDay` rows each. */
export function fixtureDays(n: number, perDay = 1000): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    out[new Date(Date.UTC(2025, 0, 1) + i * DAY).toISOString().slice(0, 10)] = perDay + i * 10;
  }
  return out;
}

/** A READY dataset of 10 days. */
export function fixtureDataset(over: Partial<DatasetRecord> = {}): DatasetRecord {
  const days = fixtureDays(10);
  const rows = Object.values(days).reduce((a, b) => a + b, 0);
  return {
    id: "ds-0001-aaaa-bbbb",
    filename: "bosch_small.csv",
    state: "READY",
    error: null,
    bytes: 12_345_678,
    created_at: "2025-02-01T10:00:00.000Z",
    updated_at: "2025-02-01T10:00:09.000Z",
    task_id: "task-fs-1",
    profile: {
      rows,
      columns: 974,
      timestamp_column: "synthetic_timestamp",
      first_timestamp: "2025-01-01T00:00:00Z",
      last_timestamp: "2025-01-10T23:59:59Z",
      rows_per_day: days,
      class_counts: { "0": rows - 61, "1": 61 },
      text_columns: ["Comment"],
      sorted_by_time: true,
    },
    features: Array.from({ length: 30 }, (_, i) => ({
      name: `L${i % 4}_S${i}_F${i * 3}`,
      importance: 100 / (i + 1),
    })),
    table_prefix: "datasets/ds-0001-aaaa-bbbb/table/",
    source_key: "datasets/ds-0001-aaaa-bbbb/source.csv",
    profile_key: "datasets/ds-0001-aaaa-bbbb/profile.json",
    sample_key: "datasets/ds-0001-aaaa-bbbb/sample.bin",
    ...over,
  };
}

/** A split of the fixture dataset (6 / 2 / 2 days). */
export function fixtureSplit(over: Partial<SplitRecord> = {}): SplitRecord {
  const t0 = Date.UTC(2025, 0, 1);
  return {
    id: "split-0001",
    dataset_id: "ds-0001-aaaa-bbbb",
    created_at: "2025-02-01T11:00:00.000Z",
    windows: {
      train: { start_ms: t0, end_ms: t0 + 6 * DAY - 1 },
      test: { start_ms: t0 + 6 * DAY, end_ms: t0 + 8 * DAY - 1 },
      simulation: { start_ms: t0 + 8 * DAY, end_ms: t0 + 10 * DAY - 1 },
    },
    fraction: 1,
    seed: 42,
    rows: { train: 6150, test: 2130, simulation: 2170 },
    ranges: { train: [0, 6150], test: [6150, 8280], simulation: [8280, 10450] },
    sample_rows: null,
    table_prefix: "datasets/ds-0001-aaaa-bbbb/table/",
    feature_names: ["L0_S0_F0"],
    daily_distribution: fixtureDays(10),
    paths: {
      train: "splits/split-0001/train",
      test: "splits/split-0001/test",
      simulation: "splits/split-0001/simulation",
    },
    ...over,
  };
}

const curve = (n: number, f: (i: number) => number) =>
  Array.from({ length: n }, (_, x) => ({ x, y: Math.round(f(x) * 1e6) / 1e6 }));

/** A finished training task's result. */
export function fixtureTrainResult(): TrainResult {
  return {
    metrics: { accuracy: 0.9912, precision: 0.5714, recall: 0.4, f1_score: 0.4706 },
    training_chart: {
      train_loss: curve(40, (i) => 0.6 * Math.exp(-i / 8) + 0.03),
      train_accuracy: curve(40, (i) => 0.97 + 0.02 * (1 - Math.exp(-i / 6))),
      validation_loss: curve(40, (i) => 0.6 * Math.exp(-i / 9) + 0.05),
      validation_accuracy: curve(40, (i) => 0.965 + 0.02 * (1 - Math.exp(-i / 7))),
    },
    confusion_matrix: {
      true_positives: 4,
      false_positives: 3,
      true_negatives: 556,
      false_negatives: 6,
    },
    model_path: "models/model-0001/model.onnx",
    curves_path: "models/model-0001/curves.json",
    model_id: "model-0001-cccc",
    threshold: 0.0412,
    mcc: 0.4721,
    auc_roc: 0.8815,
    best_iteration: 31,
    rounds_trained: 40,
    feature_importance: [
      { name: "L3_S1_F14", importance: 40 },
      { name: "L0_S0_F0", importance: 25 },
    ],
    n_train: 5228,
    n_valid: 922,
    n_test: 2130,
  };
}

/** A stored model matching `fixtureTrainResult`. */
export function fixtureModel(over: Partial<ModelRecord> = {}): ModelRecord {
  const r = fixtureTrainResult();
  const cm = r.confusion_matrix;
  return {
    id: "model-0001-cccc",
    created_at: "2025-02-01T12:00:00.000Z",
    dataset_id: "ds-0001-aaaa-bbbb",
    split_id: "split-0001",
    task_id: "task-train-1",
    params: { ...TRAIN_DEFAULTS, n_threads: 2, scale_pos_weight_used: 170 },
    best_iteration: 31,
    rounds_trained: 40,
    threshold: 0.0412,
    metrics: {
      ...r.metrics,
      mcc: 0.4721,
      threshold: 0.0412,
      confusion_matrix: cm,
      auc_roc: 0.8815,
      auc_pr: 0.31,
      log_loss: 0.041,
    },
    metrics_at_0_5: {
      ...r.metrics,
      recall: 0.1,
      f1_score: 0.17,
      mcc: 0.2,
      threshold: 0.5,
      confusion_matrix: cm,
    },
    n_train: 5228,
    n_valid: 922,
    n_test: 2130,
    feature_names: ["L3_S1_F14", "L0_S0_F0"],
    importance: r.feature_importance!,
    artifacts: {
      onnx: "models/model-0001-cccc/model.onnx",
      xgboost_json: "models/model-0001-cccc/model.xgb.json",
      curves: "models/model-0001-cccc/curves.json",
      metrics: "models/model-0001-cccc/metrics.json",
      predictions: "models/model-0001-cccc/predictions.json",
    },
    ...over,
  };
}

/** Simulation packet `i` (every 7th row predicted Fail; one missing top feature). */
export function fixturePacket(i: number, total = 2170): SimPacket {
  const fail = i % 7 === 3;
  const q = fail ? 31.5 : 99.2 - (i % 5) * 0.1;
  return {
    current_row_index: i,
    total_rows: total,
    quality_score: q,
    live_prediction: {
      timestamp: new Date(Date.UTC(2025, 0, 9) + i * 1000).toISOString().replace(".000", ""),
      sample_id: `SAMPLE_${28812 + i}`,
      prediction: fail ? "Fail" : "Pass",
      confidence: q,
      top_features: { L3_S1_F14: -0.052, L3_S6_F54: null, L0_S0_F0: 0.094 },
    },
    live_stats: {
      total_predictions: i + 1,
      pass_count: i + 1 - Math.floor((i + 4) / 7),
      fail_count: Math.floor((i + 4) / 7),
      average_confidence: 89.9,
    },
    p_fail: 1 - q / 100,
    explanation: {
      margin: Math.log((1 - q / 100) / (q / 100)),
      bias: -2.5,
      top: [
        { feature: "L3_S1_F14", value: -0.052, contribution: fail ? 1.9 : -0.4 },
        { feature: "L3_S6_F54", value: null, contribution: fail ? 0.9 : -0.3 },
        { feature: "L0_S0_F0", value: 0.094, contribution: -0.2 },
      ],
    },
  };
}
