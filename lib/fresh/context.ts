/**
 * The request context handed to middleware, handlers and pages.
 *
 * @module
 */
import type { VNode } from "preact";
import { HttpError } from "./http_error.ts";

/** Options of `new App(config)` (Fresh 2's `FreshConfig`). */
export interface FreshConfig {
  /** URL prefix the app is mounted under, e.g. `/ml` (default: none). */
  basePath?: string;
  /** Set by the build attached to the app; `production` until then (as in Fresh 2). */
  mode?: "development" | "production";
}

/** The resolved configuration (`app.config`, `ctx.config`). */
export interface ResolvedFreshConfig {
  /** Project root (set by the attached build). */
  root: string;
  /** URL prefix without a trailing slash ("" = none). */
  basePath: string;
  mode: "development" | "production";
}

/** Fill in the defaults of a `FreshConfig`. */
export function resolveConfig(config: FreshConfig = {}): ResolvedFreshConfig {
  const base = (config.basePath ?? "").replace(/\/+$/, "");
  return {
    root: ".",
    basePath: base === "" || base.startsWith("/") ? base : `/${base}`,
    mode: config.mode ?? "production",
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
  /** Absolute path of the static folder of the attached build (null: no build). */
  staticDir: string | null;
}

/** Key under which a context keeps its internals. */
export const INTERNALS: unique symbol = Symbol("fresh.context.internals");

/** The request context (Fresh 2 shape). */
export class Context<State> {
  /** The incoming request. */
  readonly req: Request;
  /** The request URL, parsed. */
  readonly url: URL;
  /** The app's resolved configuration. */
  readonly config: ResolvedFreshConfig;
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
    config: ResolvedFreshConfig,
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
