import assert from "node:assert/strict";
import { DEFAULT_PARAMS, train } from "./booster.ts";
import type { TrainData } from "./model.ts";
import { predictProba, predictProbaColumns } from "./predictor.ts";
import { makeClassification, sliceRows } from "./synthetic.ts";
import { confusionMatrix, recall } from "./metrics.ts";

function tiny(labels: number[], cols: number[][]): TrainData {
  return {
    nRows: labels.length,
    featureNames: cols.map((_, i) => `x${i}`),
    columns: cols.map((c) => Float32Array.from(c)),
    labels: Uint8Array.from(labels),
  };
}

Deno.test("train: DEFAULT_PARAMS are XGBoost's defaults", () => {
  assert.deepEqual({ ...DEFAULT_PARAMS }, {
    n_estimators: 100,
    max_depth: 6,
    learning_rate: 0.3,
    min_child_weight: 1,
    reg_lambda: 1,
    reg_alpha: 0,
    gamma: 0,
    subsample: 1,
    colsample_bytree: 1,
    scale_pos_weight: 1,
    max_bin: 256,
    base_score: 0.5,
    seed: 0,
    early_stopping_rounds: 0,
    n_threads: 1,
  });
});

Deno.test("train: clear errors for bad input", async () => {
  const ok = tiny([0, 1, 0, 1], [[1, 2, 3, 4]]);
  await assert.rejects(
    () => train({ ...ok, nRows: 0, labels: new Uint8Array(0), columns: [new Float32Array(0)] }),
    /empty/,
  );
  await assert.rejects(
    () => train({ ...ok, labels: Uint8Array.from([1, 1, 1, 1]) }),
    /only class 1/,
  );
  await assert.rejects(
    () => train({ ...ok, labels: Uint8Array.from([0, 0, 0, 0]) }),
    /only class 0/,
  );
  await assert.rejects(
    () => train({ ...ok, labels: Uint8Array.from([0, 1, 0]) }),
    /3 labels for 4 rows/,
  );
  await assert.rejects(
    () => train({ ...ok, labels: Uint8Array.from([0, 1, 0, 2]) }),
    /labels must be 0 or 1/,
  );
  await assert.rejects(
    () => train({ ...ok, labels: Float32Array.from([0, 1, NaN, 1]) as unknown as Uint8Array }),
    /label of row 2 is NaN/,
  );
  await assert.rejects(
    () => train({ ...ok, columns: [Float32Array.from([1, 2, 3])] }),
    /has 3 values, expected nRows = 4/,
  );
  await assert.rejects(
    () => train({ ...ok, featureNames: ["a", "b"] }),
    /2 feature names for 1 columns/,
  );
  await assert.rejects(
    () => train({ ...ok, weights: Float32Array.from([1, NaN, 1, 1]) }),
    /weight of row 1/,
  );
  await assert.rejects(() => train(ok, { max_depth: 0 }), /max_depth/);
  await assert.rejects(() => train(ok, { subsample: 0 }), /subsample/);
  await assert.rejects(() => train(ok, { eta: 0.1 } as never), /unknown parameter "eta"/);
  await assert.rejects(
    () => train(ok, { early_stopping_rounds: 5 }),
    /needs at least one eval set/,
  );
  await assert.rejects(
    () => train(ok, {}, { evalSets: [{ name: "v", data: tiny([0, 1], [[1, 2], [3, 4]]) }] }),
    /2 features but the training data has 1/,
  );
  await assert.rejects(() => train(tiny([0, 1], [[1, Infinity]])), /Infinity/);
});

Deno.test("train: a one-split stump on a toy set matches the hand computation", async () => {
  // x < 2.5 → class 0, else class 1. Root at margin 0: p = 0.5, g = p − y = ±0.5, h = 0.25.
  // Left: 3 negatives G = 1.5, H = 0.75 → w = −1.5/(0.75 + 1) = −0.857142…; right mirrors.
  const d = tiny([0, 0, 0, 1, 1, 1], [[1, 2, 2, 3, 4, 4]]);
  const { model } = await train(d, {
    n_estimators: 1,
    max_depth: 1,
    learning_rate: 1,
    min_child_weight: 0,
  });
  const t = model.trees[0];
  assert.equal(t.feature[0], 0);
  assert.equal(t.threshold[0], 3); // cut = first value of the right bin
  assert.ok(Math.abs(t.value[1] - -1.5 / 1.75) < 1e-6);
  assert.ok(Math.abs(t.value[2] - 1.5 / 1.75) < 1e-6);
  // gain = 1.5²/1.75 · 2 − 0 = 2.5714…
  assert.ok(Math.abs(t.gain[0] - 2 * 2.25 / 1.75) < 1e-5);
  assert.equal(t.cover[0], 1.5);
});

