/**
 * Security headers on every response: `X-Content-Type-Options: nosniff`,
 * `Referrer-Policy: no-referrer`, `X-Frame-Options: DENY` and a Content-Security-Policy. HTML
 * pages get a full policy without `'unsafe-inline'` scripts: each inline executable script of the
 * page (the islands' boot module, Swagger UI's init) is allowed by its SHA-256 hash, computed from
 * the rendered HTML; JSON data blocks (`type="application/json"`) are not executed and need none.
 * Other responses get `default-src 'none'; frame-ancestors 'none'`.
 *
 * @example
 * ```ts
 * app.use(securityHeaders());
 * ```
 *
 * @module
 */
import type { Context } from "fresh";

/** The page policy; `{scripts}` is replaced by the inline scripts' hashes. */
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'{scripts}",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const OTHER_CSP = "default-src 'none'; frame-ancestors 'none'";

const SCRIPT_RE = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;

/** `'sha256-…'` sources for the inline executable scripts of an HTML document. */
export async function inlineScriptHashes(html: string): Promise<string[]> {
  const hashes: string[] = [];
  for (const m of html.matchAll(SCRIPT_RE)) {
    const attrs = m[1];
    if (/\bsrc\s*=/i.test(attrs)) continue;
    const type = /\btype\s*=\s*["']?([^"'\s>]+)/i.exec(attrs)?.[1]?.toLowerCase();
    if (type && type !== "module" && type !== "text/javascript") continue; // data blocks
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(m[2]));
    let bin = "";
    for (const b of new Uint8Array(digest)) bin += String.fromCharCode(b);
    hashes.push(`'sha256-${btoa(bin)}'`);
  }
  return [...new Set(hashes)];
}

function setDefaults(headers: Headers, csp: string): void {
  if (!headers.has("x-content-type-options")) headers.set("x-content-type-options", "nosniff");
  if (!headers.has("referrer-policy")) headers.set("referrer-policy", "no-referrer");
  if (!headers.has("x-frame-options")) headers.set("x-frame-options", "DENY");
  if (!headers.has("content-security-policy")) headers.set("content-security-policy", csp);
}

/** The middleware: see the module docs. */
export function securityHeaders<S>() {
  return async (ctx: Context<S>): Promise<Response> => {
    const res = await ctx.next();
    const type = res.headers.get("content-type") ?? "";
    if (type.startsWith("text/html") && res.body) {
      const html = await res.text();
      const hashes = await inlineScriptHashes(html);
      const headers = new Headers(res.headers);
      setDefaults(headers, PAGE_CSP.replace("{scripts}", hashes.map((h) => " " + h).join("")));
      return new Response(html, { status: res.status, statusText: res.statusText, headers });
    }
    try {
      const csp = type.startsWith("text/html") ? PAGE_CSP.replace("{scripts}", "") : OTHER_CSP;
      setDefaults(res.headers, csp);
      return res;
    } catch { // immutable headers (a fetched response): copy
      const headers = new Headers(res.headers);
      setDefaults(headers, OTHER_CSP);
      return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
    }
  };
}
