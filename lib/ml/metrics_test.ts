import assert from "node:assert/strict";
import {
  accuracy,
  aucPr,
  aucRoc,
  bestThreshold,
  classificationMetrics,
  confusionMatrix,
  f1,
  logLoss,
  mcc,
  prCurve,
  precision,
  recall,
  rocCurve,
} from "./metrics.ts";

const close = (a: number, b: number, eps = 1e-12) =>
  assert.ok(Math.abs(a - b) < eps, `${a} vs ${b}`);

Deno.test("metrics: confusion matrix and ratios by hand", () => {
  const y = [1, 1, 1, 0, 0, 0, 0, 1];
  const p = [0.9, 0.6, 0.2, 0.7, 0.1, 0.5, 0.3, 0.5];
  // > 0.5: rows 0,1,3 positive → tp 2 (0,1), fp 1 (3), fn 2 (2,7), tn 3 (4,5,6).
  const cm = confusionMatrix(y, p);
  assert.deepEqual(cm, { tp: 2, fp: 1, tn: 3, fn: 2 });
  close(accuracy(cm), 5 / 8);
  close(precision(cm), 2 / 3);
  close(recall(cm), 2 / 4);
  close(f1(cm), 4 / 7); // 2·2/(2·2 + 1 + 2)
  close(mcc(cm), (2 * 3 - 1 * 2) / Math.sqrt(3 * 4 * 4 * 5));
  assert.equal(classificationMetrics(y, p, 0.05).recall, 1);
  const none = confusionMatrix([0, 1], [0.1, 0.2]);
  assert.equal(precision(none), 0);
  assert.equal(f1(none), 0);
  assert.equal(mcc(none), 0);
  assert.throws(() => confusionMatrix([0], [0.1, 0.2]), /same length/);
});

Deno.test("metrics: ROC AUC with ties, weights and one class", () => {
  // Pairs (pos, neg): pos {0.8, 0.4, 0.4}, neg {0.4, 0.2}: 0.8 beats both (2), each 0.4 beats
  // 0.2 and ties 0.4 (1.5 each) → (2 + 1.5 + 1.5)/6 = 5/6.
  const y = [1, 1, 1, 0, 0];
  const s = [0.8, 0.4, 0.4, 0.4, 0.2];
  close(aucRoc(y, s), 5 / 6);
  close(aucRoc(y, s, [1, 1, 1, 1, 1]), 5 / 6);
  // Weight 2 on the negative 0.2 ≈ duplicating it: (3 + 2.5 + 2.5)/9 = 8/9.
  close(aucRoc(y, s, [1, 1, 1, 1, 2]), 8 / 9);
  close(aucRoc([1, 1, 1, 0, 0, 0], [0.8, 0.4, 0.4, 0.4, 0.2, 0.2]), 8 / 9);
  assert.ok(Number.isNaN(aucRoc([1, 1], [0.2, 0.3])));
  close(aucRoc([0, 1], [0.9, 0.1]), 0);
});

Deno.test("metrics: average precision and log loss by hand", () => {
  // Descending: 0.9 (1), 0.8 (0), 0.7 (1), 0.1 (0). AP = 0.5·1 + 0.5·(2/3) = 5/6.
  close(aucPr([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]), 5 / 6);
  // Tie group {0.5: pos, neg} at the top: recall 1/2 at precision 1/2; then 0.3 pos: 2/3.
  close(aucPr([1, 0, 1], [0.5, 0.5, 0.3]), 0.5 * 0.5 + 0.5 * (2 / 3));
  assert.ok(Number.isNaN(aucPr([0, 0], [0.1, 0.2])));
  close(logLoss([1, 0], [0.8, 0.4]), -(Math.log(0.8) + Math.log(0.6)) / 2);
  close(logLoss([1], [0]), -Math.log(1e-15));
  close(logLoss([1, 0], [0.8, 0.4], [3, 1]), -(3 * Math.log(0.8) + Math.log(0.6)) / 4);
});

Deno.test("metrics: bestThreshold for MCC and F1", () => {
  const y = [0, 0, 1, 0, 1, 1];
  const p = [0.1, 0.2, 0.3, 0.4, 0.8, 0.9];
  // Cut between 0.4 and 0.8 → tp 2, fp 0, fn 1, tn 3: MCC = 6/√(2·3·4·3) = 0.7071.
  const m = bestThreshold(y, p, "mcc");
  close(m.threshold, 0.6);
  close(m.value, 6 / Math.sqrt(72));
  // F1: at 0.6 → 4/5 = 0.8; at 0.25 (all of 0.3..0.9) → tp 3, fp 1 → 6/7 = 0.857.
  const f = bestThreshold(y, p, "f1");
  close(f.threshold, 0.25);
  close(f.value, 6 / 7);
  // The threshold reproduces the value with `prob > threshold`.
  close(f1(confusionMatrix(y, p, f.threshold)), f.value);
  // Everything positive can win F1 when every row is positive-ish.
  const all = bestThreshold([1, 1, 0, 1], [0.2, 0.3, 0.25, 0.9], "f1");
  assert.ok(all.threshold < 0.2);
  close(all.value, 6 / 7);
});

Deno.test("metrics: curves start and end at the corners", () => {
  const r = rocCurve([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]);
  assert.deepEqual([r.fpr[0], r.tpr[0]], [0, 0]);
  assert.deepEqual([r.fpr.at(-1), r.tpr.at(-1)], [1, 1]);
  const pr = prCurve([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]);
  assert.deepEqual(pr.recall, [0.5, 0.5, 1, 1]);
  assert.deepEqual(pr.precision, [1, 0.5, 2 / 3, 0.5]);
});
