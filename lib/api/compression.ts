/**
 * Response compression middleware: gzip (or Brotli for a client without gzip) through
 * `CompressionStream` (streamed, no buffering) for text bodies — HTML, JSON, JavaScript, CSS,
 * SVG, CSV, plain text — when the request's `Accept-Encoding` allows it. Never for Server-Sent
 * Events (each event must reach the client when written), already-encoded bodies, ranges,
 * `no-transform`, or small bodies where the header costs more than it saves — a body without a
 * `Content-Length` (what `Response.json` gives) is read up to `MIN_COMPRESS_BYTES` to find out.
 *
 * Why gzip first: the server thread's CPU is what status polls compete for. Under 200 pollers
 * during a training (`bench/load.ts`), Brotli on every status answer took 37 % of the main
 * thread (`op_compression_write` in a CPU profile) — Deno's Brotli runs at a fixed high quality
 * with a 4 MiB window; gzip costs half as much per body for ~10 % more bytes.
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

/** `gzip`, else `br` (as Deno names it, `brotli`); null when neither is accepted. */
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
  if (weightOf("gzip") > 0) return "gzip";
  if (weightOf("br") > 0) return "br";
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
    if (!encoding || !isCompressible(res)) return varied(res);
    let body: ReadableStream<Uint8Array<ArrayBuffer>> = res.body!;
    if (!res.headers.has("content-length")) {
      const head = await readHead(body, MIN_COMPRESS_BYTES);
      if (head.complete) {
        // Small after all: answer the bytes as they are.
        const headers = new Headers(res.headers);
        headers.set("content-length", String(head.bytes.byteLength));
        return varied(
          new Response(head.bytes, { status: res.status, statusText: res.statusText, headers }),
        );
      }
      body = head.stream;
    }
    const headers = new Headers(res.headers);
    headers.delete("content-length");
    headers.set("content-encoding", encoding);
    addVary(headers);
    // A strong ETag names the identity bytes; the encoded ones differ.
    const etag = headers.get("etag");
    if (etag && !etag.startsWith("W/")) headers.set("etag", `W/${etag}`);
    const stream = new CompressionStream(encoding === "br" ? "brotli" as "gzip" : "gzip");
    return new Response(body.pipeThrough(stream), {
      status: res.status,
      statusText: res.statusText,
      headers,
    });
  };
}

/** `res` with `Vary: Accept-Encoding` when its type could have been compressed. */
function varied(res: Response): Response {
  if (isTextType(res)) {
    try {
      addVary(res.headers);
    } catch {
      // immutable headers (Response.redirect / error): nothing to vary on
    }
  }
  return res;
}

/**
 * The first `limit` bytes of `body`: all of it (`complete`) when it ends sooner, else a stream
 * giving back what was read followed by the rest.
 */
async function readHead(
  body: ReadableStream<Uint8Array<ArrayBuffer>>,
  limit: number,
): Promise<
  | { complete: true; bytes: Uint8Array<ArrayBuffer> }
  | { complete: false; stream: ReadableStream<Uint8Array<ArrayBuffer>> }
> {
  const reader = body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  while (size < limit) {
    const r = await reader.read();
    if (r.done) {
      const bytes = new Uint8Array(size);
      let off = 0;
      for (const c of chunks) {
        bytes.set(c, off);
        off += c.length;
      }
      return { complete: true, bytes };
    }
    chunks.push(r.value);
    size += r.value.length;
  }
  return {
    complete: false,
    stream: new ReadableStream<Uint8Array<ArrayBuffer>>({
      async pull(c) {
        const next = chunks.shift();
        if (next) return c.enqueue(next);
        const r = await reader.read();
        if (r.done) c.close();
        else c.enqueue(r.value);
      },
      cancel: (reason) => reader.cancel(reason),
    }),
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
