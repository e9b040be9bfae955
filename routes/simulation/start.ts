/**
 * `POST /simulation/start` — start a real-time replay of the simulation set through the active
 * model (CONTRACT.md §4): 200 `{"task_id"}`.
 *
 * The .NET backend sends no body. An optional JSON body may set `model_id` (default: the active
 * model), `rows_per_second` (default `SIMULATION_ROWS_PER_SECOND`, 1) and `warmup_seconds`
 * (default `SIMULATION_WARMUP_SECONDS`, 10); bad values → 422 in FastAPI's shape.
 *
 * Errors: 404 no trained model (or unknown `model_id`); 409 when the model's dataset has no split
 * (or the active split belongs to another dataset and the model's own split is gone), the
 * simulation set is empty, the ONNX artifact is missing, or a simulation of the same model is
 * still running — then the body carries that task's id: `{"detail", "task_id"}`.
 *
 * @module
 */
import { z } from "zod";
import { HttpError } from "fresh";
import { define } from "../../utils.ts";
import { parseValue, RequestValidationError } from "../../lib/api/validation.ts";
import {
  MAX_ROWS_PER_SECOND,
  MAX_WARMUP_SECONDS,
  SimulationStartError,
  startSimulation,
} from "../../lib/pipeline/simulate.ts";

/** The optional body. Unknown keys are ignored (as FastAPI does). */
export const SimulationStartSchema = z.object({
  model_id: z.string().min(1).max(200).optional(),
  rows_per_second: z.number().gt(0).max(MAX_ROWS_PER_SECOND).optional(),
  warmup_seconds: z.number().min(0).max(MAX_WARMUP_SECONDS).optional(),
});

/** Largest body read (the options are a few dozen bytes). */
const MAX_BODY = 16 * 1024;

async function readOptions(req: Request): Promise<z.output<typeof SimulationStartSchema>> {
  if (Number(req.headers.get("content-length") ?? 0) > MAX_BODY) {
    throw new HttpError(413, `Request body is larger than ${MAX_BODY} bytes.`);
  }
  const text = req.body ? await req.text() : "";
  if (text.length > MAX_BODY) {
    throw new HttpError(413, `Request body is larger than ${MAX_BODY} bytes.`);
  }
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RequestValidationError([{
      loc: ["body"],
      msg: "JSON decode error",
      type: "json_invalid",
      ctx: { error: err instanceof Error ? err.message : String(err) },
    }]);
  }
  return parseValue(SimulationStartSchema, value ?? {}, ["body"]);
}

export const handler = define.handlers({
  async POST(ctx) {
    const opts = await readOptions(ctx.req);
    try {
      return Response.json(await startSimulation(ctx.state.services, opts));
    } catch (err) {
      if (err instanceof SimulationStartError) {
        return Response.json({ detail: err.message, ...err.extra }, { status: err.status });
      }
      throw err;
    }
  },
});
