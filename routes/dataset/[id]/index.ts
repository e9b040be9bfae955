/**
 * `GET /dataset/{id}` — one dataset record (`active` is an alias for the active dataset).
 *
 * @module
 */
import { HttpError } from "fresh";
import { define } from "../../../utils.ts";
import {
  ACTIVE_DATASET_KEY,
  getDataset,
  reconcileDataset,
} from "../../../lib/pipeline/ingest/mod.ts";

export const handler = define.handlers({
  async GET(ctx) {
    if (ctx.params.id === "store") {
      // The router falls through to this param route for GET /dataset/store: answer as for any
      // known path with the wrong method.
      throw new HttpError(405, "Method Not Allowed", { headers: { Allow: "POST" } });
    }
    const { kv, tasks } = ctx.state.services;
    const activeId = await kv.get<string>(ACTIVE_DATASET_KEY);
    const id = ctx.params.id === "active" ? activeId : ctx.params.id;
    const rec = id ? await getDataset(kv, id) : null;
    if (!rec) {
      throw new HttpError(
        404,
        ctx.params.id === "active" ? "No dataset has been uploaded." : `Unknown dataset: ${id}`,
      );
    }
    const cur = await reconcileDataset(kv, tasks, rec);
    return Response.json({ ...cur, active: cur.id === activeId }, {
      headers: { "cache-control": "no-store" },
    });
  },
});
