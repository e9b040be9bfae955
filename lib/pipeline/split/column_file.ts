/**
 * Reading rows of a column straight from a local column-table file (`columns.bin`, or a
 * version 1 one-column blob), synchronously: for workers, which then allocate and fill the
 * arrays on their own thread. On this 2-core VM a fresh array costs ~2.8 ms per MB of page
 * faults to fill on whichever thread does it (`bench/split_train.ts` traces), so the server
 * thread should neither read nor copy big columns.
 *
 * This module must stay importable from a worker: no KV, no app imports.
 *
 * @module
 */

/** Element type of a stored column (as in the column table manifest). */
export type ColumnFileDtype = "float32" | "float64" | "uint8";

/** Where a column lies in a local file: element type and byte offset of row 0 (little-endian). */
export interface ColumnFile {
  path: string;
  offset: number;
  dtype: ColumnFileDtype;
}

/** Bytes per element. */
export const DTYPE_BYTES: Record<ColumnFileDtype, number> = { float32: 4, float64: 8, uint8: 1 };

/** A fresh array of `dtype` with room for `n` elements. */
function alloc(dtype: ColumnFileDtype, n: number): Float32Array | Float64Array | Uint8Array {
  if (dtype === "float32") return new Float32Array(n);
  if (dtype === "float64") return new Float64Array(n);
  return new Uint8Array(n);
}

/**
 * Rows of the given `[start, end)` blocks of `column`, back to back, read from the open `file`
 * (the file at `column.path`).
 */
export function readColumnBlocks(
  file: Deno.FsFile,
  column: Omit<ColumnFile, "path">,
  blocks: [number, number][],
): Float32Array | Float64Array | Uint8Array {
  const item = DTYPE_BYTES[column.dtype];
  const out = alloc(column.dtype, blocks.reduce((a, [s, e]) => a + e - s, 0));
  const bytes = new Uint8Array(out.buffer);
  let at = 0;
  for (const [s, e] of blocks) {
    file.seekSync(column.offset + s * item, Deno.SeekMode.Start);
    const end = at + (e - s) * item;
    while (at < end) {
      const n = file.readSync(bytes.subarray(at, end));
      if (n === null || n === 0) throw new Error(`Column file ends before row ${e}`);
      at += n;
    }
  }
  return out;
}

/** Open files by path, opened on first use; `close` closes them all. */
export class OpenFiles {
  readonly #files = new Map<string, Deno.FsFile>();

  /** The open file at `path`. */
  get(path: string): Deno.FsFile {
    let f = this.#files.get(path);
    if (!f) this.#files.set(path, f = Deno.openSync(path, { read: true }));
    return f;
  }

  /** Close every file. */
  close(): void {
    for (const f of this.#files.values()) f.close();
    this.#files.clear();
  }
}
