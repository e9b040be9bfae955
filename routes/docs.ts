/**
 * `GET /docs` — Swagger UI for `/openapi.json`, with its assets served locally.
 *
 * @module
 */
import { define } from "../utils.ts";
import { swaggerPage } from "../lib/api/swagger.ts";

export const handler = define.handlers({
  GET(ctx) {
    const base = ctx.config.basePath;
    return ctx.html(swaggerPage(`${base}/openapi.json`, `${base}/docs/assets`));
  },
});
