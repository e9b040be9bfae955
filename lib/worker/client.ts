/**
 * `WorkerClient`: the owner's side of one module Web Worker speaking the `serveWorker` protocol
 * (`protocol.ts`). It gives every worker site the same guarantees:
 *
 * - typed calls (`call`) with progress forwarded in order, and calls fed a stream of inputs
 *   (`stream`), several at once on one worker (a long-lived session) or one (`runInWorker`);
 * - every failure is a rejected promise, never a hang or a crashed process: an error thrown in
 *   the worker (revived with its name, message, stack and plain fields, or as the owner's own
 *   class through `reviveError`), an uncaught `error` event, an unreadable message, an aborted
 *   `signal`, and a pending call that hears nothing for `hangTimeoutMs`;
 * - `terminate()` also stops the workers this worker started: it sets the shared cancel flag
 *   (`cancelFlag`, passed down by the worker to its own workers) before terminating;
 * - when this thread runs a worker host (`host.ts`, started at boot on the main thread), the
 *   worker is created by the host and this client talks to it over a MessageChannel, so `spawn`
 *   never blocks the caller on `new Worker`.
 *
 * @example
 * ```ts
 * const client = WorkerClient.spawn(new URL("./scorer_worker.ts", import.meta.url), {
 *   name: "scorer",
 * });
 * const ready = await client.call<InitRequest, Ready>({ kind: "init", bytes });
 * const p = await client.call<ScoreRequest, number>({ kind: "score", row });
 * client.terminate();
 * ```
 *
 * @module
 */
import type { ClientMessage, ServerMessage, WorkerErrorInfo } from "./protocol.ts";
import { activeWorkerHost } from "./host.ts";

export type { WorkerErrorInfo };

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

/** A pending call heard nothing from the worker for longer than `hangTimeoutMs`. */
export class WorkerTimeoutError extends Error {
  constructor(ms: number) {
    super(`The worker sent nothing for ${ms} ms and was terminated.`);
    this.name = "WorkerTimeoutError";
  }
}

/** Options of `WorkerClient.spawn`. */
export interface WorkerClientOptions {
  /** Worker name (shows in stack traces / inspector). */
  name?: string;
  /**
   * Terminate and reject every pending call when a pending call heard nothing (progress,
   * heartbeat or result) for this long; idle time without calls does not count. Default 0 (off).
   */
  hangTimeoutMs?: number;
  /** Aborting terminates the worker; pending and later calls reject with the signal's reason. */
  signal?: AbortSignal;
  /**
   * The cancel flag to hand to the worker. Default: a new one, set by `terminate()`. Pass the
   * flag of an enclosing worker (`io.cancelFlag`) so that ITS owner's termination reaches this
   * worker too; an inherited flag is never set by this client.
   */
  cancelFlag?: Int32Array;
  /**
   * Rebuild an error the worker threw as the owner's own class (e.g. a validation error with
   * its `line`/`column` from `info.data`). Return undefined to get the default `WorkerError`.
   */
  reviveError?: (info: WorkerErrorInfo) => Error | undefined;
}

/** Options of one call. */
export interface CallOptions<P> {
  /**
   * Called for each progress message, in order: an async callback is awaited before the next
   * one (and before the call resolves). A throwing callback rejects the call.
   */
  onProgress?: (progress: P) => void | Promise<void>;
  /** Buffers to move (not copy) into the worker with the request. */
  transfer?: Transferable[];
}

/** A call whose inputs are streamed after the request (`WorkerClient.stream`). */
export interface StreamCall<In, Res> {
  /** Post one input (buffers in `transfer` are moved). Ignored once the call has settled. */
  send(data: In, transfer?: Transferable[]): void;
  /** No more inputs. */
  end(): void;
  /** The call's result. */
  readonly result: Promise<Res>;
}

/** Where messages to the worker go, and how it is stopped (a direct Worker or a hosted one). */
interface Channel {
  post(msg: ClientMessage, transfer: Transferable[]): void;
  terminate(): void;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  onProgress?: (progress: unknown) => void | Promise<void>;
  chain: Promise<void>;
}

/** One module worker and its pending calls (see the module doc). */
export class WorkerClient {
  readonly #channel: Channel;
  readonly #pending = new Map<number, Pending>();
  readonly #opts: WorkerClientOptions;
  readonly #ownsFlag: boolean;
  #nextId = 0;
  #failure: Error | null = null;
  #hangTimer: ReturnType<typeof setTimeout> | undefined;
  /** The flag `terminate()` sets; the worker sees it as `io.cancelFlag`. */
  readonly cancelFlag: Int32Array;

