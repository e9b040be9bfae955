/**
 * `buildColumnTable` with the CSV scan in Web Workers: the workers parse and sort, the column
 * buffers come back transferred (no copy), and this thread only writes them to the store.
 *
 * A big file is split by byte range between `workers` workers (default 2 on a multi-core
 * machine): the cut points are moved to the next line start, each worker scans its part from
 * there, and the parts are joined in file order (`joinTableParts`: no copy when they already
 * follow each other in time, else one stable sort). The whole file is re-scanned by one worker
 * when a part failed (so a bad row is reported with its true line number) or held a quoted
 * record (a quoted field may span lines, so a cut at a line break is not trusted).
 *
 * Measured on the 1 GB generated Bosch file, 2 cores shared with other jobs (load ~2.7): the two
 * halves in parallel 5.2 s vs the same halves one after the other 6.3 s; CPU time is unchanged,
 * so on an idle 2-core machine the scan's wall time approaches half.
 *
 * In place: when the profile's record offsets say where rows k·step start (`recordIndex`), the
 * file is in time order and the store can stage a local file, the cuts are made at those
 * records, so each worker knows its first table row and writes its rows straight into the
 * staged columns blob in blocks of 65,536 (`TableFileTarget`): no whole-table columns in
 * memory, nothing passed back to this thread, no second write. Any surprise (rows out of order,
 * a count that differs from the profile, a bad row) discards the staged file and takes the
 * path above, which sorts and reports errors with their line.
 *
 * @module
 */
import type { BlobStore } from "../storage/blob_store.ts";
import {
  type BuildTableOptions,
  type ColumnTableData,
  type ColumnTableManifest,
  joinTableParts,
  type TableFileTarget,
  tableKeys,
  tableLayout,
  tableManifest,
  writeColumnTableParts,
} from "./column_table.ts";
import { type DataJob, type JobProgress, runDataJob } from "./worker_client.ts";

/** Files below this size are scanned by one worker (worker start-up would not pay). */
export const SPLIT_MIN_BYTES = 64 * 2 ** 20;

/** Like `buildColumnTable`, for a local CSV file path. */
export async function buildColumnTableInWorker(
  csvPath: string,
  selectedColumns: string[],
  store: BlobStore,
  prefix: string,
  opts: BuildTableOptions = {},
): Promise<ColumnTableManifest> {
  const inPlace = await buildColumnTableInPlace(csvPath, selectedColumns, store, prefix, opts);
  if (inPlace) return inPlace;
  const parts = await scanInWorkers(csvPath, selectedColumns, opts);
  opts.signal?.throwIfAborted();
  return await writeColumnTableParts(store, prefix, joinTableParts(parts));
}

/** Workers for a file of `size` bytes. */
function workerCount(size: number, workers?: number): number {
  return Math.max(
    1,
    Math.floor(
      workers ?? (size >= SPLIT_MIN_BYTES && (navigator.hardwareConcurrency ?? 1) > 1 ? 2 : 1),
    ),
  );
}

/**
 * The in-place build (see the module doc), or null when it does not apply or did not work out
 * (`buildColumnTableInWorker` then builds the usual way). An abort is rethrown.
 */
export async function buildColumnTableInPlace(
  csvPath: string,
  selectedColumns: string[],
  store: BlobStore,
  prefix: string,
  opts: BuildTableOptions,
): Promise<ColumnTableManifest | null> {
  const index = opts.recordIndex, rows = opts.rowsHint;
  if (!index || !rows || !store.stage || index.offsets.length === 0) return null;
  if (index.offsets.length !== Math.ceil(rows / index.step)) return null;
  const size = (await Deno.stat(csvPath)).size;
  const n = workerCount(size, opts.workers);
  // Cut i at the indexed record nearest to i/n of the file.
  const cuts = [{ byte: 0, row: 0 }];
  for (let i = 1; i < n; i++) {
    const want = (size * i) / n;
    let k = 1;
    while (k + 1 < index.offsets.length && index.offsets[k + 1] <= want) k++;
    if (k < index.offsets.length && k * index.step > cuts[cuts.length - 1].row) {
      cuts.push({ byte: index.offsets[k], row: k * index.step });
    }
  }
  cuts.push({ byte: size, row: rows });
  const keys = tableKeys(prefix);
  await store.deletePrefix(keys.dir + "/");
  const staged = await store.stage(keys.columns, tableLayout(rows, selectedColumns.length).size);
  const { onProgress, signal, workers: _w, byteRange: _r, recordIndex: _i, ...plain } = opts;
  let parts: ColumnTableData[];
  try {
    parts = await runParts(
      cuts.slice(0, -1).map((c, i) => ({
        byteRange: { start: c.byte, end: cuts[i + 1].byte },
        target: { path: staged.path, tableRows: rows, rowStart: c.row },
      })),
      (range) => ({
        kind: "table",
        source: csvPath,
        selected: selectedColumns,
        opts: { ...plain, ...range },
      }),
      size,
      { onProgress, signal },
    );
    const fits = parts.every((q, i) => q.rows === cuts[i + 1].row - cuts[i].row) &&
      parts.every((q, i) =>
        i === 0 || q.rows === 0 || parts[i - 1].rows === 0 ||
        parts[i - 1].summary!.lastTs <= q.summary!.firstTs
      );
    if (!fits) {
      await staged.discard();
      return null;
    }
    await staged.commit();
  } catch (err) {
    await staged.discard();
    signal?.throwIfAborted();
    void err; // the usual build redoes the work and reports a bad row with its line
    return null;
  }
  const nonEmpty = parts.filter((q) => q.rows > 0);
  const manifest = tableManifest(keys.columns, rows, parts, {
    minTs: nonEmpty.length ? nonEmpty[0].summary!.firstTs : null,
    maxTs: nonEmpty.length ? nonEmpty[nonEmpty.length - 1].summary!.lastTs : null,
    positives: parts.reduce((s, q) => s + q.summary!.positives, 0),
  });
  await store.put(keys.manifest, new TextEncoder().encode(JSON.stringify(manifest)));
  return manifest;
}

