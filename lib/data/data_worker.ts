/**
 * Web Worker entry for the CPU-heavy data passes (CSV profile, column-table scan), so the HTTP
 * side stays responsive. Started by `worker_client.ts`; not imported by anything else.
 *
 * Protocol: one request `{ kind: "profile" | "table", ... }` → any number of
 * `{ type: "progress" }` messages → one `{ type: "result", value }` (typed arrays transferred,
 * not copied) or `{ type: "error", error }`.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { scanColumnTable } from "./column_table.ts";
import { profileCsv } from "./profile.ts";
import type { DataJob, WorkerReply } from "./worker_client.ts";
import { transferablesOf } from "./worker_client.ts";

const post = (msg: WorkerReply, transfer: Transferable[] = []) => self.postMessage(msg, transfer);

self.onmessage = async (ev: MessageEvent<DataJob>) => {
  const job = ev.data;
  const onProgress = (p: { bytes: number; totalBytes: number | null; rows: number }) =>
    post({ type: "progress", ...p });
  try {
    if (job.kind === "profile") {
      const r = await profileCsv(job.source, { ...job.opts, onProgress });
      post({ type: "result", value: r }, transferablesOf(r.sample));
    } else {
      const t = await scanColumnTable(job.source, job.selected, { ...job.opts, onProgress });
      post({ type: "result", value: t }, transferablesOf(t));
    }
  } catch (err) {
    const e = err as Error & { line?: number; column?: string; status?: number };
    post({
      type: "error",
      error: {
        name: e?.name ?? "Error",
        message: e?.message ?? String(err),
        line: e?.line ?? null,
        column: e?.column ?? null,
      },
    });
  }
};
