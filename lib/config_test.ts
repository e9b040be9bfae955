import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "./config.ts";

Deno.test("loadConfig: defaults with an empty environment", () => {
  const config = loadConfig({});
  assert.equal(config.port, 8000);
  assert.equal(config.hostname, "0.0.0.0");
  assert.equal(config.dataDir, "./storage");
  assert.equal(config.kvPath, "./storage/kv.sqlite3");
  assert.equal(config.apiToken, null);
  assert.equal(config.logLevel, "info");
  assert.equal(config.taskMode, "queue");
  assert.equal(config.taskRetentionHours, 168);
  assert.equal(config.maxUploadBytes, 5 * 1024 ** 3);
  assert.equal(config.timestampColumn, null);
  assert.equal(config.topFeatures, 100);
  assert.equal(config.splitSampleFraction, 1);
  assert.equal(config.simulationWarmupSeconds, 10);
  assert.equal(config.simulationRowsPerSecond, 1);
  assert.equal(config.trainThreads, 2);
});

Deno.test("loadConfig: reads every variable", () => {
  const config = loadConfig({
    PORT: "9000",
    LISTEN_HOST: "127.0.0.1",
    DATA_DIR: "/data/",
    API_TOKEN: "secret",
    LOG_LEVEL: "DEBUG",
    TASK_MODE: "inprocess",
    TASK_RETENTION_HOURS: "1.5",
    MAX_UPLOAD_BYTES: "1024",
    TIMESTAMP_COLUMN: "ts",
    TOP_FEATURES: "20",
    SPLIT_SAMPLE_FRACTION: "0.2",
    SIMULATION_WARMUP_SECONDS: "0",
    SIMULATION_ROWS_PER_SECOND: "50",
    TRAIN_THREADS: "4",
  });
  assert.equal(config.port, 9000);
  assert.equal(config.hostname, "127.0.0.1");
  assert.equal(config.kvPath, "/data/kv.sqlite3");
  assert.equal(config.apiToken, "secret");
  assert.equal(config.logLevel, "debug");
  assert.equal(config.taskMode, "inprocess");
  assert.equal(config.taskRetentionHours, 1.5);
  assert.equal(config.maxUploadBytes, 1024);
  assert.equal(config.timestampColumn, "ts");
  assert.equal(config.topFeatures, 20);
  assert.equal(config.splitSampleFraction, 0.2);
  assert.equal(config.simulationWarmupSeconds, 0);
  assert.equal(config.simulationRowsPerSecond, 50);
  assert.equal(config.trainThreads, 4);
});

Deno.test("loadConfig: KV_PATH overrides, empty values count as unset", () => {
  const config = loadConfig({ KV_PATH: ":memory:", PORT: "", API_TOKEN: "  " });
  assert.equal(config.kvPath, ":memory:");
  assert.equal(config.port, 8000);
  assert.equal(config.apiToken, null);
});

Deno.test("loadConfig: invalid values throw ConfigError naming the variable", () => {
  const cases: [Record<string, string>, string][] = [
    [{ PORT: "abc" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ PORT: "80.5" }, "PORT"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ TASK_MODE: "cron" }, "TASK_MODE"],
    [{ SPLIT_SAMPLE_FRACTION: "0" }, "SPLIT_SAMPLE_FRACTION"],
    [{ SPLIT_SAMPLE_FRACTION: "1.5" }, "SPLIT_SAMPLE_FRACTION"],
    [{ SPLIT_SAMPLE_FRACTION: "half" }, "SPLIT_SAMPLE_FRACTION"],
    [{ TOP_FEATURES: "0" }, "TOP_FEATURES"],
    [{ TRAIN_THREADS: "-1" }, "TRAIN_THREADS"],
    [{ MAX_UPLOAD_BYTES: "1e3" }, "MAX_UPLOAD_BYTES"],
    [{ TASK_RETENTION_HOURS: "0" }, "TASK_RETENTION_HOURS"],
    [{ SIMULATION_WARMUP_SECONDS: "-3" }, "SIMULATION_WARMUP_SECONDS"],
    [{ SIMULATION_ROWS_PER_SECOND: "Infinity" }, "SIMULATION_ROWS_PER_SECOND"],
  ];
  for (const [env, variable] of cases) {
    assert.throws(
      () => loadConfig(env),
      (err: unknown) =>
        err instanceof ConfigError && err.variable === variable &&
        err.message.startsWith(`${variable}: `) && err.message.includes(Object.values(env)[0]),
      JSON.stringify(env),
    );
  }
});

Deno.test("loadConfig: an exported HOSTNAME does not change the listen address (finding 7)", () => {
  assert.equal(loadConfig({ HOSTNAME: "build-container-7f3a" }).hostname, "0.0.0.0");
  assert.equal(loadConfig({ HOSTNAME: "x", LISTEN_HOST: "127.0.0.1" }).hostname, "127.0.0.1");
});

Deno.test("loadConfig: security and limit settings", () => {
  const defaults = loadConfig({});
  assert.equal(defaults.operatorPassword, null);
  assert.equal(defaults.sessionSecret, null);
  assert.equal(defaults.sessionTtlHours, 12);
  assert.equal(defaults.trustProxy, false);
  assert.equal(defaults.uploadIdleTimeoutSeconds, 120);
  assert.equal(defaults.maxConcurrentUploads, 4);
  assert.equal(defaults.taskMaxAttempts, 3);
  const set = loadConfig({
    OPERATOR_PASSWORD: "pw",
    SESSION_SECRET: "s".repeat(32),
    SESSION_TTL_HOURS: "0.5",
    TRUST_PROXY: "true",
    UPLOAD_IDLE_SECONDS: "30",
    MAX_CONCURRENT_UPLOADS: "2",
    TASK_MAX_ATTEMPTS: "5",
  });
  assert.equal(set.operatorPassword, "pw");
  assert.equal(set.sessionSecret, "s".repeat(32));
  assert.equal(set.sessionTtlHours, 0.5);
  assert.equal(set.trustProxy, true);
  assert.equal(set.uploadIdleTimeoutSeconds, 30);
  assert.equal(set.maxConcurrentUploads, 2);
  assert.equal(set.taskMaxAttempts, 5);
  assert.throws(() => loadConfig({ TRUST_PROXY: "maybe" }), ConfigError);
  assert.throws(() => loadConfig({ MAX_CONCURRENT_UPLOADS: "0" }), ConfigError);
  assert.throws(() => loadConfig({ TASK_MAX_ATTEMPTS: "0" }), ConfigError);
});
