/**
 * Background tasks on Deno KV: the public surface.
 *
 * - `KvTaskRunner` (runner.ts) implements `TaskRunner` (types.ts); see its module doc for the
 *   life of a task, the concurrency rule (409 with the running task's id) and stop semantics.
 * - CPU-heavy handler work goes to Web Workers through `lib/worker` (`runInWorker`).
 *
 * @module
 */
import { retentionMs as retentionMsOf } from "./records.ts";

export * from "./types.ts";
export {
  KvTaskRunner,
  type RunnerOptions,
  TaskNotFoundError,
  TaskWaitTimeoutError,
} from "./runner.ts";
export { isFinal, retentionMs } from "./records.ts";
export { INTERRUPTED_REASON, UNDELIVERED_REASON } from "./recovery.ts";
export { RunnerShutdownError } from "./execute.ts";

/**
 * `expireIn` (ms) for data a task owns (e.g. simulation packets under `["sim", taskId, seq]`),
 * so it expires with the task record: `kv.set(key, v, { expireIn: taskDataExpireIn(config) })`.
 */
export function taskDataExpireIn(config: { taskRetentionHours: number }): number {
  return retentionMsOf(config.taskRetentionHours);
}
