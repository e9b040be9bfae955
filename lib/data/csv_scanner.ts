/**
 * Byte-level streaming CSV scanner.
 *
 * Reads big chunks (8 MiB) into one reusable buffer and hands each record to a callback as a
 * `CsvRow` view over that buffer — no string, no array per row or field. A record is found with
 * a SWAR search for LF-or-quote (8 bytes per step; ~4× faster than `Uint8Array#indexOf` in V8),
 * and its fields are then walked by one of three kernels:
 *
 * - **select** (default): only the columns named by the plan get start/end offsets; the fields in
 *   between are skipped by counting commas four bytes at a time (SWAR on an `Int32Array` view
 *   of the same buffer: an exact zero-byte mask of `word ^ 0x2C2C2C2C`, popcount by multiply,
 *   the n-th comma found with `clz32`, no byte loop). This is the decisive trick for
 *   Bosch-shaped files, where a row is ~970 fields and a pass needs ~100 of them.
 * - **count** (`countFields: true`): every field is visited once to count non-empty fields per
 *   column and fields whose first byte cannot start a number (text columns like `T1`); runs of
 *   four empty fields (`,,,,`) are consumed as one aligned word compare.
 * - **quoted**: used for a record in which that search meets a `"` before the line end — RFC
 *   4180 quotes, `""` escapes, line breaks inside quotes. Bosch files have no quotes, so they never
 *   pay for it.
 *
 * Measured (`bench/ingest.ts`, 1 GB generated Bosch file, 2 cores shared with other jobs at load
 * 6–8, so CPU-time figures are the steadier ones): select-scan of 100 columns incl. number
 * parsing 169 MB/s wall / 260 MB/s CPU at 64 MB peak RSS; the count kernel (profile) ~280 MB/s
 * CPU alone.
 *
 * Records that start before the chunk's last LF (all but the chunk's tail) go through FUSED
 * variants of the select and count kernels that watch for LF and `"` in the same walk, so the
 * separate line-end search is skipped: the record's bytes are read once. A record with a quote
 * falls back to the general path. Measured on a 300 MB Bosch slice: count pass ~15 % less CPU,
 * select pass ~3–5 % less (its SWAR words now also test for LF / quote).
 *
 * The fused kernels run as WebAssembly SIMD (lib/data/wasm/: 16 bytes classified per step,
 * only non-empty fields visited) when available; the JS ones above remain the fallback and the
 * oracle of their tests. `deno run -A bench/ingest.ts --only kernels` on the 0.25 GB generated
 * file, one thread: count scan 1,166 vs 572 MB/s (2.0×), select-scan of 100 columns with number
 * parsing 680 vs 490 MB/s (1.4×: parsing dominates there). The upload's profile pass of the
 * 2.72 GB file now runs at ~1.1 GB/s.
 *
 * CRLF and LF line ends, a missing final newline and blank lines are handled. With
 * `strictFieldCount` (default) a record whose field count differs from the header's throws a
 * `CsvValidationError` naming the line.
 *
 * @example
 * ```ts
 * let sum = 0;
 * await scanCsv("data.csv", {
 *   onHeader: (names) => ({ columns: [names.indexOf("Response")] }),
 *   onRow: (row) => { sum += row.number(0); },
 * });
 * ```
 *
 * @module
 */
import { type ByteReader, type CsvSource, openByteReader, openFileRange } from "./byte_source.ts";
import { CsvValidationError, splitHeaderLine } from "./csv_header.ts";
import { NUMERIC_START, parseFloatBytes } from "./fast_float.ts";
import { parseTimestampBytes } from "./timestamp.ts";
import { CsvKernels } from "./wasm/csv_kernels.ts";

export type { CsvSource } from "./byte_source.ts";

/** Default read size. Big reads keep syscall and per-chunk overhead negligible. */
export const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;
const COMMAS4 = 0x2c2c2c2c;
/** Bytes that end an unquoted field's walk in the fused kernel: `,`, LF, `"`. */
const FIELD_STOP = new Uint8Array(256);
FIELD_STOP[44] = FIELD_STOP[10] = FIELD_STOP[34] = 1;
const NONE = 0x3fffffff;

/** What `onHeader` answers: which columns the rows must expose. */
export interface ScanPlan {
  /** Column indices exposed by `CsvRow` as selection slots `0..columns.length-1`. */
  columns: number[];
  /**
   * Visit every field: count non-empty fields per column (`ScanResult.nonEmpty`) and fields
   * whose first byte cannot start a number (`ScanResult.nonNumeric`, `CsvRow.badCol`).
   */
  countFields?: boolean;
}

