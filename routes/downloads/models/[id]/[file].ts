/**
 * `GET /downloads/models/{id}/{file}` — a model's test-set predictions for analysts:
 * `predictions.csv` (streamed) or `predictions.parquet` (nodejs-polars, loaded on first use).
 * Columns: `Id`, `Response` (actual), `p_fail`, `predicted` (1 = fail at the model's threshold).
 * `id` may be `active`. 404 for an unknown model or file.
 *
 * @module
 */
import { HttpError } from "fresh";
import { define } from "../../../../utils.ts";
import { exportResponse, parseExportFile } from "../../../../lib/api/table_export.ts";
import { getActiveModel, getModel } from "../../../../lib/pipeline/train/mod.ts";

interface PredictionsDoc {
  threshold: number;
  ids: number[];
  labels: number[];
  probabilities: number[];
}

export const handler = define.handlers({
  async GET(ctx) {
    const { kv, storage } = ctx.state.services;
    const { id, file } = ctx.params;
    const parsed = parseExportFile(file);
    if (!parsed || parsed.base !== "predictions") {
      throw new HttpError(
        404,
        `Unknown file ${JSON.stringify(file)}; expected predictions.csv or predictions.parquet.`,
      );
    }
    const model = id === "active" ? await getActiveModel(kv) : await getModel(kv, id);
    if (!model) throw new HttpError(404, `Unknown model: ${id}`);
    let doc: PredictionsDoc;
    try {
      doc = JSON.parse(
        new TextDecoder().decode(await storage.getBytes(model.artifacts.predictions)),
      );
    } catch {
      throw new HttpError(404, `The predictions of model ${model.id} are missing.`);
    }
    const threshold = doc.threshold ?? model.threshold;
    const predicted = doc.probabilities.map((p) => (p > threshold ? 1 : 0));
    return await exportResponse(
      {
        nRows: doc.ids.length,
        columns: [
          { name: "Id", kind: "int", values: doc.ids },
          { name: "Response", kind: "int", values: doc.labels },
          { name: "p_fail", kind: "float", values: doc.probabilities },
          { name: "predicted", kind: "int", values: predicted },
        ],
      },
      parsed.format,
      `model-${model.id.slice(0, 8)}-predictions`,
    );
  },
});
