import assert from "node:assert/strict";
import { train } from "./booster.ts";
import { predictProbaColumns } from "./predictor.ts";
import { makeClassification } from "./synthetic.ts";
import { fitBinMapper } from "./binning.ts";
import { createParallelBuilder } from "./parallel_histogram.ts";
import { buildBinnedMatrix } from "./binned_matrix.ts";
import { logisticGradients } from "./gradients.ts";
import { applyLeafSplit, partitionCodes, splitDirections } from "./partition.ts";
import { createSerialBuilder, type HistogramBuilder, SerialHistogramBuilder } from "./histogram.ts";
import { findBestSplit, SplitInfo } from "./split.ts";

const d = makeClassification({ nRows: 20000, nFeatures: 24, missingRate: 0.5, seed: 8 });

/** Root histogram, then both children of a hash split (rows partitioned). */
function exercise(b: HistogramBuilder, gh: Float32Array, m: number): Float64Array[] {
  const out: Float64Array[] = [];
  const snap = (start: number, end: number) => {
    const t = b.pool.acquire();
    b.pool.view(t).fill(7); // stale contents must be cleared
    b.build(start, end, t);
    out.push(b.pool.view(t).slice());
    b.pool.release(t);
  };
  b.gh.set(gh);
  snap(0, m);
  const rows = b.rows.slice(0, m);
  const left = [...rows].filter((r) => (r * 2654435761) % 7 < 3);
  const right = [...rows].filter((r) => !((r * 2654435761) % 7 < 3));
  b.rows.set([...left, ...right]);
  snap(0, left.length);
  snap(left.length, m);
  return out;
}

Deno.test("histograms: children sum to the parent; bins match a direct count", () => {
  const mapper = fitBinMapper(d.columns, d.nRows);
  const matrix = buildBinnedMatrix(mapper, d.columns, d.nRows, { maxBlockBins: 2000 });
  assert.ok(matrix.blocks.length > 1);
  const ser = new SerialHistogramBuilder(matrix, 6);
  const gh = new Float32Array(2 * d.nRows).map((_, i) => (i % 2 ? 0.25 : Math.sin(i)));
  let m = 0;
  for (let i = 0; i < d.nRows; i++) if (i % 3 !== 1) ser.rows[m++] = i;
  const [root, l, r] = exercise(ser, gh, m);
  for (let i = 0; i < root.length; i++) assert.ok(Math.abs(l[i] + r[i] - root[i]) < 1e-9);
  // Hessian sum of feature 0's value bins in the root = 0.25 × its non-missing sampled rows.
  let nonMissing = 0;
  for (let i = 0; i < d.nRows; i++) if (i % 3 !== 1 && !Number.isNaN(d.columns[0][i])) nonMissing++;
  let h = 0;
  for (let k = matrix.featBinStart[0]; k < matrix.featBinStart[1]; k++) h += root[2 * k + 1];
  assert.equal(h, 0.25 * nonMissing);
  ser.close();
});

for (const [mode, maxBlockBins] of [["features", 1000], ["rows", undefined]] as const) {
  Deno.test(`parallel histograms (${mode} split) agree with the serial builder`, async () => {
    const mapper = fitBinMapper(d.columns, d.nRows);
    const par = await createParallelBuilder(mapper, d, 3, 6, { maxBlockBins });
    const ser = new SerialHistogramBuilder(buildBinnedMatrix(mapper, d.columns, d.nRows), 6);
    try {
      assert.equal((par as unknown as { mode: string }).mode, mode);
      const gh = new Float32Array(2 * d.nRows).map((_, i) => Math.sin(i) * (i % 2 ? 0.25 : 1));
      let m = 0;
      for (let i = 0; i < d.nRows; i++) if (i % 3 !== 1) par.rows[m] = ser.rows[m++] = i;
      const a = exercise(par, gh, m), b = exercise(ser, gh, m);
      if (mode === "features") assert.deepEqual(a, b); // each bin summed by one thread, in order
      else {
        for (let k = 0; k < a.length; k++) {
          for (let i = 0; i < a[k].length; i++) assert.ok(Math.abs(a[k][i] - b[k][i]) < 1e-9);
        }
      }
    } finally {
      par.close();
      ser.close();
    }
  });
}

