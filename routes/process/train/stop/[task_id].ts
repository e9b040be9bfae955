/**
 * `POST /process/train/stop/{task_id}` — ask a training to stop (an extra beside the contract,
 * shaped like `/simulation/stop/{task_id}`): the worker is terminated between rounds and the
 * task ends REVOKED; no model is stored. 200 also for a training that already ended (stopping is
 * idempotent); 404 for unknown ids.
 *
 * @module
 */
import { define } from "../../../../utils.ts";
import { stopTaskResponse } from "../../../../lib/api/task_routes.ts";
import { TRAIN_KIND } from "../../../../lib/pipeline/train/mod.ts";

export const handler = define.handlers({
  POST(ctx) {
    return stopTaskResponse(ctx.state.services.tasks, ctx.params.task_id, TRAIN_KIND, "training");
  },
});
