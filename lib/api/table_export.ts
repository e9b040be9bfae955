/**
 * Analyst downloads of a column table (a split's set, a model's test predictions, a run's
 * packets) as CSV or Parquet.
 *
 * CSV is streamed: rows are encoded in slices as the client reads (backpressure), never the whole
 * file in memory. Parquet goes through nodejs-polars, imported on first use (`import()`), so the
 * service starts and serves everything else without its native library; the frame is written to
 * a temporary file that is streamed to the client and removed once sent or abandoned.
 *
 * @example
 * ```ts
 * const table: ExportTable = { nRows: 2, columns: [
 *   { name: "Id", kind: "int", values: new Float64Array([1, 2]) },
 *   { name: "p_fail", kind: "float", values: new Float32Array([0.1, 0.9]) },
 * ] };
 * return exportResponse(table, "csv", "predictions"); // text/csv, attachment predictions.csv
 * ```
 *
 * @module
 */

/** One column: numbers (NaN = missing) or strings (null = missing). */
export type ExportColumn =
  | { name: string; kind: "int" | "float"; values: ArrayLike<number> }
  | { name: string; kind: "string"; values: ArrayLike<string | null> };

/** A table to export. */
export interface ExportTable {
  nRows: number;
  columns: ExportColumn[];
}

/** The two download formats. */
export type ExportFormat = "csv" | "parquet";

/** `train.csv` → `{ base: "train", format: "csv" }`; null for another extension. */
export function parseExportFile(file: string): { base: string; format: ExportFormat } | null {
  const m = /^(.+)\.(csv|parquet)$/.exec(file);
  return m ? { base: m[1], format: m[2] as ExportFormat } : null;
}

const ROWS_PER_CHUNK = 2048;

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

function cell(col: ExportColumn, i: number): string {
  if (col.kind === "string") {
    const v = col.values[i];
    return v === null || v === undefined ? "" : csvField(v);
  }
  const v = col.values[i];
  if (!Number.isFinite(v)) return "";
  return col.kind === "int" ? String(Math.round(v)) : String(v);
}

/** The table as a stream of CSV bytes (header line first, `\n` line ends, empty = missing). */
export function csvStream(table: ExportTable): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let row = -1;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (row === -1) {
        controller.enqueue(enc.encode(table.columns.map((c) => csvField(c.name)).join(",") + "\n"));
        row = 0;
        return;
      }
      if (row >= table.nRows) {
        controller.close();
        return;
      }
      const end = Math.min(table.nRows, row + ROWS_PER_CHUNK);
      const lines: string[] = [];
      for (let i = row; i < end; i++) {
        lines.push(table.columns.map((c) => cell(c, i)).join(","));
      }
      row = end;
      controller.enqueue(enc.encode(lines.join("\n") + "\n"));
    },
  }, { highWaterMark: 4 });
}

// deno-lint-ignore no-explicit-any
type Polars = any;
let polars: Promise<Polars> | null = null;

/** nodejs-polars, loaded on first use (its native library is not needed to start the service). */
export function loadPolars(): Promise<Polars> {
  polars ??= import("nodejs-polars").then((m) => m.default ?? m).catch((err) => {
    polars = null; // let a later request try again
    throw err;
  });
  return polars;
}

/** The table as a polars DataFrame (floats stay Float32/Float64, NaN → null). */
function toFrame(pl: Polars, table: ExportTable): Polars {
  const series = table.columns.map((c) => {
    if (c.kind === "string") return pl.Series(c.name, Array.from(c.values), pl.Utf8);
    if (c.kind === "int") {
      const out = new Array<number | null>(table.nRows);
      for (let i = 0; i < table.nRows; i++) {
        const v = c.values[i];
        out[i] = Number.isFinite(v) ? Math.round(v) : null;
      }
      return pl.Series(c.name, out, pl.Int64);
    }
    const typed = c.values instanceof Float32Array ? c.values : Float64Array.from(c.values);
    const dtype = typed instanceof Float32Array ? pl.Float32 : pl.Float64;
    return pl.Series(c.name, typed, dtype);
  });
  const frame = pl.DataFrame(series);
  const floats = table.columns.filter((c) => c.kind === "float").map((c) => c.name);
  return floats.length ? frame.withColumns(...floats.map((n) => pl.col(n).fillNan(null))) : frame;
}

/** Write the table as a zstd-compressed Parquet file at `path` (polars, loaded lazily). */
export async function writeParquet(table: ExportTable, path: string): Promise<void> {
  const pl = await loadPolars();
  toFrame(pl, table).writeParquet(path, { compression: "zstd" });
}

/** A file's bytes as a stream that removes the file once read to the end or cancelled. */
async function streamAndRemove(path: string): Promise<ReadableStream<Uint8Array>> {
  const file = await Deno.open(path, { read: true });
  const reader = file.readable.getReader();
  const remove = () => Deno.remove(path).catch(() => {});
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          await remove();
        } else controller.enqueue(value);
      } catch (err) {
        controller.error(err);
        await remove();
      }
    },
    async cancel(reason) {
      await reader.cancel(reason).catch(() => {});
      await remove();
    },
  });
}

/** The download response: `<name>.csv` (streamed) or `<name>.parquet` (via a temp file). */
export async function exportResponse(
  table: ExportTable,
  format: ExportFormat,
  name: string,
): Promise<Response> {
  const headers = {
    "content-disposition": `attachment; filename="${name}.${format}"`,
    "cache-control": "no-store",
  };
  if (format === "csv") {
    return new Response(csvStream(table), {
      headers: { ...headers, "content-type": "text/csv; charset=utf-8" },
    });
  }
  const path = await Deno.makeTempFile({ prefix: "qc-export-", suffix: ".parquet" });
  try {
    await writeParquet(table, path);
  } catch (err) {
    await Deno.remove(path).catch(() => {});
    throw err;
  }
  const size = (await Deno.stat(path)).size;
  return new Response(await streamAndRemove(path), {
    headers: {
      ...headers,
      "content-type": "application/vnd.apache.parquet",
      "content-length": String(size),
    },
  });
}
