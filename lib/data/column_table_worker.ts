/**
 * `buildColumnTable` with the CSV scan in a Web Worker: the worker parses and sorts, the column
 * buffers come back transferred (no copy), and this thread only writes them to the store.
 *
 * @module
 */
import type { BlobStore } from "../storage/blob_store.ts";
import {
  type BuildTableOptions,
  type ColumnTableData,
  type ColumnTableManifest,
  writeColumnTable,
} from "./column_table.ts";
import { runDataJob } from "./worker_client.ts";

/** Like `buildColumnTable`, for a local CSV file path. */
export async function buildColumnTableInWorker(
  csvPath: string,
  selectedColumns: string[],
  store: BlobStore,
  prefix: string,
  opts: BuildTableOptions = {},
): Promise<ColumnTableManifest> {
  const { onProgress, signal, ...plain } = opts;
  const data = await runDataJob<ColumnTableData>(
    { kind: "table", source: csvPath, selected: selectedColumns, opts: plain },
    { onProgress, signal },
  );
  signal?.throwIfAborted();
  return await writeColumnTable(store, prefix, data);
}