/** Options of `scanCsv`. */
export interface ScanOptions {
  /** Called once with the header's column names; returns the plan. May throw to reject. */
  onHeader(names: string[]): ScanPlan;
  /** Called per data record. The row view is only valid during the call. `false` stops. */
  onRow(row: CsvRow): void | boolean;
  /** Read size in bytes (default 8 MiB). */
  chunkSize?: number;
  /** Called after each chunk with bytes consumed so far. */
  onProgress?: (bytes: number, rows: number, totalBytes: number | null) => void;
  /** Checked between chunks; aborting rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Throw when a record's field count differs from the header's (default true). */
  strictFieldCount?: boolean;
  /**
   * Scan only the records in bytes `[start, end)` of the file (`source` must be a path; the
   * header is still read from the file's start). `start` must be a record start (just after a
   * LF) for correct results; records are cut at `end`. Line numbers in errors then count from
   * the range start, so callers splitting a file re-scan it whole to report an error.
   */
  byteRange?: { start: number; end: number };
  /**
   * Record kernels: `"wasm"` (default; WebAssembly SIMD, lib/data/wasm/) or `"js"` (the
   * fallback where WebAssembly SIMD is missing, and the oracle of the wasm kernels' tests).
   */
  kernels?: "wasm" | "js";
}

/** Summary of a scan. */
export interface ScanResult {
  header: string[];
  /** Data records delivered to `onRow`. */
  rows: number;
  /** Bytes consumed (the whole input unless stopped). */
  bytes: number;
  /** True when `onRow` returned false. */
  stopped: boolean;
  /** Per column non-empty field counts (only with `countFields`). */
  nonEmpty: Uint32Array | null;
  /** Per column count of fields whose first byte cannot start a number (with `countFields`). */
  nonNumeric: Uint32Array | null;
  /** Records that contained a quote and were tokenized by the slower quoted kernel. */
  quotedRecords: number;
}

const decoder = new TextDecoder();

/** A record, as a view over the scanner's buffer. Valid only inside `onRow`. */
export class CsvRow {
  /** The scanner's buffer (offsets below index it). */
  buf: Uint8Array = new Uint8Array(0);
  /** Input offset of `buf[0]`: the record starts at input byte `base + start`. */
  base = 0;
  /** 1-based physical line number where the record starts (the header is line 1). */
  line = 0;
  /** Byte range of the record in `buf`, without the line break. */
  start = 0;
  end = 0;
  /** Number of fields in the record. */
  fieldCount = 0;
  /** The selected column indices (slot k exposes column `columns[k]`). */
  readonly columns: Int32Array;
  /** Start / end offsets in `buf` of each selected slot's field (quotes excluded). */
  readonly fieldStart: Int32Array;
  readonly fieldEnd: Int32Array;
  /** Per slot: the field was quoted and contains `""` escapes. */
  readonly escaped: Uint8Array;
  /** Count kernel: a column in this record whose field does not start like a number, or -1. */
  badCol = -1;
  badStart = 0;
  badEnd = 0;
  /** @internal quoted kernel: every field's offsets (capacity = header width + 1). */
  quoted = false;
  readonly allStart: Int32Array;
  readonly allEnd: Int32Array;
  readonly allEsc: Uint8Array;

  /**
   * @internal Per slot, the number the wasm select kernel parsed (NaN: empty or left to JS);
   * read by `number` only while `valuesValid` (this record went through that kernel).
   */
  readonly values: Float64Array | null;
  /** @internal */
  valuesValid = false;

  /**
   * `fieldStart` / `fieldEnd` / `values` may be given (the wasm kernels' views); else the
   * offsets are allocated and numbers are always parsed here.
   */
  constructor(
    columns: number[],
    width: number,
    fieldStart?: Int32Array,
    fieldEnd?: Int32Array,
    values?: Float64Array,
  ) {
    this.columns = Int32Array.from(columns);
    this.fieldStart = fieldStart ?? new Int32Array(columns.length);
    this.fieldEnd = fieldEnd ?? new Int32Array(columns.length);
    this.values = values ?? null;
    this.escaped = new Uint8Array(columns.length);
    this.allStart = new Int32Array(width + 1);
    this.allEnd = new Int32Array(width + 1);
    this.allEsc = new Uint8Array(width + 1);
  }

  /** True when slot k's field is empty (missing). */
  isEmpty(k: number): boolean {
    return this.fieldStart[k] >= this.fieldEnd[k];
  }

