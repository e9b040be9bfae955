/**
 * Zod schemas of the response bodies beyond the contract: the dataset, split, model, task and
 * simulation-summary records the extra endpoints serve. Described in `/openapi.json`
 * (`openapi.ts`); tests check bodies against them.
 *
 * @module
 */
import { z } from "zod";
import { RowExplanationSchema, SimulationPacketSchema, TaskStateSchema } from "./contract.ts";

const Counts = z.record(z.string(), z.int());
const Window = z.object({ start_ms: z.number(), end_ms: z.number() });
const Sets = <T extends z.ZodType>(t: T) => z.object({ train: t, test: t, simulation: t });
const Confusion = z.object({
  true_positives: z.int(),
  false_positives: z.int(),
  true_negatives: z.int(),
  false_negatives: z.int(),
});

/** A dataset record (lib/pipeline/ingest/datasets.ts `DatasetRecord`) plus `active`. */
export const DatasetSchema = z.looseObject({
  id: z.string(),
  filename: z.string(),
  state: z.enum(["UPLOADED", "PROFILING", "SELECTING_FEATURES", "READY", "FAILED"]),
  error: z.string().nullable(),
  bytes: z.int(),
  created_at: z.string(),
  updated_at: z.string(),
  task_id: z.string().nullable(),
  profile: z.looseObject({
    rows: z.int(),
    columns: z.int(),
    timestamp_column: z.string(),
    first_timestamp: z.string().nullable(),
    last_timestamp: z.string().nullable(),
    rows_per_day: Counts,
    class_counts: z.object({ "0": z.int(), "1": z.int() }),
    text_columns: z.array(z.string()),
    sorted_by_time: z.boolean(),
  }).nullable(),
  features: z.array(z.object({ name: z.string(), importance: z.number() })).nullable(),
  table_prefix: z.string().nullable(),
  active: z.boolean(),
}).meta({ id: "Dataset" });

/** `GET /datasets`. */
export const DatasetListSchema = z.object({
  datasets: z.array(DatasetSchema),
  active_id: z.string().nullable(),
});

/** A split record (lib/pipeline/split/split.ts `SplitRecord`). */
export const SplitRecordSchema = z.looseObject({
  id: z.string(),
  dataset_id: z.string(),
  created_at: z.string(),
  windows: Sets(Window),
  fraction: z.number(),
  seed: z.int(),
  rows: Sets(z.int()),
  ranges: Sets(z.tuple([z.int(), z.int()])),
  sample_rows: z.string().nullable(),
  feature_names: z.array(z.string()),
  daily_distribution: Counts.nullable(),
}).meta({ id: "Split" });

const Metrics = z.looseObject({
  accuracy: z.number(),
  precision: z.number(),
  recall: z.number(),
  f1_score: z.number(),
  mcc: z.number(),
  threshold: z.number(),
  confusion_matrix: Confusion,
});

/** A model record (lib/pipeline/train/models.ts `ModelRecord`). */
export const ModelSchema = z.looseObject({
  id: z.string(),
  created_at: z.string(),
  dataset_id: z.string(),
  split_id: z.string(),
  task_id: z.string(),
  params: z.looseObject({}),
  best_iteration: z.int(),
  rounds_trained: z.int(),
  threshold: z.number(),
  metrics: Metrics,
  metrics_at_0_5: Metrics,
  n_train: z.int(),
  n_valid: z.int(),
  n_test: z.int(),
  feature_names: z.array(z.string()),
  importance: z.array(z.object({ name: z.string(), importance: z.number() })),
  artifacts: z.object({
    onnx: z.string(),
    xgboost_json: z.string(),
    curves: z.string(),
    metrics: z.string(),
    predictions: z.string(),
  }),
}).meta({ id: "Model" });

/** `GET /models`. */
export const ModelListSchema = z.object({
  active_model_id: z.string().nullable(),
  models: z.array(ModelSchema),
});

/** `POST /process/train/stop/{task_id}`. */
export const TrainStopResponseSchema = z.object({ task_id: z.string(), message: z.string() });

