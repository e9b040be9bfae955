/**
 * Model records: what a successful training run leaves behind in KV (`["models", id]`, plus
 * `["active", "model"]`) next to its artifacts in blob storage under `models/<id>/`.
 *
 * @example
 * ```ts
 * const model = await getActiveModel(services.kv);
 * if (model) await services.storage.getBytes(model.artifacts.onnx);
 * ```
 *
 * @module
 */
import type { KvStore } from "../../kv.ts";
import type { TrainSettings } from "./params.ts";
import type { TrainRecipe } from "./recipe.ts";

/** Contract metrics (at one decision threshold) plus extras. */
export interface ModelMetrics {
  accuracy: number;
  precision: number;
  recall: number;
  f1_score: number;
  mcc: number;
  threshold: number;
  confusion_matrix: {
    true_positives: number;
    false_positives: number;
    true_negatives: number;
    false_negatives: number;
  };
}

/** Blob keys of a model's artifacts. */
export interface ModelArtifacts {
  onnx: string;
  xgboost_json: string;
  curves: string;
  metrics: string;
  predictions: string;
}

/** The KV record of one trained model. */
export interface ModelRecord {
  id: string;
  created_at: string;
  dataset_id: string;
  split_id: string;
  task_id: string;
  /** Resolved settings, with `scale_pos_weight` as the number actually used. */
  params: TrainSettings & { scale_pos_weight_used: number };
  /** 0-based round kept (the exported model has `best_iteration + 1` trees). */
  best_iteration: number;
  /** Rounds actually trained (early stopping may end before `n_estimators`). */
  rounds_trained: number;
  /** Decision threshold on P(fail), tuned on the validation slice. */
  threshold: number;
  /** Test-set metrics at `threshold`. */
  metrics: ModelMetrics & {
    auc_roc: number | null;
    auc_pr: number | null;
    log_loss: number | null;
  };
  /** Test-set metrics at 0.5 (what the old service reported). */
  metrics_at_0_5: ModelMetrics;
  n_train: number;
  n_valid: number;
  n_test: number;
  feature_names: string[];
  /** Gain importance, descending. */
  importance: { name: string; importance: number }[];
  artifacts: ModelArtifacts;
  /** What the recipe chose and why (records older than issue 11 lack it). */
  recipe?: TrainRecipe;
}

/** Artifact file names served by `GET /models/{id}/artifacts/{name}`, with their media types. */
export const ARTIFACT_FILES = {
  "model.onnx": { field: "onnx", type: "application/octet-stream" },
  "model.xgb.json": { field: "xgboost_json", type: "application/json" },
  "curves.json": { field: "curves", type: "application/json" },
  "metrics.json": { field: "metrics", type: "application/json" },
  "predictions.json": { field: "predictions", type: "application/json" },
} as const satisfies Record<string, { field: keyof ModelArtifacts; type: string }>;

/** One of the artifact file names. */
export type ArtifactName = keyof typeof ARTIFACT_FILES;

/** True when `name` is a served artifact file name. */
export function isArtifactName(name: string): name is ArtifactName {
  return Object.hasOwn(ARTIFACT_FILES, name);
}

/** Blob keys for the artifacts of model `id`. */
export function artifactKeys(id: string): ModelArtifacts {
  const p = `models/${id}/`;
  return {
    onnx: p + "model.onnx",
    xgboost_json: p + "model.xgb.json",
    curves: p + "curves.json",
    metrics: p + "metrics.json",
    predictions: p + "predictions.json",
  };
}

/** The model record, or null. */
export function getModel(kv: KvStore, id: string): Promise<ModelRecord | null> {
  return kv.get<ModelRecord>(["models", id]);
}

/** The active model (the last successful training), or null. */
export async function getActiveModel(kv: KvStore): Promise<ModelRecord | null> {
  const id = await kv.get<string>(["active", "model"]);
  return id ? await getModel(kv, id) : null;
}

/** Every model record, newest first. */
export async function listModels(
  kv: KvStore,
  opts: { limit?: number } = {},
): Promise<ModelRecord[]> {
  const rows = await kv.list<ModelRecord>(["models"]);
  const models = rows.map((r) => r.value).sort((a, b) => b.created_at.localeCompare(a.created_at));
  return opts.limit !== undefined ? models.slice(0, opts.limit) : models;
}

/** Store a model record and (atomically) make it the active model. */
export async function saveModel(kv: KvStore, record: ModelRecord): Promise<void> {
  const res = await kv.raw.atomic()
    .set(["models", record.id], record)
    .set(["active", "model"], record.id)
    .commit();
  if (!res.ok) throw new Error(`Could not save model ${record.id}`);
}
