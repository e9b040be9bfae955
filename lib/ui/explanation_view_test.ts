import assert from "node:assert/strict";
import {
  explanationBars,
  fmtSigned,
  mergeFailures,
  packetPFail,
  verdictProbability,
} from "./explanation_view.ts";
import { qcFigures, thresholdText } from "./qc_figures.ts";
import { fixturePacket } from "./fixtures.ts";
import type { FailureRecord } from "./types.ts";

Deno.test("explanation bars: shares of the largest |contribution|, sign kept", () => {
  const bars = explanationBars({
    margin: 0,
    bias: -1,
    top: [
      { feature: "a", value: 1, contribution: -2 },
      { feature: "b", value: null, contribution: 1 },
    ],
  });
  assert.deepEqual(bars.map((b) => [b.feature, b.share, b.contribution]), [
    ["a", 1, -2],
    ["b", 0.5, 1],
  ]);
  assert.deepEqual(explanationBars({ margin: 0, bias: 0, top: [] }), []);
  assert.equal(fmtSigned(0.6123), "+0.612");
  assert.equal(fmtSigned(-0.05), "−0.050");
  assert.equal(fmtSigned(0), "0.000");
});

Deno.test("verdict probability: P(fail) for a Fail, P(pass) for a Pass", () => {
  const fail = fixturePacket(3); // quality 31.5 → P(fail) 0.685
  assert.deepEqual(verdictProbability(fail).label, "P(fail)");
  assert.ok(Math.abs(verdictProbability(fail).value - 0.685) < 1e-12);
  const pass = fixturePacket(0);
  assert.equal(verdictProbability(pass).label, "P(pass)");
  assert.ok(Math.abs(verdictProbability(pass).value - 0.992) < 1e-12);
  // A packet without p_fail: from the quality score.
  const old = { ...fail, p_fail: undefined };
  assert.ok(Math.abs(packetPFail(old) - 0.685) < 1e-12);
});

Deno.test("fail log merge: one per row, newest first, capped", () => {
  const f = (row: number): FailureRecord => ({
    row,
    sample_id: `S${row}`,
    timestamp: "2025-01-01T00:00:00Z",
    p_fail: 0.9,
    response: null,
    explanation: null,
  });
  const merged = mergeFailures([f(1), f(5)], [f(5), f(9), f(3)], 3);
  assert.deepEqual(merged.map((x) => x.row), [9, 5, 3]);
});

Deno.test("QC figures: caught of total, false alarms per 1,000, all-pass baseline", () => {
  const qc = qcFigures({
    true_positives: 76,
    false_negatives: 131,
    false_positives: 175,
    true_negatives: 8252,
  });
  assert.equal(qc.caught, 76);
  assert.equal(qc.failures, 207);
  assert.equal(qc.parts, 8634);
  assert.ok(Math.abs(qc.falseAlarmsPer1000! - 175 / 8.634) < 1e-9);
  assert.ok(Math.abs(qc.allPassAccuracy! - 8427 / 8634) < 1e-12);
  assert.ok(Math.abs(qc.accuracy! - 8328 / 8634) < 1e-12);
  const none = qcFigures({
    true_positives: 0,
    false_negatives: 0,
    false_positives: 0,
    true_negatives: 0,
  });
  assert.equal(none.falseAlarmsPer1000, null);
  assert.equal(thresholdText(0.35), "P(fail) ≥ 35.0 %");
  assert.equal(thresholdText(null), "—");
});
