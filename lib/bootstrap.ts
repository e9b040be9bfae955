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
import { join } from "node:path";
import type { Config } from "./config.ts";
import { KvStore } from "./kv.ts";
import type { Services } from "./services.ts";
import { LocalBlobStore } from "./storage/local_store.ts";
import { KvTaskRunner, type RunnerOptions } from "./tasks/runner.ts";

/** Services plus their owner's handle to close them. */
export interface OpenServices extends Services {
  kv: KvStore;
  storage: LocalBlobStore;
  tasks: KvTaskRunner;
  /** Close the runner (waiting for running handlers, bounded), then the KV. Idempotent. */
  close(): Promise<void>;
}

/** Extra knobs that are not part of `Config` (timings for tests). */
export interface OpenServicesOptions {
  tasks?: Partial<Omit<RunnerOptions, "mode" | "retentionHours">>;
}

/** Blob root for a data dir. */
export function blobRoot(dataDir: string): string {
  return join(dataDir, "blobs");
}

/**
 * Open KV (`config.kvPath`), the local blob store (`<config.dataDir>/blobs`, stale temp files
 * swept) and the task runner (`config.taskMode`), and run task recovery. Kinds may be
 * registered afterwards: records of a kind not registered yet are recovered when it is.
 */
export async function openServices(
  config: Config,
  opts: OpenServicesOptions = {},
): Promise<OpenServices> {
  const kv = await KvStore.open(config.kvPath);
  let tasks: KvTaskRunner | null = null;
  try {
    const storage = await LocalBlobStore.open(blobRoot(config.dataDir));
    tasks = new KvTaskRunner(kv, {
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
            await runner.done; // the queue listener ends once the KV is closed
          }
        })();
        return closing;
      },
    };
  } catch (err) {
    await tasks?.close().catch(() => {});
    kv.close();
    await tasks?.done;
    throw err;
  }
}
