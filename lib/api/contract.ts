/**
 * Zod schemas of the wire contract's response bodies (CONTRACT.md) and its date-time rule. One
 * source of truth: tests check bodies against them and `/openapi.json` (lib/api/openapi.ts) is
 * generated from them; the request bodies routes validate are in `requests.ts`. A schema with
 * `.meta({ id })` becomes a named component of the document.
 *
 * Objects are "loose" (extra keys allowed) where the contract allows additions (progress
 * objects, results); request bodies are strict about types but ignore unknown keys, as
 * FastAPI did.
 *
 * ```ts
 * import { parseContractDateTime, TrainStatusSchema } from "../../lib/api/contract.ts";
 * const startMs = parseContractDateTime("2025-01-04T23:59:59.9999999Z"); // number (UTC ms)
 * TrainStatusSchema.parse(await res.json()); // a status body as the .NET side reads it
 * ```
 *
 * @module
 */
import { z } from "zod";
import { parseIsoInstant } from "../data/timestamp.ts";

// ---------------------------------------------------------------------------------------------
// Dates

/**
 * Parse a contract date-time to UTC epoch milliseconds, or null when invalid. Accepts ISO 8601
 * as .NET writes it (`2025-01-04T23:59:59.9999999Z`: any number of fraction digits, truncated
 * to ms), a space instead of `T`, a missing seconds part, a `±hh:mm` offset, and no zone at all
 * (taken as UTC — the old service crashed with a 500 on those). The same parser reads the
 * timestamps of uploaded CSVs (`lib/data/timestamp.ts`).
 */
export function parseContractDateTime(text: string): number | null {
  return parseIsoInstant(text.trim());
}

/** A date-time string as the contract sends it (see `parseContractDateTime`). */
export const ContractDateTimeSchema = z.string().refine((s) => parseContractDateTime(s) !== null, {
  message: "Input should be a valid datetime (ISO 8601, e.g. 2025-01-04T23:59:59.9999999Z)",
}).meta({ format: "date-time", examples: ["2025-01-04T23:59:59.9999999Z"] });

// ---------------------------------------------------------------------------------------------
// Common

/** `{"detail": "..."}`: every error except validation (404, 405, 409, 400, 500 ...). */
export const ErrorResponseSchema = z.looseObject({ detail: z.string() }).meta({
  id: "ErrorResponse",
});

/** One FastAPI-style validation error. */
export const ValidationIssueSchema = z.object({
  loc: z.array(z.union([z.string(), z.int()])),
  msg: z.string(),
  type: z.string(),
  ctx: z.record(z.string(), z.unknown()).optional(),
});

/** 422 body: `{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}`. */
export const ValidationErrorResponseSchema = z.object({ detail: z.array(ValidationIssueSchema) })
  .meta({ id: "ValidationErrorResponse" });

/** `GET /`: `{"message": "ML Service is alive"}`. */
export const RootResponseSchema = z.object({ message: z.string() }).meta({ id: "RootResponse" });

/** The liveness message of `GET /`. */
export const ROOT_MESSAGE = "ML Service is alive";

/** `{"task_id": "<uuid>"}`: train start and simulation start. */
export const TaskStartedSchema = z.object({ task_id: z.string() }).meta({ id: "TaskStarted" });

/** Celery state names used by the status endpoints. */
export const TaskStateSchema = z.enum([
  "PENDING",
  "STARTED",
  "PROGRESS",
  "SUCCESS",
  "FAILURE",
  "REVOKED",
]);

/** A progress object: at least `{"status": "<message>"}`, extra keys allowed. */
export const TaskProgressSchema = z.looseObject({ status: z.string() }).meta({
  id: "TaskProgress",
});

/** Generic status body `{"task_id", "status", "progress", "result"}`. */
export const TaskStatusSchema = z.object({
  task_id: z.string(),
  status: TaskStateSchema,
  progress: z.record(z.string(), z.unknown()).nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
}).meta({ id: "TaskStatus" });

// ---------------------------------------------------------------------------------------------
// 1. Upload

/** 202 body of `POST /dataset/store`. `dataset_id` / `task_id` let clients follow the work. */
export const UploadAcceptedSchema = z.looseObject({
  message: z.string(),
  dataset_path: z.string(),
  dataset_id: z.string().optional(),
  task_id: z.string().optional(),
}).meta({ id: "UploadAccepted" });

/** The 202 message of the old service (the .NET side reads only the status). */
export const UPLOAD_MESSAGE =
  "Dataset uploaded successfully. Feature selection running in background.";

// ---------------------------------------------------------------------------------------------
// 2. Split

/** Rows per day, `YYYY-MM-DD` → count (ascending, zero days left out). */
export const DailyDistributionSchema = z.record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.int());

/** 200 body of `POST /process/split-data`. */
export const SplitResponseSchema = z.looseObject({
  message: z.string(),
  train_set_path: z.string(),
  train_set_rows: z.int().min(0),
  test_set_path: z.string(),
  test_set_rows: z.int().min(0),
  simulation_set_path: z.string(),
  simulation_set_rows: z.int().min(0),
  daily_distribution: DailyDistributionSchema,
}).meta({ id: "SplitResponse" });

