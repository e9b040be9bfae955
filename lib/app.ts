/**
 * The application factory: middleware (services in `ctx.state`, request log, JSON error
 * mapping, static files, optional bearer-token auth) and the file routes of `routes/`.
 *
 * ```ts
 * const app = await createApp(services);
 * const res = await app.handler()(new Request("http://localhost/health"));  // tests: no server
 * await app.listen({ port: services.config.port });                          // main.ts
 * ```
 *
 * Errors: `HttpError` → `{"detail": message}` with its status (and headers, e.g. `Allow`);
 * `RequestValidationError` → 422 `{"detail": [{loc, msg, type}]}`; `TaskConflictError` → 409;
 * unknown path → 404 `{"detail": "Not Found"}`; wrong method → 405 `{"detail": "Method Not
 * Allowed"}` + `Allow`; anything else → 500 `{"detail": "Internal Server Error"}`, logged with its
 * stack. Pages under `/admin` render an HTML error page instead (`routes/_error.tsx`).
 *
 * Auth: when `config.apiToken` is set, every request needs `Authorization: Bearer <token>`
 * (or the `api_token` cookie) except `/`, `/health`, `/docs…`, `/openapi.json`, static files,
 * bundles and the `/admin` pages. Opening `/admin?token=<token>` stores the cookie (HttpOnly,
 * SameSite=Strict) so the admin pages' own API calls work in the browser.
 *
 * @module
 */
import { App, type Context, HttpError, staticFiles } from "fresh";
import { attachBuild, modeFromEnv } from "./app_build.ts";
import { compression } from "./api/compression.ts";
import { createLogger, type Logger, requestLog } from "./api/logging.ts";
import { RequestValidationError } from "./api/validation.ts";
import type { Services, State } from "./services.ts";
import { TaskConflictError } from "./tasks/types.ts";

/** Options for tests and tools. */
export interface CreateAppOptions {
  /** `production` serves the prebuilt `_fresh/` (default: from `DENO_ENV` / `NODE_ENV`). */
  mode?: "development" | "production";
  /** Logger (default: one at `config.logLevel`). */
  logger?: Logger;
}

/** Build the app for a service bag; resolves once routes and islands are loaded. */
export async function createApp(
  services: Services,
  opts: CreateAppOptions = {},
): Promise<App<State>> {
  const log = opts.logger ?? createLogger(services.config.logLevel);
  const app = new App<State>()
    .use((ctx) => {
      ctx.state.services = services;
      return ctx.next();
    })
    .use(requestLog(log))
    .use(compression())
    .use(errorMapping(log))
    .use(staticFiles())
    .use(bearerAuth(services.config.apiToken))
    .fsRoutes();
  await attachBuild(app, opts.mode ?? modeFromEnv(), log);
  return app;
}

/** Paths that never need the token (besides static files and bundles, served before auth). */
export function isPublicPath(path: string): boolean {
  return path === "/" || path === "/health" || path === "/openapi.json" ||
    path === "/docs" || path.startsWith("/docs/") ||
    path === "/admin" || path.startsWith("/admin/") || path.startsWith("/_fresh/");
}

/** Maps thrown errors to the contract's JSON error bodies. */
function errorMapping(log: Logger) {
  return async (ctx: Context<State>): Promise<Response> => {
    try {
      return await ctx.next();
    } catch (err) {
      return errorResponse(ctx, err, log);
    }
  };
}

/** The JSON response for an error thrown while handling `ctx`. */
export function errorResponse(ctx: Context<State>, err: unknown, log: Logger): Response {
  if (err instanceof RequestValidationError) {
    return Response.json(err.body(), { status: 422 });
  }
  if (err instanceof HttpError) {
    const headers = new Headers(err.headers);
    return Response.json({ detail: err.message }, { status: err.status, headers });
  }
  if (err instanceof TaskConflictError) {
    return Response.json(
      { detail: err.message, task_id: err.runningTaskId },
      { status: 409 },
    );
  }
  log.error(`${ctx.req.method} ${ctx.url.pathname} failed`, err);
  return Response.json({ detail: "Internal Server Error" }, { status: 500 });
}

const COOKIE = "api_token";

function bearerAuth(token: string | null) {
  return (ctx: Context<State>): Promise<Response> | Response => {
    if (!token) return ctx.next();
    const path = ctx.url.pathname;
    // Admin pages are public to read; a form posted to one (the no-JS upload) needs the token.
    const adminWrite = path.startsWith("/admin/") && ctx.req.method !== "GET" &&
      ctx.req.method !== "HEAD";
    if (isPublicPath(path) && !adminWrite) {
      const given = ctx.url.searchParams.get("token");
      if (given !== null && path.startsWith("/admin") && safeEqual(given, token)) {
        // Keep the token out of the address bar and history: set the cookie, drop the query.
        const clean = new URL(ctx.url);
        clean.searchParams.delete("token");
        return new Response(null, {
          status: 303,
          headers: {
            location: clean.pathname + clean.search,
            "set-cookie": `${COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; ` +
              "SameSite=Strict",
          },
        });
      }
      return ctx.next();
    }
    const header = ctx.req.headers.get("authorization") ?? "";
    const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    const cookie = readCookie(ctx.req.headers.get("cookie"), COOKIE);
    if ((bearer && safeEqual(bearer, token)) || (cookie && safeEqual(cookie, token))) {
      return ctx.next();
    }
    throw new HttpError(401, "Not authenticated", {
      headers: { "www-authenticate": 'Bearer realm="qc-ml-service"' },
    });
  };
}

function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) {
      try {
        return decodeURIComponent(v.join("="));
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** Constant-time string comparison (no early exit on the first differing byte). */
function safeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
