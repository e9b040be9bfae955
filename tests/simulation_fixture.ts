/**
 * Test fixture for the simulation: a READY dataset with a column table (`installTable`), an
 * active split and a trained model (ONNX artifact + record), all written through the public functions of their
 * modules (no stand-ins), on small synthetic data.
 *
 * @module
 */
import type { Services } from "../lib/services.ts";
import {
  type GbdtModel,
  makeClassification,
  rankFeatures,
  stringifyXgboostJson,
  toOnnx,
  toXgboostJson,
  train,
} from "../lib/ml/mod.ts";
import type { DatasetRecord } from "../lib/pipeline/ingest/datasets.ts";
import { installTable } from "../lib/pipeline/train/testdata/synthetic_dataset.ts";
import { createSplit, type SplitRecord } from "../lib/pipeline/split/split.ts";
import { artifactKeys, type ModelRecord, saveModel } from "../lib/pipeline/train/models.ts";
import { resolveTrainSettings } from "../lib/pipeline/train/params.ts";

/** What `seedSimulation` made. */
export interface SimFixture {
  model: GbdtModel;
  record: ModelRecord;
  split: SplitRecord;
  dataset: DatasetRecord;
  featureNames: string[];
}

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);

/**
 * Seed `services` with a dataset (rows: 300 train on day 1, 80 test on day 2, `simRows`
 * simulation rows on day 3, one per minute; the FIRST simulation row has every feature empty)
 * and an active model trained on the training rows.
 */
export async function seedSimulation(
  services: Services,
  opts: { simRows?: number; threshold?: number } = {},
): Promise<SimFixture> {
  const nTrain = 300, nTest = 80, nSim = opts.simRows ?? 40;
  const n = nTrain + nTest + nSim;
  const featureNames = ["L0_S0_F0", "L1_S24_F1", "L3_S29_F3", "L3_S30_F5", "L2_S26_F7"];
  const data = makeClassification({
    nRows: n,
    nFeatures: featureNames.length,
    missingRate: 0.25,
    positiveRate: 0.2,
    nInformative: 4,
    signal: 2,
    seed: 7,
  });
  const timestamps = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const [day, k] = i < nTrain
      ? [0, i]
      : i < nTrain + nTest
      ? [1, i - nTrain]
      : [2, i - nTrain - nTest];
    timestamps[i] = T0 + day * DAY + k * 60_000;
  }
  for (const col of data.columns) col[nTrain + nTest] = Number.NaN; // an all-empty row
  const ids = new Float64Array(n).map((_, i) => 1000 + 3 * i);

  const dataset = await installTable(services, {
    rows: n,
    ids,
    labels: data.labels,
    timestamps,
    features: data.columns,
    featureNames,
  });
  const { split } = await createSplit(services, {
    train: { start_ms: T0, end_ms: T0 + DAY - 1 },
    test: { start_ms: T0 + DAY, end_ms: T0 + 2 * DAY - 1 },
    simulation: { start_ms: T0 + 2 * DAY, end_ms: T0 + 3 * DAY - 1 },
  });

  const trainData = {
    nRows: nTrain,
    featureNames,
    columns: data.columns.map((c) => c.slice(0, nTrain)),
    labels: data.labels.slice(0, nTrain),
  };
  const { model } = await train(trainData, {
    n_estimators: 25,
    max_depth: 3,
    learning_rate: 0.3,
    n_threads: 1,
  });
  const id = crypto.randomUUID();
  const keys = artifactKeys(id);
  await services.storage.put(keys.onnx, toOnnx(model));
  await services.storage.put(
    keys.xgboost_json,
    new TextEncoder().encode(stringifyXgboostJson(toXgboostJson(model))),
  );
  const metrics = {
    accuracy: 0,
    precision: 0,
    recall: 0,
    f1_score: 0,
    mcc: 0,
    threshold: opts.threshold ?? 0.35,
    confusion_matrix: {
      true_positives: 0,
      false_positives: 0,
      true_negatives: 0,
      false_negatives: 0,
    },
  };
  const record: ModelRecord = {
    id,
    created_at: new Date().toISOString(),
    dataset_id: dataset.id,
    split_id: split.id,
    task_id: "fixture",
    params: { ...resolveTrainSettings({}, { defaultThreads: 1 }), scale_pos_weight_used: 1 },
    best_iteration: model.bestIteration,
    rounds_trained: model.trees.length,
    threshold: opts.threshold ?? 0.35,
    metrics: { ...metrics, auc_roc: 0, auc_pr: 0, log_loss: 0 },
    metrics_at_0_5: metrics,
    n_train: nTrain,
    n_valid: 0,
    n_test: nTest,
    feature_names: featureNames,
    importance: rankFeatures(model, "gain"),
    artifacts: keys,
  };
  await saveModel(services.kv, record);
  return { model, record, split, dataset, featureNames };
}
