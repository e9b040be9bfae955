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
 * Security: security headers on every response (`api/security_headers.ts`), overlong or
 * undecodable path segments → 404 before static files and KV (`api/path_guard.ts`), cross-site
 * and wrong-Content-Type writes refused (`api/csrf.ts`), the API token and the admin login
 * session (`api/operator_auth.ts`, `routes/admin/login.tsx`). A full disk → 507 with a reason.
 *
 * @module
 */
import { App, type Context, HttpError, staticFiles } from "fresh";
import { attachBuild, modeFromEnv } from "./app_build.ts";
import { compression } from "./api/compression.ts";
import { createLogger, type Logger, requestLog } from "./api/logging.ts";
import { RequestValidationError } from "./api/validation.ts";
import type { Services, State } from "./services.ts";
import { createOperatorAccess, operatorAuth } from "./api/operator_auth.ts";
import { csrfGuard } from "./api/csrf.ts";
import { securityHeaders } from "./api/security_headers.ts";
import { pathGuard } from "./api/path_guard.ts";
import { uploadLimit } from "./api/upload_limit.ts";
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
  const access = await createOperatorAccess(services.config);
  const app = new App<State>()
    .use((ctx) => {
      ctx.state.services = services;
      return ctx.next();
    })
    .use(requestLog(log))
    .use(compression())
    .use(securityHeaders())
    .use(errorMapping(log))
    .use(pathGuard())
    .use(staticFiles())
    .use(csrfGuard({ trustProxy: services.config.trustProxy }))
    .use(operatorAuth(access))
    .use(uploadLimit(services.config.maxConcurrentUploads))
    .fsRoutes();
  await attachBuild(app, opts.mode ?? modeFromEnv(), log);
  return app;
}

export { isPublicPath } from "./api/operator_auth.ts";

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
  if (isDiskFull(err)) {
    log.error(`${ctx.req.method} ${ctx.url.pathname}: storage full`);
    return Response.json(
      { detail: "Insufficient storage: the server's disk is full; nothing was stored" },
      { status: 507 },
    );
  }
  log.error(`${ctx.req.method} ${ctx.url.pathname.slice(0, 200)} failed`, briefError(err));
  return Response.json({ detail: "Internal Server Error" }, { status: 500 });
}

/** Whether `err` is the OS's "no space left on device" (ENOSPC, errno 28) or a quota error. */
export function isDiskFull(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return code === "ENOSPC" || code === "EDQUOT" ||
    /No space left on device|os error 28\b|Disk quota exceeded/i.test(err.message);
}

/** An error for the log: name, message and stack, each bounded (a 2 KiB id must not log 60 KB). */
export function briefError(err: unknown, maxChars = 2000): string {
  const text = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
  return text.length <= maxChars ? text : `${text.slice(0, maxChars)}… (${text.length} chars)`;
}
