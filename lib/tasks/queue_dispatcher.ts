/**
 * Dispatch through the Deno KV queue (`TASK_MODE=queue`).
 *
 * Deno KV delivers at least once, unordered, without a concurrency limit, and its default retry
 * schedule is slow, so messages carry only `{ taskId }`, the schedule is explicit and the runner's
 * `deliver` is idempotent. A message still undelivered after the retries lands at
 * `["dead_letter", taskId]`, which crash recovery turns into a FAILURE. `listenQueue` may be
 * called once per KV handle and keeps the process alive until the handle is closed.
 *
 * @module
 */
import type { KvStore } from "../kv.ts";
import { deadLetterKey } from "./records.ts";
import type { DeliverFn, Dispatcher } from "./dispatcher.ts";
import { getLogger } from "../log.ts";

const log = getLogger("tasks");

/** Queue retry delays in ms (two retries, then dead letter). */
export const QUEUE_BACKOFF = [1000, 5000];

/** The queue message: an id only (records stay the single source of truth). */
export interface TaskMessage {
  taskId: string;
}

function isTaskMessage(v: unknown): v is TaskMessage {
  return typeof v === "object" && v !== null && typeof (v as TaskMessage).taskId === "string";
}

/** Dispatcher over `kv.enqueue` / `kv.listenQueue`. */
export class QueueDispatcher implements Dispatcher {
  #done: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(readonly kv: KvStore) {}

  get done(): Promise<void> {
    return this.#done;
  }

  start(deliver: DeliverFn): void {
    this.#done = this.kv.raw.listenQueue(async (msg: unknown) => {
      // Unknown messages are dropped (acked): retrying them can never succeed.
      if (!isTaskMessage(msg) || this.#closed) return;
      // A throw here makes the queue redeliver (KV errors only: deliver catches handler errors).
      await deliver(msg.taskId);
    }).catch((err) => {
      if (!this.kv.closed) log.error("queue listener failed:", err);
    });
  }

  async dispatch(taskId: string): Promise<void> {
    const res = await this.kv.raw.enqueue({ taskId } satisfies TaskMessage, {
      backoffSchedule: QUEUE_BACKOFF,
      keysIfUndelivered: [deadLetterKey(taskId)],
    });
    if (!res.ok) throw new Error(`Could not enqueue task ${taskId}`);
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }
}
