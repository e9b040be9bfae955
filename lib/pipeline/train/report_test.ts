import assert from "node:assert/strict";
import { classCounts, metricsAt, thinChart, trainingChart, validationCut } from "./report.ts";
import { resolveTrainSettings, trainOverridesSchema } from "./params.ts";

Deno.test("validationCut takes the end of the window and keeps both classes in training", () => {
  const labels = [0, 1, 0, 0, 1, 0, 0, 0, 1, 0];
  assert.deepEqual(validationCut(labels, 0.2), { nTrain: 8, nValid: 2 });
  assert.deepEqual(validationCut(labels, 0), { nTrain: 10, nValid: 0 });
  // Too small to cut anything.
  assert.deepEqual(validationCut([0, 1], 0.15), { nTrain: 2, nValid: 0 });
  // The only positive is in the slice: no cut rather than a one-class training part.
  assert.deepEqual(validationCut([0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 0.2), { nTrain: 10, nValid: 0 });
  assert.deepEqual(classCounts(labels, 0, 5), { neg: 3, pos: 2 });
});

Deno.test("trainingChart: integer x per round, accuracy = 1 - error, validation optional", () => {
  const chart = trainingChart({
    train: { logloss: [0.6, 0.5], error: [0.1, 0.05] },
    validation: { logloss: [0.65, 0.55], error: [0.2, 0.1] },
  });
  assert.deepEqual(chart.train_loss, [{ x: 0, y: 0.6 }, { x: 1, y: 0.5 }]);
  assert.deepEqual(chart.train_accuracy, [{ x: 0, y: 0.9 }, { x: 1, y: 0.95 }]);
  assert.deepEqual(chart.validation_accuracy, [{ x: 0, y: 0.8 }, { x: 1, y: 0.9 }]);
  assert.ok(!JSON.stringify(chart).match(/"x":\d+\./));
  const noValid = trainingChart({ train: { logloss: [0.6], error: [0.1] } });
  assert.equal(noValid.validation_loss, undefined);
});

Deno.test("thinChart keeps the last point and the best round", () => {
  const pts = Array.from({ length: 1000 }, (_, i) => ({ x: i, y: i }));
  const t = thinChart({ train_loss: pts, train_accuracy: pts }, 100, [333]);
  assert.ok(t.train_loss.length <= 102);
  assert.equal(t.train_loss.at(-1)!.x, 999);
  assert.ok(t.train_loss.some((p) => p.x === 333));
  const short = thinChart({ train_loss: pts.slice(0, 50), train_accuracy: [] }, 100);
  assert.equal(short.train_loss.length, 50);
});

Deno.test("metricsAt uses prob > threshold and contract names", () => {
  const m = metricsAt([1, 0, 1, 0], [0.9, 0.6, 0.4, 0.1], 0.5);
  assert.deepEqual(m.confusion_matrix, {
    true_positives: 1,
    false_positives: 1,
    true_negatives: 1,
    false_negatives: 1,
  });
  assert.equal(m.accuracy, 0.5);
  assert.equal(m.f1_score, 0.5);
  assert.equal(m.threshold, 0.5);
});

Deno.test("train overrides: defaults, strict keys, ranges", () => {
  const s = resolveTrainSettings(trainOverridesSchema.parse({}), { defaultThreads: 2 });
  assert.equal(s.n_estimators, 200);
  assert.equal(s.max_depth, 5);
  assert.equal(s.learning_rate, 0.1);
  assert.equal(s.scale_pos_weight, null);
  assert.equal(s.class_weighting, "none");
  assert.equal(s.n_threads, 2);
  const o = resolveTrainSettings(
    trainOverridesSchema.parse({ max_depth: 3, scale_pos_weight: 1, threshold_metric: "f1" }),
    { defaultThreads: 1 },
  );
  assert.equal(o.max_depth, 3);
  assert.equal(o.scale_pos_weight, 1);
  assert.equal(o.threshold_metric, "f1");
  assert.equal(trainOverridesSchema.safeParse({ max_dept: 3 }).success, false);
  assert.equal(trainOverridesSchema.safeParse({ n_estimators: 0 }).success, false);
  assert.equal(trainOverridesSchema.safeParse({ n_estimators: 2.5 }).success, false);
  assert.equal(trainOverridesSchema.safeParse({ validation_fraction: 0.9 }).success, false);
  assert.equal(trainOverridesSchema.safeParse({ scale_pos_weight: "x" }).success, false);
  assert.equal(trainOverridesSchema.safeParse({ class_weighting: "x" }).success, false);
  assert.equal(trainOverridesSchema.safeParse({ threshold_smoothing: -1 }).success, false);
  // The old service's recipe stays reachable through the body.
  const old = trainOverridesSchema.parse({
    scale_pos_weight: "auto",
    threshold_smoothing: 0,
    calibrate: false,
    refit: false,
  });
  assert.equal(resolveTrainSettings(old, { defaultThreads: 1 }).scale_pos_weight, "auto");
});
