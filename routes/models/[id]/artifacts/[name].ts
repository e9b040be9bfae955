/**
 * `GET /models/{id}/artifacts/{name}` — download a model artifact: `model.onnx`,
 * `model.xgb.json` (loadable by Python's xgboost), `curves.json`, `metrics.json` or
 * `predictions.json` (test-set ids, labels and probabilities). Streamed from blob storage.
 *
 * @module
 */
import { HttpError } from "fresh";
import { define } from "../../../../utils.ts";
import {
  ARTIFACT_FILES,
  getActiveModel,
  getModel,
  isArtifactName,
} from "../../../../lib/pipeline/train/mod.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const { kv, storage } = ctx.state.services;
    const { id, name } = ctx.params;
    if (!isArtifactName(name)) {
      throw new HttpError(
        404,
        `Unknown artifact ${JSON.stringify(name)}; expected one of ${
          Object.keys(ARTIFACT_FILES).join(", ")
        }.`,
      );
    }
    const model = id === "active" ? await getActiveModel(kv) : await getModel(kv, id);
    if (!model) throw new HttpError(404, `Unknown model: ${id}`);
    const { field, type } = ARTIFACT_FILES[name];
    const key = model.artifacts[field];
    const info = await storage.stat(key);
    if (!info) throw new HttpError(404, `Artifact ${name} of model ${model.id} is missing.`);
    return new Response(await storage.get(key), {
      headers: {
        "content-type": type,
        "content-length": String(info.size),
        "content-disposition": `attachment; filename="${name}"`,
      },
    });
  },
});
