/**
 * `GET /models` — every trained model, newest first, with which one is active.
 *
 * @module
 */
import { define } from "../../utils.ts";
import { listModels } from "../../lib/pipeline/train/mod.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const { kv } = ctx.state.services;
    const [models, active] = await Promise.all([
      listModels(kv),
      kv.get<string>(["active", "model"]),
    ]);
    return Response.json({ active_model_id: active, models });
  },
});
