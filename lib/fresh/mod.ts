/**
 * A small web layer with the public API of Fresh 2 (Fresh itself is on JSR, which this project
 * cannot reach). Imported through the `"fresh"` alias; every name here is one Fresh 2 exports.
 * The build side is `"fresh/dev"` (`Builder`); `lib/fresh/README.md` lists the differences and
 * the steps of a move to real Fresh.
 *
 * ```ts
 * import { App, staticFiles } from "fresh";
 * const app = new App<State>().use(staticFiles()).fsRoutes();
 * const res = await app.handler()(new Request("http://localhost/"));
 * ```
 *
 * @module
 */
export { App, type ListenOptions } from "./app.ts";
export type { Context, FreshConfig, ResolvedFreshConfig } from "./context.ts";
export { createDefine, type Define } from "./define.ts";
export {
  type HandlerByMethod,
  type HandlerFn,
  type Method,
  type Middleware,
  page,
  type PageProps,
  type PageResponse,
  type RouteHandler,
} from "./handlers.ts";
export { HttpError } from "./http_error.ts";
export { staticFiles } from "./static_files.ts";
