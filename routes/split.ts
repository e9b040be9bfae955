/**
 * `GET /split` — the active split: its dataset, windows, row counts and ranges, sampling
 * fraction and daily distribution. 404 before the first split.
 *
 * @module
 */
import { HttpError } from "fresh";
import { define } from "../utils.ts";
import { getActiveSplit } from "../lib/pipeline/split/mod.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const split = await getActiveSplit(ctx.state.services.kv);
    if (!split) throw new HttpError(404, "No split yet: call /process/split-data first.");
    return Response.json(split, { headers: { "cache-control": "no-store" } });
  },
});
