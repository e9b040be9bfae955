import assert from "node:assert/strict";
import { type GbdtModel, predictProba, resolveParams } from "../../ml/mod.ts";
import {
  calibrateWeighted,
  positiveWeight,
  refitRounds,
  thinCurve,
  weightingName,
} from "./recipe.ts";

const close = (a: number, b: number, tol = 1e-6) =>
  assert.ok(Math.abs(a - b) <= tol, `${a} ≠ ${b}`);

Deno.test("positiveWeight: class weighting rules; an explicit scale_pos_weight wins", () => {
  const counts = { neg: 900, pos: 100 };
  const w = (s: Parameters<typeof positiveWeight>[0]) => positiveWeight(s, counts);
  assert.equal(w({ scale_pos_weight: null, class_weighting: "none" }), 1);
  assert.equal(w({ scale_pos_weight: null, class_weighting: "balanced" }), 9);
  assert.equal(w({ scale_pos_weight: null, class_weighting: "sqrt" }), 3);
  assert.equal(w({ scale_pos_weight: "auto", class_weighting: "none" }), 9);
  assert.equal(w({ scale_pos_weight: 2.5, class_weighting: "sqrt" }), 2.5);
  assert.equal(weightingName({ scale_pos_weight: "auto", class_weighting: "none" }), "balanced");
  assert.equal(weightingName({ scale_pos_weight: 2.5, class_weighting: "none" }), "custom");
  assert.equal(weightingName({ scale_pos_weight: null, class_weighting: "sqrt" }), "sqrt");
});

/** One stump: x < 0 → leaf −1, else leaf +2 (margins, learning rate applied). */
function stumpModel(): GbdtModel {
  return {
    featureNames: ["x"],
    baseScore: 0.5,
    bestIteration: 0,
    params: resolveParams({}),
    trees: [{
      left: Int32Array.of(1, -1, -1),
      right: Int32Array.of(2, -1, -1),
      feature: Int32Array.of(0, 0, 0),
      threshold: Float32Array.of(0, 0, 0),
      defaultLeft: Uint8Array.of(1, 0, 0),
      value: Float32Array.of(0, -1, 2),
      gain: Float32Array.of(1, 0, 0),
      cover: Float32Array.of(2, 1, 1),
    }],
  };
}

Deno.test("calibrateWeighted: margins shift by −log(spw) (prior-shift correction)", () => {
  const m = stumpModel();
  assert.equal(calibrateWeighted(m, 1), m);
  const c = calibrateWeighted(m, 4);
  // Base score 0.5 → margin 0 − log 4 → 1 / (1 + 4) = 0.2.
  close(c.baseScore, 0.2);
  // Leaf +2: weighted odds e², corrected odds e² / 4.
  const odds = Math.exp(2) / 4;
  close(predictProba(c, [1]), odds / (1 + odds));
  // Same as p / (p + spw·(1 − p)) of the weighted probability.
  const p = predictProba(m, [-1]);
  close(predictProba(c, [-1]), p / (p + 4 * (1 - p)));
});

Deno.test("refitRounds: the early-stopped model's tree count", () => {
  assert.equal(refitRounds(0), 1);
  assert.equal(refitRounds(41), 42);
  assert.equal(refitRounds(-1), 1);
});

Deno.test("thinCurve: at most maxPoints, first and last kept, rounded", () => {
  const thresholds = Array.from({ length: 200 }, (_, k) => (k + 0.5) / 200);
  const values = thresholds.map((t) => t * (1 - t));
  const out = thinCurve({ thresholds, values }, 50);
  assert.ok(out.length <= 51);
  assert.equal(out[0].threshold, 0.0025);
  assert.equal(out.at(-1)!.threshold, 0.9975);
  assert.equal(out[1].value, Math.round(values[4] * 1e4) / 1e4);
});
