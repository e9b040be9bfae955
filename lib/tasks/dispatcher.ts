/**
 * How a task id reaches the runner's `deliver`: through the Deno KV queue or in-process.
 * Both call the same `deliver`, so the execution path is identical in both modes.
 *
 * @module
 */

/** Called with a task id for each delivery; must be idempotent (deliveries may repeat). */
export type DeliverFn = (taskId: string) => Promise<void>;

/** A delivery mechanism. */
export interface Dispatcher {
  /** Begin delivering (the queue dispatcher starts `listenQueue` here). */
  start(deliver: DeliverFn): void;
  /** Schedule one delivery of `taskId`. */
  dispatch(taskId: string): Promise<void>;
  /** Stop scheduling and wait for in-flight deliveries. */
  close(): Promise<void>;
  /**
   * Settles once the dispatcher released every resource. The queue listener only ends when its
   * KV handle is closed, so close the KV before awaiting this.
   */
  readonly done: Promise<void>;
}
