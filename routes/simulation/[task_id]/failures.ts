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
import { z } from "zod";
import { HttpError } from "fresh";
import { define } from "../../../utils.ts";
import "../../../lib/api/openapi_simulation.ts";
import { parseValue } from "../../../lib/api/validation.ts";
import { SIMULATE_KIND } from "../../../lib/pipeline/simulation/simulate.ts";
import { readSummary } from "../../../lib/pipeline/simulation/packets.ts";
import {
  failuresCsvStream,
  MAX_FAILURE_PAGE,
  readFailures,
} from "../../../lib/pipeline/simulation/failures.ts";

const QuerySchema = z.object({
  before: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_FAILURE_PAGE).default(100),
  format: z.enum(["json", "csv"]).default("json"),
});

export const handler = define.handlers({
  async GET(ctx) {
    const id = ctx.params.task_id;
    const { services } = ctx.state;
    const q = ctx.url.searchParams;
    const query = parseValue(QuerySchema, {
      before: q.get("before") || undefined,
      limit: q.get("limit") || undefined,
      format: q.get("format") || undefined,
    }, ["query"]);
    const rec = await services.tasks.get(id);
    if (!rec || rec.kind !== SIMULATE_KIND) {
      throw new HttpError(404, `Unknown simulation task: ${id}`);
    }
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
