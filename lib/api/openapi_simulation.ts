/**
 * OpenAPI descriptions of the simulation endpoints beyond the contract (packet history from a
 * cursor, the push stream, the summary, the fail log) and the optional body of `POST /simulation/start`.
 * Registered on import by the simulation route modules; importing after lib/api/contract.ts
 * replaces its generic simulation-start entry.
 *
 * @module
 */
import { z } from "zod";
import { namedSchema, registerOperation } from "./openapi.ts";
import {
  ErrorResponseSchema,
  SimulationPacketSchema,
  TaskStartedSchema,
  TaskStateSchema,
  ValidationErrorResponseSchema,
} from "./contract.ts";
import { MAX_ROWS_PER_SECOND, MAX_WARMUP_SECONDS } from "../pipeline/simulation/simulate.ts";
import { MAX_PAGE } from "../pipeline/simulation/packets.ts";
import { MAX_FAILURE_PAGE } from "../pipeline/simulation/failures.ts";

/** The optional body of `POST /simulation/start`. Unknown keys are ignored (as FastAPI does). */
export const SimulationStartSchema = namedSchema(
  "SimulationStartOptions",
  z.object({
    model_id: z.string().min(1).max(200).optional(),
    rows_per_second: z.number().gt(0).max(MAX_ROWS_PER_SECOND).optional(),
    warmup_seconds: z.number().min(0).max(MAX_WARMUP_SECONDS).optional(),
  }),
);

const Confusion = z.object({
  true_positives: z.int(),
  false_positives: z.int(),
  true_negatives: z.int(),
  false_negatives: z.int(),
});

/** `lib/pipeline/simulation_packets.ts` `SimSummary`. */
const SimulationSummarySchema = namedSchema(
  "SimulationSummary",
  z.object({
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
  }),
);

const taskIdParam = { name: "task_id", in: "path" as const, required: true, schema: z.string() };
const notFound = { description: "Unknown simulation task", schema: ErrorResponseSchema };

registerOperation({
  method: "post",
  path: "/simulation/start",
  summary: "Start the real-time replay of the simulation set",
  description: "No body (as .NET sends it) replays through the active model at " +
    "SIMULATION_ROWS_PER_SECOND (1) after a SIMULATION_WARMUP_SECONDS (10) warm-up.",
  tags: ["simulation"],
  requestBody: {
    contentType: "application/json",
    schema: SimulationStartSchema,
    required: false,
    description: "Optional model id, pace and warm-up.",
  },
  responses: {
    200: { description: "Task started", schema: TaskStartedSchema },
    404: { description: "No trained model (or unknown model_id)", schema: ErrorResponseSchema },
    409: {
      description: "No usable simulation set, missing ONNX artifact, or a simulation of this " +
        "model is running (`task_id` names it)",
      schema: ErrorResponseSchema,
    },
    422: { description: "Invalid options", schema: ValidationErrorResponseSchema },
  },
});
registerOperation({
  method: "get",
  path: "/simulation/{task_id}/packets",
  summary: "Stored packets after a cursor, in row order (no row is ever lost to slow polling)",
  tags: ["simulation"],
  parameters: [
    taskIdParam,
    { name: "after", in: "query", required: false, schema: z.int().min(-1) },
    { name: "limit", in: "query", required: false, schema: z.int().min(1).max(MAX_PAGE) },
  ],
  responses: {
    200: {
      description: "Packets with `current_row_index > after`; pass `next_after` back as `after`",
      schema: z.object({
        task_id: z.string(),
        packets: z.array(SimulationPacketSchema),
        next_after: z.int(),
        status: TaskStateSchema,
      }),
    },
    404: notFound,
    422: { description: "Invalid query", schema: ValidationErrorResponseSchema },
  },
});
registerOperation({
  method: "get",
  path: "/simulation/{task_id}/events",
  summary: "Server-Sent Events: one `packet` event per row (id = row index), then `status`",
  description: "Resumes after `Last-Event-ID` or `?after=N`.",
  tags: ["simulation"],
  parameters: [taskIdParam],
  responses: {
    200: { description: "text/event-stream", contentType: "text/event-stream" },
    404: notFound,
  },
});
registerOperation({
  method: "get",
  path: "/simulation/{task_id}/summary",
  summary: "Totals, pass rate and the confusion matrix against the true Response",
  tags: ["simulation"],
  parameters: [taskIdParam],
  responses: { 200: { description: "Summary", schema: SimulationSummarySchema }, 404: notFound },
});

/** `lib/pipeline/simulation/explanation.ts` `PacketExplanation` (also a packet's `explanation`). */
const ExplanationSchema = namedSchema(
  "RowExplanation",
  z.object({
    margin: z.number().describe("The row's margin (log-odds); bias + Σ all contributions"),
    bias: z.number().describe("logit(base_score) + the trees' expected values"),
    top: z.array(z.object({
      feature: z.string(),
      value: z.number().nullable().describe("The row's value; null = missing"),
      contribution: z.number().describe("TreeSHAP value in margin units"),
    })).describe("The 5 largest |contributions|, largest first"),
  }),
);

/** `lib/pipeline/simulation/failures.ts` `FailureRecord`. */
const FailureSchema = namedSchema(
  "SimulationFailure",
  z.object({
    row: z.int().describe("current_row_index of the packet"),
    sample_id: z.string(),
    timestamp: z.string(),
    p_fail: z.number(),
    response: z.union([z.literal(0), z.literal(1)]).nullable()
      .describe("True Response when the data has it"),
    explanation: ExplanationSchema.nullable(),
  }),
);

registerOperation({
  method: "get",
  path: "/simulation/{task_id}/failures",
  summary: "Fail log: every row predicted Fail, newest first, with its explanation",
  description: "Cursor: `before` = a row index (exclusive); pass `next_before` back as `before` " +
    "(null = no more). `format=csv` downloads the whole log (before/limit ignored).",
  tags: ["simulation"],
  parameters: [
    taskIdParam,
    { name: "before", in: "query", required: false, schema: z.int().min(0) },
    { name: "limit", in: "query", required: false, schema: z.int().min(1).max(MAX_FAILURE_PAGE) },
    { name: "format", in: "query", required: false, schema: z.enum(["json", "csv"]) },
  ],
  responses: {
    200: {
      description: "A page of failures (or text/csv with `format=csv`)",
      schema: z.object({
        task_id: z.string(),
        status: TaskStateSchema,
        fail_count: z.int(),
        failures: z.array(FailureSchema),
        next_before: z.int().nullable(),
      }),
    },
    404: notFound,
    422: { description: "Invalid query", schema: ValidationErrorResponseSchema },
  },
});
