/**
 * The task runner: background jobs on Deno KV that survive restarts and never hide a failure.
 *
 * **Life of a task.** `submit` writes a PENDING record at `["tasks", id]` (taking the kind's
 * concurrency lock in the same atomic commit) and dispatches the id — through the KV queue
 * (`taskMode: "queue"`) or in-process (`"inprocess"`); both end in the same `deliver`. `deliver`
 * is idempotent: it ignores final tasks and tasks running with a fresh heartbeat, and claims a
 * PENDING one with a versionstamp-checked commit (PENDING → STARTED, attempts + 1), so a
 * duplicate delivery never runs the work twice. The handler then reports with `ctx.progress`
 * (→ PROGRESS), and its return becomes SUCCESS, its throw FAILURE (`error` = message,
 * `progress = { status: message }`, `result = null`), a stop REVOKED (`result` from the kind's
 * `revokedResult`). Final records expire after `taskRetentionHours`.
 *
 * **Concurrency rule.** A kind may name a lock key per params (`lockKey`, e.g.
 * `train:<datasetId>`). While a non-final task holds it, a second `submit` with the same key
 * throws `TaskConflictError(runningTaskId, lock)`; routes answer it with
 * **409 `{"detail": "<message>", "task_id": "<running task id>"}`** so the caller can follow the
 * running task instead of starting a duplicate. A lock held by a final or expired task is stale
 * and simply taken over.
 *
 * **Stop.** `stop(id)` sets `["task_stop", id]`; the run watches that key and aborts
 * `ctx.signal` with a `TaskRevokedError`. A PENDING task is revoked at once, without running.
 *
 * **Restarts.** `start()` settles every non-final record left by the previous process (see
 * `recovery.ts`): nothing is ever left in PROGRESS.
 *
 * @example
 * ```ts
 * const runner = new KvTaskRunner(kv, { mode: "inprocess", retentionHours: 168 });
 * runner.register({
 *   kind: "demo",
 *   lockKey: () => "demo",
 *   async run(ctx) {
 *     await ctx.progress({ status: "Working..." });
 *     return { answer: 42 };
 *   },
 * });
 * await runner.start();
 * const rec = await runner.submit("demo", {});
 * const done = await runner.waitFor(rec.id, { timeoutMs: 10_000 }); // done.state === "SUCCESS"
 * ```
 *
 * @module
 */
import type { KvStore } from "../kv.ts";
import type { Dispatcher } from "./dispatcher.ts";
import {
  errorMessage,
  executeClaimed,
  failure,
  makeContext,
  revoked,
  RunnerShutdownError,
} from "./execute.ts";
import { InProcessDispatcher } from "./inprocess_dispatcher.ts";
import { QueueDispatcher } from "./queue_dispatcher.ts";
import { isFinal, retentionMs, taskKey, TaskNotFoundError, TaskStore } from "./records.ts";
import { recoverRecord, recoverTasks, type RecoveryHost } from "./recovery.ts";
import {
  type JsonObject,
  type TaskKind,
  type TaskRecord,
  TaskRevokedError,
  type TaskRunner,
} from "./types.ts";
import { getLogger } from "../log.ts";

const log = getLogger("tasks");

export { TaskNotFoundError } from "./records.ts";

/** Runner settings. */
export interface RunnerOptions {
  /** `queue`: Deno KV queue; `inprocess`: same records, dispatched in this process. */
  mode: "queue" | "inprocess";
  /** Finished tasks (and `expireIn`-aware task data) expire after this many hours. */
  retentionHours: number;
  /** Heartbeat period while a task runs, default 2000 ms. */
  heartbeatMs?: number;
  /** A running record whose heartbeat is older than this is stale, default 15000 ms. */
  staleMs?: number;
  /** Runs of a resumable task before crash recovery ends it as FAILURE, default 3. */
  maxAttempts?: number;
  /** `close` waits this long for running handlers before aborting them, default 10000 ms. */
  closeTimeoutMs?: number;
  /**
   * At `start`, settle every running record (default true: one process owns the KV file, so
   * none can still be running). False: only records with a stale heartbeat.
   */
  recoverAll?: boolean;
}

/** `waitFor` ran out of time. */
export class TaskWaitTimeoutError extends Error {
  constructor(readonly taskId: string, timeoutMs: number) {
    super(`Task ${taskId} did not finish within ${timeoutMs} ms`);
    this.name = "TaskWaitTimeoutError";
  }
}

interface Running {
  controller: AbortController;
  done: Promise<void>;
}

