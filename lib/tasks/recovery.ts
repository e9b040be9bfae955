/**
 * Crash recovery: after a restart no task of the previous process is running any more, yet its
 * records may still say PENDING / STARTED / PROGRESS. Left alone they would report PROGRESS
 * forever; so at startup every non-final record is settled:
 *
 * - PENDING → dispatched again (the claim is idempotent, so a queue redelivery of the same id is
 *   harmless).
 * - STARTED / PROGRESS of a `resumable` kind → back to PENDING and dispatched (the next claim
 *   counts attempt + 1; the handler resumes from `loadCheckpoint`) — unless it has already run
 *   `maxAttempts` times: then FAILURE naming the limit (a task that crashes the process must not
 *   restart it forever).
 * - STARTED / PROGRESS of any other kind → FAILURE "Task was interrupted by a restart."
 * - A queue message that was dead-lettered → its still-PENDING task ends FAILURE.
 *
 * With `recoverAll` (the default: one process owns the KV file, so at startup nothing can be
 * running) every running record is settled; without it only those whose heartbeat is stale
 * (for several processes sharing a remote KV).
 *
 * @module
 */
import { deadLetterKey, isFinal, type TaskStore } from "./records.ts";
import type { TaskKind, TaskRecord } from "./types.ts";

/** Reason written to non-resumable tasks cut off by a restart. */
export const INTERRUPTED_REASON = "Task was interrupted by a restart.";
/** Reason written to tasks whose queue message could not be delivered. */
export const UNDELIVERED_REASON = "Task could not be delivered by the task queue.";

/** What recovery needs from the runner. */
export interface RecoveryHost {
  store: TaskStore;
  // deno-lint-ignore no-explicit-any
  kindOf(name: string): TaskKind<any, any> | undefined;
  isRunningLocally(id: string): boolean;
  dispatch(id: string): Promise<void>;
  /** Remember a record whose kind is not registered yet; recovered when it is. */
  defer(rec: TaskRecord, fromStartup: boolean): void;
  staleMs: number;
  /** Runs of a resumable task before recovery gives up on it (FAILURE). */
  maxAttempts: number;
}

/** The FAILURE reason of a resumable task that was interrupted `attempts` times. */
export function attemptLimitReason(attempts: number): string {
  return `Task was interrupted ${attempts} time${attempts === 1 ? "" : "s"} ` +
    `(attempt limit ${attempts} reached, TASK_MAX_ATTEMPTS); not resumed again.`;
}

/** Settle one non-final record (see the module doc). */
export async function recoverRecord(
  host: RecoveryHost,
  rec: TaskRecord,
  opts: { recoverAll: boolean },
): Promise<void> {
  if (isFinal(rec.state) || host.isRunningLocally(rec.id)) return;
  const kind = host.kindOf(rec.kind);
  if (!kind) {
    host.defer(rec, opts.recoverAll);
    return;
  }
  if (rec.state === "PENDING") {
    await host.dispatch(rec.id);
    return;
  }
  const stale = rec.heartbeatAt === null || Date.now() - rec.heartbeatAt > host.staleMs;
  if (!opts.recoverAll && !stale) return; // alive in another process
  if (kind.resumable && rec.attempts < host.maxAttempts) {
    const back = await host.store.transition(
      rec.id,
      (cur) => cur.state === "PENDING" ? null : { ...cur, state: "PENDING", heartbeatAt: null },
    );
    if (back) await host.dispatch(rec.id);
    return;
  }
  const reason = kind.resumable ? attemptLimitReason(rec.attempts) : INTERRUPTED_REASON;
  await host.store.finalize(rec.id, {
    state: "FAILURE",
    result: null,
    error: reason,
    progress: { status: reason },
  });
}

/** Startup pass over every non-final record and every dead letter. Returns how many were seen. */
export async function recoverTasks(
  host: RecoveryHost,
  opts: { recoverAll: boolean },
): Promise<number> {
  const kv = host.store.kv;
  for (const dl of await kv.list<unknown>(["dead_letter"])) {
    const id = String(dl.key[1]);
    await host.store.finalize(id, {
      state: "FAILURE",
      result: null,
      error: UNDELIVERED_REASON,
      progress: { status: UNDELIVERED_REASON },
    }, (cur) => cur.state === "PENDING");
    await kv.delete(deadLetterKey(id));
  }
  const ids = await host.store.activeIds();
  for (const id of ids) {
    const rec = await host.store.get(id);
    if (!rec || isFinal(rec.state)) {
      await kv.delete(["task_active", id]); // index entry outlived its record
      continue;
    }
    await recoverRecord(host, rec, opts);
  }
  return ids.length;
}
