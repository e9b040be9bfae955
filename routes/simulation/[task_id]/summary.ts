/**
 * `GET /simulation/{task_id}/summary` — totals of a simulation: counts, pass rate, average
 * confidence, the confusion matrix against the true `Response` of the replayed rows, and the
 * threshold used. Running totals while it replays, final ones after the end or a stop (kept for
 * the task retention). 404 for unknown ids.
 *
 * @module
 */
import { HttpError } from "fresh";
import { define } from "../../../utils.ts";
import { getSimulationSummary } from "../../../lib/pipeline/simulation/mod.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const id = ctx.params.task_id;
    const summary = await getSimulationSummary(ctx.state.services, id);
    if (!summary) throw new HttpError(404, `Unknown simulation task: ${id}`);
    return Response.json(summary, { headers: { "cache-control": "no-store" } });
  },
});
