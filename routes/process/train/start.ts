/**
 * `POST /process/train/start` — start training on the active split (CONTRACT.md §3).
 *
 * .NET sends no body: the defaults apply (lib/pipeline/train_params.ts). An optional JSON body
 * overrides hyperparameters (`{"max_depth": 6, "threshold_metric": "f1"}`); a bad one is a 422
 * in FastAPI's shape. 200 `{"task_id"}`; without a split the task is still created and ends
 * FAILURE with the reason (the contract reports failures through the status, HTTP 200);
 * 409 `{"detail", "task_id"}` while a training of the same dataset runs.
 *
 * @module
 */
import { define } from "../../../utils.ts";
import { parseJsonBody } from "../../../lib/api/validation.ts";
import { TrainStartRequestSchema } from "../../../lib/api/requests.ts";
import { startTraining } from "../../../lib/pipeline/train/mod.ts";

/** Largest override body accepted (a few hundred bytes in practice). */
const MAX_BODY_BYTES = 16 * 1024;

export const handler = define.handlers({
  async POST(ctx) {
    const overrides = await parseJsonBody(ctx.req, TrainStartRequestSchema, {
      maxBytes: MAX_BODY_BYTES,
      optional: true,
    });
    // A running training of the same dataset: TaskConflictError → 409 {detail, task_id} (lib/app.ts).
    const task = await startTraining(ctx.state.services, overrides);
    return Response.json({ task_id: task.id });
  },
});
