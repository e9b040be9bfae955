import assert from "node:assert/strict";
import {
  checkWindows,
  countIn,
  dailyDistribution,
  sampleRows,
  type TimeWindow,
} from "./windows.ts";

const w = (s: number, e: number): TimeWindow => ({ start_ms: s, end_ms: e });

Deno.test("checkWindows: accepts disjoint windows in any order", () => {
  assert.deepEqual(checkWindows({ train: w(0, 9), test: w(20, 29), simulation: w(10, 19) }), []);
});

Deno.test("checkWindows: start after end, touching and overlapping windows", () => {
  const bad = checkWindows({ train: w(5, 4), test: w(10, 20), simulation: w(30, 40) });
  assert.equal(bad.length, 1);
  assert.equal(bad[0].field, "train_start_date");
  const touch = checkWindows({ train: w(0, 10), test: w(10, 20), simulation: w(30, 40) });
  assert.equal(touch.length, 1);
  assert.match(touch[0].message, /train and test date ranges overlap/);
  const nested = checkWindows({ train: w(0, 100), test: w(10, 20), simulation: w(30, 40) });
  assert.equal(nested.length, 2);
});

Deno.test("sampleRows: deterministic, ascending, about the fraction", () => {
  const a = sampleRows(100_000, 0.2, 42);
  const b = sampleRows(100_000, 0.2, 42);
  assert.deepEqual(a, b);
  assert.ok(Math.abs(a.length - 20_000) < 600, `got ${a.length}`);
  for (let i = 1; i < a.length; i++) assert.ok(a[i] > a[i - 1]);
  assert.notDeepEqual(sampleRows(1000, 0.2, 1), sampleRows(1000, 0.2, 2));
  assert.equal(sampleRows(10, 1, 0).length, 10);
  assert.equal(sampleRows(10, 0, 0).length, 0);
  assert.equal(countIn(Uint32Array.from([1, 3, 5, 7]), [3, 7]), 2);
});

Deno.test("dailyDistribution: UTC days ascending, zero days left out, over a subset", () => {
  const day = 86_400_000;
  const t0 = Date.UTC(2025, 0, 1);
  const ts = Float64Array.from([t0, t0 + 1000, t0 + day - 1, t0 + 2 * day, NaN, t0 + 2 * day + 5]);
  assert.deepEqual(dailyDistribution(ts), { "2025-01-01": 3, "2025-01-03": 2 });
  assert.deepEqual(dailyDistribution(ts, Uint32Array.from([0, 3])), {
    "2025-01-01": 1,
    "2025-01-03": 1,
  });
  assert.deepEqual(Object.keys(dailyDistribution(Float64Array.from([t0 + day, t0]))), [
    "2025-01-01",
    "2025-01-02",
  ]);
});