  /** Slot k as a number; `NaN` when empty or not numeric. */
  number(k: number): number {
    const s = this.fieldStart[k], e = this.fieldEnd[k];
    if (this.valuesValid && s < e) {
      const v = this.values![k];
      if (v === v) return v;
    }
    return parseFloatBytes(this.buf, s, e);
  }

  /** Slot k as a timestamp in ms UTC (see `timestamp.ts`); `NaN` when empty or invalid. */
  timestamp(k: number): number {
    return parseTimestampBytes(this.buf, this.fieldStart[k], this.fieldEnd[k]);
  }

  /** Slot k as a string (allocates; for errors and text values). */
  text(k: number): string {
    const s = decoder.decode(this.buf.subarray(this.fieldStart[k], this.fieldEnd[k]));
    return this.escaped[k] ? s.replaceAll('""', '"') : s;
  }

  /** The bytes of field `[start, end)` as a string, at most `max` characters (for messages). */
  textAt(start: number, end: number, max = 40): string {
    const s = decoder.decode(this.buf.subarray(start, Math.min(end, start + max * 4)));
    return s.length > max ? s.slice(0, max) + "…" : s;
  }

  /**
   * Offsets of EVERY field into `starts` / `ends` (by column, up to their length); returns the
   * field count. For rare slow paths (examples of text values); allocation-free.
   */
  locateAll(starts: Int32Array, ends: Int32Array): number {
    const n = Math.min(starts.length, this.fieldCount);
    if (this.quoted) {
      starts.set(this.allStart.subarray(0, n));
      ends.set(this.allEnd.subarray(0, n));
      return this.fieldCount;
    }
    const buf = this.buf, end = this.end;
    let p = this.start;
    for (let col = 0; col < n; col++) {
      let q = p;
      while (q < end && buf[q] !== COMMA) q++;
      starts[col] = p;
      ends[col] = q;
      p = q + 1;
    }
    return this.fieldCount;
  }

  /**
   * Parse EVERY field of the record into `out[column]` (NaN when empty or not numeric); when
   * `bad` is given, `bad[column] = 1` for a non-empty field that is not a number. Used for the
   * few rows that go into a sample; the common path never tokenizes unselected fields.
   */
  parseAll(out: Float32Array | Float64Array, bad?: Uint8Array): void {
    const buf = this.buf;
    const n = Math.min(out.length, this.fieldCount);
    if (this.quoted) {
      for (let col = 0; col < n; col++) {
        const s = this.allStart[col], e = this.allEnd[col];
        if (s >= e) out[col] = NaN;
        else {
          const v = this.allEsc[col] ? NaN : parseFloatBytes(buf, s, e);
          out[col] = v;
          if (v !== v && bad) bad[col] = 1;
        }
      }
      return;
    }
    const end = this.end;
    let p = this.start;
    for (let col = 0; col < n; col++) {
      let q = p;
      while (q < end && buf[q] !== COMMA) q++;
      if (q === p) out[col] = NaN;
      else {
        const v = parseFloatBytes(buf, p, q);
        out[col] = v;
        if (v !== v && bad) bad[col] = 1;
      }
      p = q + 1;
    }
  }
}

/**
 * First offset in `[from, to)` holding LF or `"`, else `to`. Four bytes per step (SWAR
 * "has zero byte" on `word ^ 0x0A0A0A0A` and `word ^ 0x22222222`): ~4× faster here than
 * `Uint8Array.prototype.indexOf`, and one pass finds both the line end and any quote.
 */
function findLfOrQuote(buf: Uint8Array, i32: Int32Array, from: number, to: number): number {
  let p = from;
  while (p < to && (p & 3) !== 0) {
    const c = buf[p];
    if (c === LF || c === QUOTE) return p;
    p++;
  }
  const last = to - 8;
  while (p <= last) {
    const w = i32[p >> 2], v = i32[(p >> 2) + 1];
    const a = w ^ 0x0a0a0a0a, b = w ^ 0x22222222, c = v ^ 0x0a0a0a0a, d = v ^ 0x22222222;
    if (
      (((a - 0x01010101) & ~a) | ((b - 0x01010101) & ~b) | ((c - 0x01010101) & ~c) |
        ((d - 0x01010101) & ~d)) & 0x80808080
    ) break;
    p += 8;
  }
  while (p < to) {
    const c = buf[p];
    if (c === LF || c === QUOTE) return p;
    p++;
  }
  return to;
}

/**
 * Select kernel: fill the selection slots, skip everything else with SWAR comma counting.
 * `nextSel[col]` = the smallest selected column ≥ col (NONE when none). Returns the field count.
 */
