/**
 * `App<State>`: middleware, programmatic routes, file routes, islands and serving.
 *
 * ```ts
 * const app = new App<State>({ root: import.meta.dirname })
 *   .use(staticFiles())
 *   .use(async (ctx) => { ctx.state.user = "x"; return await ctx.next(); })
 *   .get("/ping", () => new Response("pong"))
 *   .fsRoutes();
 * await app.ready();                 // crawl routes, import modules (optional: handler() waits)
 * const handler = app.handler();     // (req) => Promise<Response>: test without a server
 * await app.listen({ port: 8000 });  // or serve for real
 * ```
 *
 * Order per request: `use()` middleware (registration order) → for each folder from the root
 * down: its `_middleware`, then its `_error` boundary (errors thrown below it render the error
 * page; the folder's middleware sees that page) → the route's handlers. Unknown paths throw
 * `HttpError(404)`, known paths with another method `HttpError(405)` (with an `Allow` header)
 * through the same chain, so middleware can map them. HEAD runs GET and drops the body.
 *
 * Modes: in `production` (`DENO_ENV` or `NODE_ENV` = `production`) the app reads
 * `<buildDir>/manifest.json` written by `deno task build` and serves the prebuilt bundles — no
 * crawling, no bundling. Otherwise (or when the manifest is missing, with a warning) it crawls
 * `routes/` and `islands/` at start-up and bundles islands on the first page that needs them.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { VNode } from "preact";
import { type BuildManifest, type BuildOutput, bundleIslands, readManifest } from "./build.ts";
import { Context, type ContextInternals, type FreshConfig, resolveConfig } from "./context.ts";
import {
  crawlIslandFiles,
  crawlRouteFiles,
  type DirLayer,
  type FsRoute,
  loadFsRoutes,
} from "./fs_routes.ts";
import {
  type HandlerFn,
  isPageResponse,
  type Method,
  type Middleware,
  type PageComponent,
} from "./handlers.ts";
import { HttpError } from "./http_error.ts";
import { IslandRegistry } from "./islands.ts";
import { type IslandAssets, renderPage } from "./render.ts";
import { compilePattern, matchPattern, type PathPattern, Router, splitPath } from "./router.ts";
import { IMMUTABLE, serveFile } from "./static_files.ts";

/** Options of `App.listen`. */
export interface ListenOptions {
  port?: number;
  hostname?: string;
  signal?: AbortSignal;
  onListen?: (addr: Deno.NetAddr) => void;
}

/** A request handler as `Deno.serve` takes it. */
export type RequestHandler = (req: Request, info?: Deno.ServeHandlerInfo) => Promise<Response>;

interface RouteItem<State> {
  handlers: Middleware<State>[];
  /** Folder layers of a file route; null for programmatic routes (path-prefix layers apply). */
  layers: DirLayer<State>[] | null;
}

/** The application: see the module docs. */
export class App<State> {
  /** The resolved configuration. */
  readonly config: FreshConfig;
  #middlewares: { pattern: PathPattern | null; fn: Middleware<State> }[] = [];
  #router = new Router<RouteItem<State>>();
  #useFsRoutes = false;
  #layers: DirLayer<State>[] = [];
  #islands = new IslandRegistry();
  #init: Promise<void> | null = null;
  #manifest: BuildManifest | null = null;
  #devBuild: Promise<BuildOutput> | null = null;

  constructor(config: Partial<FreshConfig> = {}) {
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
    let pattern: PathPattern | null = null;
    if (typeof pathOrMiddleware === "string") pattern = compilePattern(pathOrMiddleware);
    else middleware.unshift(pathOrMiddleware);
    for (const fn of middleware.flat()) this.#middlewares.push({ pattern, fn });
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
    this.#router.add(method, path, { handlers, layers: null });
    return this;
  }

  /**
   * Add the file routes of `config.routesDir` (and the islands of `config.islandsDir`).
   * They are loaded by `ready()`.
   */
  fsRoutes(dir?: string): this {
    if (this.#useFsRoutes) throw new Error("fsRoutes() can be called once");
    if (dir !== undefined) (this.config as { routesDir: string }).routesDir = dir;
    this.#useFsRoutes = true;
    return this;
  }

  /**
   * Load everything (file routes, islands, production manifest). Idempotent; `handler()` and
   * `listen()` call it, call it yourself to surface start-up errors early.
   */
  ready(): Promise<void> {
    this.#init ??= this.#load();
    return this.#init;
  }

  async #load(): Promise<void> {
    const { root, mode } = this.config;
    if (mode === "production") {
      this.#manifest = await readManifest(resolve(root, this.config.buildDir));
      if (!this.#manifest) {
        console.warn(
          `fresh: production mode but no ${this.config.buildDir}/manifest.json; ` +
            "run `deno task build`. Crawling routes and bundling islands on demand.",
        );
      }
    }
    const islandsDir = join(root, this.config.islandsDir);
    const islandFiles: { file: string; entry?: string }[] = this.#manifest
      ? this.#manifest.islands.map((i) => ({ file: join(islandsDir, i.file), entry: i.entry }))
      : (await crawlIslandFiles(islandsDir)).map((rel) => ({ file: join(islandsDir, rel) }));
    for (const { file, entry } of islandFiles) {
      this.#islands.register(file, await import(pathToFileURL(file).href), entry);
    }
    if (!this.#useFsRoutes) return;
    const routesDir = join(root, this.config.routesDir);
    const files = this.#manifest ? this.#manifest.routes : await crawlRouteFiles(routesDir);
    const { routes, layers } = await loadFsRoutes<State>(routesDir, files);
    this.#layers = layers;
    for (const route of routes) this.#addFsRoute(route);
  }

  #addFsRoute(route: FsRoute<State>): void {
    const run: Middleware<State> = (ctx) => this.#runFsRoute(ctx, route);
    const item: RouteItem<State> = { handlers: [run], layers: route.layers };
    const h = route.handler;
    if (typeof h === "function") {
      this.#router.add("*", route.pattern, item);
      return;
    }
    const methods = new Set(Object.keys(h ?? {}));
    if (route.component) methods.add("GET"); // a page without a GET handler renders by itself
    for (const method of methods) this.#router.add(method, route.pattern, item);
  }

