/**
 * Types of the JSON the admin UI reads, re-exported from the pipeline modules that produce it
 * (type-only imports: nothing of the server code reaches a browser bundle).
 *
 * @module
 */
import type { DatasetRecord } from "../pipeline/ingest/datasets.ts";
import type { ChartPoint } from "../pipeline/train/report.ts";

export type { DatasetRecord, DatasetState, RankedFeature } from "../pipeline/ingest/datasets.ts";
export type { ModelRecord } from "../pipeline/train/models.ts";
export type { SimPacket, SimSummary } from "../pipeline/simulation/packets.ts";
export type { PacketExplanation } from "../pipeline/simulation/packet_types.ts";
export type { FailureRecord } from "../pipeline/simulation/failures.ts";
export type { DriftReport, FeatureDrift } from "../pipeline/split/drift.ts";
export type { SplitRecord, SplitResponse } from "../pipeline/split/split.ts";
export type { ChartPoint } from "../pipeline/train/report.ts";

/** `GET /dataset/{id}`: the record plus whether it is the active dataset. */
export type DatasetView = DatasetRecord & { active?: boolean };

/** `{"task_id","status","progress","result"}` (contract status body). */
export interface TaskStatus<R = Record<string, unknown>> {
  task_id: string;
  status: string;
  progress: ({ status?: string } & Record<string, unknown>) | null;
  result: R | null;
}

/** The 202 body of `POST /dataset/store`. */
export interface UploadAccepted {
  message: string;
  dataset_path: string;
  dataset_id?: string;
  task_id?: string;
}

/** The training task's `result` (contract fields plus the extras the UI shows). */
export interface TrainResult {
  metrics: { accuracy: number; precision: number; recall: number; f1_score: number };
  training_chart: {
    train_loss: ChartPoint[];
    train_accuracy: ChartPoint[];
    validation_loss?: ChartPoint[];
    validation_accuracy?: ChartPoint[];
  };
  confusion_matrix: {
    true_positives: number;
    false_positives: number;
    true_negatives: number;
    false_negatives: number;
  };
  model_path: string;
  curves_path: string;
  model_id?: string;
  threshold?: number;
  threshold_source?: string;
  mcc?: number;
  auc_roc?: number | null;
  auc_pr?: number | null;
  log_loss?: number | null;
  best_iteration?: number;
  rounds_trained?: number;
  feature_importance?: { name: string; importance: number }[];
  n_train?: number;
  n_valid?: number;
  n_test?: number;
}

/** `GET /models`. */
export interface ModelsList {
  active_model_id: string | null;
  models: import("../pipeline/train/models.ts").ModelRecord[];
}

/** `GET /simulation/{id}/packets`. */
export interface PacketsPage {
  task_id: string;
  packets: import("../pipeline/simulation/packets.ts").SimPacket[];
  next_after: number;
  status: string;
}

/** `GET /simulation/{id}/failures`. */
export interface FailurePage {
  task_id: string;
  status: string;
  fail_count: number;
  failures: import("../pipeline/simulation/failures.ts").FailureRecord[];
  next_before: number | null;
}