Deno.test("train: learns the missing-value direction", async () => {
  for (const missingIsPositive of [true, false]) {
    const n = 2000, x = new Float32Array(n), y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (i % 4 === 0) {
        x[i] = NaN;
        y[i] = missingIsPositive ? 1 : 0;
      } else {
        x[i] = (i % 97) / 97;
        y[i] = x[i] > 0.5 ? 0 : 1; // low values positive
      }
    }
    const d: TrainData = { nRows: n, featureNames: ["x"], columns: [x], labels: y };
    const { model } = await train(d, { n_estimators: 5, max_depth: 1 });
    const pMissing = predictProba(model, [NaN]);
    const pLow = predictProba(model, [0.1]), pHigh = predictProba(model, [0.9]);
    assert.ok(pLow > 0.5 && pHigh < 0.5);
    // Missing joins the side with the same class (low values = left when positive).
    assert.equal(model.trees[0].defaultLeft[0], missingIsPositive ? 1 : 0);
    assert.equal(pMissing, missingIsPositive ? pLow : pHigh);
  }
});

const noisy = makeClassification({
  nRows: 3000,
  nFeatures: 10,
  positiveRate: 0.2,
  signal: 0.5,
  seed: 11,
});

Deno.test("train: early stopping on the last eval set keeps bestIteration", async () => {
  const tr = sliceRows(noisy, 0, 2000), va = sliceRows(noisy, 2000, 3000);
  const { model, history } = await train(tr, {
    n_estimators: 300,
    learning_rate: 0.3,
    early_stopping_rounds: 10,
  }, { evalSets: [{ name: "train", data: tr }, { name: "valid", data: va }] });
  assert.ok(model.trees.length < 300, `stopped after ${model.trees.length}`);
  assert.equal(model.bestIteration, model.trees.length - 11);
  const ll = history.valid.logloss;
  assert.equal(ll.length, model.trees.length);
  assert.equal(Math.min(...ll), ll[model.bestIteration]);
  // Train metrics use the prediction cache: train logloss keeps falling.
  assert.ok(history.train.logloss.at(-1)! < history.train.logloss[0]);
  assert.deepEqual(Object.keys(history.valid), ["logloss", "error", "auc"]);
  // Per-set metrics: the last set's first metric (auc here, maximised) drives early stopping.
  const r2 = await train(tr, { n_estimators: 300, learning_rate: 0.3, early_stopping_rounds: 10 }, {
    evalSets: [
      { name: "train", data: tr, metrics: ["logloss", "error"] },
      { name: "valid", data: va, metrics: ["auc"] },
    ],
  });
  assert.deepEqual(Object.keys(r2.history.train), ["logloss", "error"]);
  const auc = r2.history.valid.auc;
  assert.equal(Math.max(...auc), auc[r2.model.bestIteration]);
});

Deno.test("train: scale_pos_weight equals positive sample weights and raises recall", async () => {
  const d = sliceRows(noisy, 0, 1500);
  const params = { n_estimators: 10, max_depth: 3 };
  const a = await train(d, { ...params, scale_pos_weight: 4 });
  const w = new Float32Array(d.nRows);
  for (let i = 0; i < d.nRows; i++) w[i] = d.labels[i] === 1 ? 4 : 1;
  const b = await train({ ...d, weights: w }, params);
  assert.deepEqual(a.model.trees, b.model.trees);
  const plain = await train(d, params);
  const r = (m: typeof plain.model) =>
    recall(confusionMatrix(d.labels, predictProbaColumns(m, d.columns, d.nRows)));
  assert.ok(r(a.model) > r(plain.model) + 0.1, `${r(a.model)} vs ${r(plain.model)}`);
});

