/**
 * Service configuration from environment variables, with embedded defaults so that
 * `deno task start` works on a fresh machine with no settings at all.
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
}
