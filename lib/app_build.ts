/**
 * Which build the app serves (what Fresh 2's generated `_fresh/server.js` and `dev.ts` do for a
 * project): in production the snapshot `deno task build` wrote to `_fresh/` (nothing crawled or
 * bundled at start-up), otherwise a memory build of `routes/` and `islands/` made now, with
 * islands bundled on the first page that needs them.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { App } from "fresh";
import { Builder, type BuildOptions } from "fresh/dev";
import { ProdBuildCache, setBuildCache } from "fresh/internal";
import type { Logger } from "./api/logging.ts";

/** The project's build options (Fresh 2 defaults: `routes/`, `islands/`, `static/`, `_fresh/`). */
export const BUILD_OPTIONS: BuildOptions = {
  root: fileURLToPath(new URL("..", import.meta.url)),
};

/** `production` when `DENO_ENV` or `NODE_ENV` says so (no env permission: development). */
export function modeFromEnv(): "development" | "production" {
  try {
    const env = Deno.env.get("DENO_ENV") ?? Deno.env.get("NODE_ENV");
    return env === "production" ? "production" : "development";
  } catch {
    return "development";
  }
}

/** Attach the build for `mode` to the app. Without a production build: warn, build in memory. */
export async function attachBuild<State>(
  app: App<State>,
  mode: "development" | "production",
  log: Logger,
  options: BuildOptions = BUILD_OPTIONS,
): Promise<void> {
  const builder = new Builder<State>(options);
  if (mode === "production") {
    const file = join(builder.config.outDir, "snapshot.js");
    const found = await Deno.stat(file).then(() => true, () => false);
    if (found) {
      const snapshot = await import(pathToFileURL(file).href);
      setBuildCache(app, new ProdBuildCache<State>(builder.config.root, snapshot), "production");
      return;
    }
    log.warn(
      `production mode but no ${file}: run \`deno task build\`. ` +
        "Crawling routes now and bundling islands on demand.",
    );
  }
  const applySnapshot = await builder.build({ mode: "development", snapshot: "memory" });
  applySnapshot(app);
}
