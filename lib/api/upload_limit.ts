/**
 * A bound on uploads received at once (`MAX_CONCURRENT_UPLOADS`): each holds a socket, a file
 * handle and buffers for as long as the client sends, so 40 stalled uploads must not pile up.
 * Over the bound: 503 `{"detail"}` with `Retry-After`, before a byte of the body is read.
 *
 * @example
 * ```ts
 * app.use(uploadLimit(4)); // POST /dataset/store
 * ```
 *
 * @module
 */
import { type Context, HttpError } from "fresh";

/** Paths that receive uploads. */
export const UPLOAD_PATHS: ReadonlySet<string> = new Set(["/dataset/store"]);

/** Seconds a refused client is told to wait. */
export const UPLOAD_RETRY_AFTER_SECONDS = 30;

/** The middleware: see the module docs. */
export function uploadLimit<S>(maxConcurrent: number) {
  let active = 0;
  return async (ctx: Context<S>): Promise<Response> => {
    if (ctx.req.method !== "POST" || !UPLOAD_PATHS.has(ctx.url.pathname)) return await ctx.next();
    if (active >= maxConcurrent) {
      await ctx.req.body?.cancel().catch(() => {});
      throw new HttpError(
        503,
        `Too many uploads in progress (${maxConcurrent}): retry in ${UPLOAD_RETRY_AFTER_SECONDS} s`,
        { headers: { "retry-after": String(UPLOAD_RETRY_AFTER_SECONDS) } },
      );
    }
    active++;
    try {
      return await ctx.next();
    } finally {
      active--;
    }
  };
}
