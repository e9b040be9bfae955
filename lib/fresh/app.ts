/**
 * `App<State>` (Fresh 2 shape): middleware, programmatic routes, file routes and serving.
 *
 * ```ts
 * const app = new App<State>()
 *   .use(staticFiles())
 *   .use(async (ctx) => { ctx.state.user = "x"; return await ctx.next(); })
 *   .get("/ping", () => new Response("pong"))
 *   .fsRoutes();
 * (await new Builder().build({ mode: "development", snapshot: "memory" }))(app); // attach routes
 * const handler = app.handler();     // (req) => Promise<Response>: test without a server
 * await app.listen({ port: 8000 });  // or serve for real
 * ```
 *
 * File routes and islands come from the build attached to the app (`Builder` from `fresh/dev`
 * in development and tests, `<outDir>/snapshot.js` in production); `fsRoutes()` says the app
 * serves them. The request order is described in `dispatch.ts`.
 *
 * @module
 */
import { getBuildCache } from "./build_cache.ts";
import { type FreshConfig, resolveConfig, type ResolvedFreshConfig } from "./context.ts";
import { type AppRoutes, Dispatcher } from "./dispatch.ts";
import type { Middleware } from "./handlers.ts";
import { compilePattern } from "./router.ts";

/** Options of `App.listen` (those of `Deno.serve`). */
export type ListenOptions = Partial<Deno.ServeTcpOptions>;

/** The application: see the module docs. */
export class App<State> {
  /** The resolved configuration (`root` and `mode` are set by the attached build). */
  readonly config: ResolvedFreshConfig;
  readonly #routes: AppRoutes<State> = { middlewares: [], routes: [], fsRoutes: false };

  constructor(config: FreshConfig = {}) {
    this.config = resolveConfig(config);
  }

  /**
   * Add middleware for every request, or for requests under `path` (`/api` matches `/api` and
   * `/api/...`). Runs in registration order, before file-route middleware.
   */
  use(
    pathOrMiddleware: string | Middleware<State> | Middleware<State>[],
    ...middleware: (Middleware<State> | Middleware<State>[])[]
  ): this {
    let pattern = null;
    if (typeof pathOrMiddleware === "string") {
      if (pathOrMiddleware !== "*") pattern = compilePattern(pathOrMiddleware);
    } else {
      middleware.unshift(pathOrMiddleware);
    }
    for (const fn of middleware.flat()) this.#routes.middlewares.push({ pattern, fn });
    return this;
  }

  /** Route GET (and HEAD) requests; several handlers run as a chain (`ctx.next()`). */
  get(path: string, ...handlers: Middleware<State>[]): this {
    return this.#route("GET", path, handlers);
  }
  /** Route POST requests. */
  post(path: string, ...handlers: Middleware<State>[]): this {
    return this.#route("POST", path, handlers);
  }
  /** Route PUT requests. */
  put(path: string, ...handlers: Middleware<State>[]): this {
    return this.#route("PUT", path, handlers);
  }
  /** Route PATCH requests. */
  patch(path: string, ...handlers: Middleware<State>[]): this {
    return this.#route("PATCH", path, handlers);
  }
  /** Route DELETE requests. */
  delete(path: string, ...handlers: Middleware<State>[]): this {
    return this.#route("DELETE", path, handlers);
  }
  /** Route HEAD requests explicitly (otherwise HEAD uses the GET route). */
  head(path: string, ...handlers: Middleware<State>[]): this {
    return this.#route("HEAD", path, handlers);
  }
  /** Route requests of any method. */
  all(path: string, ...handlers: Middleware<State>[]): this {
    return this.#route("*", path, handlers);
  }

  #route(method: string, path: string, handlers: Middleware<State>[]): this {
    if (handlers.length === 0) throw new Error(`${method} ${path}: no handler`);
    compilePattern(path); // fail at registration, not at the first request
    this.#routes.routes.push({ method, path, handlers });
    return this;
  }

  /** Serve the file routes (and islands) of the build attached to the app. */
  fsRoutes(): this {
    if (this.#routes.fsRoutes) throw new Error("fsRoutes() can be called once");
    this.#routes.fsRoutes = true;
    return this;
  }

  /**
   * The request handler: `(req, info?) => Promise<Response>`, for `Deno.serve` or for tests
   * without a server. Attach the build first: routes are fixed when the handler is made.
   */
  handler(): (req: Request, info?: Deno.ServeHandlerInfo) => Promise<Response> {
    const dispatcher = new Dispatcher<State>(this.config, this.#routes, getBuildCache(this));
    return (req, info) => dispatcher.handle(req, info);
  }

  /**
   * Serve with `Deno.serve` (port 8000 unless given). Returns the server (Fresh 2 returns
   * nothing): stop it with `signal` or `server.shutdown()`, await `server.finished`.
   */
  listen(options: ListenOptions = {}): Promise<Deno.HttpServer<Deno.NetAddr>> {
    const handler = this.handler();
    const onListen = options.onListen ?? ((addr: Deno.NetAddr) => {
      console.log(`Listening on http://${addr.hostname}:${addr.port}${this.config.basePath}/`);
    });
    return Promise.resolve(Deno.serve({ port: 8000, ...options, onListen }, handler));
  }
}
