/**
 * `GET /downloads/split/{file}` — one set of the active split for analysts: `train`, `test` or
 * `simulation`, as `.csv` (streamed) or `.parquet` (nodejs-polars, loaded on first use). Columns:
 * `Id`, `timestamp` (ISO UTC), `Response`, then the selected features (empty / null = missing).
 * 404 without a split or for another name.
 *
 * @module
 */
import { HttpError } from "fresh";
import { define } from "../../../utils.ts";
import { exportResponse, parseExportFile } from "../../../lib/api/table_export.ts";
import {
  getActiveSplit,
  loadSplitSet,
  SET_NAMES,
  type SetName,
} from "../../../lib/pipeline/split/mod.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const services = ctx.state.services;
    const parsed = parseExportFile(ctx.params.file);
    if (!parsed || !(SET_NAMES as readonly string[]).includes(parsed.base)) {
      throw new HttpError(
        404,
        `Unknown file ${JSON.stringify(ctx.params.file)}; expected ` +
          `${SET_NAMES.join(" | ")} with .csv or .parquet.`,
      );
    }
    const split = await getActiveSplit(services.kv);
    if (!split) throw new HttpError(404, "No split yet: call /process/split-data first.");
    const set = await loadSplitSet(services, split, parsed.base as SetName);
    const iso = Array.from(set.timestamps, (ms) => new Date(ms).toISOString());
    return await exportResponse(
      {
        nRows: set.nRows,
        columns: [
          { name: "Id", kind: "int", values: set.ids },
          { name: "timestamp", kind: "string", values: iso },
          { name: "Response", kind: "int", values: set.labels },
          ...set.featureNames.map((name, j) => ({
            name,
            kind: "float" as const,
            values: set.columns[j],
          })),
        ],
      },
      parsed.format,
      `split-${split.id.slice(0, 8)}-${parsed.base}`,
    );
  },
});
