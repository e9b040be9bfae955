/**
 * Production build (`deno task build`, Fresh 2's `dev.ts build`): bundles the islands (minified,
 * code-split) into `_fresh/js/<buildId>/` and writes `_fresh/snapshot.js`, which imports every
 * route and island. Start with `DENO_ENV=production deno task start` to serve it: no route
 * crawling and no bundling at start-up.
 *
 * @module
 */
import { Builder } from "fresh/dev";
import { BUILD_OPTIONS } from "../lib/app_build.ts";

const started = performance.now();
const builder = new Builder(BUILD_OPTIONS);
await builder.build();
const ms = Math.round(performance.now() - started);
console.log(`Built ${builder.config.outDir} in ${ms} ms`);
