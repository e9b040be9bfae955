/**
 * Service configuration from environment variables, with embedded defaults so that
 * `deno task start` works on a fresh machine with no settings at all.
 *
 * ```ts
 * import { loadConfig } from "./lib/config.ts";
 * const config = loadConfig(); // reads Deno.env; throws ConfigError on a bad value
 * const testConfig = loadConfig({ PORT: "0", KV_PATH: ":memory:" });
 * ```
 *
 * @module
 */

/** The whole configuration. Every field has a default (see `loadConfig`). */
export interface Config {
  /** `PORT`, default 8000. */
  port: number;
  /**
   * `LISTEN_HOST`, default `0.0.0.0`. Not `HOSTNAME`: containers and shells export that with the
   * machine's name, which must not change the bind address.
   */
  hostname: string;
  /** `DATA_DIR`: local blob storage root, default `./storage`. */
  dataDir: string;
  /** `KV_PATH`: Deno KV file, default `<DATA_DIR>/kv.sqlite3`; `:memory:` for tests. */
  kvPath: string;
  /** `API_TOKEN`: when set, API calls need `Authorization: Bearer <token>`. */
  apiToken: string | null;
  /** `LOG_LEVEL`: debug | info | warn | error, default info. */
  logLevel: "debug" | "info" | "warn" | "error";
  /** `TASK_MODE`: `queue` (Deno KV queue) or `inprocess`, default queue. */
  taskMode: "queue" | "inprocess";
  /** `TASK_RETENTION_HOURS`: finished tasks and their data expire after this, default 168. */
  taskRetentionHours: number;
  /** `MAX_UPLOAD_BYTES`: default 5 GiB. */
  maxUploadBytes: number;
  /** `TIMESTAMP_COLUMN`: an extra accepted timestamp column name (besides synthetic_timestamp, Timestamp). */
  timestampColumn: string | null;
  /** `TOP_FEATURES`: features kept by feature selection, default 100. */
  topFeatures: number;
  /** `SPLIT_SAMPLE_FRACTION`: share of rows kept by a split, default 1 (0.2 = the old service). */
  splitSampleFraction: number;
  /** `SIMULATION_WARMUP_SECONDS`: default 10. */
  simulationWarmupSeconds: number;
  /** `SIMULATION_ROWS_PER_SECOND`: default 1. */
  simulationRowsPerSecond: number;
  /** `TRAIN_THREADS`: worker threads for histogram building, default 2. */
  trainThreads: number;
  /** `OPERATOR_PASSWORD`: admin login password (default: the `API_TOKEN`). */
  operatorPassword: string | null;
  /** `SESSION_SECRET`: HMAC key of admin sessions (default: derived from the password/token). */
  sessionSecret: string | null;
  /** `SESSION_TTL_HOURS`: admin session lifetime, default 12. */
  sessionTtlHours: number;
  /** `TRUST_PROXY`: honour `X-Forwarded-Proto`/`-Host` (behind a TLS proxy), default false. */
  trustProxy: boolean;
  /** `UPLOAD_IDLE_SECONDS`: an upload receiving no byte for this long fails, default 120. */
  uploadIdleTimeoutSeconds: number;
  /** `MAX_CONCURRENT_UPLOADS`: uploads received at once; more get 503, default 4. */
  maxConcurrentUploads: number;
  /** `TASK_MAX_ATTEMPTS`: runs of a resumable task before it ends as FAILURE, default 3. */
  taskMaxAttempts: number;
}

/** A configuration value is invalid; the message names the variable and the accepted values. */
export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = "ConfigError";
  }
}

const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
const TASK_MODES = ["queue", "inprocess"] as const;

/**
 * Build the configuration from environment variables (default: the process environment).
 * Empty strings count as unset. Throws `ConfigError` naming the variable on an invalid value.
 */
