/**
 * `GET /process/train/status/{task_id}` — the training task's Celery-style status
 * (CONTRACT.md §3): 200 for every known training task (FAILURE included), 404 for ids that
 * never existed (or expired).
 *
 * @module
 */
import { HttpError } from "fresh";
import { define } from "../../../../utils.ts";
import { TRAIN_KIND } from "../../../../lib/pipeline/train/train.ts";
import { contractStatus } from "../../../../lib/tasks/task_view.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const id = ctx.params.task_id;
    const rec = await ctx.state.services.tasks.get(id);
    if (!rec || rec.kind !== TRAIN_KIND) {
      throw new HttpError(404, `Unknown training task: ${id}`);
    }
    return Response.json(contractStatus(rec), { headers: { "cache-control": "no-store" } });
  },
});