Deno.test("parallel histograms: n_threads 2 trains (nearly) the same model as 1 thread", async () => {
  const p = { n_estimators: 6, subsample: 0.9, seed: 2 };
  const a = await train(d, p);
  const b = await train(d, { ...p, n_threads: 2 });
  const c = await train(d, { ...p, n_threads: 2 });
  assert.deepEqual(c.model.trees, b.model.trees); // deterministic per thread count
  const pa = predictProbaColumns(a.model, d.columns, d.nRows);
  const pb = predictProbaColumns(b.model, d.columns, d.nRows);
  let diff = 0;
  for (let i = 0; i < d.nRows; i++) diff = Math.max(diff, Math.abs(pa[i] - pb[i]));
  assert.ok(diff < 1e-4, `max |Δp| ${diff}`); // row-split sums differ only by rounding
});

Deno.test("parallel gradients: every thread's rows equal the serial kernel, with weights and scale_pos_weight", async () => {
  const weights = new Float32Array(d.nRows).map((_, i) => 0.5 + (i % 5));
  const data = { ...d, weights };
  const mapper = fitBinMapper(d.columns, d.nRows);
  const par = await createParallelBuilder(mapper, data, 3, 6);
  try {
    assert.ok(par.gradients && par.margin);
    const { margin, gh } = par;
    for (let i = 0; i < d.nRows; i++) margin[i] = Math.fround(Math.sin(i * 0.37) * 4);
    par.rows.fill(-1);
    par.gradients(3.5, true);
    const ref = new Float32Array(2 * d.nRows);
    logisticGradients(margin, d.labels, weights, 3.5, ref, 0, d.nRows);
    assert.deepEqual(gh, ref);
    assert.deepEqual(par.rows, new Int32Array(d.nRows).map((_, i) => i)); // reset on the way
  } finally {
    par.close();
  }
});

Deno.test("parallel partition: equals the serial partition on a node big enough to split", async () => {
  const big = makeClassification({ nRows: 90_000, nFeatures: 6, missingRate: 0.5, seed: 9 });
  const mapper = fitBinMapper(big.columns, big.nRows, { maxBin: 64 });
  const par = await createParallelBuilder(mapper, big, 3, 6, { keepCodes: true });
  try {
    assert.ok(par.partition && par.matrix.codes);
    const n = big.nRows;
    for (const [f, bin, dl] of [[0, 10, true], [3, 30, false]] as const) {
      for (let i = 0; i < n; i++) par.rows[i] = (i * 7919) % n;
      const rows = par.rows.slice();
      const goLeft = splitDirections(bin, dl);
      const start = 5, end = n - 3;
      const mid = par.partition(start, end, f, goLeft);
      const want = partitionCodes(rows, new Int32Array(n), start, end, par.matrix.codes[f], goLeft);
      assert.equal(mid, want);
      assert.deepEqual(par.rows, rows);
    }
    // A split into leaves: the margins as the serial kernel leaves them.
    assert.ok(par.leafSplit && par.margin);
    for (let i = 0; i < n; i++) par.rows[i] = (i * 7919) % n;
    par.margin.fill(0.5);
    const want = par.margin.slice();
    const goLeft = splitDirections(20, true);
    applyLeafSplit(par.rows, 7, n - 1, par.matrix.codes[2], goLeft, 0.25, -0.125, want);
    par.leafSplit(7, n - 1, 2, goLeft, 0.25, -0.125);
    assert.deepEqual(par.margin, want);
  } finally {
    par.close();
  }
});

