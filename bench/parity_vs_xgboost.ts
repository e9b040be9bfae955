/**
 * Semantic parity check against XGBoost 1.7.4: on data whose features have fewer than 256
 * distinct values (so both libraries use every distinct value as a cut), our trainer must grow
 * the same trees as XGBoost's `hist` and give the same margins (up to float32 rounding).
 *
 *   deno run -A bench/parity_vs_xgboost.ts
 */

import { makeClassification, predictMarginColumns, resolveParams, train } from "../lib/ml/mod.ts";

const script = new URL("../scripts/xgb_parity.py", import.meta.url).pathname;
const cases = [
  { n_estimators: 10, max_depth: 4 },
  {
    n_estimators: 20,
    max_depth: 5,
    learning_rate: 0.1,
    reg_alpha: 0.5,
    reg_lambda: 3,
    min_child_weight: 5,
    gamma: 0.5,
    scale_pos_weight: 4,
  },
];
const d = makeClassification({ nRows: 3000, nFeatures: 6, positiveRate: 0.2, seed: 5 });
for (const c of d.columns) {
  for (let i = 0; i < c.length; i++) if (c[i] === c[i]) c[i] = Math.round(c[i] * 8) / 8;
}
const csv = await Deno.makeTempFile({ suffix: ".csv" });
const lines = ["y," + d.featureNames.join(",")];
for (let i = 0; i < d.nRows; i++) {
  lines.push(d.labels[i] + "," + d.columns.map((c) => (Number.isNaN(c[i]) ? "" : c[i])).join(","));
}
await Deno.writeTextFile(csv, lines.join("\n"));
let ok = true;
for (const params of cases) {
  const { model } = await train(d, params);
  const ours = predictMarginColumns(model, d.columns, d.nRows);
  const out = await new Deno.Command("/usr/bin/python3", {
    args: [script, csv, JSON.stringify(resolveParams(params))],
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  const xgb = JSON.parse(new TextDecoder().decode(out.stdout));
  let maxDiff = 0;
  for (let i = 0; i < d.nRows; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i] - xgb.margin[i]));
  const sameShape = JSON.stringify(model.trees.map((t) => t.left.length)) ===
    JSON.stringify(xgb.nodes);
  ok &&= sameShape && maxDiff < 1e-5;
  console.log(
    `${JSON.stringify(params)}\n  same tree sizes: ${sameShape}, max |margin diff| ${
      maxDiff.toExponential(2)
    }`,
  );
}
await Deno.remove(csv);
console.log(ok ? "PARITY OK" : "PARITY MISMATCH");
if (!ok) Deno.exit(1);