Deno.test("train: integer sample weights behave like duplicated rows", async () => {
  // Few distinct values → identical bins with or without duplicates.
  const base = sliceRows(noisy, 0, 400);
  for (const c of base.columns) for (let i = 0; i < c.length; i++) c[i] = Math.round(c[i] * 4) / 4;
  const w = new Float32Array(base.nRows);
  const dupIdx: number[] = [];
  for (let i = 0; i < base.nRows; i++) {
    w[i] = 1 + (i % 3);
    for (let k = 0; k < w[i]; k++) dupIdx.push(i);
  }
  const dup: TrainData = {
    nRows: dupIdx.length,
    featureNames: base.featureNames,
    columns: base.columns.map((c) => Float32Array.from(dupIdx, (i) => c[i])),
    labels: Uint8Array.from(dupIdx, (i) => base.labels[i]),
  };
  const params = { n_estimators: 5, max_depth: 3 };
  const a = await train({ ...base, weights: w }, params);
  const b = await train(dup, params);
  const pa = predictProbaColumns(a.model, base.columns, base.nRows);
  const pb = predictProbaColumns(b.model, base.columns, base.nRows);
  for (let i = 0; i < base.nRows; i++) assert.ok(Math.abs(pa[i] - pb[i]) < 1e-5);
  // Zero weights remove rows' influence entirely.
  const z = new Float32Array(base.nRows).fill(1);
  z[0] = 0;
  const c = await train({ ...base, weights: z }, params);
  assert.notDeepEqual(c.model.trees, (await train(base, params)).model.trees);
});

Deno.test("train: deterministic for a seed with subsample and colsample", async () => {
  const d = sliceRows(noisy, 0, 1000);
  const params = { n_estimators: 8, subsample: 0.7, colsample_bytree: 0.5, seed: 7 };
  const a = await train(d, params), b = await train(d, params);
  assert.deepEqual(a.model.trees, b.model.trees);
  const c = await train(d, { ...params, seed: 8 });
  assert.notDeepEqual(a.model.trees, c.model.trees);
  // colsample 0.5 of 10 features → each tree splits on at most 5 distinct features.
  for (const t of a.model.trees) {
    const used = new Set([...t.feature].filter((_, n) => t.left[n] !== -1));
    assert.ok(used.size <= 5);
  }
});

Deno.test("train: onRound per round and cancellation between rounds", async () => {
  const d = sliceRows(noisy, 0, 500);
  const seen: number[] = [];
  await train(d, { n_estimators: 4 }, {
    evalSets: [{ name: "t", data: d }],
    onRound: async (r, m) => {
      await Promise.resolve();
      assert.ok(m.t.logloss > 0);
      seen.push(r);
    },
  });
  assert.deepEqual(seen, [0, 1, 2, 3]);
  const ac = new AbortController();
  await assert.rejects(
    () =>
      train(d, { n_estimators: 50 }, {
        signal: ac.signal,
        onRound: (r) => r === 2 ? ac.abort(new Error("stop!")) : undefined,
      }),
    /stop!/,
  );
});

Deno.test("train: a shared-memory cancel flag stops between rounds, also with helper threads", async () => {
  const d = sliceRows(noisy, 0, 2000);
  for (const n_threads of [1, 2]) {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    let rounds = 0;
    await assert.rejects(
      () =>
        train(d, { n_estimators: 50, n_threads }, {
          cancelFlag: flag,
          onRound: (r) => {
            rounds = r + 1;
            if (r === 2) Atomics.store(flag, 0, 1);
          },
        }),
      (err: Error) => err.name === "AbortError",
    );
    assert.equal(rounds, 3, `n_threads ${n_threads}`);
  }
});

Deno.test("train: reaches a useful AUC on a signal set", async () => {
  const d = makeClassification({ nRows: 6000, nFeatures: 20, positiveRate: 0.1, seed: 2 });
  const tr = sliceRows(d, 0, 4500), te = sliceRows(d, 4500, 6000);
  const { history } = await train(tr, { n_estimators: 30, learning_rate: 0.1 }, {
    evalSets: [{ name: "test", data: te }],
    evalMetrics: ["auc"],
  });
  assert.ok(history.test.auc.at(-1)! > 0.7, `auc ${history.test.auc.at(-1)}`);
});
