/**
 * `GET /simulation/{task_id}/failures?before=N&limit=M` — the fail log of a simulation: every row
 * predicted "Fail" (row, sample id, timestamp, p_fail, the true `Response` when known, the
 * TreeSHAP explanation), newest first: `{"task_id", "status", "fail_count", "failures": [...],
 * "next_before"}`. The cursor is a row index: `before` (exclusive) lists older failures; pass
 * `next_before` back as `before` (null = no more). `limit` 1–1000, default 100.
 * `?format=csv` downloads the whole log as CSV (newest first; `before`/`limit` do not apply).
 * Kept as long as the run's packets. 404 for unknown ids, 422 for bad query values.
 *
 * @module
 */
import { define } from "../../../utils.ts";
import { parseQuery } from "../../../lib/api/validation.ts";
import { FailuresQuerySchema } from "../../../lib/api/requests.ts";
import { requireTask } from "../../../lib/api/task_routes.ts";
import {
  failuresCsvStream,
  readFailures,
  readSummary,
  SIMULATE_KIND,
} from "../../../lib/pipeline/simulation/mod.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const id = ctx.params.task_id;
    const { services } = ctx.state;
    const query = parseQuery(FailuresQuerySchema, ctx.url);
    const rec = await requireTask(services.tasks, id, SIMULATE_KIND, "simulation");
    if (query.format === "csv") {
      const name = `simulation_${id.replace(/[^A-Za-z0-9_-]/g, "_")}_failures.csv`;
      return new Response(failuresCsvStream(services.kv, id), {
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="${name}"`,
          "cache-control": "no-store",
        },
      });
    }
    const [{ failures, nextBefore }, summary] = await Promise.all([
      readFailures(services.kv, id, query),
      readSummary(services.kv, id),
    ]);
    return Response.json({
      task_id: id,
      status: rec.state,
      fail_count: summary?.fail_count ?? 0,
      failures,
      next_before: nextBefore,
    }, { headers: { "cache-control": "no-store" } });
  },
});
