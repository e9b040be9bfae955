/**
 * The OpenAPI 3.1 document: every operation of the service, in this one module, rendered from
 * the same zod schemas the routes validate with (`requests.ts`) and the bodies they answer
 * (`contract.ts`, `schemas.ts`), so `/docs` cannot drift from the code. Nothing registers itself
 * on import: adding a route means adding its operation here.
 *
 * Rendering is npm `zod-openapi` (MIT, no dependencies, built on zod 4's own `z.toJSONSchema`,
 * ~2 M downloads a month). It replaced a 245-line registry of ours that used the same converter
 * but inlined every named schema nested in another one, could not describe a query from the zod
 * object the route parses, and needed its own input/output naming; the package does all three.
 * A schema with `.meta({ id: "Name" })` becomes `#/components/schemas/Name`.
 *
 * ```ts
 * import { openApiDocument } from "../lib/api/openapi.ts";
 * const doc = openApiDocument({ bearerAuth: config.apiToken !== null });
 * ```
 *
 * Beyond each operation's own responses the renderer adds what the middleware may answer
 * (issue 13): 401 where the token is required, 403 (cross-origin) and 415 (wrong Content-Type)
 * on writes, and a generic `4XX` where nothing else names a client error. `security` is always
 * declared (an empty global requirement when the service runs open) and `servers` is the
 * document's own origin, so `npx @redocly/cli lint` passes its recommended rules
 * (`openapi_lint_test.ts`).
 *
 * @module
 */
import { z } from "zod";
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from "zod-openapi";
import {
  ErrorResponseSchema,
  HealthResponseSchema,
  RootResponseSchema,
  SimulationStatusSchema,
  SimulationStopResponseSchema,
  SplitResponseSchema,
  TaskStartedSchema,
  TrainStatusSchema,
  UploadAcceptedSchema,
  ValidationErrorResponseSchema,
} from "./contract.ts";
import {
  FailuresQuerySchema,
  PacketsQuerySchema,
  SimulationStartRequestSchema,
  SplitRequestSchema,
  TrainStartRequestSchema,
} from "./requests.ts";
import {
  DatasetListSchema,
  DatasetSchema,
  FailurePageSchema,
  ModelListSchema,
  ModelSchema,
  PacketPageSchema,
  SimulationSummarySchema,
  SplitDriftSchema,
  SplitRecordSchema,
  TaskRecordSchema,
  TrainStopResponseSchema,
} from "./schemas.ts";
import { ARTIFACT_FILES } from "../pipeline/train/mod.ts";

/** A response with a JSON body. */
function json(
  description: string,
  schema: z.ZodType | { type: "object" },
): ZodOpenApiResponseObject {
  return { description, content: { "application/json": { schema } } };
}

const error = (description: string) => json(description, ErrorResponseSchema);
const invalid = (description: string) => json(description, ValidationErrorResponseSchema);

const TaskIdPath = z.object({ task_id: z.string() });
const IdPath = z.object({ id: z.string() });