/** Scan the file in one or more workers; returns the parts in file order. */
export async function scanInWorkers(
  csvPath: string,
  selectedColumns: string[],
  opts: BuildTableOptions = {},
): Promise<ColumnTableData[]> {
  const { onProgress, signal, workers, byteRange: _r, recordIndex: _i, ...plain } = opts;
  const size = (await Deno.stat(csvPath)).size;
  const n = workerCount(size, workers);
  const whole = () =>
    runDataJob<ColumnTableData>(
      { kind: "table", source: csvPath, selected: selectedColumns, opts: plain },
      { onProgress, signal },
    ).then((t) => [t]);
  if (n === 1) return await whole();
  const cuts = await lineStarts(csvPath, size, n);
  if (!cuts) return await whole();
  let parts: ColumnTableData[];
  try {
    parts = await runParts(
      cuts.slice(0, -1).map((start, i) => ({
        byteRange: { start, end: cuts[i + 1] },
        rowsHint: plain.rowsHint
          ? Math.ceil(plain.rowsHint * (cuts[i + 1] - start) / size * 1.02) + 1024
          : undefined,
      })),
      (part) => ({
        kind: "table",
        source: csvPath,
        selected: selectedColumns,
        opts: { ...plain, ...part },
      }),
      size,
      { onProgress, signal },
    );
  } catch (err) {
    signal?.throwIfAborted();
    void err;
    return await whole(); // reports the error with its real line number
  }
  if (parts.some((p) => (p.quotedRecords ?? 0) > 0)) return await whole();
  return parts;
}

/** What differs between the parts of a split scan. */
interface PartSpec {
  byteRange: { start: number; end: number };
  rowsHint?: number;
  target?: TableFileTarget;
}

/**
 * Run one table job per part in parallel; progress summed over the parts. The first failure
 * stops the others at once (their work would be redone anyway) and is thrown.
 */
async function runParts(
  specs: PartSpec[],
  jobOf: (spec: PartSpec) => DataJob,
  size: number,
  opts: { onProgress?: BuildTableOptions["onProgress"]; signal?: AbortSignal },
): Promise<ColumnTableData[]> {
  const { onProgress, signal } = opts;
  const done = new Array<number>(specs.length).fill(0);
  const rows = new Array<number>(specs.length).fill(0);
  const ac = new AbortController();
  const onAbort = () => ac.abort(signal!.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const jobs = specs.map((spec, i) =>
      runDataJob<ColumnTableData>(jobOf(spec), {
        signal: ac.signal,
        onProgress: (p: JobProgress) => {
          done[i] = p.bytes - spec.byteRange.start;
          rows[i] = p.rows;
          onProgress?.({
            bytes: done.reduce((a, b) => a + b, 0),
            totalBytes: size,
            rows: rows.reduce((a, b) => a + b, 0),
          });
        },
      })
    );
    jobs.forEach((j) => j.catch((e) => ac.abort(e)));
    return await Promise.all(jobs);
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * `n + 1` byte offsets `0 = c0 < c1 < … < cn = size` where each inner cut is the start of the
 * line after `i·size/n`; null when a cut cannot be found within 16 MiB (no split then).
 */
async function lineStarts(path: string, size: number, n: number): Promise<number[] | null> {
  const cuts = [0];
  const file = await Deno.open(path, { read: true });
  try {
    const buf = new Uint8Array(1 << 16);
    for (let i = 1; i < n; i++) {
      let off = Math.max(cuts[i - 1] + 1, Math.floor((size * i) / n));
      let cut = -1;
      await file.seek(off, Deno.SeekMode.Start);
      while (cut < 0 && off < size && off - Math.floor((size * i) / n) < 16 * 2 ** 20) {
        const got = await file.read(buf);
        if (got === null) break;
        const k = buf.subarray(0, got).indexOf(10);
        if (k >= 0) cut = off + k + 1;
        off += got;
      }
      if (cut < 0 || cut >= size) return null;
      cuts.push(cut);
    }
  } finally {
    file.close();
  }
  cuts.push(size);
  return cuts;
}
