/**
 * Cross-site request protection for state-changing requests (every method but GET, HEAD,
 * OPTIONS):
 *
 * - a cross-origin `Origin` (also `null`, unless `Sec-Fetch-Site: same-origin`: a form post under
 *   our `no-referrer` policy) or `Sec-Fetch-Site: cross-site` → 403 JSON. Server
 *   clients such as the .NET backend send neither header and pass.
 * - the body's Content-Type must be one the route declares (`BODY_TYPES`, default
 *   `application/json`) → else 415 JSON naming the accepted types. A request without a body and
 *   without a Content-Type passes (bodiless POSTs such as `/process/train/start` from .NET);
 *   a browser cannot send a cross-site body without a Content-Type that is not one of the
 *   CORS-safelisted ones, and none of those is accepted except multipart/form-data on uploads
 *   (also the no-JS `/admin/datasets/upload` form) and the login form (all also covered by the
 *   Origin check and SameSite=Strict).
 *
 * @example
 * ```ts
 * app.use(csrfGuard({ trustProxy: false }));
 * ```
 *
 * @module
 */
import { type Context, HttpError } from "fresh";

/** Declared request body types per path; other paths accept `application/json`. */
export const BODY_TYPES: Readonly<Record<string, readonly string[]>> = {
  "/dataset/store": ["multipart/form-data", "text/csv", "application/csv"],
  "/admin/login": ["application/x-www-form-urlencoded", "multipart/form-data"],
  // The no-JS upload form of the datasets page (multipart; same-origin and login still apply).
  "/admin/datasets/upload": ["multipart/form-data"],
};

const JSON_ONLY = ["application/json"] as const;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The origin the client addressed (`X-Forwarded-Proto`/`-Host` when the proxy is trusted). */
export function expectedOrigin(req: Request, url: URL, trustProxy: boolean): string {
  if (!trustProxy) return url.origin;
  const proto = req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  const host = req.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  return `${proto || url.protocol.slice(0, -1)}://${host || url.host}`;
}

/**
 * Whether `origin` names the host the client addressed. The scheme is not compared: behind a TLS
 * proxy without `TRUST_PROXY` the page is https while the request URL here is http.
 */
function sameHost(origin: string, req: Request, url: URL, opts: { trustProxy: boolean }): boolean {
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false; // "null" (sandboxed frames, some redirects) or garbage
  }
  return host === new URL(expectedOrigin(req, url, opts.trustProxy)).host;
}

/**
 * Whether the request carries a body, by its framing headers: a request with neither
 * `Content-Length` nor `Transfer-Encoding` has none (RFC 9112 §6.3), which is what `curl -X POST`
 * sends for the contract's bodiless POSTs (.NET sends `Content-Length: 0`). `Deno.serve` gives
 * such a request a non-null, empty `body`, so the stream itself cannot tell.
 */
function hasBody(req: Request): boolean {
  const length = req.headers.get("content-length");
  if (length !== null) return length.trim() !== "0";
  return req.headers.has("transfer-encoding");
}

/** The middleware: see the module docs. */
export function csrfGuard<S>(opts: { trustProxy: boolean }) {
  return (ctx: Context<S>): Promise<Response> | Response => {
    const req = ctx.req;
    if (SAFE_METHODS.has(req.method)) return ctx.next();
    const site = req.headers.get("sec-fetch-site")?.toLowerCase();
    const origin = req.headers.get("origin");
    // Under `Referrer-Policy: no-referrer` browsers send `Origin: null` even for a same-origin
    // form post; `Sec-Fetch-Site` (set by the browser only) then says where it came from.
    const sameSiteNull = origin === "null" && site === "same-origin";
    if (
      site === "cross-site" ||
      (origin !== null && !sameSiteNull && !sameHost(origin, req, ctx.url, opts))
    ) {
      throw new HttpError(403, "Cross-origin request refused");
    }
    const contentType = req.headers.get("content-type");
    if (contentType === null && !hasBody(req)) return ctx.next();
    const mediaType = (contentType ?? "").split(";")[0].trim().toLowerCase();
    const accepted = BODY_TYPES[ctx.url.pathname] ?? JSON_ONLY;
    if (!accepted.includes(mediaType)) {
      throw new HttpError(
        415,
        `Unsupported Content-Type '${mediaType || "(none)"}': send ${accepted.join(" or ")}`,
      );
    }
    return ctx.next();
  };
}
