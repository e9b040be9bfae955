/**
 * `GET /datasets` — every dataset record, newest first, each with `active: bool`.
 *
 * @module
 */
import { define } from "../utils.ts";
import { ACTIVE_DATASET_KEY, listDatasets, reconcileDataset } from "../lib/pipeline/ingest/mod.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const { kv, tasks } = ctx.state.services;
    const activeId = await kv.get<string>(ACTIVE_DATASET_KEY);
    const all = await Promise.all(
      (await listDatasets(kv)).map((d) => reconcileDataset(kv, tasks, d)),
    );
    return Response.json(
      { datasets: all.map((d) => ({ ...d, active: d.id === activeId })), active_id: activeId },
      { headers: { "cache-control": "no-store" } },
    );
  },
});
