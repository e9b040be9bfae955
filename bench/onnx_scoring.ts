/**
 * onnxruntime-web scoring figures: session creation, single-row latency (median / p99) and batch
 * throughput, each against the pure-TS predictor measured in the same run (the reference).
 *
 *     deno run -A bench/onnx_scoring.ts [nTrees=100] [depth=6]
 *
 * The model is trained by our booster on the synthetic conformance fixture (20 features).
 */
import { OnnxScorer, predictProba, predictProbaColumns, toOnnx, train } from "../lib/ml/mod.ts";
import { loadFixture } from "../lib/ml/testdata/fixtures.ts";

const nTrees = Number(Deno.args[0] ?? 100), depth = Number(Deno.args[1] ?? 6);
const fx = await loadFixture("synthetic");
const { model } = await train(fx.train, {
  n_estimators: nTrees,
  max_depth: depth,
  learning_rate: 0.1,
  n_threads: 1,
});
const bytes = toOnnx(model);
const nF = model.featureNames.length, nRows = fx.test.nRows;

const quantiles = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p99: q(0.99), max: s[s.length - 1] };
};
const ms = (x: number) => `${x.toFixed(4)} ms`;

let t0 = performance.now();
const scorer = await OnnxScorer.create(bytes);
const firstCreate = performance.now() - t0;
t0 = performance.now();
const second = await OnnxScorer.create(bytes);
const secondCreate = performance.now() - t0;
await second.release();
t0 = performance.now();
await scorer.warmup(200);
const warmup = performance.now() - t0;

const N = 5000;
const ortTimes: number[] = [], tsTimes: number[] = [];
for (let k = 0; k < N; k++) {
  const i = k % nRows;
  const row = fx.testRows.subarray(i * nF, (i + 1) * nF);
  let t = performance.now();
  await scorer.score(row);
  ortTimes.push(performance.now() - t);
  t = performance.now();
  predictProba(model, row);
  tsTimes.push(performance.now() - t);
}
const ort = quantiles(ortTimes), ts = quantiles(tsTimes);

const REPS = 20;
t0 = performance.now();
for (let r = 0; r < REPS; r++) await scorer.scoreBatch(fx.testRows, nRows);
const ortBatch = (REPS * nRows) / ((performance.now() - t0) / 1000);
t0 = performance.now();
for (let r = 0; r < REPS; r++) predictProbaColumns(model, fx.test.columns, nRows);
const tsBatch = (REPS * nRows) / ((performance.now() - t0) / 1000);
await scorer.release();

console.log(
  `model: ${model.trees.length} trees, depth ${depth}, ${nF} features, ${bytes.length} B ONNX`,
);
console.log(
  `session create: first ${ms(firstCreate)} (incl. WASM init), second ${ms(secondCreate)}`,
);
console.log(`warmup(200): ${ms(warmup)}`);
console.log(`single row ORT : median ${ms(ort.median)}  p99 ${ms(ort.p99)}  max ${ms(ort.max)}`);
console.log(`single row TS  : median ${ms(ts.median)}  p99 ${ms(ts.p99)}  max ${ms(ts.max)}`);
console.log(
  `ratio ORT/TS   : median ${(ort.median / ts.median).toFixed(1)}x  p99 ${
    (ort.p99 / ts.p99).toFixed(1)
  }x`,
);
console.log(
  `batch ${nRows} rows: ORT ${Math.round(ortBatch)} rows/s, TS ${
    Math.round(tsBatch)
  } rows/s (ratio ${(ortBatch / tsBatch).toFixed(2)})`,
);
