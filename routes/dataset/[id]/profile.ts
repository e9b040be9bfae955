/**
 * `GET /dataset/{id}/profile` — the full profile of an upload (per-column missing shares,
 * numeric/text kind, ...), as written by the validation pass. 404 for an unknown dataset or one
 * that was not profiled (rejected before profiling).
 *
 * @module
 */
import { HttpError } from "fresh";
import { define } from "../../../utils.ts";
import { ACTIVE_DATASET_KEY, getDataset } from "../../../lib/pipeline/ingest/mod.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const { kv, storage } = ctx.state.services;
    const id = ctx.params.id === "active"
      ? await kv.get<string>(ACTIVE_DATASET_KEY)
      : ctx.params.id;
    const rec = id ? await getDataset(kv, id) : null;
    if (!rec) throw new HttpError(404, `Unknown dataset: ${ctx.params.id}`);
    if (!rec.profile_key || !(await storage.stat(rec.profile_key))) {
      throw new HttpError(404, `Dataset ${rec.id} has no profile (state ${rec.state}).`);
    }
    const body = await storage.get(rec.profile_key);
    return new Response(body, {
      headers: { "content-type": "application/json", "cache-control": "no-store" },
    });
  },
});
