/**
 * Messages between the main thread's `WorkerHost` (`host.ts`), its worker (`host_worker.ts`) and
 * the host's pooled workers (`shell_worker.ts`).
 *
 * @module
 */

/** Owner (the main thread, or a worker over its host link) → host. */
export type HostRequest =
  | {
    type: "spawn";
    id: number;
    /** Module URL (href) of the worker to start. */
    module: string;
    /** Not applied: pooled workers are started before their name is known. */
    name?: string;
    /** The cancel flag handed to the worker in its init message. */
    cancel: SharedArrayBuffer;
    /** The worker's end of the channel its owner talks on (transferred). */
    port: MessagePort;
  }
  | { type: "terminate"; id: number };

/**
 * Host → owner: a worker had an uncaught error, or could not be started; or (to the main thread,
 * once) every worker of the pool has started, so spawns from now on take milliseconds.
 */
export type HostReply = { type: "error"; id: number; message: string } | { type: "warm" };

/** Host → pooled worker, over its control port: become `module`. */
export interface AdoptRequest {
  module: string;
  cancel: SharedArrayBuffer;
  port: MessagePort;
  /** The worker's link to the host, for the workers it starts itself (`HostRequest`s). */
  host: MessagePort;
}

/** Pooled worker → host: it has started and waits for its module; or that module failed to load. */
export type ShellReply = { type: "ready" } | { type: "error"; message: string };
