/**
 * The stored columnar table of a dataset: the selected feature columns plus `Id`, `Response`
 * and the timestamp, for ALL rows, in time order. Split sets and simulations refer to row
 * ranges of it (`findRowRange`), so a new upload never changes what they read.
 *
 * Format (decided: raw typed-array columns + a JSON manifest, no Parquet): under `prefix/`
 * - `manifest.json` — `ColumnTableManifest`, written LAST (its presence = table complete);
 * - `columns.bin`: the columns back to back, each at an 8-byte aligned offset the manifest
 *   gives: little-endian `Float32` features (NaN = missing), `Float64` Id, `Uint8` Response,
 *   `Float64` timestamp (ms UTC). (Version 1 tables, one blob per column, are still read.)
 * A column or a row range of it is one byte-range `get`, viewed as a typed array without
 * parsing. One blob rather than one per column: a durable put ends with an fsync, and 103 of
 * them cost 4 s at Bosch scale on this machine's disk (1.18 M rows, 470 MB) against ~1 s for
 * one.
 *
 * Why not Parquet through nodejs-polars (`deno run -A bench/table_format.ts`, 1,183,747 rows ×
 * 100 features, medians of 5): ours writes 7–11× faster (0.34 s vs 2.4–4.0 s, polars also needs
 * a 0.6 s NaN→null copy of the whole table), reads a column 4–5× faster (13 vs 54–72 ms) and a
 * day of rows 2–2.8× faster with 3× less peak memory (+99 vs +400 MB). Parquet is 4–9× smaller
 * on disk (54–112 MiB vs 471 MiB per dataset) — the one thing it would buy us.
 *
 * Memory while building: the columns of all rows (1.18 M rows × 100 features × 4 B ≈ 470 MB at
 * Bosch scale; pass `rowsHint` = profile rows to allocate exactly once) plus, only when the
 * input is out of time order, one column at a time while permuting.
 *
 * Measured: 1 GB generated Bosch file → 460,802 rows × (100 features + 3) in 6.2 s (worker scan +
 * sort check + writes), peak RSS 263 MB (≈ the 192 MB of columns + runtime).
 *
 * @example
 * ```ts
 * await buildColumnTable("source.csv", ["L0_S0_F0", "L3_S29_F3317"], store, "datasets/d1/table");
 * const table = await openColumnTable(store, "datasets/d1/table");
 * const ts = (await table.readColumn("synthetic_timestamp")) as Float64Array;
 * const { start, end } = findRowRange(ts, Date.UTC(2025, 0, 1), Date.UTC(2025, 0, 4, 23, 59, 59, 999));
 * const [f0, y] = await table.readRows(start, end, ["L0_S0_F0", "Response"]);
 * ```
 *
 * @module
 */
import type { BlobStore } from "../storage/blob_store.ts";
import {
  type CsvHeader,
  CsvValidationError,
  type HeaderOptions,
  resolveHeader,
} from "./csv_header.ts";
import { type CsvSource, scanCsv } from "./csv_scanner.ts";
import { rowId, rowLabel, rowTimestamp } from "./row_roles.ts";
import { fillMissing } from "./missing.ts";

/** Element types of stored columns. */
export type ColumnDtype = "float32" | "float64" | "uint8";
/** A column in memory. */
export type ColumnArray = Float32Array | Float64Array | Uint8Array;
/** What a column is for. */
export type ColumnRole = "id" | "response" | "timestamp" | "feature";

/** One stored column. */
export interface ColumnEntry {
  name: string;
  dtype: ColumnDtype;
  role: ColumnRole;
  /** Blob key (absolute in the store). */
  key: string;
  /** Byte offset of the column in the blob (version 2); absent: the whole blob (version 1). */
  offset?: number;
}

