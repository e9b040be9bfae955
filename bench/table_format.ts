/**
 * Stored-table format, like for like: our column table (`lib/data/column_table.ts`: raw
 * typed-array blobs + JSON manifest) against Parquet written/read by nodejs-polars, on the SAME
 * in-memory Bosch-shaped table (no CSV parsing on either side — DESIGN.md's CSV → Parquet
 * figure mixed parsing into the comparison).
 *
 * Measured, each in its own subprocess (so `VmHWM` of /proc/self/status is that variant's peak
 * RSS) and repeated `--reps` times (median reported):
 * - write: ours (`writeColumnTable`, `LocalBlobStore` without fsync, like polars; plus one row
 *   with fsync, the service's default) vs polars typed arrays → DataFrame (NaN → null) →
 *   `writeParquet` with "uncompressed" (the JS default), "snappy" and "zstd", and zstd through
 *   `sinkParquet` with 64 Ki-row row groups + statistics (`polars-zstd-rg64k`: lets a filter on
 *   the timestamp skip row groups);
 * - read one feature column fully into a `Float32Array` (NaN = missing);
 * - read all features for one day (~1/7 of the rows) into `Float32Array`s: ours = timestamp
 *   column + binary search + `readRows`; polars = `scanParquet` + filter on the timestamp +
 *   projection, nulls filled with NaN, `toTypedArray`; and "dayslice": polars on our access
 *   path (read the timestamp column, binary search, `scanParquet().slice()`);
 * - file size on disk.
 * Checksums (rows, non-NaN count, sum) of every read must agree across variants.
 *
 * Synthetic table (`tests/bosch_fixture.ts`, seeded): timestamps in order over 7 days from
 * 2025-01-01, Float64 Ids, ~0.6 % positives, features in stations of 10 visited with p = 0.2 (a
 * skipped station leaves all its features NaN → ~80 % NaN), values with 3 decimals like the
 * Bosch data.
 *
 *     deno run -A bench/table_format.ts [--rows 1183747] [--features 100] [--reps 3] [--keep]
 *       [--variants ours,polars-zstd,...]   # a subset (default: all)
 *
 * nodejs-polars is imported by npm specifier only in the child that needs it (not in deno.json);
 * it needs FFI (`-A`).
 *
 * @module
 */
import { join } from "node:path";
import {
  type ColumnArray,
  type ColumnTableData,
  findRowRange,
  openColumnTable,
  writeColumnTable,
} from "../lib/data/column_table.ts";
import { boschFixture } from "../tests/bosch_fixture.ts";
import { LocalBlobStore } from "../lib/storage/local_store.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);
const TS = "synthetic_timestamp";
const PREFIX = "t";
/** The day read by the row-range task (0-based, of 7). */
const READ_DAY = 3;

function arg(name: string, def: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < Deno.args.length ? Deno.args[i + 1] : def;
}

const featureName = (f: number) => `L${f % 4}_S${Math.floor(f / 10)}_F${f}`;

/** The seeded Bosch-shaped table (the shared fixture builder, features in stations of 10). */
function synthesize(rows: number, nF: number): ColumnTableData {
  const t = boschFixture({
    rows,
    features: nF,
    featureName,
    stationSize: 10,
    missingRate: () => 0.8,
    intercept: -7.3,
    seed: 42,
  });
  return {
    rows,
    ids: t.ids,
    labels: t.labels,
    timestamps: t.timestamps,
    features: t.features,
    featureNames: t.featureNames,
    idColumn: "Id",
    responseColumn: "Response",
    timestampColumn: TS,
    sourceInOrder: true,
    nonNumericCells: {},
  };
}

// ---------------------------------------------------------------- child side

function status(): { rss: number; hwm: number } {
  const s = Deno.readTextFileSync("/proc/self/status");
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? NaN);
  return { rss: kb("VmRSS") / 1024, hwm: kb("VmHWM") / 1024 };
}