function tokSelect(
  buf: Uint8Array,
  i32: Int32Array,
  start: number,
  end: number,
  nextSel: Int32Array,
  slotOf: Int32Array,
  fs: Int32Array,
  fe: Int32Array,
): number {
  let col = 0;
  let p = start;
  const nSel = nextSel.length;
  for (;;) {
    const target = col < nSel ? nextSel[col] : NONE;
    let need = target - col; // commas to pass to reach the start of `target`
    if (need > 0) {
      if (p >= end) return col + 1;
      // Word at a time: y has 0x80 in each byte that is a comma (exact, no carries); bytes
      // before p / from `end` on are masked off. The need-th comma is located with clz32.
      let base = p & ~3;
      let x = i32[base >> 2] ^ COMMAS4;
      let y = ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f) & (-1 << ((p & 3) << 3));
      for (;;) {
        const lim = end - base;
        if (lim < 4) y &= (1 << (lim << 3)) - 1;
        const n = Math.imul((y >>> 7) & 0x01010101, 0x01010101) >>> 24;
        if (n >= need) {
          for (let k = 1; k < need; k++) y &= y - 1;
          p = base + ((31 - Math.clz32(y & -y)) >> 3) + 1;
          col = target;
          break;
        }
        need -= n;
        if (lim <= 4) return target - need + 1; // the record ended first
        base += 4;
        x = i32[base >> 2] ^ COMMAS4;
        y = ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f);
      }
    }
    const s = slotOf[col];
    fs[s] = p;
    let q = p;
    while (q < end && buf[q] !== COMMA) q++;
    fe[s] = q;
    if (q >= end) return col + 1;
    p = q + 1;
    col++;
  }
}

/** Count kernel: visit every field; see `ScanPlan.countFields`. Returns the field count. */
function tokCount(
  buf: Uint8Array,
  i32: Int32Array,
  start: number,
  end: number,
  slotOf: Int32Array,
  fs: Int32Array,
  fe: Int32Array,
  nonEmpty: Uint32Array,
  nonNum: Uint32Array,
  row: CsvRow,
): number {
  let col = 0;
  let p = start;
  const nCols = slotOf.length;
  for (;;) {
    if (p >= end) return col + 1; // empty last field
    const c = buf[p];
    if (c === COMMA) {
      // Four empty fields in one aligned compare (~80 % of Bosch cells are empty).
      if ((p & 3) === 0 && p + 4 <= end && i32[p >> 2] === COMMAS4) {
        col += 4;
        p += 4;
      } else {
        col++;
        p++;
      }
      continue;
    }
    let q = p + 1;
    while (q < end && buf[q] !== COMMA) q++;
    if (col < nCols) {
      nonEmpty[col]++;
      if (NUMERIC_START[c] === 0) {
        nonNum[col]++;
        row.badCol = col;
        row.badStart = p;
        row.badEnd = q;
      }
      const s = slotOf[col];
      if (s >= 0) {
        fs[s] = p;
        fe[s] = q;
      }
    }
    if (q >= end) return col + 1;
    col++;
    p = q + 1;
  }
}

/**
 * Select kernel fused with the line-end search, for a record known to end with a LF inside the
 * buffer (see `tokCountLine`): the SWAR comma counting also watches for LF and `"` in the same
 * words, so the record is walked once. When a role column is the last one (Bosch: `Response`)
 * the walk reaches the line end anyway and the separate search was pure overhead. Returns the
 * offset of the record's LF (setting `row.fieldCount`), or -1 at a `"` (no side effects but
 * slot offsets: the caller redoes the record on the general path).
 */
