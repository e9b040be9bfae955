import assert from "node:assert/strict";
import { LocalBlobStore } from "../storage/local_store.ts";
import {
  buildColumnTable,
  type ColumnTableManifest,
  findRowRange,
  openColumnTable,
  scanColumnTable,
  stableOrder,
} from "./column_table.ts";
import { buildColumnTableInPlace, buildColumnTableInWorker } from "./column_table_worker.ts";
import { CsvValidationError } from "./csv_header.ts";

const NUMERIC = new URL("../../../shared/data/bosch_numeric_700_ts.csv", import.meta.url).pathname;
const enc = new TextEncoder();

async function withStore(fn: (s: LocalBlobStore) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  try {
    await fn(await LocalBlobStore.open(dir));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("build + read round-trip on the real file (in a worker)", async () => {
  await withStore(async (store) => {
    const cols = ["L0_S0_F0", "L3_S29_F3315", "L0_S0_F2"];
    const m = await buildColumnTableInWorker(NUMERIC, cols, store, "datasets/d1/table", {
      rowsHint: 700,
    });
    assert.equal(m.rows, 700);
    assert.equal(m.sorted, true);
    assert.equal(m.sourceInOrder, true);
    assert.deepEqual(m.featureColumns, cols);
    assert.deepEqual(m.classCounts, { "0": 697, "1": 3 });
    assert.equal(m.minTs, Date.UTC(2023, 0, 1));
    assert.equal(m.maxTs, Date.UTC(2023, 0, 7, 0, 1, 39));
    const t = await openColumnTable(store, "datasets/d1/table/");
    const ids = await t.readColumn("Id") as Float64Array;
    assert.deepEqual([...ids.slice(0, 3)], [4, 6, 7]);
    const f0 = await t.readColumn("L0_S0_F0") as Float32Array;
    assert.ok(f0 instanceof Float32Array);
    assert.equal(f0[0], Math.fround(0.03));
    assert.ok(Number.isNaN(f0[1]));
    const y = await t.readColumn("Response");
    assert.ok(y instanceof Uint8Array);
    assert.equal(y.reduce((a, b) => a + b, 0), 3);
    const [part, ts, pid] = await t.readRows(100, 105, ["L0_S0_F0", "Timestamp", "Id"]);
    assert.deepEqual([...part], [...f0.slice(100, 105)]);
    assert.equal(ts.length, 5);
    assert.deepEqual([...pid], [...ids.slice(100, 105)]);
    assert.deepEqual(await t.readRows(3, 3, ["Id"]), [new Float64Array(0)]);
    await assert.rejects(() => t.readRows(0, 701, ["Id"]), RangeError);
    await assert.rejects(() => t.readColumn("nope"), RangeError);
  });
});

Deno.test("rows are sorted by timestamp (stable) when the file is out of order", async () => {
  await withStore(async (store) => {
    const csv = [
      "Id,a,b,Response,synthetic_timestamp",
      "1,0.1,,0,2025-01-02 00:00:00",
      "2,0.2,T1,1,2025-01-01 00:00:00",
      "3,,5,0,2025-01-02 00:00:00",
      "4,0.4,6,0,2025-01-01 12:00:00",
    ].join("\r\n");
    const m = await buildColumnTable(enc.encode(csv), ["b", "a"], store, "t");
    assert.equal(m.sourceInOrder, false);
    assert.deepEqual(m.nonNumericCells, { b: 1 });
    const t = await openColumnTable(store, "t");
    assert.deepEqual([...await t.readColumn("Id")], [2, 4, 1, 3]);
    assert.deepEqual([...await t.readColumn("Response")], [1, 0, 0, 0]);
    assert.deepEqual([...await t.readColumn("a")], [0.2, 0.4, 0.1, NaN].map(Math.fround));
    assert.deepEqual([...await t.readColumn("b")], [NaN, 6, NaN, 5]);
    const ts = await t.readColumn("synthetic_timestamp") as Float64Array;
    assert.deepEqual([...ts], [
      Date.UTC(2025, 0, 1),
      Date.UTC(2025, 0, 1, 12),
      Date.UTC(2025, 0, 2),
      Date.UTC(2025, 0, 2),
    ]);
    // Rebuilding replaces the old table completely: one columns blob and the manifest.
    await buildColumnTable(enc.encode(csv), ["a"], store, "t");
    const keys = (await store.list("t/")).map((b) => b.key).sort();
    assert.deepEqual(keys, ["t/columns.bin", "t/manifest.json"]);
  });
});

Deno.test("build errors: unknown column, bad row", async () => {
  const csv = "Id,a,Response,Timestamp\n1,2,0,2025-01-01 00:00:00\n2,3,5,2025-01-01 00:00:00\n";
  await assert.rejects(
    () => scanColumnTable(enc.encode(csv), ["zz"]),
    (e: unknown) =>
      e instanceof CsvValidationError && /'zz' is not in the CSV header/.test(e.message),
  );
  await assert.rejects(() => scanColumnTable(enc.encode(csv), ["Response"]), CsvValidationError);
  await assert.rejects(
    () => scanColumnTable(enc.encode(csv), ["a"]),
    (e: unknown) => e instanceof CsvValidationError && e.line === 3,
  );
  // Grows past a too-small hint.
  const rows = ["Id,a,Response,Timestamp"];
  for (let i = 0; i < 100; i++) {
    rows.push(
      `${i},${i},0,2025-01-01 00:${String(i % 60).padStart(2, "0")}:${
        String(i % 60).padStart(2, "0")
      }`,
    );
  }
  const d = await scanColumnTable(enc.encode(rows.slice(0, 61).join("\n")), ["a"], { rowsHint: 3 });
  assert.equal(d.rows, 60);
  assert.equal(d.features[0][59], 59);
  assert.equal(d.sourceInOrder, true);
});

Deno.test("findRowRange: inclusive bounds, empty ranges, duplicates", () => {
  const ts = new Float64Array([10, 20, 20, 30, 40, 40, 40, 50]);
  assert.deepEqual(findRowRange(ts, 20, 40), { start: 1, end: 7 });
  assert.deepEqual(findRowRange(ts, 21, 39), { start: 3, end: 4 });
  assert.deepEqual(findRowRange(ts, 0, 9), { start: 0, end: 0 });
  assert.deepEqual(findRowRange(ts, 51, 99), { start: 8, end: 8 });
  assert.deepEqual(findRowRange(ts, 10, 50), { start: 0, end: 8 });
  assert.deepEqual(findRowRange(ts, 40, 20), { start: 4, end: 4 });
  assert.deepEqual(findRowRange(ts, 50, 50), { start: 7, end: 8 });
  assert.deepEqual(findRowRange(new Float64Array(0), 0, 1), { start: 0, end: 0 });
  const end = Date.UTC(2025, 0, 4, 23, 59, 59, 999);
  assert.deepEqual(
    findRowRange([Date.UTC(2025, 0, 4, 23, 59, 59), end + 1], Date.UTC(2025, 0, 4), end),
    { start: 0, end: 1 },
  );
});

Deno.test("stableOrder keeps ties in file order", () => {
  assert.deepEqual([...stableOrder(new Float64Array([3, 1, 3, 1, 2]))], [1, 3, 4, 0, 2]);
});

/** Columns of a stored table as plain arrays (for comparing two builds). */
async function dump(store: LocalBlobStore, prefix: string) {
  const t = await openColumnTable(store, prefix);
  const out: Record<string, number[]> = {};
  for (const c of t.manifest.columns) out[c.name] = [...await t.readColumn(c.name)];
  const { createdAt: _c, columns: _k, ...rest } = t.manifest;
  return { manifest: rest, columns: out };
}

Deno.test("split scan in 2 workers = one worker (in order, out of order, bad row, quotes)", async () => {
  await withStore(async (store) => {
    const dir = await Deno.makeTempDir();
    try {
      const ts = (i: number) => new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString();
      const make = (order: (i: number) => number, extra = "") => {
        const rows = ["Id,a,b,Response,Timestamp"];
        for (let i = 0; i < 400; i++) {
          rows.push(`${i},${i % 5 ? i / 4 : ""},${-i},${i % 9 ? 0 : 1},${ts(order(i))}`);
        }
        return rows.join("\n") + extra;
      };
      const cases: Record<string, string> = {
        ordered: make((i) => i, "\n"),
        // The second half is earlier than the first: the join must sort (ties stay stable).
        shuffled: make((i) => (i < 200 ? 1000 + (i >> 1) : i - 200)),
        quoted: make((i) => i).replace("\n3,", '\n"3",'),
      };
      for (const [name, csv] of Object.entries(cases)) {
        const path = `${dir}/${name}.csv`;
        await Deno.writeTextFile(path, csv);
        const m1 = await buildColumnTableInWorker(path, ["b", "a"], store, `one/${name}`, {
          workers: 1,
        });
        let progress = 0;
        const m2 = await buildColumnTableInWorker(path, ["b", "a"], store, `two/${name}`, {
          workers: 2,
          rowsHint: 400,
          onProgress: (p) => {
            progress = p.bytes;
            assert.ok(p.bytes <= p.totalBytes!);
          },
        });
        assert.equal(m2.rows, 400, name);
        assert.equal(m2.sourceInOrder, name !== "shuffled", name);
        assert.equal(progress, csv.length, name);
        assert.deepEqual(m2.classCounts, m1.classCounts);
        assert.deepEqual(await dump(store, `two/${name}`), await dump(store, `one/${name}`), name);
      }
      // A bad row in the second half: the error names its real line.
      const bad = `${dir}/bad.csv`;
      await Deno.writeTextFile(bad, make((i) => i).replace("\n350,", "\n350,x,"));
      await assert.rejects(
        () => buildColumnTableInWorker(bad, ["a"], store, "bad", { workers: 2 }),
        (e: unknown) => e instanceof CsvValidationError && e.line === 352,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test("a version 1 table (one blob per column) is still read", async () => {
  await withStore(async (store) => {
    const ids = new Float64Array([7, 8, 9]);
    const a = new Float32Array([0.5, NaN, 2]);
    await store.put("v1/c0.f64", new Uint8Array(ids.buffer));
    await store.put("v1/c1.f32", new Uint8Array(a.buffer));
    const manifest = {
      version: 1,
      rows: 3,
      columns: [
        { name: "Id", dtype: "float64", role: "id", key: "v1/c0.f64" },
        { name: "a", dtype: "float32", role: "feature", key: "v1/c1.f32" },
      ],
    };
    await store.put("v1/manifest.json", enc.encode(JSON.stringify(manifest)));
    const t = await openColumnTable(store, "v1");
    assert.deepEqual([...await t.readColumn("Id")], [7, 8, 9]);
    const [rows] = await t.readRows(1, 3, ["a"]);
    assert.deepEqual([...rows], [NaN, 2]);
  });
});

Deno.test("in-place build (workers write at their rows) = the usual build; falls back when it must", async () => {
  await withStore(async (store) => {
    const dir = await Deno.makeTempDir();
    try {
      const ts = (i: number) => new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString();
      const rowsOf = (order: (i: number) => number) => {
        const rows: string[] = [];
        for (let i = 0; i < 500; i++) {
          rows.push(`${i},${i % 5 ? i / 4 : ""},${-i},${i % 9 ? 0 : 1},${ts(order(i))}`);
        }
        return rows;
      };
      /** The file and the input offset of every 16th data row, as a profile records them. */
      const write = async (name: string, rows: string[]) => {
        const header = "Id,a,b,Response,Timestamp";
        const path = `${dir}/${name}.csv`;
        await Deno.writeTextFile(path, [header, ...rows].join("\r\n") + "\r\n");
        const offsets: number[] = [];
        let at = header.length + 2;
        rows.forEach((r, i) => {
          if (i % 16 === 0) offsets.push(at);
          at += r.length + 2;
        });
        return { path, recordIndex: { step: 16, offsets } };
      };
      const norm = (m: ColumnTableManifest) => ({
        ...m,
        createdAt: "",
        columns: m.columns.map(({ key: _k, ...c }) => c),
      });
      const ordered = await write("ordered", rowsOf((i) => i));
      for (const workers of [1, 2, 3]) {
        const usual = await buildColumnTableInWorker(ordered.path, ["b", "a"], store, "usual", {
          workers,
        });
        let progress = 0;
        const inPlace = await buildColumnTableInWorker(ordered.path, ["b", "a"], store, "inplace", {
          workers,
          rowsHint: 500,
          recordIndex: ordered.recordIndex,
          onProgress: (p) => (progress = p.bytes),
        });
        assert.equal(inPlace.version, 2);
        const direct = await buildColumnTableInPlace(ordered.path, ["b", "a"], store, "direct", {
          workers,
          rowsHint: 500,
          recordIndex: ordered.recordIndex,
        });
        assert.deepEqual(norm(direct!), norm(usual), "the in-place path itself");
        assert.deepEqual(norm(inPlace), norm(usual));
        assert.deepEqual(await dump(store, "inplace"), await dump(store, "usual"));
        assert.ok(progress > 0);
        const keys = (await store.list("inplace/")).map((b) => b.key).sort();
        assert.deepEqual(keys, ["inplace/columns.bin", "inplace/manifest.json"]);
      }
      // Out of order (the index alone cannot tell) and a wrong row count: the usual build runs.
      const shuffled = await write("shuffled", rowsOf((i) => (i < 250 ? 1000 + i : i - 250)));
      const wrongCount = { ...ordered.recordIndex, offsets: ordered.recordIndex.offsets.slice(1) };
      for (
        const [path, recordIndex, name] of [
          [shuffled.path, shuffled.recordIndex, "shuffled"],
          [ordered.path, wrongCount, "wrong"],
        ] as const
      ) {
        const usual = await buildColumnTableInWorker(path, ["a"], store, `u-${name}`, {
          workers: 2,
        });
        const tried = await buildColumnTableInWorker(path, ["a"], store, `t-${name}`, {
          workers: 2,
          rowsHint: 500,
          recordIndex,
        });
        assert.deepEqual(norm(tried), norm(usual), name);
        const opts = { workers: 2, rowsHint: 500, recordIndex };
        assert.equal(await buildColumnTableInPlace(path, ["a"], store, "x", opts), null, name);
        assert.deepEqual(await dump(store, `t-${name}`), await dump(store, `u-${name}`), name);
      }
      assert.deepEqual(await Array.fromAsync(Deno.readDir(`${store.root}/.tmp`)), []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});
