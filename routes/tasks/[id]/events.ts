/**
 * `GET /tasks/{id}/events` — Server-Sent Events: one `task` event with the record (snake_case,
 * as `GET /tasks/{id}`) on every change, ending after the final state. 404 for unknown ids.
 *
 * @module
 */
import { HttpError } from "fresh";
import { define } from "../../../utils.ts";
import { sseResponse } from "../../../lib/api/sse.ts";
import { taskView } from "../../../lib/tasks/task_view.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const { tasks } = ctx.state.services;
    const id = ctx.params.id;
    if (!(await tasks.get(id))) throw new HttpError(404, `Unknown task: ${id}`);
    return sseResponse((signal) => tasks.watch(id, signal), {
      event: "task",
      map: taskView,
      id: (rec) => rec.updatedAt,
      // No `ctx.req.signal`: a client that goes away cancels the body stream, which ends the
      // watch (as in the simulation's events route).
    });
  },
});
