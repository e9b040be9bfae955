/**
 * Response compression middleware: gzip or Brotli through `CompressionStream` (streamed, no
 * buffering) for text bodies — HTML, JSON, JavaScript, CSS, SVG, CSV, plain text — when the
 * request's `Accept-Encoding` allows it. Never for Server-Sent Events (each event must reach the
 * client when written), already-encoded bodies, ranges, `no-transform`, or small known-length
 * bodies where the header costs more than it saves.
 *
 * @example
 * ```ts
 * const app = new App<State>().use(compression()).fsRoutes();
 * // GET /admin with `Accept-Encoding: gzip, br` → `Content-Encoding: br`, `Vary: Accept-Encoding`
 * ```
 *
 * @module
 */
import type { Context } from "fresh";

/** Bodies shorter than this (when `Content-Length` says so) are sent as they are. */
export const MIN_COMPRESS_BYTES = 1024;

const TEXT_TYPES =
  /^(text\/(html|css|plain|csv|javascript)|application\/(json|javascript|xml|[\w.+-]+\+json)|image\/svg\+xml)\b/i;

/** `br` (as Deno names it, `brotli`) before `gzip`; `identity` when neither is accepted. */
export function chooseEncoding(acceptEncoding: string | null): "br" | "gzip" | null {
  if (!acceptEncoding) return null;
  const q = new Map<string, number>();
  for (const part of acceptEncoding.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    let weight = 1;
    for (const p of params) {
      const [k, v] = p.trim().split("=");
      if (k === "q") weight = Number.isFinite(Number(v)) ? Number(v) : 0;
    }
    if (name) q.set(name, weight);
  }
  const weightOf = (name: string) => q.get(name) ?? (q.has("*") ? q.get("*")! : 0);
  if (weightOf("br") > 0 && weightOf("br") >= weightOf("gzip")) return "br";
  if (weightOf("gzip") > 0) return "gzip";
  return null;
}

/** Whether `res` is a text body worth compressing (see the module notes for the exclusions). */
export function isCompressible(res: Response): boolean {
  if (!res.body || res.status === 204 || res.status === 206 || res.status === 304) return false;
  const h = res.headers;
  if (h.has("content-encoding") || h.has("content-range")) return false;
  if (/no-transform/i.test(h.get("cache-control") ?? "")) return false;
  const type = h.get("content-type") ?? "";
  if (/^text\/event-stream/i.test(type) || !TEXT_TYPES.test(type)) return false;
  const length = h.get("content-length");
  if (length !== null && Number(length) < MIN_COMPRESS_BYTES) return false;
  return true;
}

/** The middleware (see the module notes). */
export function compression() {
  return async (ctx: Context<unknown>): Promise<Response> => {
    const res = await ctx.next();
    if (ctx.req.method === "HEAD") return res;
    const encoding = chooseEncoding(ctx.req.headers.get("accept-encoding"));
    if (!encoding || !isCompressible(res)) {
      if (isTextType(res)) {
        try {
          addVary(res.headers);
        } catch {
          // immutable headers (Response.redirect / error): nothing to vary on
        }
      }
      return res;
    }
    const headers = new Headers(res.headers);
    headers.delete("content-length");
    headers.set("content-encoding", encoding);
    addVary(headers);
    // A strong ETag names the identity bytes; the encoded ones differ.
    const etag = headers.get("etag");
    if (etag && !etag.startsWith("W/")) headers.set("etag", `W/${etag}`);
    const stream = new CompressionStream(encoding === "br" ? "brotli" as "gzip" : "gzip");
    return new Response(res.body!.pipeThrough(stream), {
      status: res.status,
      statusText: res.statusText,
      headers,
    });
  };
}

function isTextType(res: Response): boolean {
  const type = res.headers.get("content-type") ?? "";
  return TEXT_TYPES.test(type) && !/^text\/event-stream/i.test(type);
}

function addVary(headers: Headers): void {
  const vary = headers.get("vary");
  if (!vary) headers.set("vary", "Accept-Encoding");
  else if (!/accept-encoding|\*/i.test(vary)) headers.set("vary", `${vary}, Accept-Encoding`);
}
