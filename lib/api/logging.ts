/**
 * Request logging of the web layer: a leveled logger for the app's middleware (on top of the
 * service's logger, `lib/log.ts`) and the middleware writing one line per request.
 *
 * ```ts
 * const log = createLogger("info");
 * log.info("GET /health 200 1.2ms");   // printed
 * log.debug("details");                // dropped at level info
 * app.use(requestLog(log));
 * ```
 *
 * @module
 */
import type { Context } from "fresh";
import { getLogger, type LogLevel } from "../log.ts";

export type { LogLevel } from "../log.ts";

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A leveled logger. */
export interface Logger {
  readonly level: LogLevel;
  enabled(level: LogLevel): boolean;
  debug(message: string, ...extra: unknown[]): void;
  info(message: string, ...extra: unknown[]): void;
  warn(message: string, ...extra: unknown[]): void;
  error(message: string, ...extra: unknown[]): void;
}

/**
 * A logger for events at `level` and above (tests pass `"error"` to keep request lines out of
 * their output), printed through the service logger `http`, which also honours `LOG_LEVEL`.
 */
export function createLogger(level: LogLevel): Logger {
  const out = getLogger("http");
  const enabled = (l: LogLevel) => ORDER[l] >= ORDER[level];
  const emit = (l: LogLevel, message: string, extra: unknown[]) => {
    if (enabled(l)) out[l](message, ...extra);
  };
  return {
    level,
    enabled,
    debug: (m, ...e) => emit("debug", m, e),
    info: (m, ...e) => emit("info", m, e),
    warn: (m, ...e) => emit("warn", m, e),
    error: (m, ...e) => emit("error", m, e),
  };
}

/** Logs `METHOD path status ms` (health checks and assets at debug: they are polled). */
export function requestLog<State>(log: Logger) {
  return async (ctx: Context<State>): Promise<Response> => {
    const start = performance.now();
    const res = await ctx.next();
    const ms = (performance.now() - start).toFixed(1);
    const path = ctx.url.pathname;
    const line = `${ctx.req.method} ${path} ${res.status} ${ms}ms`;
    const quiet = path === "/health" || path.startsWith("/_fresh/") || /\.\w+$/.test(path);
    if (res.status >= 500) log.warn(line);
    else if (quiet) log.debug(line);
    else log.info(line);
    return res;
  };
}