/** `manifest.json` of a column table. */
export interface ColumnTableManifest {
  /** 2: all columns in one blob at `ColumnEntry.offset`; 1: one blob per column. */
  version: 1 | 2;
  rows: number;
  columns: ColumnEntry[];
  idColumn: string;
  responseColumn: string;
  timestampColumn: string;
  /** Feature columns in the order they were selected. */
  featureColumns: string[];
  /** Min / max timestamp (ms UTC), null when empty. */
  minTs: number | null;
  maxTs: number | null;
  /** Rows are in ascending timestamp order (stable: ties keep file order). Always true. */
  sorted: true;
  /** Whether the source CSV already was in time order (no permutation was needed). */
  sourceInOrder: boolean;
  /** Non-empty cells that were not numbers (stored as NaN), per feature with any. */
  nonNumericCells: Record<string, number>;
  classCounts: { "0": number; "1": number };
  endian: "little";
  createdAt: string;
}

/** A table in memory, as built by `scanColumnTable` (before writing). */
export interface ColumnTableData {
  rows: number;
  ids: Float64Array;
  labels: Uint8Array;
  timestamps: Float64Array;
  features: Float32Array[];
  featureNames: string[];
  idColumn: string;
  responseColumn: string;
  timestampColumn: string;
  sourceInOrder: boolean;
  nonNumericCells: Record<string, number>;
  /** Records that contained a quote (a byte-range split of such a file is not trusted). */
  quotedRecords?: number;
  /** First / last timestamp in file order and the count of `Response` = 1. */
  summary?: { firstTs: number; lastTs: number; positives: number };
}

/**
 * Where `scanColumnTable` puts the rows when it writes them straight into a staged columns
 * blob (`buildColumnTableInWorker` on a local store) instead of returning them.
 */
export interface TableFileTarget {
  /** The staged blob, a local file laid out by `tableLayout` for the whole table. */
  path: string;
  /** The whole table's row count (fixes the column offsets). */
  tableRows: number;
  /** Table row of this scan's first record. */
  rowStart: number;
  /** Rows gathered before they are written (default 65,536). */
  blockRows?: number;
}

/** Options of the build. */
export interface BuildTableOptions extends HeaderOptions {
  /** Expected row count (the profile's `rows`): allocates once, no growth copies. */
  rowsHint?: number;
  chunkSize?: number;
  onProgress?: (p: { bytes: number; totalBytes: number | null; rows: number }) => void;
  signal?: AbortSignal;
  /** Scan only the records in these bytes of the file (see `ScanOptions.byteRange`). */
  byteRange?: { start: number; end: number };
  /**
   * `buildColumnTableInWorker` only: scan the file in this many workers by byte range
   * (default: 2 on a multi-core machine for files ≥ 64 MiB, else 1).
   */
  workers?: number;
  /**
   * `buildColumnTableInWorker` only: the profile's record offsets (`DatasetProfile`) of a file
   * in time order; with `rowsHint` = its row count, the workers write straight into the table.
   */
  recordIndex?: { step: number; offsets: number[] };
  /** Write the rows into this staged file instead of returning them (see `TableFileTarget`). */
  target?: TableFileTarget;
}

/** Thrown by a `target` scan whose rows are not in time order (the caller sorts instead). */
export class TableOrderError extends Error {
  constructor() {
    super("The rows are not in time order");
    this.name = "TableOrderError";
  }
}

/**
 * Byte offset of each column in the columns blob of a `rows`-row table with `nFeatures`
 * features (Id, Response, timestamp, then the features, each 8-byte aligned), and its size.
 */
export function tableLayout(rows: number, nFeatures: number): { offsets: number[]; size: number } {
  const dtypes: ColumnDtype[] = ["float64", "uint8", "float64"];
  for (let f = 0; f < nFeatures; f++) dtypes.push("float32");
  let size = 0;
  const offsets = dtypes.map((d) => {
    const at = size;
    size += (rows * ITEM[d] + 7) & ~7;
    return at;
  });
  return { offsets, size };
}

/** Bytes per element. */
const ITEM: Record<ColumnDtype, number> = { float32: 4, float64: 8, uint8: 1 };

/** Name of the blob that holds all columns (version 2). */
const COLUMNS_BLOB = "columns.bin";

type Pick = (d: ColumnTableData) => ColumnArray;

/** A feature column of `cap` rows, all missing: rows then only write their present values. */
function missingColumn(cap: number): Float32Array<ArrayBuffer> {
  const col = new Float32Array(cap);
  fillMissing(col);
  return col;
}

