/**
 * Operator access: the bearer token for API clients and a login session for the admin pages.
 *
 * - `API_TOKEN` set: API routes need `Authorization: Bearer <token>` or a valid admin session
 *   cookie (the admin pages' own fetches); else 401.
 * - `API_TOKEN` or `OPERATOR_PASSWORD` set: `/admin` pages need a session; a browser without
 *   one is sent to `/admin/login` (303), other methods get 401 JSON.
 * - Always open: `/`, `/health`, `/openapi.json`, `/docs…`, `/_fresh/…`, `/admin/login`,
 *   `/admin/logout` (static files are served before this middleware).
 *
 * The session cookie is signed (`session.ts`), HttpOnly, SameSite=Strict, `Path=/`, with
 * `Max-Age`, and `Secure` when the request came over HTTPS (the URL, or `X-Forwarded-Proto`
 * when `TRUST_PROXY` is on).
 *
 * @example
 * ```ts
 * const access = await createOperatorAccess(config);
 * app.use(operatorAuth(access));
 * ```
 *
 * @module
 */
import { type Context, HttpError } from "fresh";
import type { Config } from "../config.ts";
import { LoginLimiter } from "./login_limiter.ts";
import {
  deriveSessionSecret,
  readCookie,
  safeEqual,
  SESSION_COOKIE,
  SessionSigner,
} from "./session.ts";

/** Failed logins allowed per client address and window. */
export const LOGIN_MAX_FAILURES = 5;
/** The failed-login window. */
export const LOGIN_WINDOW_MS = 15 * 60_000;

/**
 * The part of the request state this module uses (lib/services.ts `State` has it; not imported
 * from there, which imports `OperatorAccess` from here).
 */
export interface OperatorState {
  /** Set by `operatorAuth`; read by the login and logout routes. */
  operator?: OperatorAccess;
}

/** What the auth middleware and the login/logout routes share. */
export interface OperatorAccess {
  /** The API bearer token, or null (API open). */
  apiToken: string | null;
  /** The admin login password (`OPERATOR_PASSWORD`, else `API_TOKEN`), or null (pages open). */
  password: string | null;
  /** Signs sessions; null when pages are open. */
  sessions: SessionSigner | null;
  /** Failed-login counter. */
  limiter: LoginLimiter;
  /** Whether `X-Forwarded-Proto` / `X-Forwarded-For` are trusted. */
  trustProxy: boolean;
}

/** Build the access rules of a configuration. */
export async function createOperatorAccess(
  config: Pick<Config, "apiToken" | "operatorPassword" | "sessionSecret" | "sessionTtlHours"> & {
    trustProxy: boolean;
  },
): Promise<OperatorAccess> {
  const password = config.operatorPassword ?? config.apiToken;
  const sessions = password === null ? null : await SessionSigner.create(
    await deriveSessionSecret(config.sessionSecret, password),
    config.sessionTtlHours * 3600_000,
  );
  return {
    apiToken: config.apiToken,
    password,
    sessions,
    limiter: new LoginLimiter({ maxFailures: LOGIN_MAX_FAILURES, windowMs: LOGIN_WINDOW_MS }),
    trustProxy: config.trustProxy,
  };
}

/** Paths that never need a token or session (static files and bundles are served before auth). */
export function isPublicPath(path: string): boolean {
  return path === "/" || path === "/health" || path === "/openapi.json" ||
    path === "/docs" || path.startsWith("/docs/") || path.startsWith("/_fresh/") ||
    path === "/admin/login" || path === "/admin/logout";
}

/** Whether the request reached us over HTTPS (directly or, when trusted, through a proxy). */
export function isHttps(req: Request, trustProxy: boolean): boolean {
  if (new URL(req.url).protocol === "https:") return true;
  if (!trustProxy) return false;
  const proto = req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return proto === "https";
}

/** The client address used for rate limits. */
export function clientAddress<S>(ctx: Context<S>, trustProxy: boolean): string {
  if (trustProxy) {
    const fwd = ctx.req.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
    if (fwd) return fwd;
  }
  const addr = ctx.info?.remoteAddr;
  return addr && "hostname" in addr ? addr.hostname : "unknown";
}

/** `Set-Cookie` value carrying a new session (or clearing it when `value` is null). */
export function sessionCookie(
  value: string | null,
  opts: { secure: boolean; maxAgeSeconds: number },
): string {
  const parts = [
    `${SESSION_COOKIE}=${value ?? ""}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Strict",
    `Max-Age=${value === null ? 0 : Math.floor(opts.maxAgeSeconds)}`,
  ];
  if (opts.secure) parts.push("Secure");
  return parts.join("; ");
}

/** Whether the request carries a valid admin session. */
export async function hasSession(access: OperatorAccess, req: Request): Promise<boolean> {
  if (!access.sessions) return false;
  return await access.sessions.verify(readCookie(req.headers.get("cookie"), SESSION_COOKIE));
}

/** The middleware: see the module docs. Also puts `access` into `ctx.state.operator`. */
export function operatorAuth<S extends OperatorState>(access: OperatorAccess) {
  return async (ctx: Context<S>): Promise<Response> => {
    ctx.state.operator = access;
    const path = ctx.url.pathname;
    if (access.password === null || isPublicPath(path)) return ctx.next();
    const isPage = path === "/admin" || path.startsWith("/admin/");
    if (isPage) {
      if (await hasSession(access, ctx.req)) return ctx.next();
      if (ctx.req.method === "GET" || ctx.req.method === "HEAD") {
        const next = encodeURIComponent(path + ctx.url.search);
        return new Response(null, {
          status: 303,
          headers: { location: `/admin/login?next=${next}`, "cache-control": "no-store" },
        });
      }
      throw new HttpError(401, "Not authenticated: log in at /admin/login");
    }
    if (access.apiToken === null) return ctx.next();
    const header = ctx.req.headers.get("authorization") ?? "";
    const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (bearer && safeEqual(bearer, access.apiToken)) return ctx.next();
    if (await hasSession(access, ctx.req)) return ctx.next();
    throw new HttpError(401, "Not authenticated", {
      headers: { "www-authenticate": 'Bearer realm="qc-ml-service"' },
    });
  };
}

/** Whether a listen address is reachable only from this machine. */
export function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "::1" || hostname.startsWith("127.");
}

/**
 * The start-up warning when the service runs open (no `API_TOKEN`) on a non-loopback address,
 * or null when there is nothing to warn about.
 */
export function exposureWarning(
  config: Pick<Config, "apiToken" | "operatorPassword">,
  hostname: string,
): string | null {
  if (isLoopback(hostname)) return null;
  if (config.apiToken !== null) return null;
  const pages = config.operatorPassword === null ? "the API and the admin pages are" : "the API is";
  return `WARNING: API_TOKEN is not set and the service listens on ${hostname}: ${pages} open ` +
    "to anyone who can reach this port (set API_TOKEN, or LISTEN_HOST=127.0.0.1)";
}