/** A task record as `GET /tasks/{id}` serves it (lib/tasks/task_view.ts `taskView`). */
export const TaskRecordSchema = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.string(),
  params: z.looseObject({}),
  progress: z.looseObject({}).nullable(),
  result: z.looseObject({}).nullable(),
  error: z.string().nullable(),
  lock: z.string().nullable(),
  attempts: z.int(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  updated_at: z.string(),
  finished_at: z.string().nullable(),
  heartbeat_at: z.string().nullable(),
}).meta({ id: "TaskRecord" });

/** lib/pipeline/split/drift.ts `DriftReport`: per-feature PSI and missing-share change. */
export const DriftReportSchema = z.object({
  status: z.enum(["stable", "watch", "drift", "insufficient"])
    .describe("The worst feature's flag; `insufficient` under `thresholds.min_rows` rows"),
  reference_rows: z.int().describe("Training-window rows the bins and shares come from"),
  compared_rows: z.int(),
  drifted: z.int().describe("Features flagged watch or drift"),
  thresholds: z.object({
    watch: z.number().describe("PSI ≥ watch → `watch` (0.1)"),
    drift: z.number().describe("PSI ≥ drift → `drift` (0.25)"),
    epsilon: z.number().describe("Lower clamp of a bin share (an empty bin)"),
    min_rows: z.int(),
  }),
  features: z.array(z.object({
    feature: z.string(),
    psi: z.number(),
    status: z.enum(["stable", "watch", "drift"]),
    reference_missing: z.number().describe("Missing share in the training window"),
    compared_missing: z.number(),
    missing_change: z.number().describe("compared_missing − reference_missing"),
  })).describe("Worst first"),
}).meta({ id: "DriftReport" });

/** `GET /split/drift`: the simulation window against the training window. */
export const SplitDriftSchema = z.object({
  split_id: z.string(),
  dataset_id: z.string(),
  computed_at: z.string(),
  sampled_rows: z.object({ train: z.int(), simulation: z.int() })
    .describe("Rows read per window (all up to 200 000, else evenly spaced blocks)"),
  ...DriftReportSchema.shape,
}).meta({ id: "SplitDrift" });

/** lib/pipeline/simulation/packet_types.ts `SimSummary`. */
export const SimulationSummarySchema = z.object({
  task_id: z.string(),
  model_id: z.string(),
  split_id: z.string(),
  dataset_id: z.string(),
  status: z.string(),
  final: z.boolean(),
  total_rows: z.int(),
  processed: z.int(),
  pass_count: z.int(),
  fail_count: z.int(),
  pass_rate: z.number(),
  average_confidence: z.number(),
  threshold: z.number(),
  confusion_matrix: Confusion,
  accuracy: z.number().nullable(),
  rows_per_second: z.number(),
  started_at: z.string(),
  updated_at: z.string(),
  finished_at: z.string().nullable(),
  drift: DriftReportSchema.nullable().optional()
    .describe("Extra (issue 12): the replayed rows against the training window's bins"),
}).meta({ id: "SimulationSummary" });

/** lib/pipeline/simulation/failures.ts `FailureRecord`: one row predicted Fail. */
export const SimulationFailureSchema = z.object({
  row: z.int().describe("current_row_index of the packet"),
  sample_id: z.string(),
  timestamp: z.string(),
  p_fail: z.number(),
  response: z.union([z.literal(0), z.literal(1)]).nullable()
    .describe("True Response when the data has it"),
  explanation: RowExplanationSchema.nullable(),
}).meta({ id: "SimulationFailure" });

/** `GET /simulation/{task_id}/failures`: a page of the fail log, newest first. */
export const FailurePageSchema = z.object({
  task_id: z.string(),
  status: TaskStateSchema,
  fail_count: z.int(),
  failures: z.array(SimulationFailureSchema),
  next_before: z.int().nullable(),
}).meta({ id: "FailurePage" });

/** `GET /simulation/{task_id}/packets`: a page of packets and the next cursor. */
export const PacketPageSchema = z.object({
  task_id: z.string(),
  packets: z.array(SimulationPacketSchema),
  next_after: z.int(),
  status: TaskStateSchema,
});
