/**
 * OpenAPI descriptions of the ingest endpoints beyond the contract (`GET /dataset`,
 * `GET /datasets`, `GET /dataset/{id}`, `GET /dataset/{id}/profile`, `GET /split`), registered
 * on import. The route modules import this file, so the document lists them whenever the routes
 * are loaded.
 *
 * @module
 */
import { z } from "zod";
import { namedSchema, registerOperation } from "./openapi.ts";
import { ErrorResponseSchema } from "./contract.ts";

const Counts = z.record(z.string(), z.int());
const Window = z.object({ start_ms: z.number(), end_ms: z.number() });
const Sets = <T extends z.ZodType>(t: T) => z.object({ train: t, test: t, simulation: t });

/** A dataset record (lib/pipeline/datasets.ts `DatasetRecord`) plus `active`. */
export const DatasetSchema = namedSchema(
  "Dataset",
  z.looseObject({
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
  }),
);

/** A split record (lib/pipeline/split.ts `SplitRecord`). */
export const SplitRecordSchema = namedSchema(
  "Split",
  z.looseObject({
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
  }),
);

const notFound = { description: "Not found", schema: ErrorResponseSchema };

/** Register the operations (idempotent: the registry replaces by method + path). */
export function registerIngestOperations(): void {
  registerOperation({
    method: "get",
    path: "/dataset",
    summary: "The active dataset (and the newest upload when it is still processing)",
    tags: ["dataset"],
    responses: { 200: { description: "Active dataset", schema: DatasetSchema }, 404: notFound },
  });
  registerOperation({
    method: "get",
    path: "/datasets",
    summary: "All datasets, newest first",
    tags: ["dataset"],
    responses: {
      200: {
        description: "Datasets",
        schema: z.object({ datasets: z.array(DatasetSchema), active_id: z.string().nullable() }),
      },
    },
  });
  registerOperation({
    method: "get",
    path: "/dataset/{id}",
    summary: "One dataset (`active` = the active one): state, profile summary, features",
    tags: ["dataset"],
    responses: { 200: { description: "Dataset", schema: DatasetSchema }, 404: notFound },
  });
  registerOperation({
    method: "get",
    path: "/dataset/{id}/profile",
    summary: "Full profile of an upload (missing share per column, text columns, ...)",
    tags: ["dataset"],
    responses: {
      200: { description: "Profile JSON", schema: { type: "object" } },
      404: notFound,
    },
  });
  registerOperation({
    method: "get",
    path: "/split",
    summary: "The active split (windows, row ranges, counts)",
    tags: ["process"],
    responses: { 200: { description: "Active split", schema: SplitRecordSchema }, 404: notFound },
  });
}

registerIngestOperations();
