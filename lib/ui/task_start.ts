/**
 * Starting a background task from an island (`POST …/start`) and telling a final state from a
 * running one. A start refused with 409 and the running task's id is not an error to the
 * operator: the island follows that run instead.
 *
 * @example
 * ```ts
 * const outcome = await startTask("/process/train/start");
 * if (outcome.kind === "refused") setError(outcome.message);
 * else setTask(outcome.task); // "started" (PENDING) or "running" (the run already going on)
 * ```
 *
 * @module
 */
import { ApiError, apiPost } from "./api_client.ts";
import type { TaskStatus } from "./types.ts";

/** Celery states after which a task changes no more. */
export const FINAL_TASK_STATES: ReadonlySet<string> = new Set(["SUCCESS", "FAILURE", "REVOKED"]);

/** True for SUCCESS, FAILURE and REVOKED. */
export function isFinalTask(status: string | null | undefined): boolean {
  return FINAL_TASK_STATES.has(status ?? "");
}

/** What a start request came to. */
export type StartOutcome =
  | { kind: "started"; task: TaskStatus }
  | { kind: "running"; task: TaskStatus }
  | { kind: "refused"; message: string };

/** The status body of a task known only by its id. */
function taskWithId(taskId: string, status: "PENDING" | "PROGRESS"): TaskStatus {
  return { task_id: taskId, status, progress: null, result: null };
}

/**
 * A failed start as an outcome: a 409 naming the running task → `running`; otherwise the
 * server's reason (with its HTTP status) or the error's text → `refused`.
 */
export function startRefusal(err: unknown): StartOutcome {
  if (!(err instanceof ApiError)) return { kind: "refused", message: String(err) };
  const runningId = (err.body as { task_id?: unknown } | null)?.task_id;
  if (err.status === 409 && typeof runningId === "string") {
    return { kind: "running", task: taskWithId(runningId, "PROGRESS") };
  }
  return { kind: "refused", message: `${err.status ? `HTTP ${err.status}: ` : ""}${err.detail}` };
}

/** POST `path` (JSON `body` when given) and say what came of it; never throws. */
export async function startTask(path: string, body?: unknown): Promise<StartOutcome> {
  try {
    const { task_id } = await apiPost<{ task_id: string }>(path, body);
    return { kind: "started", task: taskWithId(task_id, "PENDING") };
  } catch (err) {
    return startRefusal(err);
  }
}
