import assert from "node:assert/strict";
import type { ChartConfiguration } from "chart.js";
import { learningCurveChart, qualityScoreChart, rowsPerDayChart } from "./charts.ts";
import { COLORS } from "./palette.ts";

// deno-lint-ignore no-explicit-any
type Loose = any;
const datasets = (c: ChartConfiguration): Loose[] => c.data.datasets as Loose[];

Deno.test("rowsPerDayChart: one bar per day, one colour or one per day, optional tooltip line", () => {
  const days: [string, number][] = [["2025-01-01", 10], ["2025-01-02", 20]];
  const plain = rowsPerDayChart(days, { colour: COLORS.train });
  assert.equal(plain.type, "bar");
  assert.deepEqual(plain.data.labels, ["2025-01-01", "2025-01-02"]);
  assert.deepEqual(datasets(plain)[0].data, [10, 20]);
  assert.equal(datasets(plain)[0].backgroundColor, COLORS.train);
  assert.equal((plain.options as Loose).plugins.tooltip, undefined);

  const coloured = rowsPerDayChart(days, {
    colour: [COLORS.train, COLORS.test],
    afterLabel: (day) => `day ${day}`,
  });
  assert.deepEqual(datasets(coloured)[0].backgroundColor, [COLORS.train, COLORS.test]);
  const afterLabel = (coloured.options as Loose).plugins.tooltip.callbacks.afterLabel;
  assert.equal(afterLabel({ label: "2025-01-02" }), "day 2025-01-02");
  // A new configuration per call: Chart.js mutates the one it draws.
  assert.notEqual(rowsPerDayChart(days, { colour: "red" }).data, plain.data);
});

Deno.test("learningCurveChart: training and validation series, best round in the tooltip", () => {
  const train = [{ x: 0, y: 0.6 }, { x: 1, y: 0.4 }];
  const valid = [{ x: 0, y: 0.65 }, { x: 1, y: 0.5 }];
  const both = learningCurveChart("loss", train, valid, "log loss", 1);
  assert.deepEqual(datasets(both).map((d) => d.label), ["Training loss", "Validation loss"]);
  assert.deepEqual(datasets(both).map((d) => d.borderColor), [
    COLORS.trainCurve,
    COLORS.validCurve,
  ]);
  assert.equal((both.options as Loose).scales.y.title.text, "log loss");
  const title = (both.options as Loose).plugins.tooltip.callbacks.title;
  assert.equal(title([{ parsed: { x: 1 } }]), "round 1 (best)");
  assert.equal(title([{ parsed: { x: 0 } }]), "round 0");
  assert.equal(title([]), "");
  assert.equal(datasets(learningCurveChart("loss", train, [], "log loss", null)).length, 1);
  assert.equal(datasets(learningCurveChart("loss", train, undefined, "log loss", null)).length, 1);
});

Deno.test("qualityScoreChart: score line, failed rows, threshold across the shown rows", () => {
  const points = [
    { x: 10, y: 99, fail: false },
    { x: 11, y: 30, fail: true },
    { x: 12, y: 98, fail: false },
  ];
  const config = qualityScoreChart(points, 96);
  const [score, fails, threshold] = datasets(config);
  assert.deepEqual(score.data, [{ x: 10, y: 99 }, { x: 11, y: 30 }, { x: 12, y: 98 }]);
  assert.deepEqual(fails.data, [{ x: 11, y: 30 }]);
  assert.equal(threshold.label, "Threshold: P(fail) ≥ 4.0 %");
  assert.deepEqual(threshold.data, [{ x: 10, y: 96 }, { x: 12, y: 96 }]);
  assert.deepEqual(datasets(qualityScoreChart([], 50))[2].data, [{ x: 0, y: 50 }, { x: 1, y: 50 }]);
});
