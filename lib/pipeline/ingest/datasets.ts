/**
 * Dataset records in KV: `["datasets", id]` holds one upload's metadata, profile summary and
 * state; `["active", "dataset"]` holds the id of the dataset that splits and training use.
 *
 * A dataset becomes active only once it is READY (feature list and column table stored), so a
 * new upload never replaces what the rest of the service reads until it is complete. Records are
 * kept by id, so splits and models keep pointing at the data they were made from.
 *
 * @example
 * ```ts
 * const active = await getActiveDataset(services.kv);
 * if (active) console.log(active.id, active.features?.length);
 * ```
 *
 * @module
 */
import type { KvStore } from "../../kv.ts";
import type { BlobStore } from "../../storage/blob_store.ts";
import { FINAL_STATES, type TaskRunner } from "../../tasks/types.ts";

/** Lifecycle of an upload. READY and FAILED are final. */
export type DatasetState = "UPLOADED" | "PROFILING" | "SELECTING_FEATURES" | "READY" | "FAILED";

/** The profile summary kept in the KV record (per-column details live in `profile.json`). */
export interface DatasetProfileSummary {
  rows: number;
  columns: number;
  timestamp_column: string;
  /** ISO-8601 UTC instant of the earliest / latest row. */
  first_timestamp: string | null;
  last_timestamp: string | null;
  /** Rows per UTC day, `YYYY-MM-DD` → count, days ascending. */
  rows_per_day: Record<string, number>;
  class_counts: { "0": number; "1": number };
  /**
   * Columns with non-numeric values; excluded from feature selection. Cut to the first 200
   * names for a file with very many (the full list is in `profile.json`).
   */
  text_columns: string[];
  /** How many text columns there are in total. */
  text_column_count?: number;
  /** True when `rows_per_day` was left empty to fit the KV record (see `profile.json`). */
  rows_per_day_truncated?: boolean;
  /** Whether the CSV rows were already in ascending time order. */
  sorted_by_time: boolean;
}

/** One selected feature with its gain importance in the selection model. */
export interface RankedFeature {
  name: string;
  importance: number;
}

/** The KV record of a dataset (snake_case: it is served as JSON as is). */
export interface DatasetRecord {
  id: string;
  /** Original file name from the upload's Content-Disposition. */
  filename: string;
  state: DatasetState;
  /** Human-readable failure reason when FAILED, else null. */
  error: string | null;
  /** Size of the stored source CSV in bytes. */
  bytes: number;
  created_at: string;
  updated_at: string;
  /** The feature-selection task id (null until submitted). */
  task_id: string | null;
  profile: DatasetProfileSummary | null;
  /** Ranked feature list (best first) once READY, else null. */
  features: RankedFeature[] | null;
  /** Blob prefix of the column table once READY (`datasets/<id>/table/`), else null. */
  table_prefix: string | null;
  /** Blob key of the uploaded CSV. */
  source_key: string;
  /** Blob key of the full profile JSON (per-column missing shares), once profiled. */
  profile_key: string | null;
  /** Blob key of the row sample used for feature selection, once profiled. */
  sample_key: string | null;
}

/** The KV key of a dataset record. */
export function datasetKey(id: string): Deno.KvKey {
  return ["datasets", id];
}

/** The KV key holding the active dataset's id. */
export const ACTIVE_DATASET_KEY: Deno.KvKey = ["active", "dataset"];

/** Blob keys of a dataset (all under `datasets/<id>/`, removed together by `deletePrefix`). */
export function datasetBlobKeys(id: string): {
  prefix: string;
  source: string;
  profile: string;
  sample: string;
  table: string;
} {
  const prefix = `datasets/${id}/`;
  return {
    prefix,
    source: `${prefix}source.csv`,
    profile: `${prefix}profile.json`,
    sample: `${prefix}sample.bin`,
    table: `${prefix}table/`,
  };
}

/** The record of a freshly stored upload (no profile, features or table yet). */
export function newDatasetRecord(
  id: string,
  filename: string | null | undefined,
  bytes: number,
  state: DatasetState,
): DatasetRecord {
  const now = new Date().toISOString();
  return {
    id,
    filename: filename ?? "upload.csv",
    state,
    error: null,
    bytes,
    created_at: now,
    updated_at: now,
    task_id: null,
    profile: null,
    features: null,
    table_prefix: null,
    source_key: datasetBlobKeys(id).source,
    profile_key: null,
    sample_key: null,
  };
}

/** The dataset record with this id, or null. */
export function getDataset(kv: KvStore, id: string): Promise<DatasetRecord | null> {
  return kv.get<DatasetRecord>(datasetKey(id));
}

/** The active dataset's record, or null when none was ever made active. */
export async function getActiveDataset(kv: KvStore): Promise<DatasetRecord | null> {
  const id = await kv.get<string>(ACTIVE_DATASET_KEY);
  return id ? await getDataset(kv, id) : null;
}

/** Every dataset record, newest first. */
export async function listDatasets(kv: KvStore): Promise<DatasetRecord[]> {
  const rows = await kv.list<DatasetRecord>(["datasets"]);
  return rows.map((r) => r.value).sort(newestFirst);
}

