/**
 * Swagger UI from the `swagger-ui-dist` npm package, served locally (no CDN): the page at
 * `/docs` and the few files it needs under `/docs/assets/`.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Files of swagger-ui-dist the page uses (nothing else in the package is served). */
export const SWAGGER_ASSETS: Readonly<Record<string, string>> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui-standalone-preset.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

/** The package folder (resolved through the import map; `nodeModulesDir` makes it a path). */
export function swaggerDir(): string {
  return dirname(fileURLToPath(import.meta.resolve("swagger-ui-dist/package.json")));
}

/** Absolute path of an allowed asset, or null for any other name. */
export function swaggerAssetPath(name: string): string | null {
  return Object.hasOwn(SWAGGER_ASSETS, name) ? join(swaggerDir(), name) : null;
}

/** The Swagger UI page for the document at `specUrl` (assets under `assetBase`). */
export function swaggerPage(specUrl: string, assetBase: string): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>QC ML Service — API docs</title>
<link rel="stylesheet" href="${esc(assetBase)}/swagger-ui.css">
<link rel="icon" type="image/png" href="${esc(assetBase)}/favicon-32x32.png">
<style>body{margin:0}.topbar{display:none}</style>
</head>
<body>
<div id="swagger-ui"></div>
<script src="${esc(assetBase)}/swagger-ui-bundle.js"></script>
<script src="${esc(assetBase)}/swagger-ui-standalone-preset.js"></script>
<script>
window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(specUrl).replace(/</g, "\\u003c")},
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "StandaloneLayout",
});
</script>
</body>
</html>
`;
}
