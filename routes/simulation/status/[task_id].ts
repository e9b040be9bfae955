/**
 * `GET /simulation/status/{task_id}` — the simulation's Celery-style status (CONTRACT.md §4):
 * warmup/initializing messages, then the latest packet as `progress`, then SUCCESS or REVOKED
 * with `result.message`. 200 for every known simulation task, 404 for unknown ids.
 *
 * @module
 */
import { HttpError } from "fresh";
import { define } from "../../../utils.ts";
import { getSimulationStatus } from "../../../lib/pipeline/simulation/mod.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const id = ctx.params.task_id;
    const status = await getSimulationStatus(ctx.state.services, id);
    if (!status) throw new HttpError(404, `Unknown simulation task: ${id}`);
    return Response.json(status, { headers: { "cache-control": "no-store" } });
  },
});
