import assert from "node:assert/strict";
import type { GbdtModel, Tree } from "./model.ts";
import { DEFAULT_PARAMS, train } from "./booster.ts";
import {
  predictMargin,
  predictMarginColumns,
  predictProba,
  predictProbaColumns,
  sigmoid,
} from "./predictor.ts";
import { makeClassification } from "./synthetic.ts";

function stump(f: number, thr: number, dl: number, lv: number, rv: number): Tree {
  return {
    left: Int32Array.from([1, -1, -1]),
    right: Int32Array.from([2, -1, -1]),
    feature: Int32Array.from([f, 0, 0]),
    threshold: Float32Array.from([thr, 0, 0]),
    defaultLeft: Uint8Array.from([dl, 0, 0]),
    value: Float32Array.from([0, lv, rv]),
    gain: Float32Array.from([1, 0, 0]),
    cover: Float32Array.from([2, 1, 1]),
  };
}

const model: GbdtModel = {
  featureNames: ["a", "b"],
  trees: [stump(0, 1, 1, -0.5, 0.5), stump(1, 0, 0, 0.25, -0.25)],
  baseScore: 0.5,
  bestIteration: 1,
  params: { ...DEFAULT_PARAMS },
};

Deno.test("predictor: hand-made trees, split semantics x < t and NaN default", () => {
  assert.equal(predictMargin(model, [0.5, 1]), -0.5 - 0.25);
  assert.equal(predictMargin(model, [1, -1]), 0.5 + 0.25); // 1 < 1 is false → right
  assert.equal(predictMargin(model, [NaN, NaN]), -0.5 - 0.25); // default left / right
  assert.equal(predictMargin(model, [2, 1], 1), 0.5);
  assert.equal(predictProba(model, [0.5, 1]), sigmoid(-0.75));
  assert.equal(predictMargin({ ...model, bestIteration: 0 }, [2, -1]), 0.5);
  assert.equal(predictMargin({ ...model, baseScore: 0.25 }, [2, -1]), Math.log(1 / 3) + 0.75);
  assert.throws(() => predictMargin(model, [1]), /1 values but the model has 2 features/);
  assert.throws(() => predictProbaColumns(model, [new Float32Array(1)], 1), /1 columns/);
});

Deno.test("predictor: batch equals single-row prediction on a trained model", async () => {
  const d = makeClassification({ nRows: 2000, nFeatures: 12, missingRate: 0.4, seed: 9 });
  const { model } = await train(d, { n_estimators: 20 });
  const batch = predictProbaColumns(model, d.columns, d.nRows);
  const margins = predictMarginColumns(model, d.columns, d.nRows, 7);
  const row = new Float64Array(12);
  for (let i = 0; i < d.nRows; i++) {
    for (let f = 0; f < 12; f++) row[f] = d.columns[f][i];
    assert.equal(batch[i], predictProba(model, row));
    assert.equal(margins[i], predictMargin(model, row, 7));
  }
});
