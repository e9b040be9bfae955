/**
 * `POST /process/train/stop/{task_id}` — ask a training to stop (an extra beside the contract,
 * shaped like `/simulation/stop/{task_id}`): the worker is terminated between rounds and the
 * task ends REVOKED; no model is stored. 200 also for a training that already ended (stopping is
 * idempotent); 404 for unknown ids.
 *
 * @module
 */
import { HttpError } from "fresh";
import { define } from "../../../../utils.ts";
import { TRAIN_KIND } from "../../../../lib/pipeline/train/train.ts";

export const handler = define.handlers({
  async POST(ctx) {
    const id = ctx.params.task_id;
    const { tasks } = ctx.state.services;
    const rec = await tasks.get(id);
    if (!rec || rec.kind !== TRAIN_KIND) {
      throw new HttpError(404, `Unknown training task: ${id}`);
    }
    await tasks.stop(id);
    return Response.json({ task_id: id, message: "Stop signal sent to training task." });
  },
});
