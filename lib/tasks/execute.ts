/**
 * Running one claimed task: the handler's context, the heartbeat, the stop watcher, and turning
 * the handler's outcome into a final record. A failure is never hidden: a throw becomes FAILURE
 * with the message as `error` and `progress = { status: <message> }` (CONTRACT.md §3).
 *
 * @module
 */
import { assertJsonSize, checkpointKey, type Outcome, stopKey, type TaskStore } from "./records.ts";
import {
  type JsonObject,
  type TaskContext,
  type TaskKind,
  type TaskRecord,
  TaskRevokedError,
} from "./types.ts";
import { getLogger } from "../log.ts";

const log = getLogger("tasks");

/** Abort reason used when the runner shuts down (the record is left for crash recovery). */
export class RunnerShutdownError extends Error {
  constructor() {
    super("The task runner is shutting down.");
    this.name = "RunnerShutdownError";
  }
}

/** Timing of a run. */
export interface ExecOptions {
  heartbeatMs: number;
}

/** Build the context a handler gets for a claimed record. */
export function makeContext(
  store: TaskStore,
  rec: TaskRecord,
  signal: AbortSignal,
): TaskContext<JsonObject> {
  const id = rec.id;
  return {
    id,
    params: rec.params,
    attempt: rec.attempts,
    signal,
    async progress(progress: JsonObject) {
      assertJsonSize(progress, "Task progress");
      await store.transition(id, (cur) => ({
        ...cur,
        state: "PROGRESS",
        progress,
        heartbeatAt: Date.now(),
      }));
    },
    async stopRequested() {
      if (signal.aborted && signal.reason instanceof TaskRevokedError) return true;
      return await store.stopFlag(id);
    },
    async saveCheckpoint(value: unknown) {
      assertJsonSize(value, "Task checkpoint");
      await store.kv.set(checkpointKey(id), value, { expireIn: store.retentionMs });
    },
    async loadCheckpoint<T = unknown>() {
      return await store.kv.get<T>(checkpointKey(id));
    },
  };
}

/** Human-readable message of anything thrown. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (typeof err === "string") return err;
  try {
    return JSON.stringify(err) ?? String(err);
  } catch {
    return String(err);
  }
}

/** The FAILURE outcome for a reason. */
export function failure(reason: string): Outcome {
  return { state: "FAILURE", result: null, error: reason, progress: { status: reason } };
}

/** The REVOKED outcome (result from the kind's `revokedResult`, null when it has none/throws). */
export async function revoked(
  // deno-lint-ignore no-explicit-any
  kind: TaskKind<any, any> | undefined,
  ctx: TaskContext<JsonObject>,
): Promise<Outcome> {
  let result: JsonObject | null = null;
  try {
    result = (await kind?.revokedResult?.(ctx)) ?? null;
  } catch (err) {
    log.error(`revokedResult of ${ctx.id} failed:`, err);
  }
  return { state: "REVOKED", result, error: null };
}

/**
 * Run a claimed task to its end and write the final record. `controller` is aborted with a
 * `TaskRevokedError` by a stop (here, through the KV watch on the stop flag, or directly by the
 * runner) or with a `RunnerShutdownError` on shutdown, in which case the record is left as is.
 */
export async function executeClaimed(
  store: TaskStore,
  // deno-lint-ignore no-explicit-any
  kind: TaskKind<any, any>,
  rec: TaskRecord,
  controller: AbortController,
  opts: ExecOptions,
): Promise<void> {
  const id = rec.id;
  const ctx = makeContext(store, rec, controller.signal);

  // Heartbeat: proves liveness to recovery in other processes; one write in flight at a time.
  let beating: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (beating) return;
    beating = store.transition(id, (cur) => ({ ...cur, heartbeatAt: Date.now() }))
      .catch((err) => {
        if (!store.kv.closed) log.error(`heartbeat of ${id} failed:`, err);
      })
      .finally(() => (beating = null));
  }, opts.heartbeatMs);

  // Stop watcher: a stop written by any process sharing the KV aborts the signal.
  const reader = store.kv.raw.watch<[boolean]>([stopKey(id)]).getReader();
  const watching = (async () => {
    try {
      while (true) {
        const { done, value } = await reader.read();
        if (done) return;
        if (value[0].value === true && !controller.signal.aborted) {
          controller.abort(new TaskRevokedError());
        }
      }
    } catch {
      // Stream cancelled or KV closed: nothing more to watch.
    }
  })();

  let outcome: Outcome | null;
  try {
    const result = await kind.run(ctx);
    outcome = (await ctx.stopRequested())
      ? await revoked(kind, ctx)
      : { state: "SUCCESS", result: (result ?? null) as JsonObject | null, error: null };
  } catch (err) {
    const reason = controller.signal.reason;
    if (reason instanceof RunnerShutdownError) {
      outcome = null; // left STARTED/PROGRESS: recovery settles it at the next start
    } else if (err instanceof TaskRevokedError || reason instanceof TaskRevokedError) {
      outcome = await revoked(kind, ctx);
    } else {
      let stopped = false;
      try {
        stopped = await store.stopFlag(id);
      } catch { /* KV closed: report the handler's error */ }
      outcome = stopped ? await revoked(kind, ctx) : failure(errorMessage(err));
    }
  } finally {
    clearInterval(timer);
    await reader.cancel().catch(() => {});
    await watching;
    await beating;
  }
  if (!outcome) return;
  try {
    await store.finalize(id, outcome);
  } catch (err) {
    // E.g. a result too large for one KV value: still never leave the task running.
    await store.finalize(id, failure(`Could not save the task result: ${errorMessage(err)}`));
  }
}