function tokSelectLine(
  buf: Uint8Array,
  i32: Int32Array,
  start: number,
  nextSel: Int32Array,
  slotOf: Int32Array,
  fs: Int32Array,
  fe: Int32Array,
  row: CsvRow,
): number {
  let col = 0;
  let p = start;
  const nSel = nextSel.length;
  for (;;) {
    const target = col < nSel ? nextSel[col] : NONE;
    let need = target - col;
    if (need > 0) {
      let base = p & ~3;
      const lowMask = -1 << ((p & 3) << 3);
      // Exact zero-byte masks (0x80 per zero byte, no carries between bytes): this loop is the hot spot.
      let w = i32[base >> 2];
      let x = w ^ COMMAS4, a = w ^ 0x0a0a0a0a, b = w ^ 0x22222222;
      let y = ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f) & lowMask;
      let z = (~(((a & 0x7f7f7f7f) + 0x7f7f7f7f) | a | 0x7f7f7f7f) |
        ~(((b & 0x7f7f7f7f) + 0x7f7f7f7f) | b | 0x7f7f7f7f)) & lowMask;
      for (;;) {
        if (z !== 0) y &= (z & -z) - 1; // only commas before the LF / quote count
        const n = Math.imul((y >>> 7) & 0x01010101, 0x01010101) >>> 24;
        if (n >= need) {
          for (let k = 1; k < need; k++) y &= y - 1;
          p = base + ((31 - Math.clz32(y & -y)) >> 3) + 1;
          col = target;
          break;
        }
        if (z !== 0) {
          const at = base + ((31 - Math.clz32(z & -z)) >> 3);
          if (buf[at] === QUOTE) return -1;
          row.fieldCount = target - need + n + 1;
          return at;
        }
        need -= n;
        base += 4;
        w = i32[base >> 2];
        x = w ^ COMMAS4;
        a = w ^ 0x0a0a0a0a;
        b = w ^ 0x22222222;
        y = ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f);
        z = ~(((a & 0x7f7f7f7f) + 0x7f7f7f7f) | a | 0x7f7f7f7f) |
          ~(((b & 0x7f7f7f7f) + 0x7f7f7f7f) | b | 0x7f7f7f7f);
      }
    }
    let q = p;
    while (FIELD_STOP[buf[q]] === 0) q++;
    const d = buf[q];
    if (d === QUOTE) return -1;
    const s = slotOf[col];
    fs[s] = p;
    fe[s] = d === LF && q > p && buf[q - 1] === CR ? q - 1 : q;
    if (d === LF) {
      row.fieldCount = col + 1;
      return q;
    }
    p = q + 1;
    col++;
  }
}

/**
 * Count kernel fused with the line-end search, for a record known to end with a LF inside the
 * buffer (the caller checks it starts before the chunk's last LF, which then serves as the
 * sentinel): one walk over the bytes instead of the LF/quote search followed by the field walk.
 * Returns the offset of the record's LF (setting `row.fieldCount`), or -1 when a `"` was met —
 * the counts of the fields before it are then taken back and the caller tokenizes the record
 * with the quoted kernel.
 */
function tokCountLine(
  buf: Uint8Array,
  i32: Int32Array,
  start: number,
  slotOf: Int32Array,
  fs: Int32Array,
  fe: Int32Array,
  nonEmpty: Uint32Array,
  nonNum: Uint32Array,
  row: CsvRow,
): number {
  let col = 0;
  let p = start;
  const nCols = slotOf.length;
  for (;;) {
    const c = buf[p];
    if (c === COMMA) {
      // Four empty fields in one aligned compare (the LF sentinel is never a comma).
      if ((p & 3) === 0 && i32[p >> 2] === COMMAS4) {
        col += 4;
        p += 4;
      } else {
        col++;
        p++;
      }
      continue;
    }
    if (c === LF) {
      row.fieldCount = col + 1;
      return p;
    }
    if (c === CR && buf[p + 1] === LF) {
      row.fieldCount = col + 1;
      return p + 1;
    }
    let q = p + 1;
    while (FIELD_STOP[buf[q]] === 0) q++;
    const d = buf[q];
    if (c === QUOTE || d === QUOTE) {
      uncount(buf, start, p, nonEmpty, nonNum);
      return -1;
    }
    const e = d === LF && buf[q - 1] === CR ? q - 1 : q;
    if (col < nCols) {
      nonEmpty[col]++;
      if (NUMERIC_START[c] === 0) {
        nonNum[col]++;
        row.badCol = col;
        row.badStart = p;
        row.badEnd = e;
      }
      const s = slotOf[col];
      if (s >= 0) {
        fs[s] = p;
        fe[s] = e;
      }
    }
    if (d === LF) {
      row.fieldCount = col + 1;
      return q;
    }
    col++;
    p = q + 1;
  }
}

/** Take back the counts `tokCountLine` made for the fields in `[start, stop)`. */
function uncount(
  buf: Uint8Array,
  start: number,
  stop: number,
  nonEmpty: Uint32Array,
  nonNum: Uint32Array,
): void {
  let col = 0;
  let p = start;
  while (p < stop) {
    let q = p;
    while (q < stop && buf[q] !== COMMA) q++;
    if (q > p && col < nonEmpty.length) {
      nonEmpty[col]--;
      if (NUMERIC_START[buf[p]] === 0) nonNum[col]--;
    }
    col++;
    p = q + 1;
  }
}