/** `TaskRunner` over Deno KV records. */
export class KvTaskRunner implements TaskRunner {
  readonly store: TaskStore;
  readonly mode: "queue" | "inprocess";
  readonly heartbeatMs: number;
  readonly staleMs: number;
  readonly maxAttempts: number;
  readonly closeTimeoutMs: number;
  readonly recoverAll: boolean;
  // deno-lint-ignore no-explicit-any
  #kinds = new Map<string, TaskKind<any, any>>();
  #running = new Map<string, Running>();
  #deferred = new Map<string, { kind: string; fromStartup: boolean }>();
  #dispatcher: Dispatcher;
  #started: Promise<void> | null = null;
  #closed = false;

  constructor(readonly kv: KvStore, opts: RunnerOptions) {
    this.mode = opts.mode;
    this.store = new TaskStore(kv, retentionMs(opts.retentionHours));
    this.heartbeatMs = opts.heartbeatMs ?? 2000;
    this.staleMs = opts.staleMs ?? 15_000;
    this.maxAttempts = opts.maxAttempts ?? 3;
    this.closeTimeoutMs = opts.closeTimeoutMs ?? 10_000;
    this.recoverAll = opts.recoverAll ?? true;
    this.#dispatcher = opts.mode === "queue" ? new QueueDispatcher(kv) : new InProcessDispatcher();
  }

  /** Retention of finished tasks in ms: use it as `expireIn` for task-owned data keys. */
  get retentionMs(): number {
    return this.store.retentionMs;
  }

  /**
   * Settles once the dispatcher released everything (the queue listener ends only when the KV
   * handle closes: close the runner, then the KV, then await this).
   */
  get done(): Promise<void> {
    return this.#dispatcher.done;
  }

