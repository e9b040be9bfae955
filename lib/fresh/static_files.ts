/**
 * `staticFiles()`: middleware serving the static folder of the app's build and the island bundles
 * (`/_fresh/js/<buildId>/…`, cached for a year: the build id changes with the content).
 *
 * ```ts
 * const app = new App<State>().use(staticFiles()).fsRoutes();
 * ```
 *
 * Static files get a weak ETag (size + mtime) and `Cache-Control: no-cache` so browsers
 * revalidate cheaply (304). Only GET/HEAD requests whose last path segment has a dot
 * (`css/base.css`) look at the disk, so API paths cost nothing.
 *
 * @module
 */
import { extname, join, sep } from "node:path";
import { type Context, INTERNALS } from "./context.ts";
import type { Middleware } from "./handlers.ts";

/** Content types by file extension. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
};

/** Cache header of content-addressed assets. */
export const IMMUTABLE = "public, max-age=31536000, immutable";

/** Serve static files and build assets; other requests go on to `ctx.next()`. */
export function staticFiles<State>(): Middleware<State> {
  return async (ctx: Context<State>) => {
    const method = ctx.req.method;
    if (method !== "GET" && method !== "HEAD") return ctx.next();
    const path = ctx[INTERNALS].pathname;
    const staticDir = ctx[INTERNALS].staticDir;
    if (path.startsWith("/_fresh/")) {
      const res = await ctx[INTERNALS].asset(path);
      if (res) return res;
      return ctx.next();
    }
    const last = path.slice(path.lastIndexOf("/") + 1);
    if (!last.includes(".") || staticDir === null) return ctx.next();
    const file = safeJoin(staticDir, path);
    if (!file) return ctx.next();
    const res = await serveFile(ctx.req, file, "no-cache");
    return res ?? ctx.next();
  };
}

/** Join a URL path under `root`, or null if it would leave it (`..`, NUL, backslash). */
export function safeJoin(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const parts = decoded.split("/").filter((p) => p !== "");
  if (parts.some((p) => p === ".." || p === "." || p.includes("\0") || p.includes("\\"))) {
    return null;
  }
  const full = join(root, ...parts);
  return full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : null;
}

/**
 * Serve one file (null when it is not a regular file). Supports If-None-Match (304) and HEAD.
 */
export async function serveFile(
  req: Request,
  file: string,
  cacheControl: string,
): Promise<Response | null> {
  let stat: Deno.FileInfo;
  try {
    stat = await Deno.stat(file);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.NotADirectory) {
      return null;
    }
    throw err;
  }
  if (!stat.isFile) return null;
  const etag = `W/"${stat.size.toString(36)}-${(stat.mtime?.getTime() ?? 0).toString(36)}"`;
  const headers = new Headers({
    "content-type": CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
    "cache-control": cacheControl,
    etag,
  });
  if (ifNoneMatch(req, etag)) return new Response(null, { status: 304, headers });
  headers.set("content-length", String(stat.size));
  if (req.method === "HEAD") return new Response(null, { headers });
  const handle = await Deno.open(file, { read: true });
  return new Response(handle.readable, { headers });
}

/** Whether the request's If-None-Match matches `etag` (weak comparison). */
export function ifNoneMatch(req: Request, etag: string): boolean {
  const header = req.headers.get("if-none-match");
  if (!header) return false;
  const strip = (t: string) => t.trim().replace(/^W\//, "");
  return header === "*" || header.split(",").some((t) => strip(t) === strip(etag));
}
