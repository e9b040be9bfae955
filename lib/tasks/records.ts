/**
 * Task records in Deno KV: key layout, creation with the concurrency lock, version-checked
 * transitions and finalization. Every state change goes through here so the invariants hold in
 * one place:
 *
 * - `["tasks", id]` → `TaskRecord` (expires `retentionMs` after it became final).
 * - `["task_locks", lock]` → `{ taskId }`: taken atomically by `create`, released atomically by
 *   `finalize`; a lock whose holder is final or gone is stale and may be taken.
 * - `["task_active", id]` → kind: non-final tasks, scanned by crash recovery.
 * - `["task_recent", createdAt, id]` / `["task_kind", kind, createdAt, id]` → id: listing indexes.
 * - `["task_stop", id]` → true: stop flag. `["task_checkpoint", id]` → resume point.
 * - `["dead_letter", id]`: queue messages that could not be delivered (set by Deno KV).
 *
 * @module
 */
import type { KvStore } from "../kv.ts";
import {
  FINAL_STATES,
  type JsonObject,
  TaskConflictError,
  type TaskRecord,
  type TaskState,
} from "./types.ts";

/** Key helpers (exported for tests and for task-owned data). */
export const taskKey = (id: string): Deno.KvKey => ["tasks", id];
export const lockKey = (lock: string): Deno.KvKey => ["task_locks", lock];
export const activeKey = (id: string): Deno.KvKey => ["task_active", id];
export const stopKey = (id: string): Deno.KvKey => ["task_stop", id];
export const checkpointKey = (id: string): Deno.KvKey => ["task_checkpoint", id];
export const deadLetterKey = (id: string): Deno.KvKey => ["dead_letter", id];
const recentKey = (r: TaskRecord): Deno.KvKey => ["task_recent", r.createdAt, r.id];
const kindKey = (r: TaskRecord): Deno.KvKey => ["task_kind", r.kind, r.createdAt, r.id];

/** Largest JSON (in UTF-16 units, a close proxy for bytes) accepted for progress/result. */
export const MAX_RECORD_JSON = 60 * 1024;

/** True for SUCCESS / FAILURE / REVOKED. */
export function isFinal(state: TaskState): boolean {
  return FINAL_STATES.includes(state);
}

/** Retention of finished tasks (and their data) in ms, from `taskRetentionHours`. */
export function retentionMs(taskRetentionHours: number): number {
  const h = Number.isFinite(taskRetentionHours) && taskRetentionHours > 0
    ? taskRetentionHours
    : 168;
  return Math.round(h * 3_600_000);
}

/** What ends a task. */
export interface Outcome {
  state: "SUCCESS" | "FAILURE" | "REVOKED";
  result: JsonObject | null;
  error: string | null;
  /** New progress; undefined keeps the last one. */
  progress?: JsonObject | null;
}

/** A task that does not exist (never did, or expired). */
export class TaskNotFoundError extends Error {
  constructor(readonly taskId: string) {
    super(`Unknown task: ${taskId}`);
    this.name = "TaskNotFoundError";
  }
}

const MAX_TRIES = 32;

/** Version-checked access to task records. */
export class TaskStore {
  constructor(readonly kv: KvStore, readonly retentionMs: number) {}

  /** The record, or null. */
  get(id: string): Promise<TaskRecord | null> {
    return this.kv.get<TaskRecord>(taskKey(id));
  }

  /** The record with its versionstamp. */
  getEntry(id: string): Promise<Deno.KvEntryMaybe<TaskRecord>> {
    return this.kv.getEntry<TaskRecord>(taskKey(id));
  }

  /**
   * Write a new PENDING record, taking `lock` atomically when given. Throws `TaskConflictError`
   * when a non-final task holds the lock.
   */
  async create(kind: string, params: JsonObject, lock: string | null): Promise<TaskRecord> {
    assertJsonSize(params, "Task parameters");
    const now = Date.now();
    const rec: TaskRecord = {
      id: crypto.randomUUID(),
      kind,
      params,
      state: "PENDING",
      progress: null,
      result: null,
      error: null,
      lock,
      attempts: 0,
      createdAt: now,
      startedAt: null,
      updatedAt: now,
      finishedAt: null,
      heartbeatAt: null,
    };
    for (let i = 0; i < MAX_TRIES; i++) {
      const op = this.kv.raw.atomic()
        .check({ key: taskKey(rec.id), versionstamp: null })
        .set(taskKey(rec.id), rec)
        .set(activeKey(rec.id), kind)
        .set(recentKey(rec), rec.id)
        .set(kindKey(rec), rec.id);
      if (lock !== null) {
        const held = await this.kv.getEntry<{ taskId: string }>(lockKey(lock));
        if (held.value) {
          const holder = await this.get(held.value.taskId);
          if (holder && !isFinal(holder.state)) throw new TaskConflictError(holder.id, lock);
        }
        op.check(held).set(lockKey(lock), { taskId: rec.id });
      }
      if ((await op.commit()).ok) return rec;
    }
    throw new Error(`Could not create a ${kind} task: KV kept changing`);
  }