/** Every operation, by path and method. */
const PATHS = {
  "/": {
    get: {
      summary: "Liveness message",
      tags: ["service"],
      responses: { 200: json("The service is up", RootResponseSchema) },
    },
  },
  "/health": {
    get: {
      summary: "Health: KV read/write and storage write/delete",
      tags: ["service"],
      responses: {
        200: json("Healthy", HealthResponseSchema),
        503: json("A dependency failed", HealthResponseSchema),
      },
    },
  },
  "/openapi.json": {
    get: {
      summary: "This document",
      tags: ["service"],
      responses: { 200: json("OpenAPI 3.1 document", { type: "object" }) },
    },
  },
  "/docs": {
    get: {
      summary: "Swagger UI",
      tags: ["service"],
      responses: {
        200: { description: "HTML page", content: { "text/html": { schema: { type: "string" } } } },
      },
    },
  },

  // Ingest
  "/dataset/store": {
    post: {
      summary: "Upload a dataset (CSV, multipart field `file`)",
      description: "Streams the CSV to storage, validates its header and starts feature " +
        "selection in the background. The active dataset changes only once the new one is " +
        "completely stored and valid.",
      tags: ["dataset"],
      requestBody: {
        required: true,
        content: {
          "multipart/form-data": {
            schema: {
              type: "object",
              properties: {
                file: { type: "string", format: "binary", description: "The CSV file" },
              },
              required: ["file"],
            },
          },
        },
      },
      responses: {
        202: json("Accepted; feature selection runs", UploadAcceptedSchema),
        400: error("Not multipart / no file / invalid CSV"),
        413: error("File too large"),
        415: error("Not a CSV file (binary: image, archive, …) or an unsupported Content-Type"),
      },
    },
  },
  "/dataset": {
    get: {
      summary: "The active dataset (and the newest upload when it is still processing)",
      tags: ["dataset"],
      responses: { 200: json("Active dataset", DatasetSchema), 404: error("Not found") },
    },
  },
  "/datasets": {
    get: {
      summary: "All datasets, newest first",
      tags: ["dataset"],
      responses: { 200: json("Datasets", DatasetListSchema) },
    },
  },
  "/dataset/{id}": {
    get: {
      summary: "One dataset (`active` = the active one): state, profile summary, features",
      tags: ["dataset"],
      requestParams: { path: IdPath },
      responses: { 200: json("Dataset", DatasetSchema), 404: error("Not found") },
    },
  },
  "/dataset/{id}/profile": {
    get: {
      summary: "Full profile of an upload (missing share per column, text columns, ...)",
      tags: ["dataset"],
      requestParams: { path: IdPath },
      responses: { 200: json("Profile JSON", { type: "object" }), 404: error("Not found") },
    },
  },

  // Split
  "/process/split-data": {
    post: {
      summary: "Cut train / test / simulation sets by date",
      description: "Bounds are inclusive UTC instants; a date without a zone is taken as UTC.",
      tags: ["process"],
      requestBody: {
        required: true,
        content: { "application/json": { schema: SplitRequestSchema } },
      },
      responses: {
        200: json("Row counts and daily distribution", SplitResponseSchema),
        404: error("No dataset or no feature list"),
        409: error("The newest dataset is not ready, or a training of it is running"),
        422: invalid("Validation error"),
      },
    },
  },
  "/split": {
    get: {
      summary: "The active split (windows, row ranges, counts)",
      tags: ["process"],
      responses: { 200: json("Active split", SplitRecordSchema), 404: error("Not found") },
    },
  },
  "/split/drift": {
    get: {
      summary: "Drift of the active split: simulation window vs training window, per feature",
      description: "Population stability index over fixed bins from the training window (its " +
        "deciles; missing values as their own bin; bin shares clamped at 1e-4) and the change " +
        "in missing share, worst first. Flags: PSI ≥ 0.1 watch, ≥ 0.25 drift; the overall " +
        "flag is the worst feature's. Computed when the split was made.",
      tags: ["process"],
      responses: { 200: json("Drift", SplitDriftSchema), 404: error("No split yet") },
    },
  },

  // Training
  "/process/train/start": {
    post: {
      summary: "Start training on the current split",
      description: "No body (as .NET sends it) uses the defaults: 200 rounds, depth 5, eta 0.1, " +
        "no class weighting, early stopping on the last 15 % of the training window, " +
        "threshold at the arg-max of the smoothed validation MCC curve (chosen on " +
        "bench/model_quality.ts). The old recipe stays reachable: {scale_pos_weight: 'auto', " +
        "threshold_smoothing: 0, calibrate: false}. Without a split the task is still created " +
        "and ends FAILURE with the reason (read it from the status).",
      tags: ["process"],
      requestBody: {
        required: false,
        description: "Optional hyperparameter overrides.",
        content: { "application/json": { schema: TrainStartRequestSchema } },
      },
      responses: {
        200: json("Task started", TaskStartedSchema),
        409: error("A training of this dataset is running (`task_id` names it)"),
        422: invalid("Invalid overrides"),
      },
    },
  },
  "/process/train/status/{task_id}": {
    get: {
      summary: "Training task status (Celery-style)",
      description: "200 for every known task, FAILURE included (with the reason in " +
        "`progress.status`); 404 only for ids that never existed.",
      tags: ["process"],
      requestParams: { path: TaskIdPath },
      responses: {
        200: json("Status, progress and result", TrainStatusSchema),
        404: error("Unknown path or id"),
      },
    },
  },
  "/process/train/stop/{task_id}": {
    post: {
      summary: "Stop a running training (it ends REVOKED, no model is stored)",
      tags: ["process"],
      requestParams: { path: TaskIdPath },
      responses: { 200: json("Stop requested", TrainStopResponseSchema), 404: error("Unknown id") },
    },
  },
  "/models": {
    get: {
      summary: "Trained models, newest first, and the active model id",
      tags: ["models"],
      responses: { 200: json("Models", ModelListSchema) },
    },
  },
  "/models/{id}": {
    get: {
      summary: "One model (`active` = the active model)",
      tags: ["models"],
      requestParams: { path: IdPath },
      responses: { 200: json("The model", ModelSchema), 404: error("Unknown id") },
    },
  },
  "/models/{id}/artifacts/{name}": {
    get: {
      summary: "Download a model artifact",
      description: `name: ${Object.keys(ARTIFACT_FILES).join(", ")}. model.xgb.json loads in ` +
        "Python's xgboost; predictions.json has the test-set ids, labels and probabilities.",
      tags: ["models"],
      requestParams: {
        path: z.object({
          id: z.string(),
          name: z.enum(Object.keys(ARTIFACT_FILES) as [string, ...string[]]),
        }),
      },
      responses: { 200: { description: "The file" }, 404: error("Unknown id") },
    },
  },
  "/downloads/split/{file}": {
    get: {
      summary: "A set of the active split as CSV or Parquet",
      description: "file: train | test | simulation, with .csv (streamed) or .parquet " +
        "(zstd). Columns: Id, timestamp (ISO UTC), Response, then the selected features; " +
        "empty / null = missing.",
      tags: ["downloads"],
      requestParams: {
        path: z.object({
          file: z.enum([
            "train.csv",
            "test.csv",
            "simulation.csv",
            "train.parquet",
            "test.parquet",
            "simulation.parquet",
          ]),
        }),
      },
      responses: {
        200: { description: "text/csv or application/vnd.apache.parquet" },
        404: error("No split, or an unknown file"),
      },
    },
  },
  "/downloads/models/{id}/{file}": {
    get: {
      summary: "A model's test-set predictions as CSV or Parquet",
      description: "Columns: Id, Response (actual), p_fail, predicted (1 = fail at the model's " +
        "threshold). id may be `active`.",
      tags: ["downloads"],
      requestParams: {
        path: z.object({
          id: z.string(),
          file: z.enum(["predictions.csv", "predictions.parquet"]),
        }),
      },
      responses: {
        200: { description: "text/csv or application/vnd.apache.parquet" },
        404: error("Unknown model or file"),
      },
    },
  },
  "/downloads/simulation/{task_id}/{file}": {
    get: {
      summary: "A simulation run's packets as CSV or Parquet",
      description: "One row per replayed row: row_index, timestamp, sample_id, prediction, " +
        "confidence, quality_score, top_features (JSON).",
      tags: ["downloads"],
      requestParams: {
        path: z.object({
          task_id: z.string(),
          file: z.enum(["packets.csv", "packets.parquet"]),
        }),
      },
      responses: {
        200: { description: "text/csv or application/vnd.apache.parquet" },
        404: error("Unknown run or file"),
      },
    },
  },
  "/tasks/{id}": {
    get: {
      summary: "Any task's record (kind, status, params, progress, result, timestamps)",
      tags: ["tasks"],
      requestParams: { path: IdPath },
      responses: { 200: json("The record", TaskRecordSchema), 404: error("Unknown id") },
    },
  },
  "/tasks/{id}/events": {
    get: {
      summary: "Server-Sent Events: a `task` event with the record on every change until final",
      tags: ["tasks"],
      requestParams: { path: IdPath },
      responses: { 200: { description: "text/event-stream" }, 404: error("Unknown id") },
    },
  },

  // Simulation
  "/simulation/start": {
    post: {
      summary: "Start the real-time replay of the simulation set",
      description: "No body (as .NET sends it) replays through the active model at " +
        "SIMULATION_ROWS_PER_SECOND (1) after a SIMULATION_WARMUP_SECONDS (10) warm-up.",
      tags: ["simulation"],
      requestBody: {
        required: false,
        description: "Optional model id, pace and warm-up.",
        content: { "application/json": { schema: SimulationStartRequestSchema } },
      },
      responses: {
        200: json("Task started", TaskStartedSchema),
        404: error("No trained model (or unknown model_id)"),
        409: error(
          "No usable simulation set, missing ONNX artifact, or a simulation of this model is " +
            "running (`task_id` names it)",
        ),
        422: invalid("Invalid options"),
      },
    },
  },
  "/simulation/status/{task_id}": {
    get: {
      summary: "Simulation status: warm-up, latest packet, or the final message",
      tags: ["simulation"],
      requestParams: { path: TaskIdPath },
      responses: {
        200: json("Status with the latest packet", SimulationStatusSchema),
        404: error("Unknown path or id"),
      },
    },
  },
  "/simulation/stop/{task_id}": {
    post: {
      summary: "Stop a running simulation",
      tags: ["simulation"],
      requestParams: { path: TaskIdPath },
      responses: {
        200: json("Stop requested", SimulationStopResponseSchema),
        404: error("Unknown path or id"),
      },
    },
  },
  "/simulation/{task_id}/packets": {
    get: {
      summary: "Stored packets after a cursor, in row order (no row is ever lost to slow polling)",
      tags: ["simulation"],
      requestParams: { path: TaskIdPath, query: PacketsQuerySchema },
      responses: {
        200: json(
          "Packets with `current_row_index > after`; pass `next_after` back as `after`",
          PacketPageSchema,
        ),
        404: error("Unknown simulation task"),
        422: invalid("Invalid query"),
      },
    },
  },
  "/simulation/{task_id}/events": {
    get: {
      summary: "Server-Sent Events: one `packet` event per row (id = row index), then `status`",
      description: "Resumes after `Last-Event-ID` or `?after=N`.",
      tags: ["simulation"],
      requestParams: { path: TaskIdPath },
      responses: {
        200: { description: "text/event-stream" },
        404: error("Unknown simulation task"),
      },
    },
  },
  "/simulation/{task_id}/summary": {
    get: {
      summary: "Totals, pass rate and the confusion matrix against the true Response",
      tags: ["simulation"],
      requestParams: { path: TaskIdPath },
      responses: {
        200: json("Summary", SimulationSummarySchema),
        404: error("Unknown simulation task"),
      },
    },
  },
  "/simulation/{task_id}/failures": {
    get: {
      summary: "Fail log: every row predicted Fail, newest first, with its explanation",
      description: "Cursor: `before` = a row index (exclusive); pass `next_before` back as " +
        "`before` (null = no more). `format=csv` downloads the whole log (before/limit ignored).",
      tags: ["simulation"],
      requestParams: { path: TaskIdPath, query: FailuresQuerySchema },
      responses: {
        200: {
          description: "A page of failures (or the whole log as text/csv with `format=csv`)",
          content: {
            "application/json": { schema: FailurePageSchema },
            "text/csv": { schema: { type: "string" } },
          },
        },
        404: error("Unknown simulation task"),
        422: invalid("Invalid query"),
      },
    },
  },
} satisfies ZodOpenApiPathsObject;

