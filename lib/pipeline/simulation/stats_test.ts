import assert from "node:assert/strict";
import {
  accuracyOf,
  buildPacket,
  emptyStats,
  float32ToJson,
  isoSeconds,
  round2,
  sampleId,
} from "./stats.ts";

Deno.test("simulation stats: number and time formatting", () => {
  assert.equal(round2(99.8876), 99.89);
  assert.equal(float32ToJson(Math.fround(-0.052)), -0.052);
  assert.equal(float32ToJson(Math.fround(0.094)), 0.094);
  assert.equal(float32ToJson(Number.NaN), null);
  assert.equal(float32ToJson(Infinity), null);
  assert.equal(isoSeconds(Date.UTC(2025, 0, 6, 0, 2, 0)), "2025-01-06T00:02:00Z");
  assert.equal(isoSeconds(Date.UTC(2025, 0, 6, 0, 2, 0, 250)), "2025-01-06T00:02:00.250Z");
  assert.equal(sampleId(28812), "SAMPLE_28812");
  assert.equal(sampleId(1e21), "SAMPLE_1000000000000000000000");
});

Deno.test("simulation stats: packet shape, decision rule and running totals", () => {
  const stats = emptyStats();
  const row = {
    totalRows: 3,
    threshold: 0.3,
    timestampMs: Date.UTC(2025, 0, 6),
    topFeatures: [["A", Math.fround(1.5)], ["B", Number.NaN]] as [string, number][],
  };
  const a = buildPacket(stats, { ...row, index: 0, pFail: 0.0011, id: 7, actual: 0 }).packet;
  assert.deepEqual(a, {
    current_row_index: 0,
    total_rows: 3,
    quality_score: 99.89,
    live_prediction: {
      timestamp: "2025-01-06T00:00:00Z",
      sample_id: "SAMPLE_7",
      prediction: "Pass",
      confidence: 99.89,
      top_features: { A: 1.5, B: null },
    },
    live_stats: { total_predictions: 1, pass_count: 1, fail_count: 0, average_confidence: 99.89 },
    p_fail: 0.0011,
    explanation: null,
  });
  // P(fail) = threshold → Fail (P(fail) >= threshold).
  const b = buildPacket(stats, { ...row, index: 1, pFail: 0.3, id: 8, actual: 1 }).packet;
  assert.equal(b.live_prediction.prediction, "Fail");
  assert.equal(b.quality_score, 70);
  assert.equal(b.live_stats.average_confidence, round2((99.89 + 70) / 2));
  buildPacket(stats, { ...row, index: 2, pFail: 0.1, id: 9, actual: 1 });
  assert.equal(stats.true_positives, 1);
  assert.equal(stats.true_negatives, 1);
  assert.equal(stats.false_negatives, 1);
  assert.equal(stats.false_positives, 0);
  assert.equal(accuracyOf(stats), 2 / 3);
  assert.equal(accuracyOf(emptyStats()), null);
});
