/**
 * `POST /simulation/stop/{task_id}` — ask a simulation to stop (CONTRACT.md §4). The replay's
 * pacing wait is aborted by the stop, so the task is REVOKED within a second. 200 also for a
 * simulation that already ended (stopping is idempotent); 404 for unknown ids.
 *
 * @module
 */
import { HttpError } from "fresh";
import { define } from "../../../utils.ts";
import { SIMULATE_KIND } from "../../../lib/pipeline/simulation/mod.ts";

export const handler = define.handlers({
  async POST(ctx) {
    const id = ctx.params.task_id;
    const { tasks } = ctx.state.services;
    const rec = await tasks.get(id);
    if (!rec || rec.kind !== SIMULATE_KIND) {
      throw new HttpError(404, `Unknown simulation task: ${id}`);
    }
    await tasks.stop(id);
    return Response.json({ task_id: id, message: "Stop signal sent to simulation task." });
  },
});
