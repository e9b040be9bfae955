/**
 * The worker host: one long-lived worker, started once off the request path (at boot), that
 * creates every other worker the main thread needs. `new Worker` blocks its caller until the new
 * isolate is built (52–163 ms measured on the main thread, `bench/worker_spawn.ts`); through the
 * host that wait is on the host's thread, and the main thread only posts a message. The owner
 * and its worker then talk directly over a `MessageChannel` (no relay, buffers still moved); the
 * host forwards the child's uncaught errors and terminates it on request. The cancel flag (a
 * SharedArrayBuffer) reaches the child in its init message as before.
 *
 * `WorkerClient.spawn` uses the host when one is running in this thread (`startWorkerHost`), and
 * creates the worker itself otherwise (inside workers, in tests, in scripts).
 *
 * The host keeps two started workers ready (`host_worker.ts`, `shell_worker.ts`): a started
 * worker adopts the requested module in 6–16 ms, while a worker started by a worker needs about a
 * second (Deno 2.9). A burst that empties the pool waits for that second, still off this thread.
 * A worker the host started spawns through the same host (its init message carries a link), so
 * nested workers — a training's histogram helper — start from the pool as well.
 * Pooled workers are all named "worker-pool" (a Worker's name is fixed when it starts).
 *
 * @example
 * ```ts
 * startWorkerHost(); // at boot, before serving requests
 * const client = WorkerClient.spawn(new URL("./my_worker.ts", import.meta.url)); // via the host
 * // ...
 * stopWorkerHost(); // at shutdown
 * ```
 *
 * @module
 */
import type { HostReply, HostRequest } from "./host_protocol.ts";

/** A worker started by the host: the owner's end of its channel, and how to stop it. */
export interface HostedWorker {
  readonly port: MessagePort;
  /** Close the channel and have the host terminate the worker. Safe to call twice. */
  terminate(): void;
}

/** Options of `WorkerHost.spawn`. */
export interface HostedSpawnOptions {
  name?: string;
  /** The cancel flag the worker receives in its init message. */
  cancel: SharedArrayBuffer;
  /** The worker had an uncaught error, could not start, or the host itself failed. */
  onError: (message: string) => void;
}

/** How a `WorkerHost` reaches the host worker: its Worker, or a worker's link port. */
interface HostTransport {
  post(msg: HostRequest, transfer: Transferable[]): void;
  close(): void;
}

/**
 * The host worker as seen from one thread, with the children it started for this thread (see
 * the module doc). On the main thread it owns the host worker; in a worker the host started, it
 * talks to the same host over the link that worker was given (`useRemoteWorkerHost`).
 */
export class WorkerHost {
  readonly #transport: HostTransport;
  readonly #children = new Map<number, HostedSpawnOptions["onError"]>();
  #nextId = 0;
  #failure: string | null = null;
  #warm = Promise.withResolvers<boolean>();

  constructor(link?: MessagePort) {
    const onReply = (e: MessageEvent<HostReply>) => {
      if (e.data?.type === "error") this.#children.get(e.data.id)?.(e.data.message);
      else if (e.data?.type === "warm") this.#warm.resolve(true);
    };
    if (link) {
      link.onmessage = onReply;
      link.onmessageerror = () => this.#fail("Could not read a message from the worker host.");
      this.#transport = {
        post: (msg, transfer) => link.postMessage(msg, transfer),
        close: () => link.close(),
      };
      return;
    }
    const worker = new Worker(new URL("./host_worker.ts", import.meta.url), {
      type: "module",
      name: "worker-host",
    });
    worker.onmessage = onReply;
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.#fail(`The worker host failed: ${e.message}`);
    };
    worker.onmessageerror = () => this.#fail("Could not read a message from the worker host.");
    this.#transport = {
      post: (msg, transfer) => worker.postMessage(msg, transfer),
      close: () => worker.terminate(),
    };
  }

  /**
   * Resolves true once every worker of the host's pool has started (a spawn then takes
   * milliseconds instead of the ~1 s a worker needs to start), false if `timeoutMs` passes
   * first or the host failed. Only the main thread's host reports this.
   *
   * @example
   * ```ts
   * const host = startWorkerHost();
   * await host.whenWarm(5000); // before serving requests
   * ```
   */
  async whenWarm(timeoutMs: number): Promise<boolean> {
    if (this.#failure) return false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await Promise.race([
        this.#warm.promise,
        new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(false), timeoutMs)),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Why the host is gone, or null while it can start workers. */
  get failure(): string | null {
    return this.#failure;
  }

  /** Have the host start a module worker; returns at once (the worker loads on its own). */
  spawn(module: string | URL, opts: HostedSpawnOptions): HostedWorker {
    const id = this.#nextId++;
    const { port1, port2 } = new MessageChannel();
    let closed = false;
    const terminate = () => {
      if (closed) return;
      closed = true;
      this.#children.delete(id);
      port1.close();
      if (!this.#failure) this.#post({ type: "terminate", id });
    };
    if (this.#failure) {
      const failure = this.#failure;
      queueMicrotask(() => opts.onError(failure));
      return { port: port1, terminate };
    }
    this.#children.set(id, opts.onError);
    this.#post({
      type: "spawn",
      id,
      module: String(module),
      name: opts.name,
      cancel: opts.cancel,
      port: port2,
    }, [port2]);
    return { port: port1, terminate };
  }

  /** Terminate the host and every worker it started (their owners hear an error). */
  close(): void {
    this.#fail("The worker host was closed.");
  }

  #post(msg: HostRequest, transfer: Transferable[] = []): void {
    try {
      this.#transport.post(msg, transfer);
    } catch (err) {
      this.#fail(`The worker host is unreachable: ${err}`);
    }
  }

  #fail(reason: string): void {
    if (this.#failure) return;
    this.#failure = reason;
    this.#warm.resolve(false);
    this.#transport.close();
    const owners = [...this.#children.values()];
    this.#children.clear();
    for (const onError of owners) onError(reason);
  }
}

let active: WorkerHost | null = null;
/** In a worker the host started: the host over that worker's link. */
let remote: WorkerHost | null = null;

/**
 * Start this thread's worker host (idempotent); `WorkerClient.spawn` then starts workers through
 * it. Call it at boot, off the request path: this one `new Worker` blocks like any other.
 */
export function startWorkerHost(): WorkerHost {
  if (!active || active.failure) active = new WorkerHost();
  return active;
}

/** Stop this thread's worker host and the workers it started; later spawns are direct again. */
export function stopWorkerHost(): void {
  active?.close();
  active = null;
}

/**
 * In a worker the host started (`serveWorker` calls this with its init message's link): this
 * thread's spawns go to that host, whose pool starts them in milliseconds.
 */
export function useRemoteWorkerHost(link: MessagePort): void {
  remote?.close();
  remote = new WorkerHost(link);
}

/**
 * The running host of this thread, or null when none was started (then `WorkerClient` starts
 * workers itself). A host this thread started and that failed is replaced (once per failure:
 * that restart blocks like a direct spawn); a failed remote host is not (spawns go direct).
 */
export function activeWorkerHost(): WorkerHost | null {
  if (active?.failure) {
    console.error(`${active.failure} Starting a new worker host.`);
    active = new WorkerHost();
  }
  if (active) return active;
  return remote && !remote.failure ? remote : null;
}
