/**
 * A tiny leveled logger (stdout/stderr, one line per event) used by the app's middleware.
 *
 * ```ts
 * const log = createLogger("info");
 * log.info("GET /health 200 1.2ms");   // printed
 * log.debug("details");                // dropped at level info
 * ```
 *
 * @module
 */

/** Log levels, most verbose first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

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

/** A logger printing events at `level` and above, prefixed with an ISO time and the level. */
export function createLogger(level: LogLevel): Logger {
  const enabled = (l: LogLevel) => ORDER[l] >= ORDER[level];
  const emit = (l: LogLevel, message: string, extra: unknown[]) => {
    if (!enabled(l)) return;
    const line = `${new Date().toISOString()} ${l.toUpperCase().padEnd(5)} ${message}`;
    if (l === "error") console.error(line, ...extra);
    else if (l === "warn") console.warn(line, ...extra);
    else console.log(line, ...extra);
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