/**
 * Quoted kernel: one record from `pos`, all fields into `row.all*`. Returns the offset after
 * the record's line break (or `filled` at end of input), or -1 when the record is incomplete.
 * Sets `row.fieldCount`, `row.start`, `row.end`; returns embedded line breaks in `nlOut[0]`.
 */
function tokQuoted(
  buf: Uint8Array,
  pos: number,
  filled: number,
  eof: boolean,
  row: CsvRow,
  line: number,
  names: string[],
  nlOut: Int32Array,
): number {
  const cap = row.allStart.length;
  let col = 0;
  let p = pos;
  let nl = 0;
  for (;;) {
    let s: number, e: number, esc = 0;
    if (p < filled && buf[p] === QUOTE) {
      p++;
      s = p;
      for (;;) {
        const q = buf.indexOf(QUOTE, p);
        if (q < 0 || q >= filled) {
          if (eof) {
            throw new CsvValidationError(
              `Line ${line}: unterminated quoted field`,
              line,
              names[col] ?? null,
            );
          }
          return -1;
        }
        if (q + 1 >= filled && !eof) return -1; // cannot tell `"` from `""` yet
        for (let k = buf.indexOf(LF, p); k >= 0 && k < q; k = buf.indexOf(LF, k + 1)) nl++;
        if (q + 1 < filled && buf[q + 1] === QUOTE) {
          esc = 1;
          p = q + 2;
          continue;
        }
        e = q;
        p = q + 1;
        break;
      }
      if (p < filled && buf[p] === CR) p++;
      if (p < filled && buf[p] !== COMMA && buf[p] !== LF) {
        throw new CsvValidationError(
          `Line ${line + nl}: unexpected character after a closing quote`,
          line + nl,
          names[col] ?? null,
        );
      }
      if (p >= filled && !eof) return -1;
    } else {
      s = p;
      while (p < filled) {
        const c = buf[p];
        if (c === COMMA || c === LF) break;
        p++;
      }
      if (p >= filled && !eof) return -1;
      e = p;
      if (p < filled && buf[p] === LF && e > s && buf[e - 1] === CR) e--;
      else if (p >= filled && e > s && buf[e - 1] === CR) e--;
    }
    if (col < cap) {
      row.allStart[col] = s;
      row.allEnd[col] = e;
      row.allEsc[col] = esc;
    }
    col++;
    if (p >= filled) { // end of input
      row.fieldCount = col;
      row.start = pos;
      row.end = filled;
      nlOut[0] = nl;
      return filled;
    }
    if (buf[p] === COMMA) {
      p++;
      continue;
    }
    // LF
    row.fieldCount = col;
    row.start = pos;
    row.end = p > pos && buf[p - 1] === CR ? p - 1 : p;
    nlOut[0] = nl;
    return p + 1;
  }
}

/**
 * Scan a CSV: header first (`onHeader` decides the plan), then every record through `onRow`.
 * Rejects with `CsvValidationError` for malformed input (with the line), or the abort reason.
 */
export async function scanCsv(source: CsvSource, opts: ScanOptions): Promise<ScanResult> {
  const range = opts.byteRange;
  if (range && typeof source !== "string") throw new TypeError("byteRange needs a file path");
  const reader = await openByteReader(source);
  let data: ByteReader | null = null;
  try {
    if (range) data = await openFileRange(source as string, range.start, range.end);
    return await scanWith(reader, opts, data, range?.start ?? 0);
  } finally {
    reader.close();
    data?.close();
  }
}

