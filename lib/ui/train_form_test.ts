import assert from "node:assert/strict";
import { checkTrainForm, defaultTrainForm } from "./train_form.ts";
import { curvesSummary } from "./training_view.ts";

Deno.test("train form: defaults send nothing; the API schema's limits apply", () => {
  const d = defaultTrainForm();
  assert.equal(d.n_estimators, "200");
  assert.equal(d.class_weighting, "none");
  assert.deepEqual(checkTrainForm(d), { ok: true, overrides: {} });
  assert.deepEqual(checkTrainForm({ ...d, max_depth: "6", class_weighting: "sqrt" }), {
    ok: true,
    overrides: { max_depth: 6, class_weighting: "sqrt" },
  });
  const bad = checkTrainForm({ ...d, max_depth: "40", learning_rate: "abc", n_estimators: "2.5" });
  assert.equal(bad.ok, false);
  if (!bad.ok) {
    assert.deepEqual(Object.keys(bad.errors).sort(), [
      "learning_rate",
      "max_depth",
      "n_estimators",
    ]);
    assert.match(bad.errors.max_depth, /12/);
  }
});

Deno.test("curvesSummary: first → last value per series", () => {
  const pts = (ys: number[]) => ys.map((y, x) => ({ x, y }));
  assert.equal(
    curvesSummary(pts([0.7, 0.5, 0.3]), pts([0.71, 0.6, 0.4]), "log loss", 3, 2),
    "Rounds 0–2. Training log loss 0.700 → 0.300; validation 0.710 → 0.400. Best round 2.",
  );
  assert.equal(curvesSummary([], undefined, "log loss"), "No log loss values yet.");
});
