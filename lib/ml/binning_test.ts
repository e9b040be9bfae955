import assert from "node:assert/strict";
import { binColumn, binValue, cutsFromSorted, fitBinMapper, thresholdFor } from "./binning.ts";
import { buildBinnedMatrix } from "./binned_matrix.ts";
import { makeClassification } from "./synthetic.ts";

Deno.test("binning: ties get one bin per distinct value, NaN gets code 0", () => {
  const col = Float32Array.from([1, 1, 1, 2, 2, 3, NaN]);
  const m = fitBinMapper([col], col.length);
  assert.deepEqual([...m.cuts[0].subarray(0, 2)], [2, 3]);
  assert.equal(m.cuts[0].length, 3);
  assert.equal(m.cuts[0][2], Math.fround(3 + 3 + 1e-5)); // XGBoost's last cut: max + |max| + 1e-5
  assert.deepEqual([...binColumn(m, 0, col, col.length)], [1, 1, 1, 2, 2, 3, 0]);
  assert.equal(m.minValues[0], 1);
});

Deno.test("binning: constant column has one value bin; all-missing has none", () => {
  const c = new Float32Array(10).fill(4.25);
  const a = new Float32Array(10).fill(NaN);
  const m = fitBinMapper([c, a], 10);
  assert.equal(m.cuts[0].length, 1);
  assert.deepEqual([...binColumn(m, 0, c, 10)], new Array(10).fill(1));
  assert.equal(m.cuts[1].length, 0);
  assert.ok(Number.isNaN(m.minValues[1]));
  assert.deepEqual([...binColumn(m, 1, a, 10)], new Array(10).fill(0));
});

Deno.test("binning: quantile cuts respect max_bin and thresholds reproduce the bins", () => {
  const n = 5000;
  const col = new Float32Array(n);
  for (let i = 0; i < n; i++) col[i] = Math.fround(Math.sin(i * 12.9898) * 1000.123);
  for (const maxBin of [2, 3, 16, 256]) {
    const m = fitBinMapper([col], n, { maxBin });
    const cuts = m.cuts[0];
    assert.ok(cuts.length <= maxBin - 1, `maxBin ${maxBin}: ${cuts.length} value bins`);
    for (let k = 1; k < cuts.length; k++) assert.ok(cuts[k] > cuts[k - 1]);
    const counts = new Array(cuts.length).fill(0);
    for (let i = 0; i < n; i++) {
      const code = binValue(cuts, col[i]);
      counts[code - 1]++;
      // "bins 0..k go left" must be exactly the float32 test x < threshold.
      for (let k = -1; k < cuts.length; k++) {
        assert.equal(code - 1 <= k, col[i] < thresholdFor(m, 0, k), `x=${col[i]} k=${k}`);
      }
    }
    if (maxBin === 16) { for (const c of counts) assert.ok(Math.abs(c - n / 15) < n / 15 * 0.2); }
  }
});

Deno.test("binning: sampled quantiles still bin every row consistently", () => {
  const n = 3000;
  const col = new Float32Array(n);
  for (let i = 0; i < n; i++) col[i] = i % 7 === 0 ? NaN : Math.fround(i * 0.37 - 400);
  const m = fitBinMapper([col], n, { sampleRows: 500, seed: 3, maxBin: 64 });
  assert.equal(m.minValues[0], Math.fround(1 * 0.37 - 400));
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(col[i])) continue;
    const code = binValue(m.cuts[0], col[i]);
    for (let k = -1; k < m.cuts[0].length; k++) {
      assert.equal(code - 1 <= k, col[i] < thresholdFor(m, 0, k));
    }
  }
});

Deno.test("binning: rejects Infinity and bad max_bin", () => {
  assert.throws(() => fitBinMapper([Float32Array.from([1, Infinity])], 2), /Infinity/);
  assert.throws(() => fitBinMapper([Float32Array.from([1])], 1, { maxBin: 257 }), /max_bin/);
  assert.throws(() => fitBinMapper([Float32Array.from([1])], 1, { maxBin: 1 }), /max_bin/);
});

Deno.test("binning: cutsFromSorted on heavy ties never repeats a cut", () => {
  const s = Float32Array.from([
    ...new Array(900).fill(0),
    ...Array.from({ length: 100 }, (_, i) => i + 1),
  ]);
  const cuts = cutsFromSorted(s, 10);
  for (let k = 1; k < cuts.length; k++) assert.ok(cuts[k] > cuts[k - 1]);
  assert.ok(cuts[0] > 0);
});

Deno.test("binning: the prefix-table path of binColumn gives binValue's codes (NaN, ±0, cuts, out of range)", () => {
  const n = 1 << 17; // above the table threshold
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const col = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = rnd();
    col[i] = u < 0.3
      ? NaN
      : u < 0.35
      ? (rnd() < 0.5 ? -0 : 0)
      : Math.fround((rnd() - 0.5) * 10 ** (rnd() * 8 - 4));
  }
  for (const maxBin of [2, 16, 256]) {
    const m = fitBinMapper([col], n, { maxBin, sampleRows: 5000, seed: 3 });
    const cuts = m.cuts[0];
    // Probe values: data, the cuts themselves, their neighbours and values past the ends.
    const probe = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const c = cuts[i % cuts.length];
      const k = i % 7;
      probe[i] = k === 0
        ? c
        : k === 1
        ? Math.fround(c * (1 + 1e-7))
        : k === 2
        ? -c
        : k === 3
        ? Math.fround(c * 3)
        : col[i];
    }
    for (const data of [col, probe]) {
      const fast = binColumn(m, 0, data, n);
      for (let i = 0; i < n; i++) {
        if (fast[i] !== binValue(cuts, data[i])) {
          assert.fail(
            `maxBin ${maxBin}: x=${data[i]} fast ${fast[i]} vs ${binValue(cuts, data[i])}`,
          );
        }
      }
    }
  }
});

Deno.test("binning: buildBinnedMatrix keeps the same blocks with keepCodes, and codes match binColumn", () => {
  const data = makeClassification({ nRows: 70_000, nFeatures: 12, missingRate: 0.6, seed: 5 });
  const m = fitBinMapper(data.columns, data.nRows, { seed: 1 });
  const a = buildBinnedMatrix(m, data.columns, data.nRows, { maxBlockBins: 600 });
  const b = buildBinnedMatrix(m, data.columns, data.nRows, { maxBlockBins: 600, keepCodes: true });
  assert.equal(a.codes, undefined);
  assert.equal(a.blocks.length, b.blocks.length);
  assert.ok(a.blocks.length > 1);
  for (let k = 0; k < a.blocks.length; k++) {
    assert.deepEqual(a.blocks[k].ptr, b.blocks[k].ptr);
    assert.deepEqual(a.blocks[k].idx, b.blocks[k].idx);
  }
  for (let f = 0; f < data.columns.length; f++) {
    const ref = new Uint8Array(data.nRows);
    for (let i = 0; i < data.nRows; i++) ref[i] = binValue(m.cuts[f], data.columns[f][i]);
    assert.deepEqual(b.codes![f], ref);
  }
});
