/**
 * One request through an app: `use()` middleware (registration order) → for each folder from
 * the root down: its `_middleware`, then its `_error` boundary (errors thrown below it render the
 * error page; the folder's middleware sees that page) → the route's handlers. Unknown paths
 * throw `HttpError(404)`, known paths with another method `HttpError(405)` (with an `Allow`
 * header) through the same chain, so middleware can map them. HEAD runs GET and drops the body.
 *
 * `Dispatcher` is what `App.handler()` builds: the routes of the app and of its build, fixed.
 *
 * @module
 */
import type { VNode } from "preact";
import type { BuildCache } from "./build_cache.ts";
import { Context, type ContextInternals, type ResolvedFreshConfig } from "./context.ts";
import type { DirLayer, FsRoute } from "./fs_routes.ts";
import {
  type HandlerFn,
  isPageResponse,
  type Method,
  type Middleware,
  type PageComponent,
} from "./handlers.ts";
import { HttpError } from "./http_error.ts";
import { type IslandAssets, renderPage } from "./render.ts";
import { matchPattern, normalizePath, type PathPattern, Router } from "./router.ts";

/** A routed item: handlers, and the folder layers of a file route (null: programmatic). */
export interface RouteItem<State> {
  handlers: Middleware<State>[];
  layers: DirLayer<State>[] | null;
}

/** What `App` registered. */
export interface AppRoutes<State> {
  middlewares: { pattern: PathPattern | null; fn: Middleware<State> }[];
  routes: { method: string; path: string; handlers: Middleware<State>[] }[];
  fsRoutes: boolean;
}

const NO_ASSETS = () => Promise.reject(new Error("This app has no build: islands cannot load"));

/** See the module docs. */
export class Dispatcher<State> {
  readonly #config: ResolvedFreshConfig;
  readonly #middlewares: AppRoutes<State>["middlewares"];
  readonly #router = new Router<RouteItem<State>>();
  readonly #layers: DirLayer<State>[] = [];
  readonly #cache: BuildCache<State> | null;

  constructor(config: ResolvedFreshConfig, app: AppRoutes<State>, cache: BuildCache<State> | null) {
    this.#config = config;
    this.#middlewares = app.middlewares;
    this.#cache = cache;
    for (const { method, path, handlers } of app.routes) {
      this.#router.add(method, path, { handlers, layers: null });
    }
    if (app.fsRoutes && cache) {
      this.#layers = cache.fsRoutes.layers;
      for (const route of cache.fsRoutes.routes) this.#addFsRoute(route);
    }
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
  #prefixLayers(path: string): DirLayer<State>[] {
    return this.#layers.filter((l) => !l.inGroup && matchPattern(l.pattern, path, true));
  }

  #errorBoundary(layers: DirLayer<State>[], index: number): Middleware<State> {
    const boundary = layers[index].error!;
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
        const page = result && isPageResponse(result) ? result : null;
        const headers = new Headers(err instanceof HttpError ? err.headers : undefined);
        new Headers(page?.headers).forEach((v, k) => headers.set(k, v));
        return await renderPage({
          ctx: ctx as Context<unknown>,
          content: boundary.component,
          data: page?.data,
          wrappers: this.#wrappers(layers.slice(0, index + 1)),
          status: page?.status ?? status,
          headers,
          assets: () => this.#assets(),
        });
      }
    };
  }

  #assets(): Promise<IslandAssets> {
    return this.#cache ? this.#cache.assets() : NO_ASSETS();
  }

  /** Serve `/_fresh/js/<buildId>/<file>`, or null. */
  async #asset(req: Request, path: string): Promise<Response | null> {
    const m = /^\/_fresh\/js\/([0-9a-f]+)\/([\w.-]+\.js)$/.exec(path);
    if (!m || !this.#cache) return null;
    return await this.#cache.readAsset(req, m[1], m[2]);
  }

  /** Answer one request. */
  async handle(req: Request, info?: Deno.ServeHandlerInfo): Promise<Response> {
    const url = new URL(req.url);
    const base = this.#config.basePath;
    let pathname: string | null = url.pathname;
    if (base) {
      if (pathname === base || pathname.startsWith(base + "/")) {
        pathname = pathname.slice(base.length) || "/";
      } else {
        pathname = null;
      }
    }
    const method = req.method.toUpperCase();
    const path = pathname === null ? null : normalizePath(pathname);
    let layers: DirLayer<State>[] = [];
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
      asset: (p) => this.#asset(req, p),
      staticDir: this.#cache?.staticDir ?? null,
    };
    const ctx = new Context<State>(req, url, this.#config, internals, info);
    const chain: Middleware<State>[] = [];
    if (path !== null) {
      for (const { pattern, fn } of this.#middlewares) {
        if (!pattern || matchPattern(pattern, path, true)) chain.push(fn);
      }
    }
    const match = path === null ? { kind: "not-found" as const } : this.#router.match(method, path);
    if (match.kind === "found") {
      ctx.params = match.params;
      ctx.route = match.entry.pattern.source;
      layers = match.item.layers ?? this.#prefixLayers(path!);
    } else if (path !== null) {
      layers = this.#prefixLayers(path);
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