// ---------------------------------------------------------------------------------------------
// 3. Training

/** The four progress messages of training, in order. */
export const TRAIN_PROGRESS_MESSAGES = [
  "Loading and preparing data...",
  "Training XGBoost model...",
  "Evaluating model on test set...",
  "Processing and saving results...",
] as const;

/** One chart point; `x` must be an integer (the .NET side reads int32). */
export const ChartPointSchema = z.object({ x: z.int(), y: z.number() });

/** `result` of a successful training task (every field present; extra keys allowed). */
export const TrainResultSchema = z.looseObject({
  metrics: z.looseObject({
    accuracy: z.number(),
    precision: z.number(),
    recall: z.number(),
    f1_score: z.number(),
  }),
  training_chart: z.looseObject({
    train_loss: z.array(ChartPointSchema),
    train_accuracy: z.array(ChartPointSchema),
  }),
  confusion_matrix: z.looseObject({
    true_positives: z.int(),
    false_positives: z.int(),
    true_negatives: z.int(),
    false_negatives: z.int(),
  }),
  model_path: z.string(),
  curves_path: z.string(),
}).meta({ id: "TrainResult" });

/** `GET /process/train/status/{task_id}` body. */
export const TrainStatusSchema = z.object({
  task_id: z.string(),
  status: TaskStateSchema,
  progress: TaskProgressSchema.nullable(),
  result: TrainResultSchema.nullable(),
}).meta({ id: "TrainStatus" });

// ---------------------------------------------------------------------------------------------
// 4. Simulation

/** Warm-up progress messages of the simulation. */
export const simulationWarmupMessage = (seconds: number): string =>
  `Initializing simulation... Warmup period of ${seconds} seconds.`;
/** Progress message while the model loads. */
export const SIMULATION_INIT_MESSAGE = "Initializing simulation...";

/**
 * A row's TreeSHAP explanation (lib/pipeline/simulation/explanation.ts `PacketExplanation`), in
 * margin (log-odds) units: `bias + Σ contributions over all features = margin`.
 */
export const RowExplanationSchema = z.object({
  margin: z.number().describe("The row's margin (log-odds); bias + the sum of all contributions"),
  bias: z.number().describe("logit(base_score) + the trees' expected values"),
  top: z.array(z.object({
    feature: z.string(),
    value: z.number().nullable().describe("The row's value; null = missing"),
    contribution: z.number().describe("TreeSHAP value in margin units (+ pushes towards Fail)"),
  })).describe("The 5 largest |contributions|, largest first"),
}).meta({ id: "RowExplanation" });

/** The live prediction inside a packet; a missing feature value is `null`. */
export const LivePredictionSchema = z.looseObject({
  timestamp: z.string(),
  sample_id: z.string(),
  prediction: z.enum(["Pass", "Fail"]),
  confidence: z.number(),
  top_features: z.record(z.string(), z.number().nullable()),
});

/** Running statistics inside a packet. */
export const LiveStatsSchema = z.looseObject({
  total_predictions: z.int().min(0),
  pass_count: z.int().min(0),
  fail_count: z.int().min(0),
  average_confidence: z.number(),
});

/** One simulation packet (the `progress` object while rows are replayed; one row per second). */
export const SimulationPacketSchema = z.looseObject({
  current_row_index: z.int().min(0),
  total_rows: z.int().min(0),
  quality_score: z.number(),
  live_prediction: LivePredictionSchema,
  live_stats: LiveStatsSchema,
  p_fail: z.number().min(0).max(1).optional()
    .describe("Extra key (issue 12; the .NET backend ignores it): unrounded P(fail)"),
  explanation: RowExplanationSchema.nullable().optional()
    .describe("Extra key (issue 12): the row's TreeSHAP explanation; null when the model has none"),
}).meta({ id: "SimulationPacket" });

/** `result` of a finished or stopped simulation: `{"message": "..."}`. */
export const SimulationResultSchema = z.looseObject({ message: z.string() }).meta({
  id: "SimulationResult",
});

/** `GET /simulation/status/{task_id}` body. */
export const SimulationStatusSchema = z.object({
  task_id: z.string(),
  status: TaskStateSchema,
  progress: z.union([SimulationPacketSchema, TaskProgressSchema]).nullable(),
  result: SimulationResultSchema.nullable(),
}).meta({ id: "SimulationStatus" });

/** `POST /simulation/stop/{task_id}` body. */
export const SimulationStopResponseSchema = z.looseObject({
  task_id: z.string(),
  message: z.string(),
}).meta({ id: "SimulationStopResponse" });

/** The stop message of the old service. */
export const SIMULATION_STOP_MESSAGE = "Stop signal sent to simulation task.";

// ---------------------------------------------------------------------------------------------
// 5. Health

/** `GET /health` body. */
export const HealthResponseSchema = z.looseObject({
  status: z.enum(["ok", "error"]),
  kv: z.string(),
  storage: z.string(),
}).meta({ id: "HealthResponse" });
