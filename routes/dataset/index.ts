/**
 * `GET /dataset` — the active dataset's record (state, profile summary, ranked features), plus
 * `newest`: the most recent upload when it is not the active one (e.g. still selecting
 * features), so a client can see that a split would still use the older data.
 *
 * @module
 */
import { HttpError } from "fresh";
import { define } from "../../utils.ts";
import {
  getActiveDataset,
  getNewestDataset,
  reconcileDataset,
} from "../../lib/pipeline/ingest/mod.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const { kv, tasks } = ctx.state.services;
    const active = await getActiveDataset(kv);
    if (!active) throw new HttpError(404, "No dataset has been uploaded.");
    const newest = await getNewestDataset(kv);
    const pending = newest && newest.id !== active.id
      ? await reconcileDataset(kv, tasks, newest)
      : null;
    return Response.json({ ...active, active: true, newest: pending }, {
      headers: { "cache-control": "no-store" },
    });
  },
});
