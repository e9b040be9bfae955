/**
 * Conformance with XGBoost 1.7.4 and onnxruntime, on fixtures from `scripts/make_fixtures.py`:
 *  (i)   our trainer at XGBoost's params reaches XGBoost's test AUC / logloss (within tolerance);
 *  (ii)  Python XGBoost loading our exported JSON predicts what our predictor predicts;
 *  (iii) onnxruntime-web on our ONNX export predicts what our predictor predicts;
 *  (iv)  fromXgboostJson(toXgboostJson(m)) predicts identically;
 *  (v)   importing XGBoost's own saved models reproduces XGBoost's predictions.
 * (ii) needs `/usr/bin/python3` with xgboost; without it that test is declared ignored (visible
 * in the summary) with a message.
 */
import assert from "node:assert/strict";
import { train } from "./booster.ts";
import { aucRoc, logLoss } from "./metrics.ts";
import type { BoosterParams, GbdtModel } from "./model.ts";
import { toOnnx } from "./onnx_export.ts";
import { OnnxScorer } from "./onnx_session.ts";
import { predictProbaColumns } from "./predictor.ts";
import { fromXgboostJson, stringifyXgboostJson, toXgboostJson } from "./xgboost_json.ts";
import {
  type Fixture,
  fixtureText,
  loadFixture,
  pythonXgboostAvailable,
  xgbPredict,
} from "./testdata/fixtures.ts";

/** Max |a − b| over two equal-length arrays. */
function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** Our params equal to the fixture's XGBoost params. */
function paramsOf(xgb: Record<string, number | string>, rounds: number): Partial<BoosterParams> {
  return {
    n_estimators: rounds,
    max_depth: Number(xgb.max_depth),
    learning_rate: Number(xgb.eta),
    max_bin: Number(xgb.max_bin),
    base_score: Number(xgb.base_score),
    min_child_weight: Number(xgb.min_child_weight),
    reg_lambda: Number(xgb.lambda),
    reg_alpha: Number(xgb.alpha),
    gamma: Number(xgb.gamma),
    subsample: Number(xgb.subsample),
    colsample_bytree: Number(xgb.colsample_bytree),
    scale_pos_weight: 1,
    seed: 0,
    n_threads: 1,
    early_stopping_rounds: 0,
  };
}

const fixtures = new Map<string, Promise<Fixture>>();
const fixture = (name: string) => {
  if (!fixtures.has(name)) fixtures.set(name, loadFixture(name));
  return fixtures.get(name)!;
};

/** Our models, trained once per fixture and shared by the tests below. */
const trainedModels = new Map<string, Promise<GbdtModel>>();
function trained(name: string, earlyStopping = false): Promise<GbdtModel> {
  const key = `${name}:${earlyStopping}`;
  if (!trainedModels.has(key)) {
    trainedModels.set(
      key,
      fixture(name).then(async (fx) => {
        const es = fx.expected.early_stopping;
        if (earlyStopping && !es) throw new Error(`${name} has no early-stopping fixture`);
        const params = earlyStopping
          ? { ...paramsOf(es!.params, 500), early_stopping_rounds: 5 }
          : paramsOf(fx.expected.params, fx.expected.num_boost_round);
        const evalSets = earlyStopping ? [{ name: "test", data: fx.test }] : [];
        const { model } = await train(fx.train, params, { evalSets, evalMetrics: ["logloss"] });
        return model;
      }),
    );
  }
  return trainedModels.get(key)!;
}

/** The models each export check runs on: ours (trained) and XGBoost's (imported). */
async function modelsUnderTest(): Promise<{ label: string; model: GbdtModel; fx: Fixture }[]> {
  const out = [];
  for (const name of ["synthetic", "bosch700"]) {
    const fx = await fixture(name);
    out.push({ label: `${name}: ours`, model: await trained(name), fx });
    out.push({
      label: `${name}: xgboost`,
      model: fromXgboostJson(await fixtureText(fx.expected.model)),
      fx,
    });
  }
  const syn = await fixture("synthetic");
  out.push({
    label: "synthetic: ours, early stopping",
    model: await trained("synthetic", true),
    fx: syn,
  });
  out.push({
    label: "synthetic: xgboost, early stopping",
    model: fromXgboostJson(await fixtureText(syn.expected.early_stopping!.model)),
    fx: syn,
  });
  return out;
}

const ours = (model: GbdtModel, fx: Fixture) =>
  predictProbaColumns(model, fx.test.columns, fx.test.nRows);

