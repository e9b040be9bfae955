/**
 * Main-thread side of `data_worker.ts`, a thin layer over `runInWorker`: one fresh worker per
 * job, progress forwarded, typed arrays of the result transferred (not copied), the worker
 * terminated in every case and at once when `signal` aborts. A `CsvValidationError` thrown in
 * the worker comes back as one (line, column, status 422) so routes can answer 422; any other
 * failure rejects with `WorkerError`.
 *
 * @module
 */
import { runInWorker, type WorkerErrorInfo } from "../worker/mod.ts";
import type { BuildTableOptions, ColumnTableData } from "./column_table.ts";
import { CsvValidationError } from "./csv_header.ts";
import type { ProfileOptions, ProfileResult } from "./profile.ts";

type Plain<T> = Omit<T, "onProgress" | "signal">;

/** A request to the data worker. `source` is a local file path. */
export type DataJob =
  | { kind: "profile"; source: string; opts: Plain<ProfileOptions> }
  | { kind: "table"; source: string; selected: string[]; opts: Plain<BuildTableOptions> };

/** Progress of a worker job. */
export interface JobProgress {
  bytes: number;
  totalBytes: number | null;
  rows: number;
}

/** The distinct ArrayBuffers under the typed arrays of an object (one level + arrays). */
export function transferablesOf(obj: object): ArrayBuffer[] {
  const set = new Set<ArrayBuffer>();
  const visit = (v: unknown) => {
    if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) set.add(v.buffer);
    else if (Array.isArray(v)) v.forEach(visit);
  };
  Object.values(obj).forEach(visit);
  return [...set];
}

/** Rebuild a worker-side `CsvValidationError` (other errors stay `WorkerError`). */
export function reviveDataError(e: WorkerErrorInfo): Error | undefined {
  if (e.name !== "CsvValidationError") return undefined;
  const { line, column } = e.data;
  return new CsvValidationError(
    e.message,
    typeof line === "number" ? line : null,
    typeof column === "string" ? column : null,
  );
}

/** Run one job in a fresh worker. */
export function runDataJob<T>(
  job: DataJob,
  ctl: { onProgress?: (p: JobProgress) => void; signal?: AbortSignal } = {},
): Promise<T> {
  return runInWorker<DataJob, T, JobProgress>(new URL("./data_worker.ts", import.meta.url), job, {
    signal: ctl.signal,
    onProgress: ctl.onProgress,
    reviveError: reviveDataError,
    // A scan reports progress per chunk, but the sort after it is silent for seconds on a big
    // file under load: no hang timeout (the task's own cancellation still applies).
    hangTimeoutMs: 0,
    name: `data-${job.kind}`,
  });
}

export type { ColumnTableData, ProfileResult };
