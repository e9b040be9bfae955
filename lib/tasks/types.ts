/**
 * Background tasks: the records kept in KV and the interface of the runner.
 *
 * States use Celery's names because the .NET backend reads them (CONTRACT.md §3–4).
 *
 * @module
 */

/** Celery-style task states. */
export type TaskState = "PENDING" | "STARTED" | "PROGRESS" | "SUCCESS" | "FAILURE" | "REVOKED";

/** Final states: a task in one of these never changes again. */
export const FINAL_STATES: readonly TaskState[] = ["SUCCESS", "FAILURE", "REVOKED"];

/** A JSON object (progress, params, results). */
export type JsonObject = { [key: string]: unknown };

/** The KV record of one task, stored at `["tasks", id]`. */
export interface TaskRecord<P = JsonObject, R = JsonObject> {
  id: string;
  kind: string;
  params: P;
  state: TaskState;
  /** Progress object; while PROGRESS it has at least `status` (a human-readable message). */
  progress: JsonObject | null;
  result: R | null;
  /** Human-readable failure reason when FAILURE. */
  error: string | null;
  /** Concurrency key the task holds while running (e.g. `train:<datasetId>`), or null. */
  lock: string | null;
  attempts: number;
  createdAt: number;
  startedAt: number | null;
  updatedAt: number;
  finishedAt: number | null;
  heartbeatAt: number | null;
}

/** What a task handler gets. */
export interface TaskContext<P = JsonObject> {
  readonly id: string;
  readonly params: P;
  /** 1 on the first run; higher when resumed after a restart or redelivery. */
  readonly attempt: number;
  /** Aborted when a stop was requested (the runner watches the stop flag). */
  readonly signal: AbortSignal;
  /** Set state PROGRESS with this progress object (also refreshes the heartbeat). */
  progress(progress: JsonObject): Promise<void>;
  /** True once a stop was requested; check between units of work. */
  stopRequested(): Promise<boolean>;
  /** Save a small resume point (≤ 60 KiB JSON) for a resumable kind. */
  saveCheckpoint(value: unknown): Promise<void>;
  /** The last saved checkpoint, or null. */
  loadCheckpoint<T = unknown>(): Promise<T | null>;
}

/** Thrown by a handler (or by the runner) to end a task as REVOKED instead of FAILURE. */
export class TaskRevokedError extends Error {
  constructor(message = "Task was stopped by the user.") {
    super(message);
    this.name = "TaskRevokedError";
  }
}

/** How a kind of task runs. */
export interface TaskKind<P = JsonObject, R = JsonObject> {
  kind: string;
  /** Does the work; its return value becomes `result` (state SUCCESS). A throw → FAILURE. */
  run(ctx: TaskContext<P>): Promise<R>;
  /**
   * Concurrency key for these params (e.g. `train:<datasetId>`); while a task holding the key is
   * not final, `submit` of another throws `TaskConflictError`. Null/undefined: no limit.
   */
  lockKey?(params: P): string | null | undefined;
  /** Whether a task interrupted by a restart is run again (it should use its checkpoint). */
  resumable?: boolean;
  /** Result returned when the task is revoked (e.g. the simulation's stop message). */
  revokedResult?(ctx: TaskContext<P>): Promise<R | null> | R | null;
}

/**
 * `submit` refused because another task holds the same concurrency key. The app answers it with
 * 409 `{"detail": message, "task_id": runningTaskId}`; a pipeline step may rethrow it with a
 * message in its own words.
 */
export class TaskConflictError extends Error {
  constructor(
    readonly runningTaskId: string,
    readonly lock: string,
    message = `A task is already running for ${lock}: ${runningTaskId}`,
  ) {
    super(message);
    this.name = "TaskConflictError";
  }
}

/** The task runner used by routes and pipeline steps. */
export interface TaskRunner {
  register<P, R>(kind: TaskKind<P, R>): void;
  /** Create a PENDING record and dispatch it (KV queue or in-process). */
  submit<P extends JsonObject>(kind: string, params: P): Promise<TaskRecord<P>>;
  get(id: string): Promise<TaskRecord | null>;
  list(opts?: { kind?: string; limit?: number }): Promise<TaskRecord[]>;
  /** Request a stop; resolves false for unknown or already-final tasks. */
  stop(id: string): Promise<boolean>;
  /** Emits the record on every change until it is final (then closes). */
  watch(id: string, signal?: AbortSignal): AsyncIterable<TaskRecord>;
  /** Resolves when the task reaches a final state. */
  waitFor(id: string, opts?: { timeoutMs?: number }): Promise<TaskRecord>;
  /** Stop accepting work and wait for running handlers to settle. */
  close(): Promise<void>;
}