function growF32(a: Float32Array, cap: number): Float32Array<ArrayBuffer> {
  const b = missingColumn(cap);
  b.set(a);
  return b;
}
function growF64(a: Float64Array, cap: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}

/**
 * The CPU part of the build: scan the CSV once, parse the selected features + roles of every
 * row, and sort by timestamp (stable) when the file is out of order. Throws
 * `CsvValidationError` for a selected column missing from the header or a malformed row.
 */
export async function scanColumnTable(
  source: CsvSource,
  selectedColumns: string[],
  opts: BuildTableOptions = {},
): Promise<ColumnTableData> {
  let header: CsvHeader | null = null;
  const nF = selectedColumns.length;
  const target = opts.target;
  // With a target the arrays hold one block of rows, written out whenever it is full: memory
  // that stays mapped, instead of fresh pages for the whole table (first touches of fresh
  // memory cost ~0.9 s per worker at Bosch scale on this VM).
  let cap = target
    ? Math.max(16, target.blockRows ?? 65536)
    : Math.max(16, Math.ceil(opts.rowsHint ?? 65536));
  let ids: Float64Array = new Float64Array(cap);
  let labels: Uint8Array = new Uint8Array(cap);
  let timestamps: Float64Array = new Float64Array(cap);
  let features: Float32Array[] = selectedColumns.map(() => missingColumn(cap));
  const nonNumeric = new Float64Array(nF);
  let rows = 0;
  let at = 0; // index in the arrays: `rows`, or the row within the block with a target
  let inOrder = true;
  let lastTs = -Infinity;
  let firstTs = NaN;
  let positives = 0;
  if (new Set(selectedColumns).size !== nF) throw new RangeError("Selected columns must be unique");
  let scan: Awaited<ReturnType<typeof scanCsv>>;
  const out = target ? new BlockWriter(target, nF) : null;
  try {
    scan = await scanCsv(source, {
      chunkSize: opts.chunkSize,
      signal: opts.signal,
      byteRange: opts.byteRange,
      onProgress: opts.onProgress
        ? (bytes, r, totalBytes) => opts.onProgress!({ bytes, totalBytes, rows: r })
        : undefined,
      onHeader(names) {
        const h = resolveHeader(names, opts);
        header = h;
        const cols = [h.idIndex, h.responseIndex, h.timestampIndex];
        for (const name of selectedColumns) {
          const i = names.indexOf(name);
          if (i < 0) {
            throw new CsvValidationError(
              `Selected column '${name}' is not in the CSV header`,
              1,
              name,
            );
          }
          if (i === h.idIndex || i === h.responseIndex || i === h.timestampIndex) {
            throw new CsvValidationError(`Column '${name}' is not a feature column`, 1, name);
          }
          cols.push(i);
        }
        return { columns: cols };
      },
      onRow(row) {
        const names = header!.names;
        const ts = rowTimestamp(row, names);
        const label = rowLabel(row, names);
        const id = rowId(row, names);
        if (at === cap && out) {
          out.write(rows - at, at, ids, labels, timestamps, features);
          for (const f of features) fillMissing(f);
          at = 0;
        } else if (at === cap) {
          cap = Math.ceil(cap * 1.5);
          ids = growF64(ids, cap);
          timestamps = growF64(timestamps, cap);
          const l = new Uint8Array(cap);
          l.set(labels);
          labels = l;
          features = features.map((f) => growF32(f, cap));
        }
        if (ts < lastTs) inOrder = false;
        if (rows === 0) firstTs = ts;
        lastTs = ts;
        positives += label;
        ids[at] = id;
        labels[at] = label;
        timestamps[at] = ts;
        // Columns start all-missing: only present cells are written (~20 % of a Bosch row), which
        // took this loop from 27 to ~8 ns per cell (stores spread over 100 columns miss the cache).
        const buf = row.buf, fs = row.fieldStart, fe = row.fieldEnd;
        for (let f = 0; f < nF; f++) {
          const s = fs[f + 3];
          if (s < fe[f + 3]) {
            const v = row.number(f + 3);
            if (v !== v && !(buf[s] === 78 || buf[s] === 110)) nonNumeric[f]++; // NaN/nan literal
            features[f][at] = v;
          }
        }
        at++;
        rows++;
      },
    });
    if (out) {
      if (!inOrder) throw new TableOrderError();
      out.write(rows - at, at, ids, labels, timestamps, features);
      at = 0; // nothing is returned but the summary
    }
  } finally {
    out?.close();
  }
  const h = header as CsvHeader | null;
  if (!h) throw new CsvValidationError("The CSV is empty (no header line)", 1);
  // Views of the filled part (no copy; the slack is at most the growth margin).
  ids = ids.subarray(0, at);
  labels = labels.subarray(0, at);
  timestamps = timestamps.subarray(0, at);
  features = features.map((f) => f.subarray(0, at));
  if (!inOrder) {
    const perm = stableOrder(timestamps);
    ids = permute(ids, perm, new Float64Array(rows));
    labels = permute(labels, perm, new Uint8Array(rows));
    timestamps = permute(timestamps, perm, new Float64Array(rows));
    // One column at a time: the old one becomes garbage before the next is permuted.
    for (let f = 0; f < nF; f++) features[f] = permute(features[f], perm, new Float32Array(rows));
  }
  const nonNumericCells: Record<string, number> = {};
  selectedColumns.forEach((c, f) => {
    if (nonNumeric[f] > 0) nonNumericCells[c] = nonNumeric[f];
  });
  return {
    rows,
    ids,
    labels,
    timestamps,
    features,
    featureNames: [...selectedColumns],
    idColumn: h.names[h.idIndex],
    responseColumn: h.names[h.responseIndex],
    timestampColumn: h.names[h.timestampIndex],
    sourceInOrder: inOrder,
    nonNumericCells,
    quotedRecords: scan.quotedRecords,
    summary: { firstTs, lastTs, positives },
  };
}

