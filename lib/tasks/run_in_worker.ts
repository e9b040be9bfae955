/**
 * Run CPU-heavy work in a module Web Worker so the HTTP side stays responsive: typed request and
 * response, progress messages, cancellation (the worker is terminated when the signal aborts),
 * errors propagated as rejected promises (a thrown error, an uncaught `error` event, a
 * `messageerror`), and hang detection (no message for `hangTimeoutMs` → terminate + reject).
 * The worker side uses `serveWorker` from `worker_protocol.ts`.
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
import type { RunMessage, WorkerErrorInfo, WorkerMessage } from "./worker_protocol.ts";

export type { WorkerErrorInfo };

/** Options of `runInWorker`. */
export interface RunInWorkerOptions<P> {
  /** Aborting terminates the worker and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called for each progress message (errors it throws are logged, not fatal). */
  onProgress?: (progress: P) => void | Promise<void>;
  /**
   * Terminate and reject with `WorkerTimeoutError` when the worker sends nothing (progress,
   * heartbeat or result) for this long. Default 60000 ms; 0 disables it.
   */
  hangTimeoutMs?: number;
  /** Buffers to move (not copy) into the worker with the request. */
  transfer?: Transferable[];
  /** Worker name (shows in stack traces / inspector). */
  name?: string;
  /**
   * Rebuild an error the worker threw as the caller's own class (e.g. a validation error with
   * its `line`/`column` from `info.data`). Return undefined to get the default `WorkerError`.
   */
  reviveError?: (info: WorkerErrorInfo) => Error | undefined;
}

/** The worker failed: it threw, had an uncaught error, or sent an unreadable message. */
export class WorkerError extends Error {
  constructor(
    message: string,
    readonly workerStack?: string,
    /** What the worker threw (name and plain fields), when it threw. */
    readonly info?: WorkerErrorInfo,
  ) {
    super(message);
    this.name = "WorkerError";
  }
}

/** The worker went silent for longer than `hangTimeoutMs`. */
export class WorkerTimeoutError extends Error {
  constructor(ms: number) {
    super(`The worker sent nothing for ${ms} ms and was terminated.`);
    this.name = "WorkerTimeoutError";
  }
}

/** Run `request` in a fresh worker loaded from `module`; resolves with its result. */
export function runInWorker<Req, Res, P = unknown>(
  module: string | URL,
  request: Req,
  opts: RunInWorkerOptions<P> = {},
): Promise<Res> {
  const signal = opts.signal;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const hangMs = opts.hangTimeoutMs ?? 60_000;

  return new Promise<Res>((resolve, reject) => {
    const worker = new Worker(module, { type: "module", name: opts.name });
    let hangTimer: ReturnType<typeof setTimeout> | undefined;
    let settled = false;

    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(hangTimer);
      signal?.removeEventListener("abort", onAbort);
      worker.terminate();
      fn();
    };
    const armHangTimer = () => {
      if (hangMs <= 0) return;
      clearTimeout(hangTimer);
      hangTimer = setTimeout(() => settle(() => reject(new WorkerTimeoutError(hangMs))), hangMs);
    };
    const onAbort = () => settle(() => reject(signal!.reason));

    worker.onmessage = (e: MessageEvent<WorkerMessage<Res, P>>) => {
      const msg = e.data;
      armHangTimer();
      switch (msg?.type) {
        case "progress":
          try {
            Promise.resolve(opts.onProgress?.(msg.progress)).catch((err) =>
              console.error("runInWorker: onProgress failed:", err)
            );
          } catch (err) {
            console.error("runInWorker: onProgress failed:", err);
          }
          break;
        case "heartbeat":
          break;
        case "result":
          settle(() => resolve(msg.result));
          break;
        case "error": {
          const info: WorkerErrorInfo = {
            name: msg.name,
            message: msg.message,
            stack: msg.stack,
            data: msg.data ?? {},
          };
          settle(() => reject(revive(info, opts.reviveError)));
          break;
        }
        default:
          settle(() => reject(new WorkerError("The worker sent an unknown message.")));
      }
    };
    worker.onerror = (e: ErrorEvent) => {
      // Without preventDefault an uncaught worker error would also crash this process.
      e.preventDefault();
      settle(() => reject(new WorkerError(e.message || "The worker failed.")));
    };
    worker.onmessageerror = () => {
      settle(() => reject(new WorkerError("Could not read a message from the worker.")));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    armHangTimer();
    try {
      worker.postMessage({ type: "run", request } satisfies RunMessage<Req>, opts.transfer ?? []);
    } catch (err) {
      settle(() => reject(err));
    }
  });
}

/** The caller's error for a worker-side one; a failing reviver must not lose the error. */
function revive(info: WorkerErrorInfo, reviver?: (info: WorkerErrorInfo) => Error | undefined) {
  try {
    const err = reviver?.(info);
    if (err) return err;
  } catch (err) {
    console.error("runInWorker: reviveError failed:", err);
  }
  return new WorkerError(info.message, info.stack, info);
}
