import assert from "node:assert/strict";
import { predictProbaColumns, train } from "../../ml/mod.ts";
import { type EvalSet, evaluateInWorker, evaluateModel } from "./evaluate.ts";

function data(n: number, seed: number): EvalSet {
  let s = seed;
  const r = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const a = new Float32Array(n), b = new Float32Array(n), labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = r() < 0.3 ? NaN : r();
    b[i] = r();
    labels[i] = (Number.isNaN(a[i]) ? 0.2 : a[i]) + 0.3 * r() > 0.8 ? 1 : 0;
  }
  return { nRows: n, columns: [a, b], labels, ids: new Float64Array(n).map((_, i) => 10 + i) };
}

Deno.test("evaluateModel: tuned threshold, metrics and predictions.json agree", async () => {
  const tr = data(2000, 1);
  const { model } = await train({ ...tr, featureNames: ["a", "b"] }, { n_estimators: 20 });
  const valid = data(500, 2), test = data(700, 3);
  const ev = evaluateModel({ model, valid, test, metric: "mcc" });
  assert.equal(ev.threshold_source, "validation_mcc");
  assert.deepEqual(ev.test_probs, predictProbaColumns(model, test.columns, test.nRows));
  const doc = JSON.parse(new TextDecoder().decode(ev.predictions_json));
  assert.equal(doc.threshold, ev.threshold);
  assert.deepEqual(doc.ids, Array.from(test.ids!));
  assert.deepEqual(doc.labels, Array.from(test.labels));
  assert.deepEqual(doc.probabilities, Array.from(ev.test_probs));
  const cm = ev.at_threshold.confusion_matrix;
  assert.equal(cm.true_positives + cm.false_negatives, test.labels.reduce((x, y) => x + y, 0));
  assert.ok(ev.auc_roc! > 0.8);

  // A one-class validation slice cannot tune: 0.5 is kept.
  const oneClass = { ...valid, labels: new Uint8Array(valid.nRows) };
  const ev2 = evaluateModel({ model, valid: oneClass, test, metric: "f1" });
  assert.equal(ev2.threshold, 0.5);
  assert.equal(ev2.threshold_source, "default");

  // The worker gives the same answer and leaves the caller's arrays usable.
  const ew = await evaluateInWorker({ model, valid, test, metric: "mcc" });
  assert.equal(ew.threshold, ev.threshold);
  assert.deepEqual(ew.test_probs, ev.test_probs);
  assert.deepEqual(ew.at_0_5, ev.at_0_5);
  assert.equal(test.columns[0].length, 700);

  // With move: the same answer; arrays on their own buffers are moved, views are copied.
  const valid2 = data(500, 2), test2 = data(700, 3);
  const big = new Uint8Array(800);
  big.set(valid2.labels, 300);
  const view = big.subarray(300);
  const em = await evaluateInWorker(
    { model, valid: { ...valid2, labels: view }, test: test2, metric: "mcc" },
    { move: true },
  );
  assert.equal(em.threshold, ev.threshold);
  assert.deepEqual(em.test_probs, ev.test_probs);
  assert.equal(test2.columns[0].length, 0, "moved");
  assert.equal(view.length, 500, "a view is copied, not moved");
});