export function loadConfig(env: Record<string, string | undefined> = Deno.env.toObject()): Config {
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  const dataDir = get("DATA_DIR") ?? "./storage";
  return {
    port: integer(get, "PORT", 8000, 0, 65535),
    hostname: get("LISTEN_HOST") ?? "0.0.0.0",
    dataDir,
    kvPath: get("KV_PATH") ?? `${dataDir.replace(/\/+$/, "")}/kv.sqlite3`,
    apiToken: get("API_TOKEN") ?? null,
    logLevel: oneOf(get, "LOG_LEVEL", LOG_LEVELS, "info"),
    taskMode: oneOf(get, "TASK_MODE", TASK_MODES, "queue"),
    taskRetentionHours: number(get, "TASK_RETENTION_HOURS", 168, { min: 0, exclusiveMin: true }),
    maxUploadBytes: integer(get, "MAX_UPLOAD_BYTES", 5 * 1024 ** 3, 1, Number.MAX_SAFE_INTEGER),
    timestampColumn: get("TIMESTAMP_COLUMN") ?? null,
    topFeatures: integer(get, "TOP_FEATURES", 100, 1, 100_000),
    splitSampleFraction: number(get, "SPLIT_SAMPLE_FRACTION", 1, {
      min: 0,
      exclusiveMin: true,
      max: 1,
    }),
    simulationWarmupSeconds: number(get, "SIMULATION_WARMUP_SECONDS", 10, { min: 0 }),
    simulationRowsPerSecond: number(get, "SIMULATION_ROWS_PER_SECOND", 1, {
      min: 0,
      exclusiveMin: true,
      max: 100_000,
    }),
    trainThreads: integer(get, "TRAIN_THREADS", 2, 1, 256),
    operatorPassword: get("OPERATOR_PASSWORD") ?? null,
    sessionSecret: get("SESSION_SECRET") ?? null,
    sessionTtlHours: number(get, "SESSION_TTL_HOURS", 12, { min: 0, exclusiveMin: true }),
    trustProxy: boolean(get, "TRUST_PROXY", false),
    uploadIdleTimeoutSeconds: number(get, "UPLOAD_IDLE_SECONDS", 120, {
      min: 0,
      exclusiveMin: true,
    }),
    maxConcurrentUploads: integer(get, "MAX_CONCURRENT_UPLOADS", 4, 1, 10_000),
    taskMaxAttempts: integer(get, "TASK_MAX_ATTEMPTS", 3, 1, 1000),
  };
}

type Getter = (name: string) => string | undefined;

function integer(get: Getter, name: string, fallback: number, min: number, max: number): number {
  const raw = get(name);
  if (raw === undefined) return fallback;
  if (!/^[+-]?\d+$/.test(raw)) {
    throw new ConfigError(name, `expected an integer, got "${raw}"`);
  }
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `expected an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function number(
  get: Getter,
  name: string,
  fallback: number,
  range: { min?: number; exclusiveMin?: boolean; max?: number },
): number {
  const raw = get(name);
  if (raw === undefined) return fallback;
  // Number("") and Number("0x10") are accepted by JS; a config value should be a plain decimal.
  const value = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(value)) throw new ConfigError(name, `expected a number, got "${raw}"`);
  const { min, exclusiveMin = false, max } = range;
  const tooLow = min !== undefined && (exclusiveMin ? value <= min : value < min);
  const tooHigh = max !== undefined && value > max;
  if (tooLow || tooHigh) {
    const low = min === undefined ? "" : exclusiveMin ? `> ${min}` : `>= ${min}`;
    const high = max === undefined ? "" : `<= ${max}`;
    throw new ConfigError(
      name,
      `expected a number ${[low, high].filter(Boolean).join(" and ")}, got "${raw}"`,
    );
  }
  return value;
}

function boolean(get: Getter, name: string, fallback: boolean): boolean {
  const raw = get(name);
  if (raw === undefined) return fallback;
  const value = raw.toLowerCase();
  if (["1", "true", "yes", "on"].includes(value)) return true;
  if (["0", "false", "no", "off"].includes(value)) return false;
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
}

function oneOf<T extends string>(
  get: Getter,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = get(name);
  if (raw === undefined) return fallback;
  const value = raw.toLowerCase();
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(name, `expected one of ${allowed.join(", ")}, got "${raw}"`);
  }
  return value as T;
}