/** The most recently created dataset (whatever its state), or null. */
export async function getNewestDataset(kv: KvStore): Promise<DatasetRecord | null> {
  return (await listDatasets(kv))[0] ?? null;
}

/** Save a whole record (creation). */
export async function putDataset(kv: KvStore, rec: DatasetRecord): Promise<void> {
  await kv.set(datasetKey(rec.id), rec);
}

/**
 * Atomically change a record: `fn` gets the current record and returns the fields to change
 * (`updated_at` is set for you). Resolves with the new record, or null when the id is unknown.
 */
export async function updateDataset(
  kv: KvStore,
  id: string,
  fn: (cur: DatasetRecord) => Partial<DatasetRecord>,
): Promise<DatasetRecord | null> {
  let found = true;
  const out = await kv.update<DatasetRecord>(datasetKey(id), (cur) => {
    if (!cur) {
      found = false;
      return null;
    }
    found = true;
    return { ...cur, ...fn(cur), updated_at: new Date().toISOString() };
  });
  return found ? out : null;
}

/**
 * Store `rec` (typically just turned READY) and make it active in ONE atomic commit, so nobody
 * sees a READY dataset that is not active yet (a client polling for READY splits at once) —
 * unless a NEWER dataset is already active: uploads finishing out of order leave the newest one
 * active, and then only the record is written. Version-checked, retried on races.
 * Resolves true when `rec.id` is active afterwards.
 */
export async function activateDataset(kv: KvStore, rec: DatasetRecord): Promise<boolean> {
  for (let attempt = 0; attempt < 32; attempt++) {
    const [recEntry, activeEntry] = await kv.raw.getMany<[DatasetRecord, string]>([
      datasetKey(rec.id),
      ACTIVE_DATASET_KEY,
    ]);
    let activate = activeEntry.value !== rec.id;
    if (activate && activeEntry.value) {
      const cur = await getDataset(kv, activeEntry.value);
      if (cur && cur.state === "READY" && cur.created_at > rec.created_at) activate = false;
    }
    const op = kv.raw.atomic().check(recEntry, activeEntry).set(datasetKey(rec.id), rec);
    if (activate) op.set(ACTIVE_DATASET_KEY, rec.id);
    if ((await op.commit()).ok) return activeEntry.value === rec.id || activate;
  }
  return false;
}

function newestFirst(a: DatasetRecord, b: DatasetRecord): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Reason given to an upload whose validation pass was cut off by a restart. */
export const INTERRUPTED_UPLOAD = "The upload was interrupted before it was validated (restart).";
/** A PROFILING record not updated for this long has lost its request. */
const STALE_PROFILING_MS = 30 * 60_000;

/**
 * At startup no upload can be in flight (one process owns the KV): mark every UPLOADED /
 * PROFILING record FAILED and delete its blobs. Resolves with how many were settled. Call once
 * after `openServices` (uploads are validated inside the request, so there is nothing to resume).
 */
export async function recoverInterruptedUploads(
  kv: KvStore,
  storage: BlobStore,
): Promise<number> {
  let n = 0;
  for (const rec of await listDatasets(kv)) {
    if (rec.state !== "PROFILING" && rec.state !== "UPLOADED") continue;
    await storage.deletePrefix(datasetBlobKeys(rec.id).prefix);
    await updateDataset(
      kv,
      rec.id,
      (cur) => cur.state === rec.state ? { state: "FAILED", error: INTERRUPTED_UPLOAD } : {},
    );
    n++;
  }
  return n;
}

/**
 * A record still processing whose task has already ended (a task lost to a crash, a
 * dead-lettered queue message) is reported — and stored — as FAILED with the task's reason, so
 * nothing stays "SELECTING_FEATURES" forever; likewise a PROFILING record untouched for 30 min
 * (its request is gone). Records in any other situation come back as is.
 */
export async function reconcileDataset(
  kv: KvStore,
  tasks: TaskRunner,
  rec: DatasetRecord,
): Promise<DatasetRecord> {
  if (
    (rec.state === "PROFILING" || rec.state === "UPLOADED") &&
    Date.now() - Date.parse(rec.updated_at) > STALE_PROFILING_MS
  ) {
    // The request that was profiling it is gone (a restart): profiling takes seconds.
    return (await updateDataset(
      kv,
      rec.id,
      (cur) => cur.state === rec.state ? { state: "FAILED", error: INTERRUPTED_UPLOAD } : {},
    )) ?? rec;
  }
  if (rec.state !== "SELECTING_FEATURES" || !rec.task_id) return rec;
  const task = await tasks.get(rec.task_id);
  if (task && !FINAL_STATES.includes(task.state)) return rec;
  // Give the handler's own final write a moment: the task record turns final just after it.
  const again = await getDataset(kv, rec.id);
  if (!again || again.state !== "SELECTING_FEATURES") return again ?? rec;
  if (task?.state === "SUCCESS") return again;
  const reason = task?.error ??
    (task ? "Feature selection was stopped." : "The feature selection task no longer exists.");
  return (await updateDataset(
    kv,
    rec.id,
    (cur) => cur.state === "SELECTING_FEATURES" ? { state: "FAILED", error: reason } : {},
  )) ?? again;
}
