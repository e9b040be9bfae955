/**
 * Rejects request paths that no route or file can match before they reach static-file lookups or
 * Deno KV: a path segment over `MAX_SEGMENT_BYTES` (ids are UUIDs; a 2 KiB id overflowed the KV
 * key limit, a 300-byte file name failed `stat` with ENAMETOOLONG — both were 500s), or one that
 * is not valid percent-encoding. Answers 404 `{"detail": "Not Found"}`.
 *
 * @example
 * ```ts
 * app.use(pathGuard()); // before staticFiles()
 * ```
 *
 * @module
 */
import { type Context, HttpError } from "fresh";

/** Longest accepted path segment in bytes (decoded). UUIDs have 36, file names far fewer. */
export const MAX_SEGMENT_BYTES = 128;

/** Whether every segment of a URL path is decodable and at most `MAX_SEGMENT_BYTES` long. */
export function isAcceptablePath(pathname: string): boolean {
  if (pathname.length > 4096) return false;
  for (const segment of pathname.split("/")) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return false;
    }
    if (new TextEncoder().encode(decoded).length > MAX_SEGMENT_BYTES) return false;
  }
  return true;
}

/** The middleware: see the module docs. */
export function pathGuard<S>() {
  return (ctx: Context<S>): Promise<Response> | Response => {
    if (!isAcceptablePath(ctx.url.pathname)) throw new HttpError(404, "Not Found");
    return ctx.next();
  };
}
