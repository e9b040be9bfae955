/**
 * `createDefine<State>()`: identity helpers that give handlers, pages and middleware their
 * types (Fresh 2 convention; see `utils.ts`).
 *
 * ```ts
 * export const define = createDefine<State>();
 * export const handler = define.handlers({ GET: (ctx) => page({ n: 1 }) });
 * export default define.page<typeof handler>((props) => <p>{props.data.n}</p>);
 * ```
 *
 * @module
 */
import type { Middleware, PageComponent, RouteHandler } from "./handlers.ts";

/** The typed helpers returned by `createDefine`. */
export interface Define<State> {
  /** Route handlers (one function or an object by method). */
  handlers<Data, Handlers extends RouteHandler<Data, State> = RouteHandler<Data, State>>(
    handlers: Handlers,
  ): Handlers;
  /** A page component; pass `typeof handler` to type `props.data` from the handler's `page()`. */
  page<
    // deno-lint-ignore no-explicit-any
    Handler extends RouteHandler<any, State> = never,
    Data = Handler extends RouteHandler<infer D, State> ? D : undefined,
  >(render: PageComponent<Data, State>): PageComponent<Data, State>;
  /** Middleware (one or several, run in order). */
  middleware(
    middleware: Middleware<State> | Middleware<State>[],
  ): Middleware<State> | Middleware<State>[];
  /** A layout or `_app` component (renders `props.Component`). */
  layout(render: PageComponent<unknown, State>): PageComponent<unknown, State>;
}

/** Create the typed `define` helpers for an app state type. */
export function createDefine<State>(): Define<State> {
  return {
    handlers: (handlers) => handlers,
    page: (render) => render,
    middleware: (middleware) => middleware,
    layout: (render) => render,
  };
}
