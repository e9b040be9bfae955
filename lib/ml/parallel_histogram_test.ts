import assert from "node:assert/strict";
import { train } from "./booster.ts";
import { makeClassification } from "./synthetic.ts";
import { fitBinMapper } from "./binning.ts";
import { createParallelBuilder } from "./parallel_histogram.ts";
import { buildBinnedMatrix } from "./binned_matrix.ts";
import {
  accumulate,
  gatherGradients,
  type HistogramBuilder,
  SerialHistogramBuilder,
} from "./histogram.ts";

const d = makeClassification({ nRows: 20000, nFeatures: 24, missingRate: 0.5, seed: 8 });

/** Root build, a split (reorder + partition), then both children at level 1 and a grandchild. */
function exercise(b: HistogramBuilder, gh: Float32Array, m: number): Float64Array[] {
  const out: Float64Array[] = [];
  const snap = (start: number, end: number, level: number) => {
    const t = b.pool.acquire();
    b.pool.view(t).fill(7); // stale contents must be cleared
    b.build(start, end, level, t);
    out.push(b.pool.view(t).slice());
    b.pool.release(t);
  };
  gatherGradients(gh, b.rows, 0, m, b.ogh);
  snap(0, m, 0);
  // Split the root by row parity of a hash; then the left child again.
  for (let i = 0; i < m; i++) b.dir[i] = (b.rows[i] * 2654435761) % 7 < 3 ? 1 : 0;
  const split = (start: number, end: number, level: number) => {
    b.reorder(start, end, level);
    const rows = b.rows.slice(start, end), g = b.ogh.slice(2 * start, 2 * end);
    let l = start;
    const right: number[] = [];
    for (let i = 0; i < end - start; i++) {
      if (b.dir[start + i]) {
        b.rows[l] = rows[i];
        b.ogh[2 * l] = g[2 * i];
        b.ogh[2 * l++ + 1] = g[2 * i + 1];
      } else right.push(i);
    }
    const mid = l;
    for (const i of right) {
      b.rows[l] = rows[i];
      b.ogh[2 * l] = g[2 * i];
      b.ogh[2 * l++ + 1] = g[2 * i + 1];
    }
    return mid;
  };
  const mid = split(0, m, 0);
  snap(0, mid, 1);
  snap(mid, m, 1);
  for (let i = 0; i < mid; i++) b.dir[i] = b.rows[i] % 3 === 0 ? 1 : 0;
  const mid2 = split(0, mid, 1);
  snap(0, mid2, 2);
  snap(mid2, mid, 2);
  return out;
}

Deno.test("histograms: ordered (reordered) data gives the same sums as row lookups", () => {
  const mapper = fitBinMapper(d.columns, d.nRows);
  const matrix = buildBinnedMatrix(mapper, d.columns, d.nRows, { maxBlockBins: 2000 });
  assert.ok(matrix.blocks.length > 1);
  const ser = new SerialHistogramBuilder(matrix, 6);
  const gh = new Float32Array(2 * d.nRows).map((_, i) => Math.sin(i) * (i % 2 ? 0.25 : 1));
  let m = 0;
  for (let i = 0; i < d.nRows; i++) if (i % 3 !== 1) ser.rows[m++] = i;
  const hists = exercise(ser, gh, m);
  // Reference for the last node (level 2): direct row lookups into the original matrix.
  const rows = ser.rows;
  const ref = new Float64Array(2 * matrix.totalBins);
  const ogh = new Float32Array(2 * d.nRows);
  gatherGradients(gh, rows, 0, m, ogh);
  let s = 0;
  while (s < m && !(ser.rows[s] % 3 === 0)) s++;
  // Recompute the left-left node: rows with dir 1 at both splits are at the front.
  const leftLeft: number[] = [];
  for (let i = 0; i < d.nRows; i++) {
    if (i % 3 === 1) continue;
    if ((i * 2654435761) % 7 < 3 && i % 3 === 0) leftLeft.push(i);
  }
  const llRows = Int32Array.from(leftLeft);
  const llGh = new Float32Array(2 * llRows.length);
  gatherGradients(gh, llRows, 0, llRows.length, llGh);
  for (const b of matrix.blocks) {
    accumulate(b.ptr, b.idx, b.binStart, llRows, 0, llRows.length, llGh, ref);
  }
  const got = hists[3];
  for (let i = 0; i < ref.length; i++) assert.ok(Math.abs(got[i] - ref[i]) < 1e-9, `bin ${i}`);
  // Sibling sums add up to the parent (subtraction trick relies on it).
  for (let i = 0; i < ref.length; i++) {
    assert.ok(Math.abs(hists[1][i] + hists[2][i] - hists[0][i]) < 1e-9);
  }
  ser.close();
});

Deno.test("parallel histograms: bit-identical to the serial builder", async () => {
  const mapper = fitBinMapper(d.columns, d.nRows);
  const par = await createParallelBuilder(mapper, d, 3, 6);
  const ser = new SerialHistogramBuilder(buildBinnedMatrix(mapper, d.columns, d.nRows), 6);
  try {
    const gh = new Float32Array(2 * d.nRows).map((_, i) => Math.sin(i) * (i % 2 ? 0.25 : 1));
    let m = 0;
    for (let i = 0; i < d.nRows; i++) if (i % 3 !== 1) par.rows[m] = ser.rows[m++] = i;
    assert.deepEqual(exercise(par, gh, m), exercise(ser, gh, m));
  } finally {
    par.close();
    ser.close();
  }
});

Deno.test("parallel histograms: in-thread training with n_threads 2 equals 1 thread", async () => {
  const p = { n_estimators: 6, subsample: 0.9, seed: 2 };
  const a = await train(d, p);
  const b = await train(d, { ...p, n_threads: 2 });
  assert.deepEqual(b.model.trees, a.model.trees);
});