/** Operations that never need the API token (lib/app.ts `isPublicPath`). */
const PUBLIC_PATHS = new Set(["/", "/health", "/openapi.json", "/docs"]);

/** Every operation as `METHOD /path` (tests compare it with the routes). */
export function operationKeys(): string[] {
  return Object.entries(PATHS).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`)
  );
}

/** Options of the generated document. */
export interface DocumentOptions {
  title?: string;
  version?: string;
  description?: string;
  /**
   * Adds the bearer security scheme and requires it except on the public operations; without it
   * the document declares an empty global `security` (the service runs open).
   */
  bearerAuth?: boolean;
  /** `servers[0].url`; default `/` (the document's own origin). */
  serverUrl?: string;
}

/** Methods that change state: the CSRF guard (api/csrf.ts) may refuse them with 403 / 415. */
const WRITE_METHODS = new Set(["post", "put", "patch", "delete"]);

/**
 * The responses the middleware may give besides the operation's own: 401 where the token is
 * required, 403 / 415 on writes, and a generic 4XX so that every operation lists a client error.
 */
function middlewareResponses(
  method: string,
  op: ZodOpenApiOperationObject,
  requiresToken: boolean,
): Record<string, ZodOpenApiResponseObject> {
  const out: Record<string, ZodOpenApiResponseObject> = {};
  if (requiresToken) out["401"] = error("Missing or wrong API token");
  if (WRITE_METHODS.has(method)) {
    out["403"] = error("Cross-origin request refused (Origin / Sec-Fetch-Site)");
    out["415"] = error("Unsupported Content-Type");
  }
  const codes = [...Object.keys(op.responses ?? {}), ...Object.keys(out)];
  if (!codes.some((code) => /^4/.test(code))) out["4XX"] = error("Client error");
  return out;
}

/** Render the OpenAPI 3.1 document. */
export function openApiDocument(opts: DocumentOptions = {}): Record<string, unknown> {
  const paths: ZodOpenApiPathsObject = {};
  for (const [path, item] of Object.entries(PATHS)) {
    const ops: Record<string, ZodOpenApiOperationObject> = {};
    for (const [method, op] of Object.entries(item as Record<string, ZodOpenApiOperationObject>)) {
      const requiresToken = (opts.bearerAuth ?? false) && !PUBLIC_PATHS.has(path);
      const responses = { ...middlewareResponses(method, op, requiresToken), ...op.responses };
      ops[method] = {
        ...op,
        operationId: operationId(method, path),
        responses: Object.fromEntries(
          Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)),
        ),
        ...(opts.bearerAuth && PUBLIC_PATHS.has(path) ? { security: [] } : {}),
      };
    }
    paths[path] = ops;
  }
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: opts.title ?? "QC ML Service",
      version: opts.version ?? "1.0.0",
      ...(opts.description ? { description: opts.description } : {}),
    },
    servers: [{ url: opts.serverUrl ?? "/", description: "This service" }],
    paths,
    ...(opts.bearerAuth
      ? {
        components: {
          securitySchemes: {
            bearerAuth: {
              type: "http",
              scheme: "bearer",
              description: "`Authorization: Bearer <API_TOKEN>` (the admin pages use a session)",
            },
          },
        },
        security: [{ bearerAuth: [] }],
      }
      : { security: [] }),
  }) as unknown as Record<string, unknown>;
}

/** `get_process_train_status_task_id`: method and path words. */
function operationId(method: string, path: string): string {
  const words = path.split("/").filter(Boolean).map((s) => s.replace(/[{}]/g, ""));
  return [method, ...(words.length ? words : ["root"])].join("_").replace(/[^A-Za-z0-9_]/g, "_");
}
