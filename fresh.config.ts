/**
 * The web layer's configuration (Fresh-style `fresh.config.ts`): where routes, islands, static
 * files and the production build live, the URL base path, and the default port. Environment
 * settings (PORT etc.) come from `lib/config.ts` and override the port at start-up.
 *
 * @module
 */
import type { FreshConfig } from "fresh";

/** The app's web-layer config; `mode` is chosen from `DENO_ENV`/`NODE_ENV` when not set here. */
export const freshConfig: Partial<FreshConfig> = {
  root: import.meta.dirname,
  basePath: "",
  staticDir: "static",
  buildDir: "_fresh",
  routesDir: "routes",
  islandsDir: "islands",
  port: 8000,
};

export default freshConfig;