async function scanWith(
  reader: ByteReader,
  opts: ScanOptions,
  dataReader: ByteReader | null,
  dataStart: number,
): Promise<ScanResult> {
  const chunk = Math.max(4, (opts.chunkSize ?? DEFAULT_CHUNK_SIZE) + 3) & ~3;
  // The wasm kernels read the buffer in their own memory; a record bigger than the buffer makes
  // `compact` move to a bigger plain buffer, and the JS kernels take over from there.
  const kernels = opts.kernels === "js" ? null : CsvKernels.create(chunk);
  let buf = kernels ? kernels.buf : new Uint8Array(chunk);
  let wasm: CsvKernels | null = null; // set once the plan is laid out in the kernels' memory
  let i32 = new Int32Array(buf.buffer);
  let filled = 0;
  let pos = 0;
  let eof = false;
  let base = 0; // input offset of buf[0]
  const strict = opts.strictFieldCount ?? true;
  const signal = opts.signal;

  const fill = async () => {
    while (!eof && filled < buf.length) {
      const n = await reader.read(buf.subarray(filled));
      if (n === null) eof = true;
      else filled += n;
    }
  };
  const compact = () => {
    if (pos === 0 && filled === buf.length) {
      const bigger = new Uint8Array(buf.length * 2);
      bigger.set(buf);
      buf = bigger;
      i32 = new Int32Array(buf.buffer);
      wasm = null;
    } else if (pos > 0) {
      buf.copyWithin(0, pos, filled);
      filled -= pos;
      base += pos;
      pos = 0;
    }
  };

  // Header line.
  let headerEnd = -1;
  for (;;) {
    signal?.throwIfAborted();
    await fill();
    headerEnd = buf.subarray(0, filled).indexOf(LF);
    if (headerEnd >= 0 || eof) break;
    compact();
  }
  if (filled === 0) throw new CsvValidationError("The CSV is empty (no header line)", 1);
  const headerBytes = buf.subarray(0, headerEnd >= 0 ? headerEnd : filled);
  const names = splitHeaderLine(headerBytes);
  const width = names.length;
  const plan = opts.onHeader(names);
  const cols = plan.columns;
  const slotOf = new Int32Array(width).fill(-1);
  for (let k = 0; k < cols.length; k++) {
    const c = cols[k];
    if (!Number.isInteger(c) || c < 0 || c >= width) {
      throw new RangeError(`Selected column ${c} is outside the header (${width} columns)`);
    }
    if (slotOf[c] >= 0) throw new RangeError(`Column ${c} is selected twice`);
    slotOf[c] = k;
  }
  const nextSel = new Int32Array(width + 1).fill(NONE);
  for (let c = width - 1; c >= 0; c--) nextSel[c] = slotOf[c] >= 0 ? c : nextSel[c + 1];
  const counting = plan.countFields === true;
  if (kernels?.owns(buf)) {
    kernels.configure(slotOf, nextSel, cols.length, NUMERIC_START);
    buf = kernels.buf; // the memory grew: a new view of the same bytes
    i32 = new Int32Array(buf.buffer, 0, buf.length >> 2);
    wasm = kernels;
  }
  const nonEmpty = counting ? (wasm ? wasm.nonEmpty : new Uint32Array(width)) : null;
  const nonNum = counting ? (wasm ? wasm.nonNumeric : new Uint32Array(width)) : null;
  const wasmOut = wasm?.out;
  const row = wasm
    ? new CsvRow(cols, width, wasm.fieldStart, wasm.fieldEnd, wasm.values)
    : new CsvRow(cols, width);
  const fs = row.fieldStart, fe = row.fieldEnd, esc = row.escaped, nSlots = cols.length;
  const nlOut = new Int32Array(1);

  pos = headerEnd >= 0 ? headerEnd + 1 : filled;
  if (dataReader) {
    // Header done: continue from the range instead (never before the first record).
    const from = Math.max(dataStart, headerEnd >= 0 ? headerEnd + 1 : filled);
    reader.close();
    reader = dataReader;
    if (from > dataStart) {
      // Skip to `from` within the range.
      let skip = from - dataStart;
      const tmp = new Uint8Array(Math.min(skip, 1 << 16));
      while (skip > 0) {
        const n = await reader.read(tmp.subarray(0, Math.min(skip, tmp.length)));
        if (n === null) break;
        skip -= n;
      }
    }
    base = from;
    pos = filled = 0;
    eof = false;
  }
  const totalSize = dataReader ? dataStart + (dataReader.size ?? 0) : reader.size;
  let line = 2;
  let rows = 0;
  let stopped = false;
  let quotedRecords = 0;

  const deliver = (): boolean => {
    if (strict && row.fieldCount !== width) {
      throw new CsvValidationError(
        `Line ${row.line}: expected ${width} fields as in the header but found ${row.fieldCount}`,
        row.line,
        row.fieldCount < width ? names[row.fieldCount] : null,
      );
    }
    rows++;
    return opts.onRow(row) !== false;
  };

  // Quoted-record handling, shared by every record that contains a `"` before its line end.
  const quotedRecord = (): number => {
    const next = tokQuoted(buf, pos, filled, eof, row, line, names, nlOut);
    if (next < 0) return -1;
    row.quoted = true;
    row.line = line;
    const n = Math.min(row.fieldCount, width);
    for (let k = 0; k < nSlots; k++) {
      const c = cols[k];
      if (c < n) {
        fs[k] = row.allStart[c];
        fe[k] = row.allEnd[c];
        esc[k] = row.allEsc[c];
      } else {
        fs[k] = fe[k] = 0;
        esc[k] = 0;
      }
    }
    if (counting) {
      row.badCol = -1;
      for (let c = 0; c < n; c++) {
        const s = row.allStart[c], e = row.allEnd[c];
        if (s < e) {
          nonEmpty![c]++;
          if (NUMERIC_START[buf[s]] === 0 || row.allEsc[c]) {
            nonNum![c]++;
            row.badCol = c;
            row.badStart = s;
            row.badEnd = e;
          }
        }
      }
    }
    return next;
  };

  outer: for (;;) {
    row.buf = buf;
    row.base = base;
    // Records starting at or before the chunk's last LF are complete: the fused count kernel
    // can use that LF as its sentinel.
    const safeEnd = filled > pos ? buf.lastIndexOf(LF, filled - 1) : -1;
    for (;;) {
      if (pos >= filled) break;
      if (pos <= safeEnd) {
        const c0 = buf[pos];
        if (c0 === LF || (c0 === CR && buf[pos + 1] === LF)) { // blank line
          pos += c0 === LF ? 1 : 2;
          line++;
          continue;
        }
        for (let k = 0; k < nSlots; k++) fs[k] = fe[k] = pos;
        row.badCol = -1;
        row.valuesValid = false;
        let nl: number;
        if (wasm) {
          wasmOut![1] = -1;
          nl = counting ? wasm.countLine(pos) : wasm.selectLine(pos);
          if (nl >= 0) {
            row.valuesValid = !counting;
            row.fieldCount = wasmOut![0];
            if (wasmOut![1] >= 0) {
              row.badCol = wasmOut![1];
              row.badStart = wasmOut![2];
              row.badEnd = wasmOut![3];
            }
          } else if (counting) uncount(buf, pos, wasmOut![4], nonEmpty!, nonNum!);
        } else {
          nl = counting
            ? tokCountLine(buf, i32, pos, slotOf, fs, fe, nonEmpty!, nonNum!, row)
            : tokSelectLine(buf, i32, pos, nextSel, slotOf, fs, fe, row);
        }
        if (nl >= 0) {
          row.line = line;
          row.start = pos;
          row.end = nl > pos && buf[nl - 1] === CR ? nl - 1 : nl;
          pos = nl + 1;
          line++;
          if (!deliver()) {
            stopped = true;
            break outer;
          }
          continue;
        }
        // A quote: this record goes through the general path below.
      }
      // One SWAR pass finds the line end — or a quote, which sends this record to the slow path.
      row.valuesValid = false;
      let nl = findLfOrQuote(buf, i32, pos, filled);
      if (nl < filled && buf[nl] === QUOTE) {
        const next = quotedRecord();
        if (next < 0) break; // incomplete: needs the next chunk
        pos = next;
        line += 1 + nlOut[0];
        quotedRecords++;
        const goOn = deliver();
        if (row.quoted) {
          row.quoted = false;
          esc.fill(0);
        }
        if (!goOn) {
          stopped = true;
          break outer;
        }
        continue;
      }
      if (nl >= filled) {
        if (!eof) break;
        nl = filled; // last record without a final newline
      }
      let end = nl;
      if (end > pos && buf[end - 1] === CR) end--;
      if (end === pos) { // blank line
        pos = nl < filled ? nl + 1 : filled;
        line++;
        continue;
      }
      row.line = line;
      row.start = pos;
      row.end = end;
      for (let k = 0; k < nSlots; k++) fs[k] = fe[k] = pos;
      if (counting) {
        row.badCol = -1;
        row.fieldCount = tokCount(buf, i32, pos, end, slotOf, fs, fe, nonEmpty!, nonNum!, row);
      } else {
        row.fieldCount = tokSelect(buf, i32, pos, end, nextSel, slotOf, fs, fe);
      }
      pos = nl < filled ? nl + 1 : filled;
      line++;
      if (!deliver()) {
        stopped = true;
        break outer;
      }
    }
    opts.onProgress?.(base + pos, rows, totalSize);
    if (eof && pos >= filled) break;
    signal?.throwIfAborted();
    compact();
    await fill();
    if (eof && filled === 0) break;
  }
  return {
    header: names,
    rows,
    bytes: base + pos,
    stopped,
    // Copies when they are views of the wasm memory (which would otherwise stay alive).
    nonEmpty: nonEmpty && kernels ? nonEmpty.slice() : nonEmpty,
    nonNumeric: nonNum && kernels ? nonNum.slice() : nonNum,
    quotedRecords,
  };
}
