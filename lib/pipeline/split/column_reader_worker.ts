/**
 * Worker side of `ColumnReader` (`column_reader.ts`): reads row ranges of local column files and
 * moves the arrays to the owner, so the owner's thread (the HTTP server) does not pay for the
 * reads or for faulting in the fresh arrays.
 *
 * This module must stay importable from a worker: no KV, no app imports; its only file access is
 * reading the column files it is given.
 *
 * @module
 */
import { serveWorker } from "../../worker/protocol.ts";
import { type ColumnFile, OpenFiles, readColumnBlocks } from "./column_file.ts";

/** Read rows `[start, end)` of each column. */
export interface ReadRequest {
  columns: ColumnFile[];
  start: number;
  end: number;
}

const files = new OpenFiles();

serveWorker<ReadRequest, (Float32Array | Float64Array | Uint8Array)[]>(
  ({ columns, start, end }) => {
    try {
      return columns.map((c) => readColumnBlocks(files.get(c.path), c, [[start, end]]));
    } finally {
      // A reader lives for one set at most: keep no descriptors between calls of a slow caller.
      files.close();
    }
  },
  { transfer: (arrays) => arrays.map((a) => a.buffer as ArrayBuffer), priority: "background" },
);
