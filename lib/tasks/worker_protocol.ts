/**
 * The message protocol between `runInWorker` (main side) and `serveWorker` (inside the worker),
 * and the worker-side helper. A worker module does:
 *
 * ```ts
 * // my_worker.ts
 * import { serveWorker } from "../tasks/worker_protocol.ts";
 * serveWorker<{ n: number }, { sum: number }, { done: number }>(async (req, io) => {
 *   let sum = 0;
 *   for (let i = 0; i < req.n; i++) {
 *     sum += i;
 *     if (i % 1_000_000 === 0) io.progress({ done: i }); // also proves liveness
 *   }
 *   return { sum };
 * });
 * ```
 *
 * This module must stay importable from a worker: no KV, no files, no Deno-only main APIs.
 *
 * @module
 */

/** Main → worker. */
export interface RunMessage<Req> {
  type: "run";
  request: Req;
}

/**
 * A worker-side error as it crosses to the main side: its class name, message, stack and its own
 * plain fields (e.g. `line`, `column`, `status` of a validation error), so the caller can rebuild
 * an error of the right class (`runInWorker`'s `reviveError`).
 */
export interface WorkerErrorInfo {
  name: string;
  message: string;
  stack?: string;
  /** Own enumerable fields of the error whose values are string, number, boolean or null. */
  data: Record<string, string | number | boolean | null>;
}

/** Worker → main. */
export type WorkerMessage<Res, P> =
  | { type: "progress"; progress: P }
  | { type: "heartbeat" }
  | { type: "result"; result: Res }
  | ({ type: "error" } & WorkerErrorInfo);

/** Describe a thrown value for the main side (only plain fields: they must survive cloning). */
export function errorInfo(err: unknown): WorkerErrorInfo {
  const e = err instanceof Error ? err : new Error(String(err));
  const data: WorkerErrorInfo["data"] = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === "name" || k === "message" || k === "stack") continue;
    if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
      data[k] = v;
    }
  }
  return { name: e.name, message: e.message, stack: e.stack, data };
}

/** What a worker handler can report while it works. */
export interface WorkerIO<P> {
  /** Send a progress object to the main side (also counts as a heartbeat). */
  progress(progress: P): void;
  /** Prove liveness without progress (resets the main side's hang timer). */
  heartbeat(): void;
}

interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent) => void) | null;
}

/**
 * Serve one handler inside a worker. Each `run` message is answered by a `result` (with the
 * buffers `transfer(result)` names moved, not copied — computed per result) or an `error`
 * message carrying `errorInfo(err)`.
 */
export function serveWorker<Req, Res, P = unknown>(
  handler: (request: Req, io: WorkerIO<P>) => Res | Promise<Res>,
  opts: { transfer?: (result: Res) => Transferable[] } = {},
): void {
  const scope = globalThis as unknown as WorkerScope;
  const post = (msg: WorkerMessage<Res, P>, transfer?: Transferable[]) =>
    scope.postMessage(msg, transfer ?? []);
  const io: WorkerIO<P> = {
    progress: (progress) => post({ type: "progress", progress }),
    heartbeat: () => post({ type: "heartbeat" }),
  };
  scope.onmessage = async (e: MessageEvent) => {
    const msg = e.data as RunMessage<Req>;
    if (!msg || msg.type !== "run") return;
    try {
      const result = await handler(msg.request, io);
      post({ type: "result", result }, opts.transfer?.(result));
    } catch (err) {
      post({ type: "error", ...errorInfo(err) });
    }
  };
}
