/**
 * Handler, middleware and page types, and `page()` (a handler's "render the page with this
 * data" answer).
 *
 * @module
 */
import type { ComponentChildren, ComponentType, VNode } from "preact";
import type { Context, ResolvedFreshConfig } from "./context.ts";

/** HTTP methods a route handler object can define. */
export const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
/** An HTTP method a route handler object can define. */
export type Method = typeof METHODS[number];

const PAGE = Symbol.for("fresh.page");

/** What `page()` returns: the page component is rendered with `data`. */
export interface PageResponse<T> {
  readonly [PAGE]: true;
  readonly data: T;
  readonly status?: number;
  readonly headers?: HeadersInit;
}

/**
 * Answer a request by rendering the route's page component with `data` (as `props.data`).
 *
 * ```ts
 * export const handler = define.handlers({
 *   async GET(ctx) { return page({ models: await listModels(ctx.state.services) }); },
 * });
 * ```
 */
export function page<T = undefined>(
  data?: T,
  init?: { status?: number; headers?: HeadersInit },
): PageResponse<T> {
  return { [PAGE]: true, data: data as T, status: init?.status, headers: init?.headers };
}

/** Whether a handler result is a `page()` answer. */
export function isPageResponse(value: unknown): value is PageResponse<unknown> {
  return typeof value === "object" && value !== null && PAGE in value;
}

/** One handler function: gets the context, returns a Response or a `page()`. */
export type HandlerFn<Data, State> = (
  ctx: Context<State>,
) => Response | PageResponse<Data> | Promise<Response | PageResponse<Data>>;

/** Handlers by HTTP method; a missing method answers 405 (HEAD falls back to GET). */
export type HandlerByMethod<Data, State> = { [M in Method]?: HandlerFn<Data, State> };

/** A route's `handler` export: one function for every method, or an object by method. */
export type RouteHandler<Data, State> = HandlerFn<Data, State> | HandlerByMethod<Data, State>;

/** Middleware: does work around `ctx.next()` (or answers by itself). */
export type Middleware<State> = (ctx: Context<State>) => Response | Promise<Response>;

/** Props of page components, layouts, `_app` and `_error` pages. */
export interface PageProps<Data = unknown, State = unknown> {
  /** The data the handler passed to `page()` (undefined without a handler). */
  data: Data;
  req: Request;
  url: URL;
  params: Record<string, string>;
  state: State;
  /** The matched route pattern (e.g. `/models/:id`), or null. */
  route: string | null;
  /** The error being rendered (error pages only). */
  error: unknown;
  config: ResolvedFreshConfig;
  /** Layouts and `_app`: the wrapped content to render. */
  Component: ComponentType<Record<string, never>>;
}

/** What a page component may return; async components are awaited before rendering. */
export type PageResult = VNode | ComponentChildren | null;

/** A page, layout or `_app` component. */
export type PageComponent<Data = unknown, State = unknown> = (
  props: PageProps<Data, State>,
) => PageResult | Promise<PageResult>;
