/**
 * `runInWorker`: one job in a fresh module worker, which is terminated when the job settles
 * (result, error, abort or hang timeout). Built on `WorkerClient`; the worker side uses
 * `serveWorker` (`protocol.ts`).
 *
 * @example
 * ```ts
 * const { sum } = await runInWorker<{ n: number }, { sum: number }, { done: number }>(
 *   new URL("./my_worker.ts", import.meta.url),
 *   { n: 1e9 },
 *   { signal: ctx.signal, onProgress: (p) => ctx.progress({ status: "Summing...", ...p }) },
 * );
 * ```
 *
 * @module
 */
import { type CallOptions, WorkerClient, type WorkerClientOptions } from "./client.ts";

/** Options of `runInWorker`. */
export interface RunInWorkerOptions<P> extends CallOptions<P>, WorkerClientOptions {
  /**
   * Terminate and reject with `WorkerTimeoutError` when the worker sends nothing (progress,
   * heartbeat or result) for this long. Default 60000 ms; 0 disables it.
   */
  hangTimeoutMs?: number;
}

/** Run `request` in a fresh worker loaded from `module`; resolves with its result. */
export async function runInWorker<Req, Res, P = unknown>(
  module: string | URL,
  request: Req,
  opts: RunInWorkerOptions<P> = {},
): Promise<Res> {
  const client = WorkerClient.spawn(module, {
    ...opts,
    hangTimeoutMs: opts.hangTimeoutMs ?? 60_000,
  });
  try {
    return await client.call<Req, Res, P>(request, opts);
  } finally {
    client.terminate();
  }
}
