/**
 * Opening the service bag: the one KV handle, blob storage and the task runner (recovery of
 * tasks left by a previous process starts here).
 *
 * Blobs live under `<dataDir>/blobs`, beside (not around) the default KV file
 * `<dataDir>/kv.sqlite3`, so no blob listing or prefix delete can ever touch the database.
 *
 * @example
 * ```ts
 * const services = await openServices(loadConfig(Deno.env.toObject()));
 * registerPipelineTasks(services);
 * // ... serve ...
 * await services.close();
 * ```
 *
 * @module
 */
import type { Config } from "./config.ts";
import { DEFAULT_KV, isRemoteKv, KvStore } from "./kv.ts";
import type { Services } from "./services.ts";
import type { BlobStore } from "./storage/blob_store.ts";
import { blobRoot, openBlobStore } from "./storage/open_store.ts";
import { KvTaskRunner, type RunnerOptions } from "./tasks/runner.ts";

export { blobRoot };

/** Services plus their owner's handle to close them. */
export interface OpenServices extends Services {
  kv: KvStore;
  storage: BlobStore;
  tasks: KvTaskRunner;
  /** Close the runner (waiting for running handlers, bounded), then the KV. Idempotent. */
  close(): Promise<void>;
}

/** Extra knobs that are not part of `Config` (timings for tests). */
export interface OpenServicesOptions {
  tasks?: Partial<Omit<RunnerOptions, "mode" | "retentionHours">>;
}

/**
 * Open KV (`config.kvPath`), the blob store (`STORAGE_URL`, else `<config.dataDir>/blobs`, stale temp files
 * swept) and the task runner (`config.taskMode`), and run task recovery. Kinds may be
 * registered afterwards: records of a kind not registered yet are recovered when it is.
 */
export async function openServices(
  config: Config,
  opts: OpenServicesOptions = {},
): Promise<OpenServices> {
  // Processes sharing one local KV file do not see each other's writes through `watch`: poll.
  const shared = config.role !== "all" && config.kvPath !== ":memory:" &&
    config.kvPath !== DEFAULT_KV && !isRemoteKv(config.kvPath);
  const kv = await KvStore.open(config.kvPath, {
    watchPollMs: shared ? Math.min(250, config.taskPollMs) : undefined,
  });
  let tasks: KvTaskRunner | null = null;
  let blobs: Awaited<ReturnType<typeof openBlobStore>> | null = null;
  try {
    blobs = await openBlobStore(config);
    const storage = blobs.store;
    const closeBlobs = blobs.close;
    tasks = new KvTaskRunner(kv, {
      // Several processes: only records with a stale heartbeat belong to no one.
      recoverAll: config.role === "all",
      staleMs: config.taskStaleMs,
      heartbeatMs: Math.min(2000, Math.floor(config.taskStaleMs / 4)),
      claim: { pollMs: config.taskPollMs, execute: config.role !== "api" },
      maxAttempts: config.taskMaxAttempts,
      ...opts.tasks,
      mode: config.taskMode,
      retentionHours: config.taskRetentionHours,
    });
    await tasks.start();
    const runner = tasks;
    let closing: Promise<void> | null = null;
    return {
      config,
      kv,
      storage,
      tasks: runner,
      close() {
        closing ??= (async () => {
          try {
            await runner.close();
          } finally {
            kv.close();
            closeBlobs();
            await runner.done; // the queue listener ends once the KV is closed
          }
        })();
        return closing;
      },
    };
  } catch (err) {
    await tasks?.close().catch(() => {});
    kv.close();
    blobs?.close();
    await tasks?.done;
    throw err;
  }
}
