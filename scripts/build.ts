/**
 * Production build (`deno task build`): bundles the islands (minified, code-split) into
 * `_fresh/js/<buildId>/` and writes `_fresh/manifest.json` listing the routes and islands.
 * Start with `DENO_ENV=production deno task start` to serve it: no route crawling and no
 * bundling at start-up.
 *
 * @module
 */
import { buildProject } from "fresh";
import { freshConfig } from "../fresh.config.ts";

const started = performance.now();
const manifest = await buildProject({ ...freshConfig, mode: "production" });
const ms = Math.round(performance.now() - started);
console.log(
  `Built ${manifest.islands.length} island(s), ${manifest.routes.length} route file(s) ` +
    `into ${freshConfig.buildDir}/ (build ${manifest.buildId}) in ${ms} ms`,
);
