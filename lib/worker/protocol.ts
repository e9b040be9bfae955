/**
 * The message protocol between `WorkerClient` (the owner's side, `client.ts`) and `serveWorker`
 * (inside the worker), and the worker-side helper. A worker module does:
 *
 * ```ts
 * // my_worker.ts
 * import { serveWorker } from "../worker/protocol.ts";
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
 * One worker serves any number of calls (a long-lived session such as an ONNX scorer) or one
 * (`runInWorker`). A call may receive a stream of inputs after its request (`io.input()`), for
 * work fed while it runs. Every worker gets its owner's cancel flag (`io.cancelFlag`): a shared
 * Int32 that the owner sets when it terminates the worker, so workers this worker started (which
 * `terminate()` does not reach) can see it and exit.
 *
 * This module must stay importable from a worker: no KV, no files, no app imports.
 *
 * @module
 */
import { lowerThreadPriority } from "./priority.ts";
import { useRemoteWorkerHost } from "./host.ts";

/**
 * Owner → worker. `init` comes first, once; from a worker host (`host.ts`) it carries the port
 * that every later message comes on and every reply goes to.
 */
export type ClientMessage<Req = unknown, In = unknown> =
  | { type: "init"; cancel: SharedArrayBuffer; port?: MessagePort; host?: MessagePort }
  | { type: "call"; id: number; request: Req }
  | { type: "input"; id: number; data: In }
  | { type: "end"; id: number };

/**
 * A worker-side error as it crosses to the owner: its class name, message, stack and its own
 * plain fields (e.g. `line`, `column`, `status` of a validation error), so the owner can rebuild
 * an error of the right class (`reviveError`).
 */
export interface WorkerErrorInfo {
  name: string;
  message: string;
  stack?: string;
  /** Own enumerable fields of the error whose values are string, number, boolean or null. */
  data: Record<string, string | number | boolean | null>;
}

/** Worker → owner. */
export type ServerMessage<Res = unknown, P = unknown> =
  | { type: "progress"; id: number; progress: P }
  | { type: "heartbeat" }
  | { type: "result"; id: number; result: Res }
  | ({ type: "error"; id: number } & WorkerErrorInfo);

/** Describe a thrown value for the owner (only plain fields: they must survive cloning). */
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

/** What a worker handler can use while it works on one call. */
export interface WorkerIO<P, In = never> {
  /**
   * Send a progress object to the owner (also counts as a heartbeat); `transfer` moves buffers
   * instead of copying them (e.g. handing a consumed input buffer back for reuse).
   */
  progress(progress: P, transfer?: Transferable[]): void;
  /** Prove liveness without progress (resets the owner's hang timer). */
  heartbeat(): void;
  /** The inputs the owner streams to this call (`WorkerClient.stream`), until it ends them. */
  input(): AsyncIterableIterator<In>;
  /** The owner's cancel flag: non-zero once the owner gave up on this worker. */
  readonly cancelFlag: Int32Array;
}

interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent) => void) | null;
}

/** Inputs of one call: a queue read by `io.input()`. */
class Inbox<In> {
  #queue: In[] = [];
  #ended = false;
  #wake: (() => void) | null = null;

  push(data: In): void {
    this.#queue.push(data);
    this.#notify();
  }
  end(): void {
    this.#ended = true;
    this.#notify();
  }
  #notify(): void {
    const w = this.#wake;
    this.#wake = null;
    w?.();
  }
  async *read(): AsyncIterableIterator<In> {
    for (;;) {
      while (this.#queue.length === 0 && !this.#ended) {
        await new Promise<void>((r) => (this.#wake = r));
      }
      if (this.#queue.length === 0) return;
      yield this.#queue.shift()!;
    }
  }
}

/**
 * Serve `handler` inside a worker. Each call is answered by a `result` (with the buffers
 * `transfer(result)` names moved, not copied) or an `error` carrying `errorInfo(err)`.
 */
export function serveWorker<Req, Res, P = unknown, In = never>(
  handler: (request: Req, io: WorkerIO<P, In>) => Res | Promise<Res>,
  opts: {
    transfer?: (result: Res) => Transferable[];
    /** `"background"`: run below the server thread (`priority.ts`); for CPU-bound workers. */
    priority?: "background";
  } = {},
): void {
  if (opts.priority === "background") lowerThreadPriority();
  const scope = globalThis as unknown as WorkerScope;
  /** The worker's own scope, or the port a worker host's init handed over. */
  let channel: Pick<WorkerScope, "postMessage"> = scope;
  const post = (msg: ServerMessage<Res, P>, transfer?: Transferable[]) =>
    channel.postMessage(msg, transfer ?? []);
  let cancelFlag: Int32Array = new Int32Array(1);
  const inboxes = new Map<number, Inbox<In>>();
  const inbox = (id: number) => {
    let box = inboxes.get(id);
    if (!box) inboxes.set(id, box = new Inbox<In>());
    return box;
  };
  const onMessage = async (e: MessageEvent) => {
    const msg = e.data as ClientMessage<Req, In>;
    switch (msg?.type) {
      case "init":
        cancelFlag = new Int32Array(msg.cancel);
        if (msg.port) {
          channel = msg.port;
          msg.port.onmessage = onMessage;
        }
        if (msg.host) useRemoteWorkerHost(msg.host);
        return;
      case "input":
        inbox(msg.id).push(msg.data);
        return;
      case "end":
        inbox(msg.id).end();
        return;
      case "call":
        break;
      default:
        return;
    }
    const id = msg.id;
    const io: WorkerIO<P, In> = {
      progress: (progress, transfer) => post({ type: "progress", id, progress }, transfer),
      heartbeat: () => post({ type: "heartbeat" }),
      input: () => inbox(id).read(),
      cancelFlag,
    };
    try {
      const result = await handler(msg.request, io);
      post({ type: "result", id, result }, opts.transfer?.(result));
    } catch (err) {
      post({ type: "error", id, ...errorInfo(err) });
    } finally {
      inboxes.delete(id);
    }
  };
  scope.onmessage = onMessage;
}
