/**
 * A small web layer with the Fresh 2 API shape (Fresh itself is on JSR, which this project
 * cannot reach). Imported through the `"fresh"` alias so moving to real Fresh is an alias change.
 *
 * ```ts
 * import { App, staticFiles } from "fresh";
 * const app = new App<State>().use(staticFiles()).fsRoutes();
 * const res = await app.handler()(new Request("http://localhost/"));
 * ```
 *
 * @module
 */
export { App, type ListenOptions, type RequestHandler } from "./app.ts";
export { Context, type FreshConfig, resolveConfig } from "./context.ts";
export { createDefine, type Define } from "./define.ts";
export {
  type HandlerByMethod,
  type HandlerFn,
  type Method,
  type Middleware,
  page,
  type PageComponent,
  type PageProps,
  type PageResponse,
  type RouteHandler,
} from "./handlers.ts";
export { HttpError, type HttpErrorOptions, STATUS_TEXT } from "./http_error.ts";
export { staticFiles } from "./static_files.ts";
export {
  type BuildManifest,
  buildProject,
  bundleIslands,
  readManifest,
  writeBuild,
} from "./build.ts";
export { crawlIslandFiles, crawlRouteFiles } from "./fs_routes.ts";
