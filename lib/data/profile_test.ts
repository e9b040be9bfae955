import assert from "node:assert/strict";
import { CsvValidationError } from "./csv_header.ts";
import { profileCsv } from "./profile.ts";
import { sampleColumn, sampleColumns } from "./row_sample.ts";
import { profileInWorker } from "./profile_worker.ts";

const NUMERIC = new URL("../../../shared/data/bosch_numeric_700_ts.csv", import.meta.url).pathname;
const WIDE = new URL("../../../shared/data/bosch_wide_50_ts.csv", import.meta.url).pathname;
const enc = new TextEncoder();

Deno.test("profile of the real 700-row Bosch file", async () => {
  const { profile, sample } = await profileCsv(NUMERIC);
  assert.equal(profile.rows, 700);
  assert.equal(profile.columns, 971);
  assert.equal(profile.timestampColumn, "Timestamp");
  assert.equal(profile.featureColumns.length, 968);
  assert.deepEqual(profile.textColumns, []);
  assert.deepEqual(profile.classCounts, { "0": 697, "1": 3 });
  assert.equal(profile.firstTimestamp, "2023-01-01T00:00:00Z");
  assert.equal(profile.lastTimestamp, "2023-01-07T00:01:39Z");
  assert.equal(profile.timeOrdered, true);
  assert.equal(Object.keys(profile.rowsPerDay).length, 7);
  assert.equal(Object.values(profile.rowsPerDay).reduce((a, b) => a + b), 700);
  assert.equal(profile.missingShare["L0_S0_F0"], 0.402857); // 282 of 700 empty
  // Everything fits the default budget: the sample is the whole file, in file order.
  assert.equal(sample.nRows, 700);
  const columns = sampleColumns(sample);
  assert.equal(columns.length, 968);
  assert.equal(sample.labels.reduce((a, b) => a + b, 0), 3);
  assert.deepEqual([...sample.ids.slice(0, 3)], [4, 6, 7]);
  assert.equal(columns[0][0], Math.fround(0.03));
  assert.ok(Number.isNaN(columns[0][1]));
  assert.equal(new Set(columns.map((c) => c.buffer)).size, 1);
  assert.deepEqual(sampleColumn(sample, 0), columns[0]);
});

Deno.test("wide file: text columns detected and excluded, no crash", async () => {
  const { profile, sample } = await profileCsv(WIDE);
  assert.equal(profile.rows, 50);
  assert.equal(profile.columns, 4267);
  assert.equal(profile.timestampColumn, "synthetic_timestamp");
  assert.equal(profile.textColumns.length, 186);
  const t = profile.textColumns.find((c) => c.name === "L3_S29_F3317")!;
  assert.equal(t.example, "T1");
  assert.ok(!profile.featureColumns.includes("L3_S29_F3317"));
  assert.equal(profile.featureColumns.length, 4264 - 186);
  assert.ok(profile.featureColumns.includes("L0_S0_D1")); // date-like Bosch columns are numeric
  assert.equal(sample.featureNames.length, profile.featureColumns.length);
  assert.equal(sample.nRows, 50);
});