/** Writes blocks of rows into a staged columns blob at their table rows (`TableFileTarget`). */
class BlockWriter {
  readonly #file: Deno.FsFile;
  readonly #offsets: number[];
  #syncing: Promise<void> | null = null;

  constructor(readonly target: TableFileTarget, nFeatures: number) {
    this.#offsets = tableLayout(target.tableRows, nFeatures).offsets;
    this.#file = Deno.openSync(target.path, { write: true });
  }

  /** This scan's rows [first, first + n), held in the first n entries of the arrays. */
  write(
    first: number,
    n: number,
    ...columns: [ColumnArray, ColumnArray, ColumnArray, ColumnArray[]]
  ) {
    if (n === 0) return;
    const row = this.target.rowStart + first;
    if (row + n > this.target.tableRows) {
      throw new Error(`The scan has more rows than the table's ${this.target.tableRows}`);
    }
    const [ids, labels, timestamps, features] = columns;
    [ids, labels, timestamps, ...features].forEach((c, i) => {
      const item = c.BYTES_PER_ELEMENT;
      const bytes = new Uint8Array(c.buffer, c.byteOffset, n * item);
      this.#file.seekSync(this.#offsets[i] + row * item, Deno.SeekMode.Start);
      for (let off = 0; off < bytes.length;) off += this.#file.writeSync(bytes.subarray(off));
    });
    // Start the write-back of what is written so far, off this thread, so the commit's fsync
    // has little left (table phase at 1.18 M rows 3.0–3.1 → 2.8–2.9 s, pairs in one session).
    // Durability still comes from the commit's own fsync; an error here only loses the head start.
    if (!this.#syncing) {
      this.#syncing = this.#file.syncData().catch(() => {}).finally(() => this.#syncing = null);
    }
  }

  close(): void {
    try {
      this.#file.close();
    } catch { /* already closed */ }
  }
}

/**
 * Join consecutive parts of one file (scanned by byte range, each sorted) into one table in
 * time order. When the parts already follow each other in time (the usual case: the file was in
 * order) nothing is copied — the result is the parts as they are, for `writeColumnTableParts`.
 * Otherwise the columns are concatenated and stably sorted one at a time (ties keep file order),
 * dropping each part's column as soon as it is copied.
 */
