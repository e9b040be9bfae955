import assert from "node:assert/strict";
import { binColumn, fitBinMapper, thresholdFor } from "./binning.ts";
import {
  applyLeafSplit,
  mergeSlices,
  partitionCodes,
  partitionSlice,
  splitDirections,
} from "./partition.ts";
import { makeClassification } from "./synthetic.ts";

const n = 5000;
const d = makeClassification({ nRows: n, nFeatures: 3, missingRate: 0.4, seed: 21 });
const mapper = fitBinMapper(d.columns, n, { maxBin: 32 });
const codes = d.columns.map((c, f) => binColumn(mapper, f, c, n));

/** The oracle: a stable filter of positions [start, end) by the float test (NaN → default). */
function oracle(rows: Int32Array, start: number, end: number, f: number, bin: number, dl: boolean) {
  const thr = thresholdFor(mapper, f, bin);
  const seg = [...rows.subarray(start, end)];
  const goes = (r: number) => {
    const x = d.columns[f][r];
    return Number.isNaN(x) ? dl : x < thr;
  };
  return { order: [...seg.filter(goes), ...seg.filter((r) => !goes(r))], left: seg.filter(goes) };
}

Deno.test("partition: codes give the float test's stable partition, serial and in slices", () => {
  const tmp = new Int32Array(n);
  for (const f of [0, 1, 2]) {
    for (const bin of [-1, 0, 3, 10, mapper.cuts[f].length - 1]) {
      for (const dl of [false, true]) {
        for (const slices of [1, 2, 3]) {
          // Rows in a scrambled order on a sub-range.
          const rows = new Int32Array(n).map((_, i) => (i * 7919) % n);
          const start = 100, end = n - 37;
          const want = oracle(rows, start, end, f, bin, dl);
          const goLeft = splitDirections(bin, dl);
          let mid: number;
          if (slices === 1) {
            mid = partitionCodes(rows, tmp, start, end, codes[f], goLeft);
          } else {
            const bounds = Array.from(
              { length: slices + 1 },
              (_, k) => start + Math.floor(((end - start) * k) / slices),
            );
            const lefts = bounds.slice(0, -1).map((a, k) =>
              partitionSlice(rows, tmp, a, bounds[k + 1], codes[f], goLeft)
            );
            mid = mergeSlices(rows, tmp, bounds, lefts);
          }
          assert.equal(mid - start, want.left.length, `f${f} bin ${bin} dl ${dl} ×${slices}`);
          assert.deepEqual([...rows.subarray(start, end)], want.order);
        }
      }
    }
  }
});

Deno.test("applyLeafSplit: each row gets its side's leaf value, as partition + leaf adds would", () => {
  const f = 1, bin = 5;
  for (const dl of [false, true]) {
    const rows = new Int32Array(n).map((_, i) => (i * 7919) % n);
    const start = 10, end = n - 20;
    const margin = new Float32Array(n).map((_, i) => i * 0.001);
    const want = margin.slice();
    const goLeft = splitDirections(bin, dl);
    const { left } = oracle(rows, start, end, f, bin, dl);
    const isLeft = new Set(left);
    const vl = Math.fround(0.3), vr = Math.fround(-0.7);
    for (const r of rows.subarray(start, end)) want[r] += isLeft.has(r) ? vl : vr;
    applyLeafSplit(rows, start, end, codes[f], goLeft, vl, vr, margin);
    assert.deepEqual(margin, want);
  }
});