Deno.test("parallel histograms: the wasm kernels build the same histograms as the JS kernels", async () => {
  const mapper = fitBinMapper(d.columns, d.nRows);
  const gh = new Float32Array(2 * d.nRows).map((_, i) => Math.sin(i) * (i % 2 ? 0.25 : 1));
  const run = async (wasm: boolean, maxBlockBins?: number) => {
    const b = await createParallelBuilder(mapper, d, 2, 6, { wasm, maxBlockBins });
    try {
      let m = 0;
      for (let i = 0; i < d.nRows; i++) if (i % 3 !== 1) b.rows[m++] = i;
      const out = exercise(b, gh, m);
      // The root on all rows, through the identity kernel.
      for (let i = 0; i < d.nRows; i++) b.rows[i] = i;
      const t = b.pool.acquire();
      b.build(0, d.nRows, t, true);
      out.push(b.pool.view(t).slice());
      return out;
    } finally {
      b.close();
    }
  };
  const js = await run(false), wasm = await run(true);
  assert.deepEqual(wasm, js);
  assert.deepEqual(await run(true, 1000), await run(false, 1000)); // split by features
  // The identity kernel equals the row-list kernel on the identity.
  const ser = new SerialHistogramBuilder(buildBinnedMatrix(mapper, d.columns, d.nRows), 6);
  ser.gh.set(gh);
  for (let i = 0; i < d.nRows; i++) ser.rows[i] = i;
  const t = ser.pool.acquire();
  ser.build(0, d.nRows, t);
  assert.deepEqual(js[3], ser.pool.view(t));
});

Deno.test("parallel split finding: a pair of nodes gives the serial findBestSplit results", async () => {
  const mapper = fitBinMapper(d.columns, d.nRows);
  const par = await createParallelBuilder(mapper, d, 2, 6);
  try {
    assert.ok(par.findSplitPair);
    const gh = new Float32Array(2 * d.nRows).map((_, i) => (i % 2 ? 0.25 : Math.sin(i)));
    par.gh.set(gh);
    const half = d.nRows >> 1;
    for (let i = 0; i < d.nRows; i++) par.rows[i] = i;
    const [a, b] = [par.pool.acquire(), par.pool.acquire()];
    par.build(0, half, a);
    par.build(half, d.nRows, b);
    const sums = (s: number, e: number) => {
      let G = 0, H = 0;
      for (let i = s; i < e; i++) (G += gh[2 * i]), (H += gh[2 * i + 1]);
      return [G, H];
    };
    const [aG, aH] = sums(0, half), [bG, bH] = sums(half, d.nRows);
    const mask = new Uint8Array(d.columns.length).map((_, f) => (f % 3 === 0 ? 0 : 1));
    for (const m of [null, mask]) {
      for (
        const p of [
          { lambda: 1, alpha: 0, minChildWeight: 1, gamma: 0 },
          { lambda: 0.5, alpha: 0.3, minChildWeight: 5, gamma: 0.1 },
        ]
      ) {
        const [ga, gb, wa, wb] = [
          new SplitInfo(),
          new SplitInfo(),
          new SplitInfo(),
          new SplitInfo(),
        ];
        par.findSplitPair(a, aG, aH, b, bG, bH, m, p, ga, gb);
        findBestSplit(par.pool.view(a), par.matrix.featBinStart, m, aG, aH, p, wa);
        findBestSplit(par.pool.view(b), par.matrix.featBinStart, m, bG, bH, p, wb);
        assert.deepEqual([ga, gb], [wa, wb]);
        assert.ok(wb.feature >= 0);
      }
    }
  } finally {
    par.close();
  }
});

Deno.test("serial builder on the wasm kernels: the same histograms as on the JS kernels", () => {
  const mapper = fitBinMapper(d.columns, d.nRows);
  const gh = new Float32Array(2 * d.nRows).map((_, i) => Math.cos(i) * (i % 2 ? 0.5 : 1));
  const run = (b: HistogramBuilder) => {
    let m = 0;
    for (let i = 0; i < d.nRows; i++) if (i % 4 !== 1) b.rows[m++] = i;
    return exercise(b, gh, m);
  };
  for (const maxBlockBins of [undefined, 1000]) {
    const opts = { maxBlockBins };
    const wasm = createSerialBuilder(
      (alloc) => buildBinnedMatrix(mapper, d.columns, d.nRows, { ...opts, alloc }),
      6,
    );
    const js = new SerialHistogramBuilder(buildBinnedMatrix(mapper, d.columns, d.nRows, opts), 6);
    assert.deepEqual(run(wasm), run(js));
  }
});
