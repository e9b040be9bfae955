import assert from "node:assert/strict";
import type { GbdtModel, Tree } from "./model.ts";
import { DEFAULT_PARAMS, train } from "./booster.ts";
import { featureImportance, featureImportanceArray, rankFeatures } from "./importance.ts";
import { makeClassification } from "./synthetic.ts";

// Tree: root splits f1 (gain 10, cover 8); left child splits f0 (gain 2, cover 5).
const t1: Tree = {
  left: Int32Array.from([1, 3, -1, -1, -1]),
  right: Int32Array.from([2, 4, -1, -1, -1]),
  feature: Int32Array.from([1, 0, 0, 0, 0]),
  threshold: Float32Array.from([0, 0, 0, 0, 0]),
  defaultLeft: new Uint8Array(5),
  value: new Float32Array(5),
  gain: Float32Array.from([10, 2, 0, 0, 0]),
  cover: Float32Array.from([8, 5, 3, 2, 3]),
};
// Second tree: root splits f1 (gain 4, cover 6).
const t2: Tree = {
  left: Int32Array.from([1, -1, -1]),
  right: Int32Array.from([2, -1, -1]),
  feature: Int32Array.from([1, 0, 0]),
  threshold: new Float32Array(3),
  defaultLeft: new Uint8Array(3),
  value: new Float32Array(3),
  gain: Float32Array.from([4, 0, 0]),
  cover: Float32Array.from([6, 3, 3]),
};
const model: GbdtModel = {
  featureNames: ["f0", "f1", "unused"],
  trees: [t1, t2],
  baseScore: 0.5,
  bestIteration: 1,
  params: { ...DEFAULT_PARAMS },
};

Deno.test("importance: XGBoost get_score semantics by hand", () => {
  assert.deepEqual(featureImportance(model, "weight"), { f0: 1, f1: 2 });
  assert.deepEqual(featureImportance(model, "total_gain"), { f0: 2, f1: 14 });
  assert.deepEqual(featureImportance(model, "gain"), { f0: 2, f1: 7 });
  assert.deepEqual(featureImportance(model, "total_cover"), { f0: 5, f1: 14 });
  assert.deepEqual(featureImportance(model, "cover"), { f0: 5, f1: 7 });
  assert.deepEqual(featureImportance(model), { f0: 2, f1: 7 });
  assert.deepEqual(featureImportance(model, "gain", { normalize: true }), { f0: 2 / 9, f1: 7 / 9 });
  assert.deepEqual(featureImportance(model, "gain", { includeZero: true }), {
    f0: 2,
    f1: 7,
    unused: 0,
  });
  assert.deepEqual(featureImportance(model, "weight", { nTrees: 1 }), { f0: 1, f1: 1 });
  assert.deepEqual([...featureImportanceArray(model, "total_gain")], [2, 14, 0]);
  assert.deepEqual(rankFeatures(model).map((r) => r.name), ["f1", "f0", "unused"]);
  assert.throws(() => featureImportance(model, "bogus" as never), /unknown importance type/);
});

Deno.test("importance: informative features rank first on synthetic data", async () => {
  // Signal sits in f0..f2 (see synthetic.ts); 20 noise features follow.
  const d = makeClassification({
    nRows: 4000,
    nFeatures: 23,
    nInformative: 3,
    positiveRate: 0.2,
    seed: 4,
  });
  const { model } = await train(d, { n_estimators: 20, max_depth: 4 });
  const top = rankFeatures(model, "total_gain").slice(0, 3).map((r) => r.name).sort();
  assert.deepEqual(top, ["f0", "f1", "f2"]);
});
