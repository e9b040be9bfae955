/**
 * `GET /simulation/{task_id}/packets?after=N&limit=M` — the stored packets with
 * `current_row_index > after` (default -1: from the first), at most `limit` (1–1000, default
 * 100), in order: `{"task_id", "packets": [...], "next_after", "status"}`. Pass `next_after` back
 * as `after` to continue; nothing is ever skipped however slowly the caller polls. 404 for
 * unknown ids, 422 for bad query values.
 *
 * @module
 */
import { define } from "../../../utils.ts";
import { parseQuery } from "../../../lib/api/validation.ts";
import { PacketsQuerySchema } from "../../../lib/api/requests.ts";
import { requireTask } from "../../../lib/api/task_routes.ts";
import { readPackets, SIMULATE_KIND } from "../../../lib/pipeline/simulation/mod.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const id = ctx.params.task_id;
    const { services } = ctx.state;
    const query = parseQuery(PacketsQuerySchema, ctx.url);
    const rec = await requireTask(services.tasks, id, SIMULATE_KIND, "simulation");
    const { packets, nextAfter } = await readPackets(services.kv, id, query);
    return Response.json(
      { task_id: id, packets, next_after: nextAfter, status: rec.state },
      { headers: { "cache-control": "no-store" } },
    );
  },
});