  private constructor(module: string | URL, opts: WorkerClientOptions) {
    this.#opts = opts;
    this.#ownsFlag = !opts.cancelFlag;
    this.cancelFlag = opts.cancelFlag ?? new Int32Array(new SharedArrayBuffer(4));
    const onMessage = (e: MessageEvent<ServerMessage>) => this.#onMessage(e.data);
    const onMessageError = () =>
      this.#fail(new WorkerError("Could not read a message from the worker."));
    const host = activeWorkerHost();
    if (host) {
      const hosted = host.spawn(module, {
        name: opts.name,
        cancel: this.cancelFlag.buffer as SharedArrayBuffer,
        onError: (message) => this.#fail(new WorkerError(message)),
      });
      hosted.port.onmessage = onMessage;
      hosted.port.onmessageerror = onMessageError;
      this.#channel = {
        post: (msg, transfer) => hosted.port.postMessage(msg, transfer),
        terminate: () => hosted.terminate(),
      };
    } else {
      const worker = new Worker(module, { type: "module", name: opts.name });
      worker.onmessage = onMessage;
      worker.onerror = (e: ErrorEvent) => {
        // Without preventDefault an uncaught worker error would also crash this process.
        e.preventDefault();
        this.#fail(new WorkerError(e.message || "The worker failed."));
      };
      worker.onmessageerror = onMessageError;
      this.#channel = {
        post: (msg, transfer) => worker.postMessage(msg, transfer),
        terminate: () => worker.terminate(),
      };
      this.#post({ type: "init", cancel: this.cancelFlag.buffer as SharedArrayBuffer });
    }
    opts.signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  /** Start a module worker. Throws the signal's reason when it is already aborted. */
  static spawn(module: string | URL, opts: WorkerClientOptions = {}): WorkerClient {
    opts.signal?.throwIfAborted();
    return new WorkerClient(module, opts);
  }

  /** Why the worker is gone (terminated, crashed, timed out), or null while it is usable. */
  get failure(): Error | null {
    return this.#failure;
  }

  /** Send `request`; resolves with the handler's result. */
  call<Req, Res, P = unknown>(request: Req, opts: CallOptions<P> = {}): Promise<Res> {
    return this.#start<Req, Res, P>(request, opts).result;
  }

  /** Send `request`, then feed the call inputs with `send` until `end`. */
  stream<Req, In, Res, P = unknown>(
    request: Req,
    opts: CallOptions<P> = {},
  ): StreamCall<In, Res> {
    const { id, result } = this.#start<Req, Res, P>(request, opts);
    return {
      send: (data, transfer) => {
        if (this.#pending.has(id)) this.#post({ type: "input", id, data }, transfer);
      },
      end: () => {
        if (this.#pending.has(id)) this.#post({ type: "end", id });
      },
      result,
    };
  }

  /**
   * Terminate the worker (setting the cancel flag it owns first, so the workers it started
   * exit too); pending and later calls reject with `reason`. Safe to call twice.
   */
  terminate(reason: unknown = new WorkerError("The worker was terminated.")): void {
    this.#fail(reason);
  }

  #start<Req, Res, P>(request: Req, opts: CallOptions<P>): { id: number; result: Promise<Res> } {
    const id = this.#nextId++;
    if (this.#failure) return { id, result: Promise.reject(this.#failure) };
    const result = new Promise<Res>((resolve, reject) => {
      this.#pending.set(id, {
        resolve: resolve as (v: unknown) => void,
        reject,
        onProgress: opts.onProgress as Pending["onProgress"],
        chain: Promise.resolve(),
      });
    });
    if (this.#pending.size === 1) this.#armHangTimer();
    this.#post({ type: "call", id, request }, opts.transfer);
    return { id, result };
  }

  #post(msg: ClientMessage, transfer: Transferable[] = []): void {
    try {
      this.#channel.post(msg, transfer);
    } catch (err) {
      this.#fail(err);
    }
  }

  #onMessage(msg: ServerMessage): void {
    if (this.#failure) return;
    this.#armHangTimer();
    if (msg?.type === "heartbeat") return;
    const call = msg && "id" in msg ? this.#pending.get(msg.id) : undefined;
    if (!call) {
      // A late message of a call that already settled (e.g. its onProgress threw) is dropped.
      const known = msg && "id" in msg && msg.id >= 0 && msg.id < this.#nextId;
      if (!known) this.#fail(new WorkerError("The worker sent an unknown message."));
      return;
    }
    const settle = (fn: () => void) =>
      call.chain.then(() => {
        if (this.#pending.delete(msg.id)) {
          if (this.#pending.size === 0) clearTimeout(this.#hangTimer);
          fn();
        }
      });
    switch (msg.type) {
      case "progress":
        if (call.onProgress) {
          const onProgress = call.onProgress;
          call.chain = call.chain.then(() => {
            if (this.#pending.has(msg.id)) return onProgress(msg.progress);
          }).catch((err) => {
            if (this.#pending.delete(msg.id)) call.reject(err);
          });
        }
        break;
      case "result":
        settle(() => call.resolve(msg.result));
        break;
      case "error": {
        const { name, message, stack, data } = msg;
        settle(() => call.reject(this.#revive({ name, message, stack, data: data ?? {} })));
        break;
      }
      default:
        this.#fail(new WorkerError("The worker sent an unknown message."));
    }
  }

  #armHangTimer(): void {
    const ms = this.#opts.hangTimeoutMs ?? 0;
    clearTimeout(this.#hangTimer);
    if (ms <= 0 || this.#pending.size === 0) return;
    this.#hangTimer = setTimeout(() => this.#fail(new WorkerTimeoutError(ms)), ms);
  }

  #onAbort = () => this.#fail(this.#opts.signal!.reason);

  #fail(reason: unknown): void {
    if (this.#failure) return;
    this.#failure = reason instanceof Error ? reason : new WorkerError(String(reason));
    clearTimeout(this.#hangTimer);
    this.#opts.signal?.removeEventListener("abort", this.#onAbort);
    if (this.#ownsFlag) Atomics.store(this.cancelFlag, 0, 1);
    this.#channel.terminate();
    const calls = [...this.#pending.values()];
    this.#pending.clear();
    for (const c of calls) c.reject(reason);
  }

  /** The owner's error for a worker-side one; a failing reviver must not lose the error. */
  #revive(info: WorkerErrorInfo): Error {
    try {
      const err = this.#opts.reviveError?.(info);
      if (err) return err;
    } catch (err) {
      console.error("WorkerClient: reviveError failed:", err);
    }
    return new WorkerError(info.message, info.stack, info);
  }
}
