/**
 * `GET /process/train/status/{task_id}` — the training task's Celery-style status
 * (CONTRACT.md §3): 200 for every known training task (FAILURE included), 404 for ids that
 * never existed (or expired).
 *
 * @module
 */
import { define } from "../../../../utils.ts";
import { requireTask } from "../../../../lib/api/task_routes.ts";
import { TRAIN_KIND } from "../../../../lib/pipeline/train/mod.ts";
import { contractStatus } from "../../../../lib/tasks/task_view.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const { tasks } = ctx.state.services;
    const rec = await requireTask(tasks, ctx.params.task_id, TRAIN_KIND, "training");
    return Response.json(contractStatus(rec), { headers: { "cache-control": "no-store" } });
  },
});