  register<P, R>(kind: TaskKind<P, R>): void {
    if (this.#kinds.has(kind.kind)) throw new Error(`Task kind already registered: ${kind.kind}`);
    // deno-lint-ignore no-explicit-any
    this.#kinds.set(kind.kind, kind as TaskKind<any, any>);
    // Records seen before their kind was registered (recovery or an early queue delivery).
    for (const [id, d] of [...this.#deferred]) {
      if (d.kind !== kind.kind) continue;
      this.#deferred.delete(id);
      this.store.get(id)
        .then((rec) => rec && recoverRecord(this.#host(), rec, { recoverAll: d.fromStartup }))
        .catch((err) => log.error(`recovery of ${id} failed:`, err));
    }
  }

  /** Recover records left by a previous process, then begin delivering. Idempotent. */
  start(): Promise<void> {
    this.#started ??= (async () => {
      await recoverTasks(this.#host(), { recoverAll: this.recoverAll });
      if (!this.#closed) this.#dispatcher.start((id) => this.deliver(id));
    })();
    return this.#started;
  }

  async submit<P extends JsonObject>(kindName: string, params: P): Promise<TaskRecord<P>> {
    if (this.#closed) throw new Error("The task runner is closed.");
    const kind = this.#kinds.get(kindName);
    if (!kind) throw new Error(`Unknown task kind: ${kindName}`);
    const lock = kind.lockKey?.(params) ?? null;
    const rec = await this.store.create(kindName, params, lock);
    try {
      await this.#dispatcher.dispatch(rec.id);
    } catch (err) {
      await this.store.finalize(
        rec.id,
        failure(`Could not dispatch the task: ${errorMessage(err)}`),
      );
      throw err;
    }
    return rec as TaskRecord<P>;
  }

  get(id: string): Promise<TaskRecord | null> {
    return this.store.get(id);
  }

  list(opts?: { kind?: string; limit?: number }): Promise<TaskRecord[]> {
    return this.store.list(opts);
  }

  async stop(id: string): Promise<boolean> {
    const rec = await this.store.get(id);
    if (!rec || isFinal(rec.state)) return false;
    await this.store.setStopFlag(id);
    const local = this.#running.get(id);
    if (local) {
      local.controller.abort(new TaskRevokedError());
      return true;
    }
    if (rec.state === "PENDING") {
      // Not started yet: revoke now, without running (a concurrent claim wins or loses cleanly).
      const ctl = new AbortController();
      ctl.abort(new TaskRevokedError());
      const outcome = await revoked(
        this.#kinds.get(rec.kind),
        makeContext(this.store, rec, ctl.signal),
      );
      await this.store.finalize(id, outcome, (cur) => cur.state === "PENDING");
    }
    return true;
  }

  /**
   * The record on each change until it is final (built on `kv.watch`). Writes that only move
   * the heartbeat are skipped; changes faster than the consumer may be coalesced (KV watch
   * delivers the latest value). An unknown id ends at once. Abort `signal` to end it early: that
   * also releases the underlying watch stream immediately.
   */
  async *watch(id: string, signal?: AbortSignal): AsyncIterable<TaskRecord> {
    if (signal?.aborted) return;
    const reader = this.kv.raw.watch<[TaskRecord]>([taskKey(id)]).getReader();
    const onAbort = () => void reader.cancel().catch(() => {});
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      let last = "";
      while (true) {
        const { done, value } = await reader.read();
        if (done) return;
        const rec = value[0].value;
        if (!rec) return;
        // Heartbeat-only writes are not news.
        const sig = JSON.stringify([rec.state, rec.progress, rec.result, rec.error, rec.attempts]);
        if (sig !== last) {
          last = sig;
          yield rec;
        }
        if (isFinal(rec.state)) return;
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
      await reader.cancel().catch(() => {});
    }
  }

  async waitFor(id: string, opts: { timeoutMs?: number } = {}): Promise<TaskRecord> {
    const ctl = new AbortController();
    const timeoutMs = opts.timeoutMs;
    const timer = timeoutMs !== undefined ? setTimeout(() => ctl.abort(), timeoutMs) : undefined;
    try {
      for await (const rec of this.watch(id, ctl.signal)) {
        if (isFinal(rec.state)) return rec;
      }
      if (ctl.signal.aborted) throw new TaskWaitTimeoutError(id, timeoutMs ?? 0);
      const rec = await this.store.get(id);
      if (!rec) throw new TaskNotFoundError(id);
      if (isFinal(rec.state)) return rec;
      throw new Error(`Watching task ${id} ended before it finished`);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Handle one delivery of `id` (called by both dispatchers; public for tests). Idempotent:
   * final tasks, tasks running here, and tasks running elsewhere with a fresh heartbeat are
   * ignored; otherwise the task is claimed with a version-checked commit and its run begins.
   * Resolves once the delivery was settled (claimed or ignored), not when the run ends.
   */
  async deliver(id: string): Promise<void> {
    for (let i = 0; i < 16; i++) {
      if (this.#closed || this.#running.has(id)) return;
      const entry = await this.store.getEntry(id);
      const rec = entry.value;
      if (!rec || isFinal(rec.state)) return;
      const kind = this.#kinds.get(rec.kind);
      if (!kind) {
        this.#deferred.set(id, { kind: rec.kind, fromStartup: false });
        return;
      }
      if (rec.state !== "PENDING") {
        const fresh = rec.heartbeatAt !== null && Date.now() - rec.heartbeatAt <= this.staleMs;
        if (fresh) return; // running (here or elsewhere): a duplicate delivery
        if (!kind.resumable) {
          await recoverRecord(this.#host(), rec, { recoverAll: true });
          return;
        }
      } else if (await this.store.stopFlag(id)) {
        await this.stop(id); // stopped while PENDING: revoke without running
        return;
      }
      const now = Date.now();
      const claimed: TaskRecord = {
        ...rec,
        state: "STARTED",
        attempts: rec.attempts + 1,
        startedAt: rec.startedAt ?? now,
        heartbeatAt: now,
        updatedAt: now,
      };
      const res = await this.kv.raw.atomic().check(entry).set(taskKey(id), claimed).commit();
      if (!res.ok) continue; // raced with another delivery or a stop: look again
      if (this.#closed || this.#running.has(id)) return;
      const controller = new AbortController();
      const done = executeClaimed(this.store, kind, claimed, controller, {
        heartbeatMs: this.heartbeatMs,
      })
        .catch((err) => log.error(`task ${id} could not be finished:`, err))
        .finally(() => this.#running.delete(id));
      this.#running.set(id, { controller, done });
      return;
    }
    throw new Error(`Could not claim task ${id}: KV kept changing`);
  }

  /** Ids of tasks running in this process. */
  runningIds(): string[] {
    return [...this.#running.keys()];
  }

  /**
   * Stop accepting work, wait up to `closeTimeoutMs` for running handlers, then abort the rest
   * (their records stay STARTED/PROGRESS and are settled by recovery at the next start).
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#started?.catch(() => {});
    await this.#dispatcher.close();
    const settled = () => Promise.allSettled([...this.#running.values()].map((r) => r.done));
    if (this.#running.size > 0 && !(await within(settled(), this.closeTimeoutMs))) {
      for (const r of this.#running.values()) r.controller.abort(new RunnerShutdownError());
      await within(settled(), 2000);
    }
  }

  #host(): RecoveryHost {
    return {
      store: this.store,
      kindOf: (name) => this.#kinds.get(name),
      isRunningLocally: (id) => this.#running.has(id),
      dispatch: (id) => this.#dispatcher.dispatch(id),
      defer: (rec, fromStartup) => this.#deferred.set(rec.id, { kind: rec.kind, fromStartup }),
      staleMs: this.staleMs,
      maxAttempts: this.maxAttempts,
    };
  }
}

/** True when `p` settled within `ms` (the timer is always cleared). */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([p.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
