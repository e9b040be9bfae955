/**
 * Every request input the routes validate, in one place: the bodies of `POST
 * /process/split-data`, `/process/train/start` and `/simulation/start`, and the packet and
 * fail-log cursor queries. The OpenAPI document (`openapi.ts`) describes these very objects, so the docs show what
 * the routes accept.
 *
 * ```ts
 * import { SplitRequestSchema } from "../../lib/api/requests.ts";
 * const body = await parseJsonBody(ctx.req, SplitRequestSchema); // typed, or 422
 * ```
 *
 * @module
 */
import { z } from "zod";
import { ContractDateTimeSchema } from "./contract.ts";
import { trainOverridesSchema } from "../pipeline/train/mod.ts";
import {
  MAX_FAILURE_PAGE,
  MAX_PAGE,
  MAX_ROWS_PER_SECOND,
  MAX_WARMUP_SECONDS,
} from "../pipeline/simulation/mod.ts";

/** Body of `POST /process/split-data` (all six dates required, bounds inclusive, UTC). */
export const SplitRequestSchema = z.object({
  train_start_date: ContractDateTimeSchema,
  train_end_date: ContractDateTimeSchema,
  test_start_date: ContractDateTimeSchema,
  test_end_date: ContractDateTimeSchema,
  simulation_start_date: ContractDateTimeSchema,
  simulation_end_date: ContractDateTimeSchema,
}).meta({ id: "SplitRequest" });

/** Parsed split request (date strings; convert with `parseContractDateTime`). */
export type SplitRequest = z.output<typeof SplitRequestSchema>;

/**
 * Optional body of `POST /process/train/start`: hyperparameter overrides. The training step owns
 * their bounds (`lib/pipeline/train/params.ts`); this is the same schema object.
 */
export const TrainStartRequestSchema = trainOverridesSchema;

/** Optional body of `POST /simulation/start`. Unknown keys are ignored (as FastAPI does). */
export const SimulationStartRequestSchema = z.object({
  model_id: z.string().min(1).max(200).optional(),
  rows_per_second: z.number().gt(0).max(MAX_ROWS_PER_SECOND).optional(),
  warmup_seconds: z.number().min(0).max(MAX_WARMUP_SECONDS).optional(),
}).meta({ id: "SimulationStartOptions" });

/** Query of `GET /simulation/{task_id}/packets`: the cursor and the page size. */
export const PacketsQuerySchema = z.object({
  after: z.coerce.number().int().min(-1).default(-1),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(100),
});

/**
 * Query of `GET /simulation/{task_id}/failures`: `before` = a row index (exclusive; omit for the
 * newest), the page size, and `format=csv` for the whole log as a download.
 */
export const FailuresQuerySchema = z.object({
  before: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_FAILURE_PAGE).default(100),
  format: z.enum(["json", "csv"]).default("json"),
});
