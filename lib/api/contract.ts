/**
 * Zod schemas for every request and response body of the wire contract (CONTRACT.md), and
 * their registration in the OpenAPI document. One source of truth: routes validate with these
 * schemas, tests check bodies against them, `/openapi.json` is generated from them.
 *
 * Objects are "loose" (extra keys allowed) where the contract allows additions (progress
 * objects, results); request bodies are strict about types but ignore unknown keys, as
 * FastAPI did.
 *
 * ```ts
 * import { SplitRequestSchema, parseContractDateTime } from "../../lib/api/contract.ts";
 * const body = await parseJsonBody(ctx.req, SplitRequestSchema);
 * const startMs = parseContractDateTime(body.train_start_date); // number (UTC ms)
 * ```
 *
 * @module
 */
import { z } from "zod";
import { namedSchema, registerOperation } from "./openapi.ts";
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
export const ErrorResponseSchema = namedSchema(
  "ErrorResponse",
  z.looseObject({ detail: z.string() }),
);

/** One FastAPI-style validation error. */
export const ValidationIssueSchema = z.object({
  loc: z.array(z.union([z.string(), z.int()])),
  msg: z.string(),
  type: z.string(),
  ctx: z.record(z.string(), z.unknown()).optional(),
});

/** 422 body: `{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}`. */
export const ValidationErrorResponseSchema = namedSchema(
  "ValidationErrorResponse",
  z.object({ detail: z.array(ValidationIssueSchema) }),
);

/** `GET /`: `{"message": "ML Service is alive"}`. */
export const RootResponseSchema = namedSchema("RootResponse", z.object({ message: z.string() }));

/** The liveness message of `GET /`. */
export const ROOT_MESSAGE = "ML Service is alive";

/** `{"task_id": "<uuid>"}`: train start and simulation start. */
export const TaskStartedSchema = namedSchema("TaskStarted", z.object({ task_id: z.string() }));

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
export const TaskProgressSchema = namedSchema(
  "TaskProgress",
  z.looseObject({ status: z.string() }),
);

/** Generic status body `{"task_id", "status", "progress", "result"}`. */
export const TaskStatusSchema = namedSchema(
  "TaskStatus",
  z.object({
    task_id: z.string(),
    status: TaskStateSchema,
    progress: z.record(z.string(), z.unknown()).nullable(),
    result: z.record(z.string(), z.unknown()).nullable(),
  }),
);

// ---------------------------------------------------------------------------------------------
// 1. Upload

/** 202 body of `POST /dataset/store`. `dataset_id` / `task_id` let clients follow the work. */
export const UploadAcceptedSchema = namedSchema(
  "UploadAccepted",
  z.looseObject({
    message: z.string(),
    dataset_path: z.string(),
    dataset_id: z.string().optional(),
    task_id: z.string().optional(),
  }),
);

/** The 202 message of the old service (the .NET side reads only the status). */
export const UPLOAD_MESSAGE =
  "Dataset uploaded successfully. Feature selection running in background.";

// ---------------------------------------------------------------------------------------------
// 2. Split

/** Body of `POST /process/split-data` (all six dates required, bounds inclusive, UTC). */
export const SplitRequestSchema = namedSchema(
  "SplitRequest",
  z.object({
    train_start_date: ContractDateTimeSchema,
    train_end_date: ContractDateTimeSchema,
    test_start_date: ContractDateTimeSchema,
    test_end_date: ContractDateTimeSchema,
    simulation_start_date: ContractDateTimeSchema,
    simulation_end_date: ContractDateTimeSchema,
  }),
);
/** Parsed split request (date strings; convert with `parseContractDateTime`). */
export type SplitRequest = z.output<typeof SplitRequestSchema>;

/** Rows per day, `YYYY-MM-DD` → count (ascending, zero days left out). */
export const DailyDistributionSchema = z.record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.int());

/** 200 body of `POST /process/split-data`. */
export const SplitResponseSchema = namedSchema(
  "SplitResponse",
  z.looseObject({
    message: z.string(),
    train_set_path: z.string(),
    train_set_rows: z.int().min(0),
    test_set_path: z.string(),
    test_set_rows: z.int().min(0),
    simulation_set_path: z.string(),
    simulation_set_rows: z.int().min(0),
    daily_distribution: DailyDistributionSchema,
  }),
);

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
export const TrainResultSchema = namedSchema(
  "TrainResult",
  z.looseObject({
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
  }),
);

/** `GET /process/train/status/{task_id}` body. */
export const TrainStatusSchema = namedSchema(
  "TrainStatus",
  z.object({
    task_id: z.string(),
    status: TaskStateSchema,
    progress: TaskProgressSchema.nullable(),
    result: TrainResultSchema.nullable(),
  }),
);

// ---------------------------------------------------------------------------------------------
// 4. Simulation

/** Warm-up progress messages of the simulation. */
export const simulationWarmupMessage = (seconds: number): string =>
  `Initializing simulation... Warmup period of ${seconds} seconds.`;
/** Progress message while the model loads. */
export const SIMULATION_INIT_MESSAGE = "Initializing simulation...";

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
export const SimulationPacketSchema = namedSchema(
  "SimulationPacket",
  z.looseObject({
    current_row_index: z.int().min(0),
    total_rows: z.int().min(0),
    quality_score: z.number(),
    live_prediction: LivePredictionSchema,
    live_stats: LiveStatsSchema,
  }),
);

/** `result` of a finished or stopped simulation: `{"message": "..."}`. */
export const SimulationResultSchema = namedSchema(
  "SimulationResult",
  z.looseObject({ message: z.string() }),
);

