/**
 * `ColumnReader`: row ranges of a column table read by a worker (`column_reader_worker.ts`)
 * when the store keeps the table in local files, the arrays moved (not copied) to the caller.
 * Reading a Bosch-scale test set (100 columns × 169 k rows) on the server thread, through the
 * store's range streams, held it for ~200 ms of reads and page faults (fresh memory costs
 * ~2.8 ms per MB on this 2-core VM), and status answers waited behind it. Stores without local
 * files (S3) have no reader: callers read through the column table as before.
 *
 * @example
 * ```ts
 * const reader = ColumnReader.open(services.storage, table.manifest);
 * try {
 *   const [f0, y] = reader
 *     ? await reader.read(["L0_S0_F0", "Response"], 0, 1000)
 *     : await table.readRows(0, 1000, ["L0_S0_F0", "Response"]);
 * } finally {
 *   reader?.close();
 * }
 * ```
 *
 * @module
 */
import type { BlobStore } from "../../storage/blob_store.ts";
import type { ColumnArray, ColumnTable, ColumnTableManifest } from "../../data/column_table.ts";
import { WorkerClient } from "../../worker/client.ts";
import type { ColumnFile } from "./column_file.ts";
import type { ReadRequest } from "./column_reader_worker.ts";

/** Reads columns of one table in a worker (see the module doc); `close` when done. */
export class ColumnReader {
  #client: WorkerClient | null = null;

  private constructor(
    readonly manifest: ColumnTableManifest,
    readonly files: Map<string, ColumnFile>,
  ) {}

  /** A reader of `manifest`'s table, or null when its columns are not local files. */
  static open(storage: BlobStore, manifest: ColumnTableManifest): ColumnReader | null {
    const files = localColumnFiles(storage, manifest);
    return files && new ColumnReader(manifest, files);
  }

  /** Rows `[start, end)` of the given columns, in the order asked (fresh arrays). */
  read(columns: string[], start: number, end: number): Promise<ColumnArray[]> {
    if (
      !Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start ||
      end > this.manifest.rows
    ) {
      return Promise.reject(
        new RangeError(`Invalid row range [${start}, ${end}) of ${this.manifest.rows} rows`),
      );
    }
    const files: ColumnFile[] = [];
    for (const name of columns) {
      const f = this.files.get(name);
      if (!f) return Promise.reject(new RangeError(`Column '${name}' is not in the table`));
      files.push(f);
    }
    // The worker starts on first use (through the worker host when one runs: no wait here).
    this.#client ??= WorkerClient.spawn(new URL("./column_reader_worker.ts", import.meta.url), {
      name: "column-reader",
      hangTimeoutMs: 120_000,
    });
    return this.#client.call<ReadRequest, ColumnArray[]>({ columns: files, start, end });
  }

  /** Stop the worker (safe to call twice; a later `read` starts a new one). */
  close(): void {
    this.#client?.terminate();
    this.#client = null;
  }
}

/** Each column of `manifest` by name, as a local file; null when any is not a local file. */
export function localColumnFiles(
  storage: BlobStore,
  manifest: ColumnTableManifest,
): Map<string, ColumnFile> | null {
  const files = new Map<string, ColumnFile>();
  for (const c of manifest.columns) {
    const path = storage.localPath(c.key);
    if (!path) return null;
    files.set(c.name, { path, offset: c.offset ?? 0, dtype: c.dtype });
  }
  return files;
}

/**
 * `table.readRows(start, end, columns)`, read by a one-off `ColumnReader` worker when the table
 * is in local files (the arrays are then faulted in off this thread), else by `table` here.
 */
export async function readRowsOffThread(
  storage: BlobStore,
  table: ColumnTable,
  columns: string[],
  start: number,
  end: number,
): Promise<ColumnArray[]> {
  const reader = ColumnReader.open(storage, table.manifest);
  if (!reader) return await table.readRows(start, end, columns);
  try {
    return await reader.read(columns, start, end);
  } finally {
    reader.close();
  }
}
