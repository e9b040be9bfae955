/**
 * Per-row TreeSHAP explanation time (`lib/ml/tree_shap.ts`) at the simulation's model size,
 * against the pure-TS predictor's per-row time measured in the same run (the reference).
 *
 *     deno run -A bench/explain.ts [nFeatures=100] [nTrees=200] [depth=5] [rows=3000]
 *
 * The model is trained by our booster on generated data (30 % missing, 10 % positives) with
 * `min_child_weight` 0.1 so the trees grow close to full depth; rows are the training rows
 * (missing values included). Target from issue 12: ≤ 2 ms per row.
 */
import { makeClassification, predictMargin, train, TreeExplainer } from "../lib/ml/mod.ts";

const [nF, nTrees, depth, nRows] = [100, 200, 5, 3000].map((d, i) => Number(Deno.args[i] ?? d));
const data = makeClassification({
  nRows: Math.max(nRows, 10_000),
  nFeatures: nF,
  missingRate: 0.3,
  positiveRate: 0.1,
  nInformative: 20,
  signal: 1,
  seed: 5,
});
let t0 = performance.now();
const { model } = await train(data, {
  n_estimators: nTrees,
  max_depth: depth,
  learning_rate: 0.1,
  min_child_weight: 0.1,
  n_threads: 1,
});
const trainS = (performance.now() - t0) / 1000;
let leaves = 0;
for (const t of model.trees) for (let i = 0; i < t.left.length; i++) if (t.left[i] === -1) leaves++;

t0 = performance.now();
const explainer = new TreeExplainer(model);
const prepareMs = performance.now() - t0;

const rows: Float32Array[] = [];
for (let i = 0; i < nRows; i++) rows.push(Float32Array.from(data.columns, (c) => c[i]));
const phi = new Float64Array(nF);
// JIT warm-up on a few hundred rows (the simulation explains thousands of rows per run).
for (let i = 0; i < 300; i++) explainer.explain(rows[i % nRows], phi);

const shapTimes: number[] = [], predTimes: number[] = [];
let sink = 0;
for (let i = 0; i < nRows; i++) {
  const row = rows[i];
  let t = performance.now();
  explainer.explain(row, phi);
  shapTimes.push(performance.now() - t);
  sink += phi[0];
  t = performance.now();
  sink += predictMargin(model, row);
  predTimes.push(performance.now() - t);
}
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { mean: xs.reduce((a, b) => a + b, 0) / xs.length, median: q(0.5), p99: q(0.99) };
};
const shap = stats(shapTimes), pred = stats(predTimes);
const f = (x: number) => `${x.toFixed(4)} ms`;
console.log(
  `model: ${nF} features, ${model.trees.length} trees, depth ${depth}, ${
    (leaves / model.trees.length).toFixed(1)
  } leaves/tree (trained in ${trainS.toFixed(1)} s); explainer built in ${prepareMs.toFixed(1)} ms`,
);
console.log(`rows: ${nRows} (after 300 warm-up), load ${Deno.loadavg().map((x) => x.toFixed(2))}`);
console.log(
  `TreeSHAP per row:  mean ${f(shap.mean)}  median ${f(shap.median)}  p99 ${f(shap.p99)}`,
);
console.log(
  `predictor per row: mean ${f(pred.mean)}  median ${f(pred.median)}  p99 ${f(pred.p99)}`,
);
console.log(
  `ratio (mean): TreeSHAP = ${(shap.mean / pred.mean).toFixed(0)}× the predictor; ` +
    `target ≤ 2 ms per row: ${shap.mean <= 2 ? "met" : "NOT met"} (checksum ${sink.toFixed(3)})`,
);
