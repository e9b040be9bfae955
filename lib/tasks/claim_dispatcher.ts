/**
 * Claim dispatch (`TASK_MODE=claim`): for several processes sharing one KV database without KV
 * queues (the new Deno Deploy has none; over KV Connect `enqueue` throws). The PENDING record
 * itself is the work item:
 *
 * - `dispatch` (any process, e.g. the `api` role) only bumps `["task_wakeup"]`, a hint.
 * - An executing process (the `worker` role) scans the active-task index whenever that key
 *   changes (`kv.watch`, where watch sees other processes' writes: same process, KV Connect)
 *   and at least every `pollMs` (where it does not: two processes on one SQLite file). It hands
 *   every PENDING record, and every running record whose heartbeat is older than `staleMs`
 *   (its process died), to the runner's `deliver`, which claims it with a versionstamp-checked
 *   commit — so of several workers exactly one runs each task — or settles a stale
 *   non-resumable one as FAILURE.
 *
 * @module
 */
import type { KvStore } from "../kv.ts";
import type { DeliverFn, Dispatcher } from "./dispatcher.ts";
import { isFinal, taskKey } from "./records.ts";
import type { TaskRecord } from "./types.ts";
import { getLogger } from "../log.ts";

const log = getLogger("tasks");

/** Written by `dispatch` to wake executing processes. */
export const WAKEUP_KEY: Deno.KvKey = ["task_wakeup"];

/** Settings of a claim dispatcher. */
export interface ClaimOptions {
  /** Scan at least this often (ms). */
  pollMs: number;
  /** A running record with an older heartbeat is handed to `deliver` for recovery (ms). */
  staleMs: number;
  /** False for a process that only creates tasks (the `api` role): `start` runs nothing. */
  execute: boolean;
}

/** Dispatcher over PENDING records, claimed by whichever executing process gets there first. */
export class ClaimDispatcher implements Dispatcher {
  #closed = false;
  #loop: Promise<void> = Promise.resolve();
  #wake: (() => void) | null = null;
  #watch: ReadableStreamDefaultReader<unknown> | null = null;

  constructor(readonly kv: KvStore, readonly opts: ClaimOptions) {}

  get done(): Promise<void> {
    return this.#loop;
  }

  start(deliver: DeliverFn): void {
    if (!this.opts.execute || this.#closed) return;
    this.#watch = this.kv.raw.watch([WAKEUP_KEY]).getReader();
    const watching = (async () => {
      try {
        while (!this.#closed) {
          const { done } = await this.#watch!.read();
          if (done) return;
          this.#wake?.();
        }
      } catch { /* KV closed */ }
    })();
    this.#loop = (async () => {
      while (!this.#closed) {
        try {
          await this.scan(deliver);
        } catch (err) {
          if (!this.kv.closed) log.error("claim scan failed:", err);
        }
        if (this.#closed) break;
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
          timer = setTimeout(resolve, this.opts.pollMs);
        });
        clearTimeout(timer);
        this.#wake = null;
      }
      await watching;
    })();
  }

  /** One pass: deliver every PENDING record and every running one with a stale heartbeat. */
  async scan(deliver: DeliverFn): Promise<void> {
    const ids = (await this.kv.list<string>(["task_active"])).map((r) => String(r.key[1]));
    const now = Date.now();
    for (let i = 0; i < ids.length && !this.#closed; i += 10) {
      const entries = await this.kv.raw.getMany<TaskRecord[]>(
        ids.slice(i, i + 10).map((id) => taskKey(id)),
      );
      for (const e of entries) {
        const rec = e.value;
        if (!rec || isFinal(rec.state) || this.#closed) continue;
        const stale = rec.heartbeatAt === null || now - rec.heartbeatAt > this.opts.staleMs;
        if (rec.state === "PENDING" || stale) {
          await deliver(rec.id).catch((err) => log.error(`delivery of ${rec.id} failed:`, err));
        }
      }
    }
  }

  async dispatch(taskId: string): Promise<void> {
    if (this.#closed) throw new Error("Task dispatcher is closed");
    await this.kv.set(WAKEUP_KEY, { taskId, at: Date.now() });
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#wake?.();
    await this.#watch?.cancel().catch(() => {});
    await this.#loop;
  }
}
