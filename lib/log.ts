/**
 * The service's one logger: npm `loglevel` (MIT, no dependencies, ~60 M downloads a month),
 * named loggers that all follow one process-wide level (`LOG_LEVEL`, set by `main.ts`), each
 * line prefixed with an ISO time, the level and the logger's name. It imports nothing of the
 * app, so any module may log through it (task runner, pipeline, data and ML code).
 *
 * Why this package: its calls have `console`'s shape (`log.error("failed:", err)`), it is
 * synchronous and prints by default (at `info`) with no set-up, so tests, benchmarks and scripts
 * keep their messages; LogTape, tried first, stays silent until every entry point configures it.
 *
 * ```ts
 * import { getLogger, setLogLevel } from "./lib/log.ts";
 * const log = getLogger("tasks");
 * log.warn("heartbeat failed:", err); // 2026-01-01T00:00:00.000Z WARN  [tasks] heartbeat failed: …
 * setLogLevel("error");               // main.ts, from LOG_LEVEL: now only errors print
 * ```
 *
 * @module
 */
import loglevel from "loglevel";

/** Log levels, most verbose first (the values `LOG_LEVEL` accepts). */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** A named logger: `console`-shaped methods, silent below the process-wide level. */
export interface Logger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

const print = loglevel.methodFactory;
loglevel.methodFactory = (method, level, name) => {
  const emit = print(method, level, name);
  const label = method.toUpperCase().padEnd(5);
  const tag = typeof name === "string" ? ` [${name}]` : "";
  return (...args: unknown[]) => emit(`${new Date().toISOString()} ${label}${tag}`, ...args);
};
loglevel.setDefaultLevel("info");
loglevel.rebuild();

/** The logger named `name` (one instance per name). */
export function getLogger(name: string): Logger {
  return loglevel.getLogger(name);
}

/** Set the level of every logger, existing and future (not persisted anywhere). */
export function setLogLevel(level: LogLevel): void {
  loglevel.setLevel(level, false);
  loglevel.rebuild();
}