  async #runFsRoute(ctx: Context<State>, route: FsRoute<State>): Promise<Response> {
    const method = ctx.req.method.toUpperCase() as Method;
    const h = route.handler;
    let fn: HandlerFn<unknown, State> | undefined;
    if (typeof h === "function") fn = h;
    else if (h) fn = h[method] ?? (method === "HEAD" ? h.GET : undefined);
    const result = fn ? await fn(ctx) : null;
    if (result instanceof Response) return result;
    if (result !== null && !isPageResponse(result)) {
      throw new Error(`routes/${route.rel}: the handler returned neither a Response nor page()`);
    }
    if (!route.component) {
      throw new Error(`routes/${route.rel}: page() needs a default page component`);
    }
    return await renderPage({
      ctx: ctx as Context<unknown>,
      content: route.component,
      data: result?.data,
      wrappers: this.#wrappers(route.layers),
      status: result?.status,
      headers: result?.headers,
      assets: () => this.#assets(),
    });
  }

  /** `_app` then the layouts of the given folder layers. */
  #wrappers(layers: DirLayer<State>[]): PageComponent[] {
    const root = this.#layers.find((l) => l.dir === "");
    const out: PageComponent[] = root?.app ? [root.app] : [];
    for (const layer of layers) if (layer.layout) out.push(layer.layout);
    return out;
  }

  /** Layers of plain folders whose URL is a prefix of the path (for unmatched requests). */
  #prefixLayers(parts: string[]): DirLayer<State>[] {
    return this.#layers.filter((l) => !l.inGroup && matchPattern(l.pattern, parts, true));
  }

  #errorBoundary(layers: DirLayer<State>[], index: number): Middleware<State> {
    const layer = layers[index];
    const boundary = layer.error!;
    return async (ctx) => {
      try {
        return await ctx.next();
      } catch (err) {
        ctx.error = err;
        const status = err instanceof HttpError ? err.status : 500;
        const h = boundary.handler;
        const method = ctx.req.method.toUpperCase() as Method;
        const fn = typeof h === "function" ? h : h?.[method] ?? h?.GET;
        // An error page's handler may rethrow to let outer middleware answer (e.g. JSON APIs).
        const result = fn ? await fn(ctx) : null;
        if (status >= 500) {
          console.error(`fresh: error in ${ctx.req.method} ${ctx.url.pathname}`, err);
        }
        if (result instanceof Response) return result;
        if (!boundary.component) throw err;
        const headers = new Headers(err instanceof HttpError ? err.headers : undefined);
        if (result && isPageResponse(result)) {
          new Headers(result.headers).forEach((v, k) => headers.set(k, v));
        }
        return await renderPage({
          ctx: ctx as Context<unknown>,
          content: boundary.component,
          data: result && isPageResponse(result) ? result.data : undefined,
          wrappers: this.#wrappers(layers.slice(0, index + 1)),
          status: (result && isPageResponse(result) ? result.status : undefined) ?? status,
          headers,
          assets: () => this.#assets(),
        });
      }
    };
  }

  #assets(): Promise<IslandAssets> {
    const manifest = this.#manifest;
    if (manifest) {
      return Promise.resolve({
        buildId: manifest.buildId,
        client: manifest.client,
        entries: new Map(manifest.islands.map((i) => [i.entry, i.js])),
      });
    }
    if (!this.#devBuild) {
      this.#devBuild = bundleIslands({ root: this.config.root, islands: this.#islands.entries() });
      // A failed build (syntax error in an island) is retried on the next request.
      this.#devBuild.catch(() => (this.#devBuild = null));
    }
    return this.#devBuild;
  }

  /** Serve `/_fresh/js/<buildId>/<file>`, or null. */
  async #asset(req: Request, path: string): Promise<Response | null> {
    const m = /^\/_fresh\/js\/([0-9a-f]+)\/([\w.-]+\.js)$/.exec(path);
    if (!m) return null;
    const [, buildId, file] = m;
    if (this.#manifest) {
      if (buildId !== this.#manifest.buildId) return null;
      const dir = resolve(this.config.root, this.config.buildDir, "js", buildId);
      return await serveFile(req, join(dir, file), IMMUTABLE);
    }
    const build = this.#devBuild ? await this.#devBuild : null;
    const bytes = build?.buildId === buildId ? build.files.get(file) : undefined;
    if (!bytes) return null;
    const etag = `"${buildId}-${file}"`;
    const headers = new Headers({
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": IMMUTABLE,
      etag,
    });
    if (req.headers.get("if-none-match") === etag) {
      return new Response(null, { status: 304, headers });
    }
    return new Response(req.method === "HEAD" ? null : bytes.slice(), { headers });
  }

  /**
   * The request handler: `(req, info?) => Promise<Response>`. Usable right away (it waits for
   * `ready()` on the first request), so tests can call it without a server:
   * `const res = await app.handler()(new Request("http://localhost/health"))`.
   */
  handler(): RequestHandler {
    return async (req, info) => {
      await this.ready();
      return await this.#handle(req, info);
    };
  }

  async #handle(req: Request, info?: Deno.ServeHandlerInfo): Promise<Response> {
    const url = new URL(req.url);
    const base = this.config.basePath;
    let pathname: string | null = url.pathname;
    if (base) {
      if (pathname === base || pathname.startsWith(base + "/")) {
        pathname = pathname.slice(base.length) || "/";
      } else {
        pathname = null;
      }
    }
    const method = req.method.toUpperCase();
    const parts = splitPath(pathname ?? "");
    let layers: DirLayer<State>[];
    const internals: ContextInternals = {
      pathname: pathname ?? url.pathname,
      render: (c, vnode: VNode | null, init?: ResponseInit) =>
        renderPage({
          ctx: c,
          content: vnode,
          data: undefined,
          wrappers: this.#wrappers(layers),
          status: init?.status,
          headers: init?.headers,
          assets: () => this.#assets(),
        }),
      asset: (path) => this.#asset(req, path),
    };
    const ctx = new Context<State>(req, url, this.config, internals, info);
    const chain: Middleware<State>[] = [];
    if (pathname !== null) {
      for (const { pattern, fn } of this.#middlewares) {
        if (!pattern || matchPattern(pattern, parts, true)) chain.push(fn);
      }
    }
    const match = pathname === null
      ? { kind: "not-found" as const }
      : this.#router.match(method, pathname);
    if (match.kind === "found") {
      ctx.params = match.params;
      ctx.route = match.entry.pattern.source;
      layers = match.item.layers ?? this.#prefixLayers(parts);
    } else {
      layers = pathname === null ? [] : this.#prefixLayers(parts);
    }
    // A folder's middleware wraps its own error boundary, so it sees the rendered error page.
    layers.forEach((layer, i) => {
      chain.push(...layer.middlewares);
      if (layer.error) chain.push(this.#errorBoundary(layers, i));
    });
    if (match.kind === "found") {
      chain.push(...match.item.handlers);
    } else if (match.kind === "method-not-allowed") {
      const allow = match.allow.join(", ");
      chain.push(() => {
        throw new HttpError(405, undefined, { headers: { allow } });
      });
    } else {
      chain.push(() => {
        throw new HttpError(404);
      });
    }
    let res: Response;
    try {
      res = await runChain(ctx, chain);
    } catch (err) {
      res = defaultErrorResponse(err);
    }
    if (method === "HEAD" && res.body) {
      await res.body.cancel();
      res = new Response(null, {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers,
      });
    }
    return res;
  }

  /** Serve with `Deno.serve` after `ready()`. Stop it with `signal` or `server.shutdown()`. */
  async listen(opts: ListenOptions = {}): Promise<Deno.HttpServer<Deno.NetAddr>> {
    await this.ready();
    const handler = this.handler();
    return Deno.serve({
      port: opts.port ?? this.config.port,
      hostname: opts.hostname,
      signal: opts.signal,
      onListen: opts.onListen ?? ((addr) => {
        console.log(`Listening on http://${addr.hostname}:${addr.port}${this.config.basePath}/`);
      }),
    }, (req, info) => handler(req, info));
  }
}

function runChain<State>(ctx: Context<State>, chain: Middleware<State>[]): Promise<Response> {
  const step = async (i: number): Promise<Response> => {
    const fn = chain[i];
    if (!fn) throw new HttpError(404);
    ctx.next = () => step(i + 1);
    const res = await fn(ctx);
    if (!(res instanceof Response)) {
      throw new Error(`A middleware or handler returned ${typeof res} instead of a Response`);
    }
    return res;
  };
  return step(0);
}

function defaultErrorResponse(err: unknown): Response {
  if (err instanceof HttpError) {
    const headers = new Headers(err.headers);
    headers.set("content-type", "text/plain; charset=utf-8");
    return new Response(err.message, { status: err.status, headers });
  }
  console.error("fresh: unhandled error", err);
  return new Response("Internal Server Error", {
    status: 500,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}
