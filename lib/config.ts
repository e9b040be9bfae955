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
  /** `HOSTNAME`, default `0.0.0.0`. */
  hostname: string;
  /** `DATA_DIR`: local blob storage root, default `./storage`. */
  dataDir: string;
  /**
   * `KV_PATH`: Deno KV file, default `<DATA_DIR>/kv.sqlite3` (`:default:` on Deno Deploy);
   * `:memory:` for tests; `:default:` for the platform's database; a KV Connect URL.
   */
  kvPath: string;
  /** `API_TOKEN`: when set, API calls need `Authorization: Bearer <token>`. */
  apiToken: string | null;
  /** `LOG_LEVEL`: debug | info | warn | error, default info. */
  logLevel: "debug" | "info" | "warn" | "error";
  /**
   * `TASK_MODE`: `queue` (Deno KV queue), `inprocess`, or `claim` (workers claim PENDING records;
   * no KV queue needed). Default queue; `claim` when `ROLE` is `api` or `worker` (the only mode
   * accepted there).
   */
  taskMode: "queue" | "inprocess" | "claim";
  /** `ROLE`: `all` (default: one process does everything), `api` or `worker`. */
  role: "all" | "api" | "worker";
  /** `TASK_POLL_MS`: how often claim-mode workers look for work when no watch fires, default 1000. */
  taskPollMs: number;
  /** `TASK_STALE_MS`: a running task whose heartbeat is older is recovered, default 15000. */
  taskStaleMs: number;
  /** `STORAGE_URL`: `s3://bucket/prefix` for object storage; null = local files under DATA_DIR. */
  storageUrl: string | null;
  /** S3 settings: the standard `AWS_*` variables (see `scaleConfig`). */
  s3: S3Config;
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
}

/** Object-store settings from the standard AWS variables. */
export interface S3Config {
  /** `AWS_REGION` (or `AWS_DEFAULT_REGION`), default us-east-1. */
  region: string;
  /** `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL`: a custom endpoint (path-style is then used). */
  endpoint: string | null;
  /** `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`); null = SDK default chain. */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | null;
}

/** A configuration value is invalid; the message names the variable and the accepted values. */
export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = "ConfigError";
  }
}

const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
const TASK_MODES = ["queue", "inprocess", "claim"] as const;
const ROLES = ["all", "api", "worker"] as const;

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
    hostname: get("HOSTNAME") ?? "0.0.0.0",
    dataDir,
    // On Deno Deploy (DENO_DEPLOYMENT_ID is set there) the default is the timeline's database.
    kvPath: get("KV_PATH") ??
      (get("DENO_DEPLOYMENT_ID") ? ":default:" : `${dataDir.replace(/\/+$/, "")}/kv.sqlite3`),
    apiToken: get("API_TOKEN") ?? null,
    logLevel: oneOf(get, "LOG_LEVEL", LOG_LEVELS, "info"),
    ...scaleConfig(get),
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
  };
}

type Getter = (name: string) => string | undefined;

/** Role, task mode and storage settings (issue 14: object storage and API/worker roles). */
function scaleConfig(
  get: Getter,
): Pick<Config, "role" | "taskMode" | "taskPollMs" | "taskStaleMs" | "storageUrl" | "s3"> {
  const role = oneOf(get, "ROLE", ROLES, "all");
  const split = role !== "all";
  const taskMode = oneOf(get, "TASK_MODE", TASK_MODES, split ? "claim" : "queue");
  if (split && taskMode !== "claim") {
    throw new ConfigError("TASK_MODE", `ROLE=${role} needs TASK_MODE=claim, got "${taskMode}"`);
  }
  const storageUrl = get("STORAGE_URL") ?? null;
  if (storageUrl !== null && !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(storageUrl)) {
    throw new ConfigError("STORAGE_URL", `expected s3://bucket[/prefix], got "${storageUrl}"`);
  }
  const endpoint = get("AWS_ENDPOINT_URL_S3") ?? get("AWS_ENDPOINT_URL") ?? null;
  if (endpoint !== null && !/^https?:\/\/./.test(endpoint)) {
    throw new ConfigError("AWS_ENDPOINT_URL_S3", `expected an http(s) URL, got "${endpoint}"`);
  }
  const accessKeyId = get("AWS_ACCESS_KEY_ID"), secretAccessKey = get("AWS_SECRET_ACCESS_KEY");
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new ConfigError(
      accessKeyId === undefined ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
      "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set together",
    );
  }
  const sessionToken = get("AWS_SESSION_TOKEN");
  return {
    role,
    taskMode,
    taskPollMs: integer(get, "TASK_POLL_MS", 1000, 50, 60_000),
    taskStaleMs: integer(get, "TASK_STALE_MS", 15_000, 1000, 3_600_000),
    storageUrl,
    s3: {
      region: get("AWS_REGION") ?? get("AWS_DEFAULT_REGION") ?? "us-east-1",
      endpoint,
      credentials: accessKeyId && secretAccessKey
        ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) }
        : null,
    },
  };
}

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