  /**
   * Apply `fn` to the record with a versionstamp check, retrying on races. `fn` returns the new
   * record, or null to leave it unchanged (then resolves null). Never touches a final record.
   */
  async transition(
    id: string,
    fn: (cur: TaskRecord) => TaskRecord | null,
  ): Promise<TaskRecord | null> {
    for (let i = 0; i < MAX_TRIES; i++) {
      const entry = await this.getEntry(id);
      if (!entry.value || isFinal(entry.value.state)) return null;
      const next = fn(entry.value);
      if (!next) return null;
      next.updatedAt = Date.now();
      const res = await this.kv.raw.atomic().check(entry).set(taskKey(id), next).commit();
      if (res.ok) return next;
    }
    throw new Error(`Could not update task ${id}: KV kept changing`);
  }

  /**
   * End a task: write the final record (expiring after the retention), release its lock if it
   * still holds it, drop it from the active index, give the listing indexes the same expiry and
   * clear the stop flag and checkpoint. Resolves null when it was already final (or `onlyIf`
   * refused the current record).
   */
  async finalize(
    id: string,
    outcome: Outcome,
    onlyIf?: (cur: TaskRecord) => boolean,
  ): Promise<TaskRecord | null> {
    const expireIn = this.retentionMs;
    for (let i = 0; i < MAX_TRIES; i++) {
      const entry = await this.getEntry(id);
      const cur = entry.value;
      if (!cur || isFinal(cur.state) || (onlyIf && !onlyIf(cur))) return null;
      const now = Date.now();
      const next: TaskRecord = {
        ...cur,
        state: outcome.state,
        result: outcome.result,
        error: outcome.error,
        progress: outcome.progress === undefined ? cur.progress : outcome.progress,
        updatedAt: now,
        finishedAt: now,
      };
      const op = this.kv.raw.atomic()
        .check(entry)
        .set(taskKey(id), next, { expireIn })
        .set(recentKey(cur), id, { expireIn })
        .set(kindKey(cur), id, { expireIn })
        .delete(activeKey(id))
        .delete(stopKey(id))
        .delete(checkpointKey(id));
      if (cur.lock !== null) {
        const held = await this.kv.getEntry<{ taskId: string }>(lockKey(cur.lock));
        if (held.value?.taskId === id) op.check(held).delete(lockKey(cur.lock));
      }
      if ((await op.commit()).ok) return next;
    }
    throw new Error(`Could not finish task ${id}: KV kept changing`);
  }

  /** Newest first; filtered by kind when given. Skips index entries whose record expired. */
  async list(opts: { kind?: string; limit?: number } = {}): Promise<TaskRecord[]> {
    const limit = Math.max(1, Math.min(opts.limit ?? 100, 1000));
    const prefix: Deno.KvKey = opts.kind ? ["task_kind", opts.kind] : ["task_recent"];
    const ids = await this.kv.list<string>(prefix, { reverse: true, limit });
    const out: TaskRecord[] = [];
    // getMany takes at most 10 keys.
    for (let i = 0; i < ids.length; i += 10) {
      const batch = await this.kv.raw.getMany<TaskRecord[]>(
        ids.slice(i, i + 10).map((e) => taskKey(e.value)),
      );
      for (const e of batch) if (e.value) out.push(e.value);
    }
    return out;
  }

  /** Ids of non-final tasks (crash recovery). */
  async activeIds(): Promise<string[]> {
    const rows = await this.kv.list<string>(["task_active"]);
    return rows.map((r) => String(r.key[1]));
  }

  /** Set the stop flag (expires with the retention, in case the task never finishes). */
  async setStopFlag(id: string): Promise<void> {
    await this.kv.set(stopKey(id), true, { expireIn: this.retentionMs });
  }

  /** Whether a stop was requested. */
  async stopFlag(id: string): Promise<boolean> {
    return (await this.kv.get<boolean>(stopKey(id))) === true;
  }
}

/** Throw a clear error when a JSON value is too big for one KV value. */
export function assertJsonSize(value: unknown, what: string): void {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (err) {
    throw new Error(`${what} is not JSON-serializable: ${(err as Error).message}`);
  }
  if (json !== undefined && json.length > MAX_RECORD_JSON) {
    throw new Error(`${what} is too large (${json.length} > ${MAX_RECORD_JSON} characters)`);
  }
}
