/**
 * JSON views of task records: the contract's status body (CONTRACT.md §3) and the generic
 * snake_case record served by `GET /tasks/{id}`.
 *
 * Here, beside `TaskRecord`, because the views depend on nothing but the record and its
 * Celery-style states, for any task kind, and three layers use them: routes and
 * `lib/api/simulation_stream.ts`, the simulation step (its status body), and the admin UI data.
 *
 * @example
 * ```ts
 * const rec = await services.tasks.get(id);
 * if (rec) return Response.json(contractStatus(rec));
 * ```
 *
 * @module
 */
import type { JsonObject, TaskRecord } from "./types.ts";

/** `{"task_id","status","progress","result"}` as the .NET backend reads it. */
export interface ContractStatus {
  task_id: string;
  status: string;
  progress: JsonObject | null;
  result: JsonObject | null;
}

/**
 * The contract status of a task: `progress` while it runs, `result` on SUCCESS, and on FAILURE
 * `progress = {"status": reason}` with `result = null` (never an HTTP error).
 */
export function contractStatus(rec: TaskRecord): ContractStatus {
  switch (rec.state) {
    case "SUCCESS":
      return { task_id: rec.id, status: rec.state, progress: null, result: rec.result ?? {} };
    case "FAILURE":
      return {
        task_id: rec.id,
        status: rec.state,
        progress: { status: rec.error ?? "Task failed." },
        result: null,
      };
    case "REVOKED":
      return { task_id: rec.id, status: rec.state, progress: rec.progress, result: rec.result };
    default:
      return { task_id: rec.id, status: rec.state, progress: rec.progress, result: null };
  }
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The whole record in snake_case with ISO timestamps (`GET /tasks/{id}`, SSE events). */
export function taskView(rec: TaskRecord): JsonObject {
  return {
    id: rec.id,
    kind: rec.kind,
    status: rec.state,
    params: rec.params,
    progress: rec.progress,
    result: rec.result,
    error: rec.error,
    lock: rec.lock,
    attempts: rec.attempts,
    created_at: iso(rec.createdAt),
    started_at: iso(rec.startedAt),
    updated_at: iso(rec.updatedAt),
    finished_at: iso(rec.finishedAt),
    heartbeat_at: iso(rec.heartbeatAt),
  };
}
