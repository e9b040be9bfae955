/**
 * Web Workers for CPU-heavy work, one protocol for every worker site: typed calls with progress,
 * streamed inputs, cancellation (also of nested workers, through a shared cancel flag), a hang
 * timeout and errors revived with their fields. App-independent: `lib/data` and `lib/ml` use it.
 *
 * - owner side: `WorkerClient` (a worker and its calls), `runInWorker` (one job, one worker);
 * - worker side: `serveWorker`.
 *
 * @module
 */
export {
  type CallOptions,
  type StreamCall,
  WorkerClient,
  type WorkerClientOptions,
  WorkerError,
  WorkerTimeoutError,
} from "./client.ts";
export { runInWorker, type RunInWorkerOptions } from "./run.ts";
export { errorInfo, serveWorker, type WorkerErrorInfo, type WorkerIO } from "./protocol.ts";
