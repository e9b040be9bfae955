/**
 * `GET /docs/assets/{file}` — the Swagger UI files from the `swagger-ui-dist` package
 * (an allow-list; anything else is a 404).
 *
 * @module
 */
import { HttpError } from "fresh";
import { define } from "../../../utils.ts";
import { SWAGGER_ASSETS, swaggerAssetPath } from "../../../lib/api/swagger.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const path = swaggerAssetPath(ctx.params.file);
    if (!path) throw new HttpError(404);
    const file = await Deno.open(path, { read: true });
    const { size } = await file.stat();
    return new Response(file.readable, {
      headers: {
        "content-type": SWAGGER_ASSETS[ctx.params.file],
        "content-length": String(size),
        // The package version is pinned: a day of caching is safe and keeps /docs snappy.
        "cache-control": "public, max-age=86400",
      },
    });
  },
});
