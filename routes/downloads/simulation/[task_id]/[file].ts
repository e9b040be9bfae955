/**
 * `GET /downloads/simulation/{task_id}/{file}` — a simulation run's packets for analysts:
 * `packets.csv` (streamed) or `packets.parquet` (nodejs-polars, loaded on first use). One row per
 * replayed row: `row_index`, `timestamp`, `sample_id`, `prediction`, `confidence`,
 * `quality_score`, `top_features` (JSON). 404 for an unknown run or file.
 *
 * @module
 */
import { HttpError } from "fresh";
import { define } from "../../../../utils.ts";
import { exportResponse, parseExportFile } from "../../../../lib/api/table_export.ts";
import {
  MAX_PAGE,
  readPackets,
  type SimPacket,
  SIMULATE_KIND,
} from "../../../../lib/pipeline/simulation/mod.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const { kv, tasks } = ctx.state.services;
    const { task_id: id, file } = ctx.params;
    const parsed = parseExportFile(file);
    if (!parsed || parsed.base !== "packets") {
      throw new HttpError(
        404,
        `Unknown file ${JSON.stringify(file)}; expected packets.csv or packets.parquet.`,
      );
    }
    const task = await tasks.get(id);
    if (!task || task.kind !== SIMULATE_KIND) throw new HttpError(404, `Unknown simulation: ${id}`);
    const packets: SimPacket[] = [];
    for (let after = -1;;) {
      const page = await readPackets(kv, id, { after, limit: MAX_PAGE });
      packets.push(...page.packets);
      if (page.packets.length < MAX_PAGE) break;
      after = page.nextAfter;
    }
    const col = <T>(f: (p: SimPacket) => T) => packets.map(f);
    return await exportResponse(
      {
        nRows: packets.length,
        columns: [
          { name: "row_index", kind: "int", values: col((p) => p.current_row_index) },
          { name: "timestamp", kind: "string", values: col((p) => p.live_prediction.timestamp) },
          { name: "sample_id", kind: "string", values: col((p) => p.live_prediction.sample_id) },
          { name: "prediction", kind: "string", values: col((p) => p.live_prediction.prediction) },
          { name: "confidence", kind: "float", values: col((p) => p.live_prediction.confidence) },
          { name: "quality_score", kind: "float", values: col((p) => p.quality_score) },
          {
            name: "top_features",
            kind: "string",
            values: col((p) => JSON.stringify(p.live_prediction.top_features)),
          },
        ],
      },
      parsed.format,
      `simulation-${id.slice(0, 8)}-packets`,
    );
  },
});
