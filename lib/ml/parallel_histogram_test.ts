import assert from "node:assert/strict";
import { train } from "./booster.ts";
import { makeClassification } from "./synthetic.ts";
import { fitBinMapper } from "./binning.ts";
import { createParallelBuilder } from "./parallel_histogram.ts";
import { buildBinnedMatrix } from "./binned_matrix.ts";
import { gatherGradients, SerialHistogramBuilder } from "./histogram.ts";

const d = makeClassification({ nRows: 20000, nFeatures: 24, missingRate: 0.5, seed: 8 });

Deno.test("parallel histograms: bit-identical to the serial builder", async () => {
  const mapper = fitBinMapper(d.columns, d.nRows);
  const par = await createParallelBuilder(mapper, d, 3, 6);
  const ser = new SerialHistogramBuilder(buildBinnedMatrix(mapper, d.columns, d.nRows), 6);
  try {
    const gh = new Float32Array(2 * d.nRows).map((_, i) => Math.sin(i) * (i % 2 ? 0.25 : 1));
    // A scattered subset of rows, like a node deep in a tree.
    let m = 0;
    for (let i = 0; i < d.nRows; i++) if (i % 3 !== 1) par.rows[m] = ser.rows[m++] = i;
    for (const b of [par, ser]) gatherGradients(gh, b.rows, 0, m, b.ogh);
    const tp = par.pool.acquire(), ts = ser.pool.acquire();
    par.pool.view(tp).fill(7); // stale contents must be cleared
    par.build(0, m, tp);
    ser.build(0, m, ts);
    assert.deepEqual(par.pool.view(tp), ser.pool.view(ts));
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
