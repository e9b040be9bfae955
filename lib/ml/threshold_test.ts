import assert from "node:assert/strict";
import { chooseThreshold, logitGrid, metricCurve, smoothCurve } from "./threshold.ts";

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const close = (a: number, b: number, tol = 1e-9) =>
  assert.ok(Math.abs(a - b) <= tol, `${a} ≠ ${b}`);

// Nine rows with margins −4…4 (ascending); 4 failures, 5 passes.
const MARGINS = [-4, -3, -2, -1, 0, 1, 2, 3, 4];
const PROBS = MARGINS.map(sigmoid);
const LABELS = [0, 0, 1, 1, 1, 0, 0, 0, 1];

Deno.test("logitGrid: evenly spaced in logit between the extreme scores", () => {
  const g = logitGrid(PROBS, 9);
  g.forEach((t, k) => close(t, PROBS[k], 1e-12));
  assert.deepEqual(logitGrid([0.3, 0.3], 5), [0.3]);
});

Deno.test("metricCurve: MCC of prob > t, computed by hand", () => {
  const v = metricCurve(LABELS, PROBS, PROBS);
  // t = σ(−4): rows 1…8 positive → tp 4, fp 4, tn 1, fn 0 → 4/√(8·4·5·1)
  close(v[0], 4 / Math.sqrt(160));
  // t = σ(−3): tp 4, fp 3, tn 2, fn 0 → 8/√(7·4·5·2)
  close(v[1], 8 / Math.sqrt(280));
  // t = σ(−2): tp 3, fp 3, tn 2, fn 1 → 3/√(6·4·5·3)
  close(v[2], 3 / Math.sqrt(360));
  // t = σ(3): only the last row → tp 1, fp 0, tn 5, fn 3 → 5/√(1·4·5·8)
  close(v[7], 5 / Math.sqrt(160));
  // t = σ(4): nothing positive → 0
  close(v[8], 0);
  // F1 at σ(−4): 2·4 / (2·4 + 4 + 0)
  close(metricCurve(LABELS, PROBS, [PROBS[0]], "f1")[0], 8 / 12);
});

Deno.test("smoothCurve: moving average over ±halfWidth logits", () => {
  const t = [-1, 0, 1, 2].map(sigmoid);
  const s = smoothCurve(t, [0, 1, 0, 1], 1);
  [0.5, 1 / 3, 2 / 3, 0.5].forEach((x, k) => close(s[k], x));
  assert.deepEqual(smoothCurve(t, [0, 1, 0, 1], 0), [0, 1, 0, 1]);
});

Deno.test("chooseThreshold: exact arg-max vs the smoothed curve's arg-max", () => {
  const exact = chooseThreshold(LABELS, PROBS, { smoothing: 0, gridPoints: 9 });
  // Exact: the MCC peak 8/√280 between σ(−3) and σ(−2) (midpoint, as bestThreshold).
  close(exact.threshold, (sigmoid(-3) + sigmoid(-2)) / 2);
  close(exact.value, 8 / Math.sqrt(280));
  assert.equal(exact.curve.thresholds.length, 9);
  // Smoothed over ±1 logit: at σ(−4) (v0 + v1) / 2 = 0.397 beats σ(−3)'s (v0 + v1 + v2) / 3.
  const smooth = chooseThreshold(LABELS, PROBS, { smoothing: 1, gridPoints: 9 });
  close(smooth.threshold, sigmoid(-4));
  close(smooth.value, 4 / Math.sqrt(160));
  close(smooth.smoothed_value, (4 / Math.sqrt(160) + 8 / Math.sqrt(280)) / 2);
});

Deno.test("chooseThreshold: ties keep the highest threshold; empty input throws", () => {
  // One failure at the top: every threshold below it predicts it alone or with passes.
  const c = chooseThreshold([0, 0, 1], [0.1, 0.2, 0.9], { smoothing: 0.01, gridPoints: 3 });
  assert.ok(c.threshold >= 0.2 && c.threshold < 0.9, String(c.threshold));
  close(c.value, 1);
  assert.throws(() => chooseThreshold([], []), RangeError);
});