export function joinTableParts(parts: ColumnTableData[]): ColumnTableData[] {
  if (parts.length <= 1) return parts;
  let chained = true;
  for (let i = 1; i < parts.length && chained; i++) {
    const a = parts[i - 1], b = parts[i];
    if (a.rows > 0 && b.rows > 0 && a.timestamps[a.rows - 1] > b.timestamps[0]) chained = false;
  }
  if (chained) {
    const inOrder = parts.every((p) => p.sourceInOrder);
    return parts.map((p) => ({ ...p, sourceInOrder: inOrder }));
  }
  const rows = parts.reduce((n, p) => n + p.rows, 0);
  const concat = <T extends ColumnArray>(pick: (p: ColumnTableData) => T, out: T): T => {
    let off = 0;
    for (const p of parts) {
      out.set(pick(p) as unknown as ArrayLike<number>, off);
      off += p.rows;
    }
    return out;
  };
  // Stable order on the file-order concatenation (each part was sorted on its own).
  const fileTs = concat((p) => p.timestamps, new Float64Array(rows));
  const perm = stableOrder(fileTs);
  const first = parts[0];
  const features: Float32Array[] = [];
  for (let f = 0; f < first.features.length; f++) {
    const col = concat((p) => p.features[f], new Float32Array(rows));
    for (const p of parts) p.features[f] = new Float32Array(0); // release the part's column
    features.push(permute(col, perm, new Float32Array(rows)));
  }
  const nonNumericCells: Record<string, number> = {};
  for (const p of parts) {
    for (const [k, v] of Object.entries(p.nonNumericCells)) {
      nonNumericCells[k] = (nonNumericCells[k] ?? 0) + v;
    }
  }
  return [{
    ...first,
    rows,
    ids: permute(concat((p) => p.ids, new Float64Array(rows)), perm, new Float64Array(rows)),
    labels: permute(concat((p) => p.labels, new Uint8Array(rows)), perm, new Uint8Array(rows)),
    timestamps: permute(fileTs, perm, new Float64Array(rows)),
    features,
    sourceInOrder: false,
    nonNumericCells,
    quotedRecords: parts.reduce((n, p) => n + (p.quotedRecords ?? 0), 0),
    summary: undefined, // the first part's; the joined rows have none of their own
  }];
}

/** Row order that sorts `ts` ascending, ties in original order. */
export function stableOrder(ts: Float64Array): Uint32Array {
  const perm = new Uint32Array(ts.length);
  for (let i = 0; i < perm.length; i++) perm[i] = i;
  perm.sort((a, b) => ts[a] - ts[b] || a - b);
  return perm;
}

function permute<T extends ColumnArray>(src: T, perm: Uint32Array, out: T): T {
  for (let i = 0; i < perm.length; i++) out[i] = src[perm[i]];
  return out;
}

/** The blob keys of the table under `prefix` (a trailing slash is ignored). */
export function tableKeys(prefix: string): { dir: string; columns: string; manifest: string } {
  const dir = prefix.replace(/\/+$/, "");
  return { dir, columns: `${dir}/${COLUMNS_BLOB}`, manifest: `${dir}/manifest.json` };
}