Deno.test("sample: all positives + seeded random share of negatives within the cell budget", async () => {
  const rows = ["synthetic_timestamp,Id,f0,f1,f2,Response"];
  for (let i = 0; i < 5000; i++) {
    const ts = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString().slice(0, 19).replace(
      "T",
      " ",
    );
    rows.push(`${ts},${i},${i},${i % 7 ? "" : -i},${i / 2},${i % 50 === 0 ? 1 : 0}`);
  }
  const bytes = enc.encode(rows.join("\n"));
  const a = await profileCsv(bytes, { sampleMaxCells: 300 * 3, seed: 1 });
  const b = await profileCsv(bytes, { sampleMaxCells: 300 * 3, seed: 1 });
  const c = await profileCsv(bytes, { sampleMaxCells: 300 * 3, seed: 2 });
  // Budget 300 rows: all 100 positives + a Bernoulli sample of negatives (rate halved until it
  // fits: between half and all of the remaining 200 slots).
  assert.ok(a.sample.nRows <= 300 && a.sample.nRows >= 200, String(a.sample.nRows));
  assert.equal(a.sample.labels.reduce((x, y) => x + y, 0), 100);
  assert.equal(a.sample.positiveFraction, 1);
  assert.equal(a.sample.negativeFraction, (a.sample.nRows - 100) / 4900);
  assert.deepEqual(a.sample.ids, b.sample.ids);
  assert.notDeepEqual(a.sample.ids, c.sample.ids);
  for (let r = 1; r < a.sample.nRows; r++) assert.ok(a.sample.ids[r] > a.sample.ids[r - 1]); // file order
  const [c0, c1] = sampleColumns(a.sample);
  for (let r = 0; r < a.sample.nRows; r++) {
    const id = a.sample.ids[r];
    assert.equal(c0[r], id);
    assert.equal(a.sample.labels[r], id % 50 === 0 ? 1 : 0);
    if (id % 7) assert.ok(Number.isNaN(c1[r]));
    else assert.equal(c1[r], -id || 0);
    assert.equal(a.sample.timestamps[r], Date.UTC(2025, 0, 1) + id * 60_000);
  }
  assert.equal(a.profile.missingShare.f1, Math.round((1 - 715 / 5000) * 1e6) / 1e6);
  assert.equal(Object.keys(a.profile.rowsPerDay).length, 4);
});

Deno.test("sample: positives beyond half the budget are sampled, negatives always present", async () => {
  // 90 % failures: all positives would fill the whole budget and leave no negative.
  const rows = ["Id,f0,f1,Response,Timestamp"];
  for (let i = 0; i < 4000; i++) {
    const ts = new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString().slice(0, 19);
    rows.push(`${i},${i},${i % 3},${i % 10 === 0 ? 0 : 1},${ts}`);
  }
  const bytes = enc.encode(rows.join("\n"));
  const a = await profileCsv(bytes, { sampleMaxCells: 200 * 2, seed: 3 });
  const b = await profileCsv(bytes, { sampleMaxCells: 200 * 2, seed: 3 });
  const c = await profileCsv(bytes, { sampleMaxCells: 200 * 2, seed: 4 });
  const pos = a.sample.labels.reduce((x, y) => x + y, 0);
  const neg = a.sample.nRows - pos;
  assert.ok(a.sample.nRows <= 200, String(a.sample.nRows));
  assert.ok(pos > 0 && pos <= 100, `positives ${pos}`);
  assert.ok(neg >= 50, `negatives ${neg}`); // they fill (most of) the rest of the budget
  assert.equal(a.sample.positiveFraction, pos / 3600);
  assert.equal(a.sample.negativeFraction, neg / 400);
  assert.deepEqual(a.sample.ids, b.sample.ids); // seeded
  assert.notDeepEqual(a.sample.ids, c.sample.ids);
  const first = sampleColumn(a.sample, 0);
  for (let r = 0; r < a.sample.nRows; r++) {
    const id = a.sample.ids[r];
    assert.equal(a.sample.labels[r], id % 10 === 0 ? 0 : 1);
    assert.equal(first[r], id);
    if (r > 0) assert.ok(id > a.sample.ids[r - 1]); // file order
  }
  // Positives spread over the whole file (uniform choice, not the first ones only).
  let maxPosId = 0;
  for (let r = 0; r < a.sample.nRows; r++) if (a.sample.labels[r]) maxPosId = a.sample.ids[r];
  assert.ok(maxPosId > 3000, String(maxPosId));
  // Few positives: still all of them.
  const few = await profileCsv(bytes, { sampleMaxCells: 20000 * 2, seed: 3 });
  assert.equal(few.sample.positiveFraction, 1);
  assert.equal(few.sample.nRows, 4000);
});

Deno.test("rows out of time order are detected", async () => {
  const csv =
    "Id,f,Response,Timestamp\n1,1,0,2025-01-02 00:00:00\n2,1,0,2025-01-01 00:00:00\n3,,1,2025-01-03 00:00:00\n";
  const { profile } = await profileCsv(enc.encode(csv));
  assert.equal(profile.timeOrdered, false);
  assert.equal(profile.outOfOrderRows, 1);
  assert.equal(profile.minTimestampMs, Date.UTC(2025, 0, 1));
  assert.equal(profile.firstTimestamp, "2025-01-02T00:00:00Z");
  assert.deepEqual(profile.rowsPerDay, { "2025-01-01": 1, "2025-01-02": 1, "2025-01-03": 1 });
});