// Tolerances for (i), from what differs between the two trainers. Both are histogram GBDTs
// with XGBoost's split rule, but their quantile cuts differ when a feature has more distinct
// values than max_bin, so trees (from the first root split on) can differ.
// synthetic (1,000 test rows, 54 positives; AUC standard error ≈ 0.03): different cuts move the
// test AUC by ~0.02 (measured: ours 0.856 vs XGBoost 0.838, ours scanning a cut set that lacks
// XGBoost's root threshold), so AUC ±0.025 and logloss ±0.01 (≈ 6 % of 0.16).
// bosch700: every feature has fewer distinct values than max_bin, so both trainers use every
// value as a cut and grow the same trees: only float summation order differs, hence tight
// tolerances. (Its test set holds ONE failure of the 3 in the 700 rows, so its AUC is the rank
// of one row: an exactness check here, not a quality measure.)
const TOL = {
  synthetic: { auc: 0.025, logloss: 0.01, trainLogloss: 0.01 },
  bosch700: { auc: 0.01, logloss: 1e-4, trainLogloss: 1e-4 },
} as const;

for (const name of ["synthetic", "bosch700"] as const) {
  Deno.test(`conformance (i): trainer vs XGBoost 1.7.4 metrics on ${name}`, async () => {
    const fx = await fixture(name);
    const model = await trained(name);
    const pTest = ours(model, fx);
    const pTrain = predictProbaColumns(model, fx.train.columns, fx.train.nRows);
    const got = {
      auc: aucRoc(fx.test.labels, pTest),
      logloss: logLoss(fx.test.labels, pTest),
      trainLogloss: logLoss(fx.train.labels, pTrain),
    };
    const want = {
      auc: fx.expected.test_auc,
      logloss: fx.expected.test_logloss,
      trainLogloss: fx.expected.train_logloss,
    };
    console.log(`${name}: ours ${JSON.stringify(got)} xgboost ${JSON.stringify(want)}`);
    for (const k of ["auc", "logloss", "trainLogloss"] as const) {
      assert.ok(
        Math.abs(got[k] - want[k]) <= TOL[name][k],
        `${name} ${k}: ours ${got[k]} vs xgboost ${want[k]} (tol ${TOL[name][k]})`,
      );
    }
  });
}

const xgboostAvailable = await pythonXgboostAvailable();
if (!xgboostAvailable) {
  console.warn(
    "conformance (ii) ignored: /usr/bin/python3 cannot import xgboost " +
      "(apt install python3-xgboost)",
  );
}

Deno.test({
  name: "conformance (ii): Python XGBoost on our JSON export equals our predictor",
  ignore: !xgboostAvailable,
}, async () => {
  for (const { label, model, fx } of await modelsUnderTest()) {
    const text = stringifyXgboostJson(toXgboostJson(model));
    const res = await xgbPredict(text, model.featureNames, fx.testRows);
    const diff = maxAbsDiff(res.proba, ours(model, fx));
    console.log(`(ii) ${label}: xgboost ${res.xgboost} max |Δp| = ${diff.toExponential(2)}`);
    assert.ok(diff <= 1e-6, `${label}: max diff ${diff}`);
  }
});

Deno.test("conformance (iii): onnxruntime-web on our ONNX export equals our predictor", async () => {
  for (const { label, model, fx } of await modelsUnderTest()) {
    const scorer = await OnnxScorer.create(toOnnx(model));
    try {
      const probs = await scorer.scoreBatch(fx.testRows, fx.test.nRows);
      const diff = maxAbsDiff(probs, ours(model, fx));
      console.log(`(iii) ${label}: max |Δp| = ${diff.toExponential(2)}`);
      assert.ok(diff <= 1e-6, `${label}: max diff ${diff}`);
    } finally {
      await scorer.release();
    }
  }
});

Deno.test("conformance (iv): fromXgboostJson(toXgboostJson(m)) predicts identically", async () => {
  for (const { label, model, fx } of await modelsUnderTest()) {
    const back = fromXgboostJson(stringifyXgboostJson(toXgboostJson(model)));
    assert.deepEqual(ours(back, fx), ours(model, fx), label);
  }
});

Deno.test("conformance (v): XGBoost's own saved models reproduce its predictions", async () => {
  for (const name of ["synthetic", "bosch700"]) {
    const fx = await fixture(name);
    const cases = [{ file: fx.expected.model, want: fx.expected.test_proba, best: -1 }];
    const es = fx.expected.early_stopping;
    if (es) cases.push({ file: es.model, want: es.test_proba, best: es.best_iteration });
    for (const { file, want, best } of cases) {
      const model = fromXgboostJson(await fixtureText(file));
      if (best >= 0) assert.equal(model.bestIteration, best);
      const diff = maxAbsDiff(ours(model, fx), want);
      console.log(`(v) ${file}: max |Δp| = ${diff.toExponential(2)}`);
      assert.ok(diff <= 1e-6, `${file}: max diff ${diff}`);
    }
  }
});