/** Non-NaN count and sum over columns (the cross-variant check). */
function checksum(cols: ColumnArray[]): { rows: number; present: number; sum: number } {
  let present = 0, sum = 0;
  for (const c of cols) {
    for (let i = 0; i < c.length; i++) {
      const v = c[i];
      if (v === v) {
        present++;
        sum += v;
      }
    }
  }
  return { rows: cols[0]?.length ?? 0, present, sum: Math.round(sum * 1000) / 1000 };
}

interface ChildResult {
  /** Timed phases in ms; `total` is what the median table shows. */
  ms: Record<string, number>;
  /** RSS (MB) just before the timed part and the process's peak. */
  baseMB: number;
  hwmMB: number;
  bytes?: number;
  check?: { rows: number; present: number; sum: number };
}

const sizeOf = async (path: string): Promise<number> => {
  const st = await Deno.stat(path);
  if (st.isFile) return st.size;
  let n = 0;
  for await (const e of Deno.readDir(path)) {
    if (e.name === ".tmp") continue;
    n += await sizeOf(join(path, e.name));
  }
  return n;
};

async function child(task: string, variant: string, dir: string, rows: number, nF: number) {
  const names = Array.from({ length: nF }, (_, f) => featureName(f));
  const oneCol = names[Math.floor(nF / 2)];
  const from = T0 + READ_DAY * DAY, to = from + DAY - 1;
  const parquet = (v: string) => join(dir, `${v}.parquet`);
  let res: ChildResult;
  // deno-lint-ignore no-explicit-any
  const pl: any = variant.startsWith("polars")
    // Deliberately not in deno.json: only this benchmark uses nodejs-polars.
    // deno-lint-ignore no-import-prefix
    ? (await import("npm:nodejs-polars@0.25.2")).default
    : null;

  if (task === "write") {
    const data = synthesize(rows, nF);
    const base = status().rss;
    if (variant.startsWith("ours")) {
      const root = join(dir, variant);
      const store = await LocalBlobStore.open(root, { durable: variant === "ours-fsync" });
      const t0 = performance.now();
      await writeColumnTable(store, PREFIX, data);
      const total = performance.now() - t0;
      res = { ms: { total }, baseMB: base, hwmMB: status().hwm, bytes: await sizeOf(root) };
    } else {
      const compression = variant.slice("polars-".length);
      const t0 = performance.now();
      const series = [
        pl.Series("Id", data.ids),
        pl.Series("Response", data.labels),
        pl.Series(TS, data.timestamps),
        ...data.featureNames.map((n, f) => pl.Series(n, data.features[f])),
      ];
      // Parquet's missing value is null (a validity bitmap); NaN would be stored as a value.
      const df = pl.DataFrame(series).withColumns(
        ...data.featureNames.map((n) => pl.col(n).fillNan(null)),
      );
      const t1 = performance.now();
      const rg = /^(\w+)-rg(\d+)k$/.exec(compression);
      if (rg) {
        // Explicit row groups + min/max statistics, so a timestamp filter can skip groups.
        df.lazy().sinkParquet(parquet(variant), {
          compression: rg[1],
          rowGroupSize: Number(rg[2]) * 1024,
          statistics: true,
        }).collectSync();
      } else df.writeParquet(parquet(variant), { compression });
      const t2 = performance.now();
      res = {
        ms: { convert: t1 - t0, write: t2 - t1, total: t2 - t0 },
        baseMB: base,
        hwmMB: status().hwm,
        bytes: (await Deno.stat(parquet(variant))).size,
      };
    }
  } else if (task === "column") {
    const base = status().rss;
    const t0 = performance.now();
    let col: Float32Array;
    if (variant.startsWith("ours")) {
      const table = await openColumnTable(await LocalBlobStore.open(join(dir, variant)), PREFIX);
      col = (await table.readColumn(oneCol)) as Float32Array;
    } else {
      const df = pl.readParquet(parquet(variant), { columns: [oneCol] });
      col = df.select(pl.col(oneCol).fillNull(NaN)).getColumn(oneCol).toTypedArray();
    }
    const total = performance.now() - t0;
    res = { ms: { total }, baseMB: base, hwmMB: status().hwm, check: checksum([col]) };
  } else if (task === "day" || task === "dayslice") {
    const base = status().rss;
    const t0 = performance.now();
    let cols: Float32Array[];
    const ms: Record<string, number> = {};
    if (variant.startsWith("ours")) {
      const table = await openColumnTable(await LocalBlobStore.open(join(dir, variant)), PREFIX);
      const ts = (await table.readColumn(TS)) as Float64Array;
      const { start, end } = findRowRange(ts, from, to);
      cols = (await table.readRows(start, end, names)) as Float32Array[];
    } else {
      let lf = pl.scanParquet(parquet(variant));
      if (task === "day") lf = lf.filter(pl.col(TS).gtEq(from).and(pl.col(TS).ltEq(to)));
      else {
        // Our access path in polars: timestamp column → binary search → row slice.
        const ts = pl.readParquet(parquet(variant), { columns: [TS] }).getColumn(TS)
          .toTypedArray() as Float64Array;
        const { start, end } = findRowRange(ts, from, to);
        lf = lf.slice(start, end - start);
      }
      const df = lf.select(...names.map((n) => pl.col(n))).collectSync();
      ms.toDataFrame = performance.now() - t0;
      const filled = df.select(...names.map((n) => pl.col(n).fillNull(NaN)));
      cols = names.map((n) => filled.getColumn(n).toTypedArray() as Float32Array);
    }
    ms.total = performance.now() - t0;
    res = { ms, baseMB: base, hwmMB: status().hwm, check: checksum(cols) };
  } else throw new Error(`Unknown task ${task}`);
  console.log(JSON.stringify(res));
}

