/**
 * OpenAPI descriptions of the training endpoints beyond the contract (`GET /models`,
 * `GET /models/{id}`, `GET /models/{id}/artifacts/{name}`, `GET /tasks/{id}`,
 * `GET /tasks/{id}/events`), plus the precise `POST /process/train/start` (optional override
 * body; no split → 200 and the task FAILs). Registered on import by the route modules; importing
 * after lib/api/contract.ts replaces its generic train-start entry.
 *
 * @module
 */
import { z } from "zod";
import { namedSchema, registerOperation } from "./openapi.ts";
import {
  ErrorResponseSchema,
  TaskStartedSchema,
  ValidationErrorResponseSchema,
} from "./contract.ts";
import { trainOverridesSchema } from "../pipeline/train/params.ts";
import { ARTIFACT_FILES } from "../pipeline/train/mod.ts";

const Confusion = z.object({
  true_positives: z.int(),
  false_positives: z.int(),
  true_negatives: z.int(),
  false_negatives: z.int(),
});
const Metrics = z.looseObject({
  accuracy: z.number(),
  precision: z.number(),
  recall: z.number(),
  f1_score: z.number(),
  mcc: z.number(),
  threshold: z.number(),
  confusion_matrix: Confusion,
});

/** A model record (lib/pipeline/models.ts `ModelRecord`). */
export const ModelSchema = namedSchema(
  "Model",
  z.looseObject({
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
  }),
);

/** A task record as `GET /tasks/{id}` serves it (lib/tasks/task_view.ts). */
export const TaskRecordSchema = namedSchema(
  "TaskRecord",
  z.object({
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
  }),
);

const notFound = { description: "Unknown id", schema: ErrorResponseSchema };

registerOperation({
  method: "post",
  path: "/process/train/start",
  summary: "Start training on the current split",
  description: "No body (as .NET sends it) uses the defaults: 200 rounds, depth 5, eta 0.1, " +
    "scale_pos_weight = negatives/positives, early stopping on the last 15 % of the training " +
    "window, threshold tuned for MCC. Without a split the task is still created and ends " +
    "FAILURE with the reason (read it from the status).",
  tags: ["process"],
  requestBody: {
    contentType: "application/json",
    schema: trainOverridesSchema,
    required: false,
    description: "Optional hyperparameter overrides.",
  },
  responses: {
    200: { description: "Task started", schema: TaskStartedSchema },
    409: {
      description: "A training of this dataset is running (`task_id` names it)",
      schema: ErrorResponseSchema,
    },
    422: { description: "Invalid overrides", schema: ValidationErrorResponseSchema },
  },
});
registerOperation({
  method: "post",
  path: "/process/train/stop/{task_id}",
  summary: "Stop a running training (it ends REVOKED, no model is stored)",
  tags: ["process"],
  responses: {
    200: {
      description: "Stop requested",
      schema: z.object({ task_id: z.string(), message: z.string() }),
    },
    404: notFound,
  },
});
registerOperation({
  method: "get",
  path: "/models",
  summary: "Trained models, newest first, and the active model id",
  tags: ["models"],
  responses: {
    200: {
      description: "Models",
      schema: z.object({ active_model_id: z.string().nullable(), models: z.array(ModelSchema) }),
    },
  },
});
registerOperation({
  method: "get",
  path: "/models/{id}",
  summary: "One model (`active` = the active model)",
  tags: ["models"],
  responses: { 200: { description: "The model", schema: ModelSchema }, 404: notFound },
});
registerOperation({
  method: "get",
  path: "/models/{id}/artifacts/{name}",
  summary: "Download a model artifact",
  description: `name: ${Object.keys(ARTIFACT_FILES).join(", ")}. model.xgb.json loads in ` +
    "Python's xgboost; predictions.json has the test-set ids, labels and probabilities.",
  tags: ["models"],
  parameters: [
    { name: "id", in: "path", required: true, schema: z.string() },
    {
      name: "name",
      in: "path",
      required: true,
      schema: z.enum(Object.keys(ARTIFACT_FILES) as [string, ...string[]]),
    },
  ],
  responses: {
    200: { description: "The file", contentType: "application/octet-stream" },
    404: notFound,
  },
});
registerOperation({
  method: "get",
  path: "/tasks/{id}",
  summary: "Any task's record (kind, status, params, progress, result, timestamps)",
  tags: ["tasks"],
  responses: { 200: { description: "The record", schema: TaskRecordSchema }, 404: notFound },
});
registerOperation({
  method: "get",
  path: "/tasks/{id}/events",
  summary: "Server-Sent Events: a `task` event with the record on every change until final",
  tags: ["tasks"],
  responses: {
    200: { description: "text/event-stream", contentType: "text/event-stream" },
    404: notFound,
  },
});
