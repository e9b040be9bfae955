/**
 * `fresh/internal`: what a production entry needs to serve a prebuilt `_fresh/` (the names of
 * Fresh 2's `fresh/internal`, which its generated `_fresh/server.js` uses the same way).
 *
 * ```ts
 * import { ProdBuildCache, setBuildCache } from "fresh/internal";
 * const snapshot = await import("./_fresh/snapshot.js");
 * setBuildCache(app, new ProdBuildCache(root, snapshot), "production");
 * ```
 *
 * @module
 */
export { ProdBuildCache, setBuildCache } from "./build_cache.ts";
