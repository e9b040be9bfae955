/**
 * A split set's feature columns one at a time, for training that never holds the float matrix
 * (`trainColumnsInWorker` bins each column as it arrives). The same rows, in the same order, as
 * `loadSplitSet` (split/split.ts): the set's row range of the column table, narrowed to the
 * split's kept rows when it was sampled.
 *
 * @example
 * ```ts
 * const set = await openSplitColumns(services, split, "train");
 * const f0 = await set.column(split.feature_names[0]); // Float32Array of set.nRows values
 * ```
 *
 * @module
 */
import type { Services } from "../../services.ts";
import { openColumnTable } from "../../data/column_table.ts";
import { loadSplitSet, type SplitRecord } from "../split/split.ts";
import { lowerBound, type SetName } from "../split/windows.ts";
import { ColumnReader } from "../split/column_reader.ts";

/** One set of a split: its labels now, its feature columns on demand. */
export interface SplitColumns {
  nRows: number;
  labels: Uint8Array;
  /** Feature `name` of the set's rows: a fresh array on its own buffer. */
  column(name: string): Promise<Float32Array>;
  /** Stop the reading worker (a later `column` starts it again). */
  close(): void;
}

/**
 * Opens set `which` of `split` (reads its labels; columns are read by `column`, by a worker when
 * the table is in local files: `ColumnReader`). Call `close` when done.
 */
export async function openSplitColumns(
  services: Services,
  split: SplitRecord,
  which: SetName,
): Promise<SplitColumns> {
  // No feature columns: labels (and ids/timestamps) of exactly the rows loadSplitSet gives.
  const base = await loadSplitSet(services, split, which, []);
  const table = await openColumnTable(services.storage, split.table_prefix);
  const [start, end] = split.ranges[which];
  let kept: Uint32Array | null = null;
  if (split.sample_rows) {
    const bytes = await services.storage.getBytes(split.sample_rows);
    const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
    const all = new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
    kept = all.slice(lowerBound(all, start), lowerBound(all, end));
  }
  const reader = ColumnReader.open(services.storage, table.manifest);
  return {
    nRows: base.nRows,
    labels: base.labels,
    async column(name) {
      const [col] =
        await (reader
          ? reader.read([name], start, end)
          : table.readRows(start, end, [name])) as Float32Array[];
      if (!kept) return col;
      const out = new Float32Array(kept.length);
      for (let k = 0; k < kept.length; k++) out[k] = col[kept[k] - start];
      return out;
    },
    close: () => reader?.close(),
  };
}
