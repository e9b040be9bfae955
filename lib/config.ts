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
import { z } from "zod";

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

/** An integer variable in [min, max]; signs allowed, no exponent or fraction. */
function integer(min: number, max: number) {
  const range = `expected an integer from ${min} to ${max}`;
  return z.string().regex(/^[+-]?\d+$/, "expected an integer").transform(Number)
    .pipe(z.int(range).min(min, range).max(max, range));
}

/**
 * A decimal number variable. `Number()` alone would accept "0x10" and "Infinity"; a config
 * value should be a plain decimal.
 */
function decimal(range: { min?: number; exclusiveMin?: boolean; max?: number }) {
  const { min, exclusiveMin = false, max } = range;
  const low = min === undefined ? "" : exclusiveMin ? `> ${min}` : `>= ${min}`;
  const high = max === undefined ? "" : `<= ${max}`;
  const expected = `expected a number ${[low, high].filter(Boolean).join(" and ")}`;
  // Out of double range ("1e400") parses to Infinity, which z.number() rejects as not a number.
  let value = z.number("expected a number");
  if (min !== undefined) value = exclusiveMin ? value.gt(min, expected) : value.gte(min, expected);
  if (max !== undefined) value = value.lte(max, expected);
  return z.string().regex(/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/, "expected a number")
    .transform(Number).pipe(value);
}

/** One of `allowed`, case-insensitive. */
function oneOf<const T extends readonly [string, ...string[]]>(allowed: T) {
  return z.string().toLowerCase().pipe(z.enum(allowed, `expected one of ${allowed.join(", ")}`));
}

/** A yes/no variable: 1/true/yes/on or 0/false/no/off, case-insensitive. */
function boolean() {
  const expected = "expected true or false";
  return z.string().toLowerCase()
    .pipe(z.enum(["1", "true", "yes", "on", "0", "false", "no", "off"], expected))
    .transform((v) => ["1", "true", "yes", "on"].includes(v));
}

/**
 * The environment, variable by variable. Keys are the variable names, so a failed check's path
 * names the variable; messages say what is expected and `loadConfig` appends what was given.
 */
const EnvSchema = z.object({
  PORT: integer(0, 65535).default(8000),
  // Not HOSTNAME: containers and shells export that with the machine's name.
  LISTEN_HOST: z.string().default("0.0.0.0"),
  DATA_DIR: z.string().default("./storage"),
  KV_PATH: z.string().optional(),
  API_TOKEN: z.string().optional(),
  LOG_LEVEL: oneOf(LOG_LEVELS).default("info"),
  TASK_MODE: oneOf(TASK_MODES).default("queue"),
  TASK_RETENTION_HOURS: decimal({ min: 0, exclusiveMin: true }).default(168),
  MAX_UPLOAD_BYTES: integer(1, Number.MAX_SAFE_INTEGER).default(5 * 1024 ** 3),
  TIMESTAMP_COLUMN: z.string().optional(),
  TOP_FEATURES: integer(1, 100_000).default(100),
  SPLIT_SAMPLE_FRACTION: decimal({ min: 0, exclusiveMin: true, max: 1 }).default(1),
  SIMULATION_WARMUP_SECONDS: decimal({ min: 0 }).default(10),
  SIMULATION_ROWS_PER_SECOND: decimal({ min: 0, exclusiveMin: true, max: 100_000 }).default(1),
  TRAIN_THREADS: integer(1, 256).default(2),
  OPERATOR_PASSWORD: z.string().optional(),
  SESSION_SECRET: z.string().optional(),
  SESSION_TTL_HOURS: decimal({ min: 0, exclusiveMin: true }).default(12),
  TRUST_PROXY: boolean().default(false),
  UPLOAD_IDLE_SECONDS: decimal({ min: 0, exclusiveMin: true }).default(120),
  MAX_CONCURRENT_UPLOADS: integer(1, 10_000).default(4),
  TASK_MAX_ATTEMPTS: integer(1, 1000).default(3),
});

/**
 * Build the configuration from environment variables (default: the process environment).
 * Empty strings count as unset. Throws `ConfigError` naming the variable on an invalid value.
 */
export function loadConfig(env: Record<string, string | undefined> = Deno.env.toObject()): Config {
  const given: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) given[name] = value?.trim() || undefined;
  const parsed = EnvSchema.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue.path[0]);
    throw new ConfigError(variable, `${issue.message}, got "${given[variable]}"`);
  }
  const vars = parsed.data;
  return {
    port: vars.PORT,
    hostname: vars.LISTEN_HOST,
    dataDir: vars.DATA_DIR,
    kvPath: vars.KV_PATH ?? `${vars.DATA_DIR.replace(/\/+$/, "")}/kv.sqlite3`,
    apiToken: vars.API_TOKEN ?? null,
    logLevel: vars.LOG_LEVEL,
    taskMode: vars.TASK_MODE,
    taskRetentionHours: vars.TASK_RETENTION_HOURS,
    maxUploadBytes: vars.MAX_UPLOAD_BYTES,
    timestampColumn: vars.TIMESTAMP_COLUMN ?? null,
    topFeatures: vars.TOP_FEATURES,
    splitSampleFraction: vars.SPLIT_SAMPLE_FRACTION,
    simulationWarmupSeconds: vars.SIMULATION_WARMUP_SECONDS,
    simulationRowsPerSecond: vars.SIMULATION_ROWS_PER_SECOND,
    trainThreads: vars.TRAIN_THREADS,
    operatorPassword: vars.OPERATOR_PASSWORD ?? null,
    sessionSecret: vars.SESSION_SECRET ?? null,
    sessionTtlHours: vars.SESSION_TTL_HOURS,
    trustProxy: vars.TRUST_PROXY,
    uploadIdleTimeoutSeconds: vars.UPLOAD_IDLE_SECONDS,
    maxConcurrentUploads: vars.MAX_CONCURRENT_UPLOADS,
    taskMaxAttempts: vars.TASK_MAX_ATTEMPTS,
  };
}