function bytesOf(a: ColumnArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * Write a table to `store` under `prefix`: the columns blob, then `manifest.json` last.
 * Any blobs under the prefix from an earlier attempt are removed first.
 */
export function writeColumnTable(
  store: BlobStore,
  prefix: string,
  data: ColumnTableData,
): Promise<ColumnTableManifest> {
  return writeColumnTableParts(store, prefix, [data]);
}

/**
 * `writeColumnTable` for a table held as consecutive row parts (from `joinTableParts`): each
 * column is the parts' arrays streamed one after the other, never concatenated in memory.
 */
export async function writeColumnTableParts(
  store: BlobStore,
  prefix: string,
  parts: ColumnTableData[],
): Promise<ColumnTableManifest> {
  if (parts.length === 0) throw new RangeError("A table needs at least one part");
  const data = parts[0];
  const rows = parts.reduce((n, q) => n + q.rows, 0);
  const keys = tableKeys(prefix);
  await store.deletePrefix(keys.dir + "/");
  // In `tableLayout`'s order.
  const specs: { dtype: ColumnDtype; pick: Pick }[] = [
    { dtype: "float64", pick: (d) => d.ids },
    { dtype: "uint8", pick: (d) => d.labels },
    { dtype: "float64", pick: (d) => d.timestamps },
    ...data.featureNames.map((_, f) => ({
      dtype: "float32" as const,
      pick: (d: ColumnTableData) => d.features[f],
    })),
  ];
  const key = keys.columns;
  // Column after column, each part's array as it is (no copy), zeros up to the next offset.
  let i = 0, k = 0;
  const padding = new Uint8Array(8);
  await store.put(
    key,
    new ReadableStream<Uint8Array>({
      pull(c) {
        // Every call must enqueue or close (with no queue a pull that yields nothing stalls).
        for (;;) {
          if (i >= specs.length) return c.close();
          if (k < parts.length) {
            const bytes = bytesOf(specs[i].pick(parts[k++]));
            if (bytes.byteLength > 0) return c.enqueue(bytes);
            continue;
          }
          const size = rows * ITEM[specs[i].dtype];
          const pad = ((size + 7) & ~7) - size;
          i++;
          k = 0;
          if (pad > 0) return c.enqueue(padding.subarray(0, pad));
        }
      },
    }, { highWaterMark: 0 }),
  );
  let n1 = 0;
  for (const q of parts) for (let i = 0; i < q.rows; i++) n1 += q.labels[i];
  const firstNonEmpty = parts.find((q) => q.rows > 0);
  const lastNonEmpty = [...parts].reverse().find((q) => q.rows > 0);
  const manifest = tableManifest(key, rows, parts, {
    minTs: firstNonEmpty ? firstNonEmpty.timestamps[0] : null,
    maxTs: lastNonEmpty ? lastNonEmpty.timestamps[lastNonEmpty.rows - 1] : null,
    positives: n1,
  });
  await store.put(keys.manifest, new TextEncoder().encode(JSON.stringify(manifest)));
  return manifest;
}

/**
 * The manifest of a table whose columns blob `key` was written from `parts` (or, by the workers,
 * in their place: then only their header names, flags and counts are used) — offsets as
 * `tableLayout`.
 */
export function tableManifest(
  key: string,
  rows: number,
  parts: ColumnTableData[],
  stats: { minTs: number | null; maxTs: number | null; positives: number },
): ColumnTableManifest {
  const data = parts[0];
  const { offsets } = tableLayout(rows, data.featureNames.length);
  const roles: [string, ColumnRole, ColumnDtype][] = [
    [data.idColumn, "id", "float64"],
    [data.responseColumn, "response", "uint8"],
    [data.timestampColumn, "timestamp", "float64"],
    ...data.featureNames.map((n): [string, ColumnRole, ColumnDtype] => [n, "feature", "float32"]),
  ];
  const nonNumericCells: Record<string, number> = {};
  for (const q of parts) {
    for (const [k, v] of Object.entries(q.nonNumericCells)) {
      nonNumericCells[k] = (nonNumericCells[k] ?? 0) + v;
    }
  }
  return {
    version: 2,
    rows,
    columns: roles.map(([name, role, dtype], i) => ({
      name,
      dtype,
      role,
      key,
      offset: offsets[i],
    })),
    idColumn: data.idColumn,
    responseColumn: data.responseColumn,
    timestampColumn: data.timestampColumn,
    featureColumns: [...data.featureNames],
    minTs: stats.minTs,
    maxTs: stats.maxTs,
    sorted: true,
    sourceInOrder: parts.every((q) => q.sourceInOrder),
    nonNumericCells,
    classCounts: { "0": rows - stats.positives, "1": stats.positives },
    endian: "little",
    createdAt: new Date().toISOString(),
  };
}

/**
 * Second pass over the CSV, in this thread: `scanColumnTable` + `writeColumnTable`.
 * For big files use `buildColumnTableInWorker` (column_table_worker.ts), same contract.
 */
export async function buildColumnTable(
  source: CsvSource,
  selectedColumns: string[],
  store: BlobStore,
  prefix: string,
  opts: BuildTableOptions = {},
): Promise<ColumnTableManifest> {
  const data = await scanColumnTable(source, selectedColumns, opts);
  return await writeColumnTable(store, prefix, data);
}

/** A stored table opened for reading. */
export interface ColumnTable {
  manifest: ColumnTableManifest;
  /** A whole column (Float32Array features, Float64Array Id/timestamp, Uint8Array Response). */
  readColumn(name: string): Promise<ColumnArray>;
  /** Rows `[start, end)` of the given columns, in the order asked. */
  readRows(start: number, end: number, columns: string[]): Promise<ColumnArray[]>;
}

function view(dtype: ColumnDtype, bytes: Uint8Array): ColumnArray {
  const item = ITEM[dtype];
  if (bytes.byteLength % item !== 0) {
    throw new Error(`Column blob size ${bytes.byteLength} is not a multiple of ${item}`);
  }
  // Typed array views need an aligned offset; copy only when the store handed us an odd one.
  const b = bytes.byteOffset % item === 0 ? bytes : bytes.slice();
  const n = b.byteLength / item;
  if (dtype === "float32") return new Float32Array(b.buffer, b.byteOffset, n);
  if (dtype === "float64") return new Float64Array(b.buffer, b.byteOffset, n);
  return b;
}

/** Throws `Error` when the manifest is absent (table not built or incomplete). */
export async function openColumnTable(store: BlobStore, prefix: string): Promise<ColumnTable> {
  const manifest = JSON.parse(
    new TextDecoder().decode(await store.getBytes(tableKeys(prefix).manifest)),
  ) as ColumnTableManifest;
  const byName = new Map(manifest.columns.map((c) => [c.name, c]));
  const entry = (name: string): ColumnEntry => {
    const e = byName.get(name);
    if (!e) throw new RangeError(`Column '${name}' is not in the table`);
    return e;
  };
  /** Rows [start, end) of a column, as bytes. */
  const readBytes = async (e: ColumnEntry, start: number, end: number): Promise<Uint8Array> => {
    const item = ITEM[e.dtype];
    if (e.offset === undefined && start === 0 && end === manifest.rows) {
      return await store.getBytes(e.key); // a version 1 column blob
    }
    const bytes = new Uint8Array((end - start) * item);
    if (end === start) return bytes;
    const base = e.offset ?? 0;
    const stream = await store.get(e.key, { start: base + start * item, end: base + end * item });
    let off = 0;
    for await (const chunk of stream) {
      if (off + chunk.length > bytes.length) {
        throw new Error(`Column '${e.name}' blob is longer than expected`);
      }
      bytes.set(chunk, off);
      off += chunk.length;
    }
    if (off !== bytes.length) throw new Error(`Column '${e.name}' blob is shorter than expected`);
    return bytes;
  };
  return {
    manifest,
    async readColumn(name) {
      const e = entry(name);
      const col = view(e.dtype, await readBytes(e, 0, manifest.rows));
      if (col.length !== manifest.rows) {
        throw new Error(`Column '${name}' has ${col.length} rows, manifest says ${manifest.rows}`);
      }
      return col;
    },
    async readRows(start, end, columns) {
      if (
        !Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start ||
        end > manifest.rows
      ) {
        throw new RangeError(`Invalid row range [${start}, ${end}) of ${manifest.rows} rows`);
      }
      const out: ColumnArray[] = [];
      for (const name of columns) {
        const e = entry(name);
        out.push(view(e.dtype, await readBytes(e, start, end)));
      }
      return out;
    },
  };
}

/**
 * Rows `[start, end)` whose timestamp lies in `[fromMs, toMs]` (both bounds inclusive) of an
 * ascending timestamp column — two binary searches. Empty range when `fromMs > toMs`.
 */
export function findRowRange(
  timestamps: ArrayLike<number>,
  fromMs: number,
  toMs: number,
): { start: number; end: number } {
  const lower = (x: number, strict: boolean) => {
    let lo = 0, hi = timestamps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = timestamps[mid];
      if (strict ? v <= x : v < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const start = lower(fromMs, false);
  const end = Math.max(start, lower(toMs, true));
  return { start, end };
}
