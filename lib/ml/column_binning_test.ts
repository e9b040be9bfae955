import assert from "node:assert/strict";
import { binColumn, fitBinMapper } from "./binning.ts";
import { binColumnsWithHelpers, ColumnBinner, serveColumnBin } from "./column_binning.ts";
import { binColumns } from "./binned_matrix.ts";
import { spawnHistogramHelpers } from "./parallel_histogram.ts";
import { makeClassification } from "./synthetic.ts";

Deno.test("ColumnBinner / serveColumnBin: fitBinMapper's cuts and binColumn's codes, holdout copied", () => {
  // More training rows than the cut sample (200k), so the seeded sample matters.
  const d = makeClassification({ nRows: 230_000, nFeatures: 3, missingRate: 0.4, seed: 6 });
  const nt = 210_000, opts = { maxBin: 64, seed: 9 };
  const mapper = fitBinMapper(d.columns.map((c) => c.subarray(0, nt)), nt, opts);
  const binner = new ColumnBinner(nt, opts);
  const shared = new SharedArrayBuffer(3 * nt);
  for (let f = 0; f < 3; f++) {
    const out = new Uint8Array(nt);
    const r = binner.bin(f, d.columns[f], out);
    assert.deepEqual(r.cuts, mapper.cuts[f]);
    assert.equal(r.min, mapper.minValues[f]);
    const want = binColumn(mapper, f, d.columns[f].subarray(0, nt), nt);
    assert.deepEqual(out, want);
    assert.equal(r.nnz, want.filter((c) => c !== 0).length);
    assert.deepEqual(r.holdout, d.columns[f].slice(nt));
    // The helper's entry point: the same column into the shared matrix at f × nt.
    const h = serveColumnBin({
      kind: "bin",
      f,
      values: d.columns[f].slice(),
      trainRows: nt,
      maxBin: opts.maxBin,
      seed: opts.seed,
      codes: shared,
    });
    assert.deepEqual(h.cuts, r.cuts);
    assert.deepEqual(new Uint8Array(shared, f * nt, nt), want);
  }
});

Deno.test("binColumnsWithHelpers: fitBinMapper's mapper and binColumns' codes; a bad column rejects", async () => {
  const d = makeClassification({ nRows: 3000, nFeatures: 9, missingRate: 0.3, seed: 5 });
  // Columns as views of one buffer (as loaded from a file): they must stay the caller's.
  const one = new Float32Array(9 * 3000);
  d.columns = d.columns.map((c, f) => {
    one.set(c, f * 3000);
    return one.subarray(f * 3000, (f + 1) * 3000);
  });
  const helpers = spawnHistogramHelpers(3);
  try {
    // Loaded helpers: they take columns from the first turn on.
    await Promise.all(helpers.map((w) => w.call({ kind: "ping" })));
    const got = await binColumnsWithHelpers(d.columns, d.nRows, { maxBin: 64, seed: 4 }, helpers);
    const mapper = fitBinMapper(d.columns, d.nRows, { maxBin: 64, seed: 4 });
    const want = binColumns(mapper, d.columns, d.nRows);
    assert.deepEqual(got.mapper, mapper);
    assert.deepEqual(got.codes, want.codes);
    assert.deepEqual(Array.from(got.nnz), Array.from(want.nnz));
    assert.ok(got.codes[0].buffer instanceof SharedArrayBuffer);
    assert.equal(one.length, 9 * 3000); // not detached
    const bad = d.columns.map((c, f) => (f === 7 ? c.map((x, i) => (i === 3 ? Infinity : x)) : c));
    await assert.rejects(
      () => binColumnsWithHelpers(bad, d.nRows, { maxBin: 64, seed: 4 }, helpers),
      (e: Error) => e instanceof RangeError && /feature 7 contains Infinity/.test(e.message),
    );
  } finally {
    for (const w of helpers) w.terminate();
  }
});
