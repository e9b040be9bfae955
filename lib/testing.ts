/**
 * Test helpers: a complete `Config` with test-friendly values and a scoped service bag
 * (temp dir storage, `:memory:` KV, in-process task runner) that is closed and removed after the
 * test, so Deno's resource/op sanitizers pass.
 *
 * @example
 * ```ts
 * Deno.test("uploads a dataset", () =>
 *   withTestServices(async (services) => {
 *     const handler = (await createApp(services)).handler();
 *     const res = await handler(new Request("http://localhost/"));
 *     assert.equal(res.status, 200);
 *   }));
 * ```
 *
 * @module
 */
import type { Config } from "./config.ts";
import { type OpenServices, openServices, type OpenServicesOptions } from "./bootstrap.ts";

/**
 * A full `Config` for tests: production defaults except `kvPath: ":memory:"`,
 * `taskMode: "inprocess"`, `port: 0`, `hostname: "127.0.0.1"`, `logLevel: "warn"`, and a
 * `dataDir` that callers should override (`withTestServices` sets a fresh temp dir).
 */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    hostname: "127.0.0.1",
    dataDir: "./storage-test",
    kvPath: ":memory:",
    apiToken: null,
    logLevel: "warn",
    taskMode: "inprocess",
    taskRetentionHours: 168,
    maxUploadBytes: 5 * 1024 ** 3,
    timestampColumn: null,
    topFeatures: 100,
    splitSampleFraction: 1,
    simulationWarmupSeconds: 10,
    simulationRowsPerSecond: 1,
    trainThreads: 2,
    operatorPassword: null,
    sessionSecret: null,
    sessionTtlHours: 12,
    trustProxy: false,
    uploadIdleTimeoutSeconds: 120,
    maxConcurrentUploads: 4,
    taskMaxAttempts: 3,
    ...overrides,
  };
}

/**
 * Run `fn` with fresh services: a temp `dataDir` (unless overridden), `:memory:` KV unless
 * `kvPath` is overridden, in-process tasks unless `taskMode` is overridden. Everything is closed
 * and the temp dir removed afterwards, also when `fn` throws. Running tasks get 2 s to finish
 * at close before they are aborted.
 */
export async function withTestServices<T = void>(
  fn: (services: OpenServices) => Promise<T>,
  overrides: Partial<Config> = {},
  opts: OpenServicesOptions = {},
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "qc-test-" });
  try {
    const config = testConfig({ dataDir: dir, ...overrides });
    const services = await openServices(config, {
      ...opts,
      tasks: { closeTimeoutMs: 2000, ...opts.tasks },
    });
    try {
      return await fn(services);
    } finally {
      await services.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/**
 * Poll `cond` every `everyMs` until it holds; throws after `timeoutMs` naming `what`, so a test
 * waiting for a state never hangs.
 *
 * @example
 * ```ts
 * await pollUntil(async () => (await tasks.get(id))?.state === "PROGRESS", "task in PROGRESS");
 * ```
 */
export async function pollUntil(
  cond: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
  everyMs = 10,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
