/**
 * `GET /simulation/{task_id}/events` — Server-Sent Events: one `packet` event per row
 * (`id: <current_row_index>`), every packet exactly once and in order, resuming after
 * `Last-Event-ID` or `?after=N`; then one `status` event (the status body) and the stream ends.
 * 404 for unknown ids, 422 for a malformed cursor.
 *
 * @module
 */
import { define } from "../../../utils.ts";
import { RequestValidationError } from "../../../lib/api/validation.ts";
import { requireTask } from "../../../lib/api/task_routes.ts";
import { SIMULATE_KIND } from "../../../lib/pipeline/simulation/mod.ts";
import { parseCursor, simulationEventResponse } from "../../../lib/api/simulation_stream.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const id = ctx.params.task_id;
    const { services } = ctx.state;
    await requireTask(services.tasks, id, SIMULATE_KIND, "simulation");
    const after = parseCursor(
      ctx.url.searchParams.get("after"),
      ctx.req.headers.get("last-event-id"),
    );
    if (after === null) {
      throw new RequestValidationError([{
        loc: ["query", "after"],
        msg: "after / Last-Event-ID must be an integer greater than or equal to -1",
        type: "int_parsing",
      }]);
    }
    // No `ctx.req.signal`: a client that goes away cancels the body stream, which ends the watch;
    // the request signal (legacy Deno.serve semantics) would add nothing but a warning.
    return simulationEventResponse(services, id, after);
  },
});
