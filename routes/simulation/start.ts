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
import { define } from "../../utils.ts";
import { parseJsonBody } from "../../lib/api/validation.ts";
import { SimulationStartError, startSimulation } from "../../lib/pipeline/simulation/mod.ts";
import { SimulationStartRequestSchema } from "../../lib/api/requests.ts";

/** Largest body read (the options are a few dozen bytes). */
const MAX_BODY_BYTES = 16 * 1024;

export const handler = define.handlers({
  async POST(ctx) {
    const opts = await parseJsonBody(ctx.req, SimulationStartRequestSchema, {
      maxBytes: MAX_BODY_BYTES,
      optional: true,
    });
    // A simulation of the model already running: TaskConflictError → 409 {detail, task_id}
    // (lib/app.ts); the other refusals carry their own status and fields.
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