/** `GET /simulation/status/{task_id}` body. */
export const SimulationStatusSchema = namedSchema(
  "SimulationStatus",
  z.object({
    task_id: z.string(),
    status: TaskStateSchema,
    progress: z.union([SimulationPacketSchema, TaskProgressSchema]).nullable(),
    result: SimulationResultSchema.nullable(),
  }),
);

/** `POST /simulation/stop/{task_id}` body. */
export const SimulationStopResponseSchema = namedSchema(
  "SimulationStopResponse",
  z.looseObject({ task_id: z.string(), message: z.string() }),
);

/** The stop message of the old service. */
export const SIMULATION_STOP_MESSAGE = "Stop signal sent to simulation task.";

// ---------------------------------------------------------------------------------------------
// 5. Health

/** `GET /health` body. */
export const HealthResponseSchema = namedSchema(
  "HealthResponse",
  z.looseObject({
    status: z.enum(["ok", "error"]),
    kv: z.string(),
    storage: z.string(),
  }),
);

// ---------------------------------------------------------------------------------------------
// OpenAPI registration of the contract paths

const notFound = { description: "Unknown path or id", schema: ErrorResponseSchema };
const invalid = { description: "Validation error", schema: ValidationErrorResponseSchema };
const unauthorized = { description: "Missing or wrong API token", schema: ErrorResponseSchema };

/** Register the contract operations (idempotent; done on import). */
export function registerContractOperations(): void {
  registerOperation({
    method: "get",
    path: "/",
    summary: "Liveness message",
    tags: ["service"],
    auth: false,
    responses: { 200: { description: "The service is up", schema: RootResponseSchema } },
  });
  registerOperation({
    method: "post",
    path: "/dataset/store",
    summary: "Upload a dataset (CSV, multipart field `file`)",
    description: "Streams the CSV to storage, validates its header and starts feature " +
      "selection in the background. The active dataset changes only once the new one is " +
      "completely stored and valid.",
    tags: ["dataset"],
    requestBody: {
      contentType: "multipart/form-data",
      schema: {
        type: "object",
        properties: { file: { type: "string", format: "binary", description: "The CSV file" } },
        required: ["file"],
      },
    },
    responses: {
      202: { description: "Accepted; feature selection runs", schema: UploadAcceptedSchema },
      400: { description: "Not multipart / no file / invalid CSV", schema: ErrorResponseSchema },
      401: unauthorized,
      413: { description: "File too large", schema: ErrorResponseSchema },
    },
  });
  registerOperation({
    method: "post",
    path: "/process/split-data",
    summary: "Cut train / test / simulation sets by date",
    description: "Bounds are inclusive UTC instants; a date without a zone is taken as UTC.",
    tags: ["process"],
    requestBody: SplitRequestSchema,
    responses: {
      200: { description: "Row counts and daily distribution", schema: SplitResponseSchema },
      401: unauthorized,
      404: { description: "No dataset or no feature list", schema: ErrorResponseSchema },
      409: {
        description: "The newest dataset is not ready, or a training of it is running",
        schema: ErrorResponseSchema,
      },
      422: invalid,
    },
  });
  registerOperation({
    method: "post",
    path: "/process/train/start",
    summary: "Start training on the current split",
    tags: ["process"],
    responses: {
      200: { description: "Task started", schema: TaskStartedSchema },
      401: unauthorized,
      409: { description: "A training task is already running", schema: ErrorResponseSchema },
    },
  });
  registerOperation({
    method: "get",
    path: "/process/train/status/{task_id}",
    summary: "Training task status (Celery-style)",
    description: "200 for every known task, FAILURE included (with the reason in " +
      "`progress.status`); 404 only for ids that never existed.",
    tags: ["process"],
    responses: {
      200: { description: "Status, progress and result", schema: TrainStatusSchema },
      401: unauthorized,
      404: notFound,
    },
  });
  registerOperation({
    method: "post",
    path: "/simulation/start",
    summary: "Start the real-time replay of the simulation set",
    tags: ["simulation"],
    responses: {
      200: { description: "Task started", schema: TaskStartedSchema },
      401: unauthorized,
      404: { description: "No model or no simulation set", schema: ErrorResponseSchema },
      409: { description: "A simulation is already running", schema: ErrorResponseSchema },
    },
  });
  registerOperation({
    method: "get",
    path: "/simulation/status/{task_id}",
    summary: "Simulation status: warm-up, latest packet, or the final message",
    tags: ["simulation"],
    responses: {
      200: { description: "Status with the latest packet", schema: SimulationStatusSchema },
      401: unauthorized,
      404: notFound,
    },
  });
  registerOperation({
    method: "post",
    path: "/simulation/stop/{task_id}",
    summary: "Stop a running simulation",
    tags: ["simulation"],
    responses: {
      200: { description: "Stop requested", schema: SimulationStopResponseSchema },
      401: unauthorized,
      404: notFound,
    },
  });
  registerOperation({
    method: "get",
    path: "/health",
    summary: "Health: KV read/write and storage write/delete",
    tags: ["service"],
    auth: false,
    responses: {
      200: { description: "Healthy", schema: HealthResponseSchema },
      503: { description: "A dependency failed", schema: HealthResponseSchema },
    },
  });
  registerOperation({
    method: "get",
    path: "/openapi.json",
    summary: "This document",
    tags: ["service"],
    auth: false,
    responses: { 200: { description: "OpenAPI 3.1 document", schema: { type: "object" } } },
  });
  registerOperation({
    method: "get",
    path: "/docs",
    summary: "Swagger UI",
    tags: ["service"],
    auth: false,
    responses: {
      200: { description: "HTML page", contentType: "text/html", schema: { type: "string" } },
    },
  });
}

registerContractOperations();
