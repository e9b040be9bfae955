/**
 * `GET /models/{id}` — one model record (params, threshold, metrics, importance, artifact keys);
 * `active` is an alias for the active model.
 *
 * @module
 */
import { HttpError } from "fresh";
import { define } from "../../../utils.ts";
import { getActiveModel, getModel } from "../../../lib/pipeline/train/mod.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const { kv } = ctx.state.services;
    const id = ctx.params.id;
    const model = id === "active" ? await getActiveModel(kv) : await getModel(kv, id);
    if (!model) {
      throw new HttpError(
        404,
        id === "active" ? "No model has been trained yet." : `Unknown model: ${id}`,
      );
    }
    const active = await kv.get<string>(["active", "model"]);
    return Response.json({ ...model, active: active === model.id });
  },
});
