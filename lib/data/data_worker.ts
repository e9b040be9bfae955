/**
 * Web Worker entry for the CPU-heavy data passes (CSV profile, column-table scan), so the HTTP
 * side stays responsive. Started by `worker_client.ts` (`runDataJob`) over the generic
 * `serveWorker` protocol: one `DataJob` → progress messages → the result, its typed arrays
 * transferred (not copied), or the error (a `CsvValidationError` keeps its line and column).
 *
 * @module
 */
import { serveWorker } from "../worker/protocol.ts";
import { type ColumnTableData, scanColumnTable } from "./column_table.ts";
import { profileCsv, type ProfileResult } from "./profile.ts";
import { type DataJob, type JobProgress, transferablesOf } from "./worker_client.ts";

serveWorker<DataJob, ProfileResult | ColumnTableData, JobProgress>((job, io) => {
  const onProgress = (p: JobProgress) =>
    io.progress({ bytes: p.bytes, totalBytes: p.totalBytes, rows: p.rows });
  return job.kind === "profile"
    ? profileCsv(job.source, { ...job.opts, onProgress })
    : scanColumnTable(job.source, job.selected, { ...job.opts, onProgress });
}, {
  transfer: (r) => transferablesOf("sample" in r ? r.sample : r),
  priority: "background",
});
