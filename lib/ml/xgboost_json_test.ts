import assert from "node:assert/strict";
import {
  formatFloat32,
  fromXgboostJson,
  stringifyXgboostJson,
  toXgboostJson,
} from "./xgboost_json.ts";
import { makeTree, randomModel, randomRows, refProba } from "./testdata/hand_models.ts";
import { fixtureText, loadFixture } from "./testdata/fixtures.ts";
import type { GbdtModel } from "./model.ts";

function assertSameTrees(a: GbdtModel, b: GbdtModel, nTrees: number) {
  assert.equal(b.trees.length, nTrees);
  for (let t = 0; t < nTrees; t++) {
    const x = a.trees[t], y = b.trees[t];
    for (const key of ["left", "right", "defaultLeft", "value", "cover"] as const) {
      assert.deepEqual(y[key], x[key], `tree ${t} ${key}`);
    }
    for (let i = 0; i < x.left.length; i++) {
      if (x.left[i] === -1) continue; // leaves carry no feature/threshold/gain
      assert.equal(y.feature[i], x.feature[i]);
      assert.equal(y.threshold[i], x.threshold[i]);
      assert.equal(y.gain[i], x.gain[i]);
    }
  }
}

Deno.test("xgboost json: round trip keeps trees, names, base score and params", () => {
  const model = randomModel(7, 5, 9);
  const back = fromXgboostJson(stringifyXgboostJson(toXgboostJson(model)));
  assertSameTrees(model, back, 9);
  assert.deepEqual(back.featureNames, model.featureNames);
  assert.equal(back.baseScore, model.baseScore);
  assert.equal(back.bestIteration, 8);
  assert.deepEqual(back.params, model.params);
  const rows = randomRows(8, model, 300);
  for (let i = 0; i < 300; i++) {
    const row = rows.subarray(i * 5, i * 5 + 5);
    assert.equal(refProba(back, row), refProba(model, row));
  }
});

Deno.test("xgboost json: early stopping exports trees up to bestIteration only", () => {
  const model = randomModel(9, 4, 10, 6);
  model.params.early_stopping_rounds = 3;
  const doc = toXgboostJson(model);
  assert.equal(doc.learner.gradient_booster.model.trees.length, 7);
  assert.equal(doc.learner.attributes.best_iteration, "6");
  assert.equal(doc.learner.attributes.best_ntree_limit, "7");
  const back = fromXgboostJson(doc);
  assert.equal(back.bestIteration, 6);
  assertSameTrees(model, back, 7);
});

Deno.test("xgboost json: schema details XGBoost 1.7 checks on load", () => {
  const tree = makeTree([1, -1, -1], [2, -1, -1], [1, 0, 0], [2, 0, 0], [1, 0, 0], [0.5, -1, 1], [
    3,
    0,
    0,
  ], [10, 6, 4]);
  const model: GbdtModel = { ...randomModel(1, 2, 1), trees: [tree], baseScore: 0.5 };
  const doc = toXgboostJson(model);
  const t = doc.learner.gradient_booster.model.trees[0];
  assert.deepEqual(t.parents, [2147483647, 0, 0]);
  assert.deepEqual(t.split_conditions, [2, -1, 1]); // leaves hold their value here
  assert.deepEqual(t.split_indices, [1, 0, 0]);
  assert.deepEqual(t.tree_param, {
    num_deleted: "0",
    num_feature: "2",
    num_nodes: "3",
    size_leaf_vector: "0",
  });
  assert.equal(doc.learner.learner_model_param.num_feature, "2");
  assert.equal(doc.learner.objective.name, "binary:logistic");
  const text = stringifyXgboostJson(doc);
  assert.ok(text.includes('"split_conditions":[2.0,-1.0,1.0]'), "floats keep a decimal point");
  assert.ok(text.includes('"left_children":[1,-1,-1]'), "ints stay ints");
  assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(doc)));
});

Deno.test("xgboost json: formatFloat32 is the shortest float32 round trip", () => {
  assert.equal(formatFloat32(0), "0.0");
  assert.equal(formatFloat32(-0), "-0.0");
  assert.equal(formatFloat32(1), "1.0");
  assert.equal(formatFloat32(Math.fround(0.1)), "0.1");
  assert.equal(formatFloat32(1e-7), "1.0e-7");
  assert.equal(formatFloat32(-2.5e21), "-2.5e+21");
  for (const v of [Math.fround(Math.PI), Math.fround(-1 / 3), 3.4028234663852886e38, 1.4e-45]) {
    assert.equal(Math.fround(Number(formatFloat32(v))), Math.fround(v));
  }
  assert.throws(() => formatFloat32(Number.NaN), /cannot write/);
});

Deno.test("xgboost json: imports XGBoost 1.7's own saved model (fixture)", async () => {
  const fx = await loadFixture("synthetic");
  const model = fromXgboostJson(await fixtureText(fx.expected.model));
  assert.equal(model.trees.length, fx.expected.num_boost_round);
  assert.deepEqual(model.featureNames, fx.train.featureNames);
  assert.equal(model.baseScore, 0.5);
  const nF = model.featureNames.length;
  let worst = 0;
  fx.expected.test_proba.forEach((p, i) => {
    worst = Math.max(
      worst,
      Math.abs(refProba(model, fx.testRows.subarray(i * nF, (i + 1) * nF)) - p),
    );
  });
  assert.ok(worst <= 1e-6, `max diff ${worst}`);
});

Deno.test("xgboost json: rejects what it cannot represent", () => {
  const doc = () => JSON.parse(stringifyXgboostJson(toXgboostJson(randomModel(3, 3, 2))));
  assert.throws(() => fromXgboostJson("{"), /not valid JSON/);
  assert.throws(() => fromXgboostJson({}), /field "learner" missing/);
  const obj = doc();
  obj.learner.objective.name = "reg:squarederror";
  assert.throws(() => fromXgboostJson(obj), /unsupported objective/);
  const cat = doc();
  cat.learner.gradient_booster.model.trees[0].split_type[0] = 1;
  assert.throws(() => fromXgboostJson(cat), /categorical/);
  const bad = doc();
  bad.learner.gradient_booster.model.trees[1].split_indices[0] = 99;
  assert.throws(() => fromXgboostJson(bad), /tree 1 node 0: feature 99 out of range/);
  const short = doc();
  short.learner.gradient_booster.model.trees[0].default_left.pop();
  assert.throws(() => fromXgboostJson(short), /default_left has/);
  assert.throws(() => toXgboostJson({ ...randomModel(1), baseScore: 0 }), /baseScore/);
});