// ---------------------------------------------------------------- parent side

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function runChild(
  task: string,
  variant: string,
  dir: string,
  rows: number,
  nF: number,
): Promise<ChildResult | { error: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL(import.meta.url).pathname,
      "--child",
      task,
      "--variant",
      variant,
      "--dir",
      dir,
      "--rows",
      String(rows),
      "--features",
      String(nF),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout).trim().split("\n").pop() ?? "";
  if (out.code !== 0 || !stdout.startsWith("{")) {
    const err = new TextDecoder().decode(out.stderr).trim().split("\n").slice(-6).join("\n");
    return { error: `exit ${out.code}${out.signal ? ` (${out.signal})` : ""}: ${err}` };
  }
  return JSON.parse(stdout) as ChildResult;
}

interface Row {
  task: string;
  variant: string;
  ms: Record<string, number>;
  hwmMB: number;
  deltaMB: number;
  bytes?: number;
  check?: ChildResult["check"];
  error?: string;
}

async function main() {
  const rows = Number(arg("rows", "1183747"));
  const nF = Number(arg("features", "100"));
  const reps = Number(arg("reps", "3"));
  if (!(rows > 0 && nF > 0 && reps > 0)) throw new RangeError("--rows/--features/--reps > 0");
  const dir = await Deno.makeTempDir({ prefix: "table_format_" });
  const load = () => Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  console.log(`table_format: ${rows} rows × ${nF} features, ${reps} reps, dir ${dir}`);
  console.log(`load average at start: ${load()}`);
  const polars = ["polars-uncompressed", "polars-snappy", "polars-zstd", "polars-zstd-rg64k"];
  const only = arg("variants", "").split(",").filter((v) => v);
  const pick = (vs: string[]) => only.length ? vs.filter((v) => only.includes(v)) : vs;
  const writers = pick(["ours", "ours-fsync", ...polars]);
  const readers = pick(["ours", ...polars]);
  const plan: [string, string[]][] = [["write", writers], ["column", readers], ["day", readers], [
    "dayslice",
    readers.filter((v) => v !== "ours"),
  ]];
  const results: Row[] = [];
  const failedWrite = new Set<string>();
  try {
    for (const [task, variants] of plan) {
      for (const variant of variants) {
        if (task !== "write" && failedWrite.has(variant)) continue;
        const got: ChildResult[] = [];
        let error: string | undefined;
        for (let r = 0; r < reps && !error; r++) {
          const c = await runChild(task, variant, dir, rows, nF);
          if ("error" in c) error = c.error;
          else got.push(c);
        }
        if (error) {
          if (task === "write") failedWrite.add(variant);
          results.push({ task, variant, ms: {}, hwmMB: NaN, deltaMB: NaN, error });
          console.log(`${task}/${variant}: FAILED ${error}`);
          continue;
        }
        const ms: Record<string, number> = {};
        for (const k of Object.keys(got[0].ms)) ms[k] = median(got.map((g) => g.ms[k]));
        const row: Row = {
          task,
          variant,
          ms,
          hwmMB: median(got.map((g) => g.hwmMB)),
          deltaMB: median(got.map((g) => g.hwmMB - g.baseMB)),
          bytes: got[0].bytes,
          check: got[0].check,
        };
        results.push(row);
        const phases = Object.entries(ms).map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join(", ");
        console.log(
          `${task}/${variant}: ${phases}; peak RSS ${row.hwmMB.toFixed(0)} MB ` +
            `(+${row.deltaMB.toFixed(0)} MB over base)` +
            (row.bytes !== undefined ? `; ${(row.bytes / 2 ** 20).toFixed(1)} MiB on disk` : "") +
            (row.check ? `; check ${JSON.stringify(row.check)}` : ""),
        );
      }
    }
  } finally {
    if (!Deno.args.includes("--keep")) await Deno.remove(dir, { recursive: true });
  }

  // Summary table + ratios ours / polars.
  console.log(`\nMedians of ${reps} (each run in its own process); load average now: ${load()}`);
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(
    `${pad("task", 9)}${pad("variant", 21)}${pad("time ms", 10)}${pad("peak MB", 9)}` +
      `${pad("+MB", 7)}${pad("size MiB", 10)}phases`,
  );
  for (const r of results) {
    if (r.error) {
      console.log(`${pad(r.task, 9)}${pad(r.variant, 21)}FAILED: ${r.error.split("\n")[0]}`);
      continue;
    }
    const phases = Object.entries(r.ms).filter(([k]) => k !== "total")
      .map(([k, v]) => `${k} ${v.toFixed(0)}`).join(", ");
    console.log(
      `${pad(r.task, 9)}${pad(r.variant, 21)}${pad(r.ms.total.toFixed(0), 10)}` +
        `${pad(r.hwmMB.toFixed(0), 9)}${pad(r.deltaMB.toFixed(0), 7)}` +
        `${pad(r.bytes !== undefined ? (r.bytes / 2 ** 20).toFixed(1) : "", 10)}${phases}`,
    );
  }
  console.log("\nRatios ours / polars (< 1: ours is faster / smaller)");
  for (const task of ["write", "column", "day", "dayslice"]) {
    // Ours has one access path for a day (timestamp column + row range): "dayslice" compares it
    // with polars doing the same instead of a filter.
    const oursTask = task === "dayslice" ? "day" : task;
    const ours = results.find((r) => r.task === oursTask && r.variant === "ours" && !r.error);
    if (!ours) continue;
    for (const r of results) {
      if (r.task !== task || !r.variant.startsWith("polars") || r.error) continue;
      const parts = [
        `time ${(ours.ms.total / r.ms.total).toFixed(2)}`,
        `peak RSS ${(ours.hwmMB / r.hwmMB).toFixed(2)}`,
      ];
      if (ours.bytes !== undefined && r.bytes !== undefined) {
        parts.push(`size ${(ours.bytes / r.bytes).toFixed(2)}`);
      }
      if (ours.check && r.check) {
        const same = JSON.stringify(ours.check) === JSON.stringify(r.check);
        parts.push(same ? "same data" : `DATA DIFFERS ${JSON.stringify(r.check)}`);
      }
      console.log(`${pad(task, 9)}ours vs ${pad(r.variant, 21)}${parts.join(", ")}`);
    }
  }
}

if (Deno.args.includes("--child")) {
  await child(
    arg("child", ""),
    arg("variant", ""),
    arg("dir", ""),
    Number(arg("rows", "0")),
    Number(arg("features", "0")),
  );
} else {
  await main();
}