async function rejectsWith(csv: string, line: number | null, column: string | null, re: RegExp) {
  await assert.rejects(() => profileCsv(enc.encode(csv)), (e: unknown) => {
    assert.ok(e instanceof CsvValidationError, String(e));
    assert.equal(e.status, 422);
    assert.equal(e.line, line);
    assert.equal(e.column, column);
    assert.match(e.message, re);
    return true;
  });
}

Deno.test("malformed files: errors name line and column", async () => {
  const ok = "Id,f,Response,Timestamp\n1,0.5,0,2025-01-01 00:00:00\n";
  await rejectsWith(
    "Id,f,Timestamp\n1,2,2025-01-01 00:00:00\n",
    1,
    "Response",
    /missing 'Response'/,
  );
  await rejectsWith(
    ok + "2,0.5,2,2025-01-01 00:00:01\n",
    3,
    "Response",
    /Line 3, column 'Response': Response must be 0 or 1, got '2'/,
  );
  await rejectsWith(ok + "2,0.5,,2025-01-01 00:00:01\n", 3, "Response", /got an empty value/);
  await rejectsWith(
    ok + ok.split("\n")[1] + "\n2,0.5,0,2025-13-01 00:00:01\n",
    4,
    "Timestamp",
    /Line 4, column 'Timestamp': expected a timestamp.*got '2025-13-01 00:00:01'/,
  );
  await rejectsWith(
    ok + "2,0.5,0\n",
    3,
    "Timestamp",
    /Line 3: expected 4 fields as in the header but found 3/,
  );
  await rejectsWith(ok + "x,0.5,0,2025-01-01 00:00:01\n", 3, "Id", /Id must be a number/);
  await rejectsWith("", 1, null, /empty/);
  // A Response written as 1.0 is fine.
  const { profile } = await profileCsv(enc.encode(ok + "2,,1.0,2025-01-01 00:00:01\r\n"));
  assert.deepEqual(profile.classCounts, { "0": 1, "1": 1 });
});

Deno.test("profileInWorker: same result, progress, errors as CsvValidationError", async () => {
  let progress = 0;
  const { profile, sample } = await profileInWorker(NUMERIC, { onProgress: () => progress++ });
  assert.equal(profile.rows, 700);
  assert.ok(progress >= 1);
  assert.ok(sample.negVals instanceof Float32Array); // transferred back intact
  assert.equal(sampleColumn(sample, 5).length, 700);
  const bad = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    await Deno.writeTextFile(bad, "Id,f,Response,Timestamp\n1,2,3,2025-01-01 00:00:00\n");
    await assert.rejects(
      () => profileInWorker(bad),
      (e: unknown) => e instanceof CsvValidationError && e.line === 2,
    );
    const ac = new AbortController();
    ac.abort(new Error("stop"));
    await assert.rejects(() => profileInWorker(NUMERIC, { signal: ac.signal }), /stop/);
  } finally {
    await Deno.remove(bad);
  }
});

Deno.test("recordOffsets: where data rows k·recordOffsetStep start, for a later split", async () => {
  const lines = ["Id,F,Response,Timestamp"];
  const n = 140_000;
  for (let i = 0; i < n; i++) {
    lines.push(
      `${i},${i % 3 ? "" : i / 2},${i % 50 ? 0 : 1},2025-01-01 00:00:${
        String(i % 60).padStart(2, "0")
      }`,
    );
  }
  const bytes = enc.encode(lines.join("\r\n") + "\r\n");
  const { profile } = await profileCsv(bytes, { chunkSize: 1 << 16 });
  const step = profile.recordOffsetStep!;
  assert.equal(profile.recordOffsets!.length, Math.ceil(n / step));
  const dec = new TextDecoder();
  profile.recordOffsets!.forEach((at, k) => {
    assert.equal(dec.decode(bytes.subarray(at - 2, at)), "\r\n");
    assert.equal(dec.decode(bytes.subarray(at, at + 12)).split(",")[0], String(k * step));
  });
});
