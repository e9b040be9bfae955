/**
 * `GET /tasks/{id}` — the generic task record (any kind), snake_case, 404 for unknown ids.
 *
 * @module
 */
import { HttpError } from "fresh";
import { define } from "../../../utils.ts";
import { taskView } from "../../../lib/tasks/task_view.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const rec = await ctx.state.services.tasks.get(ctx.params.id);
    if (!rec) throw new HttpError(404, `Unknown task: ${ctx.params.id}`);
    return Response.json(taskView(rec), { headers: { "cache-control": "no-store" } });
  },
});
