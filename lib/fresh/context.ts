/**
 * The request context handed to middleware, handlers and pages.
 *
 * @module
 */
import type { VNode } from "preact";
import { resolve } from "node:path";
import { HttpError } from "./http_error.ts";

/** The web layer's configuration (see `fresh.config.ts`). */
export interface FreshConfig {
  /** Project root: `routes/`, `islands/`, `static/` and the build dir are relative to it. */
  root: string;
  /** URL prefix the app is mounted under ("" = none), e.g. `/ml`. */
  basePath: string;
  /** Static files folder (relative to root). */
  staticDir: string;
  /** Production build output folder (relative to root). */
  buildDir: string;
  /** File routes folder (relative to root). */
  routesDir: string;
  /** Islands folder (relative to root). */
  islandsDir: string;
  /**
   * `production` serves the prebuilt `<buildDir>/manifest.json` (no crawling or bundling at
   * start-up); `development` crawls routes and bundles islands lazily on first use.
   */
  mode: "development" | "production";
  /** Default port for `App.listen`. */
  port: number;
}

/** Default web-layer configuration, resolved against `Deno.cwd()` and the environment. */
export function resolveConfig(config: Partial<FreshConfig> = {}): FreshConfig {
  let env: string | undefined;
  try {
    env = Deno.env.get("DENO_ENV") ?? Deno.env.get("NODE_ENV");
  } catch {
    env = undefined; // no --allow-env: development
  }
  const base = (config.basePath ?? "").replace(/\/+$/, "");
  return {
    root: resolve(config.root ?? Deno.cwd()),
    basePath: base === "" || base.startsWith("/") ? base : `/${base}`,
    staticDir: config.staticDir ?? "static",
    buildDir: config.buildDir ?? "_fresh",
    routesDir: config.routesDir ?? "routes",
    islandsDir: config.islandsDir ?? "islands",
    mode: config.mode ?? (env === "production" ? "production" : "development"),
    port: config.port ?? 8000,
  };
}

/** Internal hooks the app gives each context (not part of the public API). */
export interface ContextInternals {
  /** The request path below the base path (`/admin` for `/ml/admin` with basePath `/ml`). */
  pathname: string;
  /** Render a vnode as a full HTML page in the current route's `_app` and layouts. */
  render(ctx: Context<unknown>, vnode: VNode | null, init?: ResponseInit): Promise<Response>;
  /** Serve a bundled asset (`/_fresh/js/<buildId>/<file>`), or null when unknown. */
  asset(path: string): Promise<Response | null>;
}

/** Key under which a context keeps its internals. */
export const INTERNALS: unique symbol = Symbol("fresh.context.internals");

/** The request context (Fresh 2 shape). */
export class Context<State> {
  /** The incoming request. */
  readonly req: Request;
  /** The request URL, parsed. */
  readonly url: URL;
  /** The web layer configuration. */
  readonly config: FreshConfig;
  /** Connection info when served by `Deno.serve`, else undefined. */
  readonly info: Deno.ServeHandlerInfo | undefined;
  /** Path params of the matched route (`[id]` → `params.id`, `[...rest]` → `params.rest`). */
  params: Record<string, string> = {};
  /** Request state shared by middleware and routes. */
  state: State;
  /** The matched route pattern, or null when nothing matched. */
  route: string | null = null;
  /** The error being handled (set for `_error` routes and error middleware). */
  error: unknown = undefined;
  /** Call the next middleware / the route handler; resolves with its response. */
  next: () => Promise<Response> = () => Promise.reject(new HttpError(404));
  /** @internal */
  readonly [INTERNALS]: ContextInternals;

  constructor(
    req: Request,
    url: URL,
    config: FreshConfig,
    internals: ContextInternals,
    info?: Deno.ServeHandlerInfo,
  ) {
    this.req = req;
    this.url = url;
    this.config = config;
    this.info = info;
    this.state = {} as State;
    this[INTERNALS] = internals;
  }

  /**
   * Render `vnode` as an HTML page inside the route's `_app` and layouts. Islands used in it are
   * hydrated in the browser.
   */
  render(vnode: VNode | null, init?: ResponseInit): Promise<Response> {
    return this[INTERNALS].render(this as Context<unknown>, vnode, init);
  }

  /** A redirect to a path (under the base path) or an absolute URL. */
  redirect(pathOrUrl: string, status = 302): Response {
    let location = pathOrUrl;
    if (pathOrUrl.startsWith("/") && !pathOrUrl.startsWith("//")) {
      location = this.config.basePath + pathOrUrl;
    } else if (pathOrUrl.startsWith("//")) {
      // A protocol-relative URL would leave the site: keep open redirects impossible.
      location = this.config.basePath + "/" + pathOrUrl.replace(/^\/+/, "");
    }
    return new Response(null, { status, headers: { location } });
  }

  /** A JSON response. */
  json(body: unknown, init?: ResponseInit): Response {
    return Response.json(body, init);
  }

  /** A plain-text response. */
  text(body: string, init?: ResponseInit): Response {
    const headers = new Headers(init?.headers);
    if (!headers.has("content-type")) headers.set("content-type", "text/plain; charset=utf-8");
    return new Response(body, { ...init, headers });
  }

  /** An HTML response from a string. */
  html(body: string, init?: ResponseInit): Response {
    const headers = new Headers(init?.headers);
    if (!headers.has("content-type")) headers.set("content-type", "text/html; charset=utf-8");
    return new Response(body, { ...init, headers });
  }
}
