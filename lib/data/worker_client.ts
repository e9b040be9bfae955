/**
 * Main-thread side of `data_worker.ts`: start a worker for one job, forward progress, resolve
 * with the result (typed arrays arrive transferred), reject with the job's error — a
 * `CsvValidationError` comes back as one (line, column, status 422) — and terminate the worker
 * in every case. Aborting `signal` terminates it at once.
 *
 * @module
 */
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

/** A message from the data worker. */
export type WorkerReply =
  | ({ type: "progress" } & JobProgress)
  | { type: "result"; value: unknown }
  | {
    type: "error";
    error: { name: string; message: string; line: number | null; column: string | null };
  };

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

/** Run one job in a fresh worker. */
export function runDataJob<T>(
  job: DataJob,
  ctl: { onProgress?: (p: JobProgress) => void; signal?: AbortSignal } = {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const { signal } = ctl;
    if (signal?.aborted) return reject(signal.reason);
    const worker = new Worker(new URL("./data_worker.ts", import.meta.url), { type: "module" });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      worker.terminate();
      signal?.removeEventListener("abort", onAbort);
      fn();
    };
    const onAbort = () => finish(() => reject(signal!.reason));
    signal?.addEventListener("abort", onAbort, { once: true });
    worker.onmessage = (ev: MessageEvent<WorkerReply>) => {
      const m = ev.data;
      if (m.type === "progress") {
        try {
          ctl.onProgress?.({ bytes: m.bytes, totalBytes: m.totalBytes, rows: m.rows });
        } catch { /* a progress callback must not kill the job */ }
      } else if (m.type === "result") finish(() => resolve(m.value as T));
      else {
        const e = m.error;
        finish(() =>
          reject(
            e.name === "CsvValidationError"
              ? new CsvValidationError(e.message, e.line, e.column)
              : Object.assign(new Error(e.message), { name: e.name }),
          )
        );
      }
    };
    worker.onerror = (ev) => {
      ev.preventDefault();
      finish(() => reject(new Error(`Data worker failed: ${ev.message}`)));
    };
    worker.postMessage(job);
  });
}

export type { ColumnTableData, ProfileResult };
