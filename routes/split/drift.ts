/**
 * `GET /split/drift` — drift of the active split: per selected feature, the population stability
 * index of the simulation window against the training window (fixed decile bins of the training
 * values, missing values as their own bin) and the change in missing share, worst first, with an
 * overall flag (PSI ≥ 0.1 "watch", ≥ 0.25 "drift"; lib/pipeline/split/drift.ts). Computed when
 * the split was made. 404 before the first split.
 *
 * @module
 */
import { HttpError } from "fresh";
import { define } from "../../utils.ts";
import { getActiveSplit, getSplitDrift } from "../../lib/pipeline/split/mod.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const { services } = ctx.state;
    const split = await getActiveSplit(services.kv);
    if (!split) throw new HttpError(404, "No split yet: call /process/split-data first.");
    const drift = await getSplitDrift(services, split);
    return Response.json({
      split_id: drift.split_id,
      dataset_id: drift.dataset_id,
      computed_at: drift.computed_at,
      sampled_rows: drift.sampled_rows,
      ...drift.simulation,
    }, { headers: { "cache-control": "no-store" } });
  },
});
