/**
 * `GET /openapi.json` — the OpenAPI 3.1 document generated from the zod schemas
 * (every operation is listed in `lib/api/openapi.ts`).
 *
 * @module
 */
import { define } from "../utils.ts";
import { openApiDocument } from "../lib/api/openapi.ts";

export const handler = define.handlers({
  GET(ctx) {
    const doc = openApiDocument({
      title: "QC ML Service",
      version: "1.0.0",
      description: "Manufacturing QC: dataset ingest, feature selection, date split, " +
        "gradient-boosted training and real-time inference replay.",
      bearerAuth: ctx.state.services.config.apiToken !== null,
    });
    return Response.json(doc, { headers: { "cache-control": "no-cache" } });
  },
});
