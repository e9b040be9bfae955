/**
 * `POST /simulation/stop/{task_id}` — ask a simulation to stop (CONTRACT.md §4). The replay's
 * pacing wait is aborted by the stop, so the task is REVOKED within a second. 200 also for a
 * simulation that already ended (stopping is idempotent); 404 for unknown ids.
 *
 * @module
 */
import { define } from "../../../utils.ts";
import { stopTaskResponse } from "../../../lib/api/task_routes.ts";
import { SIMULATE_KIND } from "../../../lib/pipeline/simulation/mod.ts";

export const handler = define.handlers({
  POST(ctx) {
    const { tasks } = ctx.state.services;
    return stopTaskResponse(tasks, ctx.params.task_id, SIMULATE_KIND, "simulation");
  },
});
