/**
 * In-process dispatch (`TASK_MODE=inprocess`): for hosts without KV queues (the new Deno Deploy)
 * and for tests. Deliveries run on a later macrotask over the same KV records as the queue mode;
 * if the process dies, crash recovery re-dispatches from the records.
 *
 * @module
 */
import type { DeliverFn, Dispatcher } from "./dispatcher.ts";
import { getLogger } from "../log.ts";

const log = getLogger("tasks");

/** Dispatcher that calls `deliver` on a `setTimeout(0)`. */
export class InProcessDispatcher implements Dispatcher {
  #deliver: DeliverFn | null = null;
  #timers = new Set<ReturnType<typeof setTimeout>>();
  #inflight = new Set<Promise<void>>();
  #closed = false;
  /** Ids dispatched before `start` (delivered once it is called). */
  #early: string[] = [];

  get done(): Promise<void> {
    return Promise.allSettled([...this.#inflight]).then(() => {});
  }

  start(deliver: DeliverFn): void {
    this.#deliver = deliver;
    const early = this.#early;
    this.#early = [];
    for (const id of early) this.dispatch(id);
  }

  dispatch(taskId: string): Promise<void> {
    if (this.#closed) return Promise.reject(new Error("Task dispatcher is closed"));
    // A macrotask, not a microtask: the submitting request answers before the work begins.
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      const deliver = this.#deliver;
      if (this.#closed) return;
      if (!deliver) {
        this.#early.push(taskId);
        return;
      }
      const p = deliver(taskId)
        .catch((err) => log.error(`delivery of ${taskId} failed:`, err))
        .finally(() => this.#inflight.delete(p));
      this.#inflight.add(p);
    }, 0);
    this.#timers.add(timer);
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    await Promise.allSettled([...this.#inflight]);
  }
}
