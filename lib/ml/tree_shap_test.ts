/**
 * TreeSHAP against (i) XGBoost 1.7.4 `pred_contribs=True` on fixtures from
 * `scripts/make_shap_fixtures.py` (models trained by XGBoost, imported through our importer:
 * depth 4, early stopped, depth-1 stumps with base_score 0.2, depth ≥ 8, Bosch rows with mostly
 * missing cells), (ii) a hand-computed tree, (iii) brute-force Shapley values of the same
 * path-dependent value function on random trees with repeated features, (iv) Python XGBoost live
 * on a model from our own trainer (ignored when /usr/bin/python3 lacks xgboost).
 */
import assert from "node:assert/strict";
import { topContributions, TreeExplainer } from "./tree_shap.ts";
import type { GbdtModel, Tree } from "./model.ts";
import { logit, predictMargin } from "./predictor.ts";
import { fromXgboostJson, stringifyXgboostJson, toXgboostJson } from "./xgboost_json.ts";
import { train } from "./booster.ts";
import { makeClassification } from "./synthetic.ts";
import {
  fixtureText,
  loadFixture,
  pythonXgboostAvailable,
  rowsToCsv,
} from "./testdata/fixtures.ts";
import { HAND_PARAMS, makeTree, randomModel, randomRows } from "./testdata/hand_models.ts";

/** XGBoost's float32 output vs our float64: the bound. */
const XGB_TOLERANCE = 1e-5;
/** bias + Σ contributions vs the predictor's margin. */
const ADDITIVITY_TOLERANCE = 1e-6;

interface ShapCase {
  name: string;
  model: string;
  rows: number[];
  contribs: number[][];
  margins: number[];
}

function treeDepth(tree: Tree): number {
  const depth = (n: number): number =>
    tree.left[n] === -1 ? 0 : 1 + Math.max(depth(tree.left[n]), depth(tree.right[n]));
  return depth(0);
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

const expected = JSON.parse(await fixtureText("tree_shap_expected.json")) as {
  xgboost_version: string;
  cases: ShapCase[];
};
const datasetOf: Record<string, string> = {
  synthetic: "synthetic",
  synthetic_es: "synthetic",
  stumps: "synthetic",
  deep: "synthetic",
  bosch700: "bosch700",
};

for (const c of expected.cases) {
  Deno.test(`tree shap: matches XGBoost ${expected.xgboost_version} pred_contribs (${c.name})`, async () => {
    const model = fromXgboostJson(await fixtureText(c.model));
    const fx = await loadFixture(datasetOf[c.name]);
    const nF = model.featureNames.length;
    assert.equal(nF, fx.expected.n_features);
    const explainer = new TreeExplainer(model);
    const depths = model.trees.slice(0, explainer.nTrees).map(treeDepth);
    if (c.name === "stumps") assert.ok(depths.every((d) => d === 1), "stumps have depth 1");
    if (c.name === "deep") assert.ok(Math.max(...depths) >= 8, `deep: depths ${depths}`);
    if (c.name === "synthetic_es") assert.ok(explainer.nTrees < model.trees.length);

    let worst = 0, worstBias = 0, worstAdd = 0, missing = 0;
    const phi = new Float64Array(nF);
    for (let k = 0; k < c.rows.length; k++) {
      const r = c.rows[k] - fx.expected.n_train;
      assert.ok(r >= 0 && r < fx.test.nRows);
      const row = fx.test.columns.map((col) => col[r]);
      missing += row.filter(Number.isNaN).length;
      explainer.explain(row, phi);
      const xgb = c.contribs[k];
      assert.equal(xgb.length, nF + 1);
      for (let j = 0; j < nF; j++) worst = Math.max(worst, Math.abs(phi[j] - xgb[j]));
      worstBias = Math.max(worstBias, Math.abs(explainer.bias - xgb[nF]));
      const margin = predictMargin(model, row);
      worstAdd = Math.max(worstAdd, Math.abs(explainer.bias + sum(phi) - margin));
      assert.ok(Math.abs(explainer.margin(row) - margin) < 1e-9);
      assert.ok(Math.abs(margin - c.margins[k]) < XGB_TOLERANCE, `row ${k} margin`);
    }
    assert.ok(missing > 0, "fixture rows have missing values");
    console.log(
      `${c.name}: ${c.rows.length} rows, ${explainer.nTrees} trees (depth ≤ ${
        Math.max(...depths)
      }), max |Δ contribution| ${worst.toExponential(2)}, |Δ bias| ${
        worstBias.toExponential(2)
      }, max additivity error ${worstAdd.toExponential(2)}`,
    );
    assert.ok(worst <= XGB_TOLERANCE, `max |Δ contribution| ${worst}`);
    assert.ok(worstBias <= XGB_TOLERANCE, `|Δ bias| ${worstBias}`);
    assert.ok(worstAdd <= ADDITIVITY_TOLERANCE, `additivity ${worstAdd}`);
  });
}

Deno.test("tree shap: hand-computed tiny tree, incl. missing values", () => {
  // root: f0 < 0.5 (cover 10) → leaf 1 (cover 6) | node 2: f1 < 0 (cover 4, missing → left)
  //   node 2 → leaf -2 (cover 1) | leaf 2 (cover 3).
  // E = 0.6·1 + 0.4·(0.25·-2 + 0.75·2) = 1. For x = (1, -1): v{} = 1, v{0} = 1, v{1} = -0.2,
  // v{0,1} = -2 → φ0 = ½[(1-1) + (-2+0.2)] = -0.9, φ1 = ½[(-0.2-1) + (-2-1)] = -2.1.
  const tree = makeTree(
    [1, -1, 3, -1, -1],
    [2, -1, 4, -1, -1],
    [0, 0, 1, 0, 0],
    [0.5, 0, 0, 0, 0],
    [0, 0, 1, 0, 0],
    [0, 1, 0, -2, 2],
    undefined,
    [10, 6, 4, 1, 3],
  );
  const model: GbdtModel = {
    featureNames: ["f0", "f1", "unused"],
    trees: [tree],
    baseScore: 0.25,
    bestIteration: 0,
    params: HAND_PARAMS,
  };
  const ex = new TreeExplainer(model);
  assert.ok(Math.abs(ex.bias - (logit(0.25) + 1)) < 1e-12);
  const close = (a: ArrayLike<number>, b: number[]) =>
    b.forEach((v, j) => assert.ok(Math.abs(a[j] - v) < 1e-12, `${Array.from(a)} vs ${b}`));
  close(ex.explain([1, -1, 7]), [-0.9, -2.1, 0]);
  // Missing values take the default directions (root → right, node 2 → left): same leaf.
  close(ex.explain([Number.NaN, Number.NaN, Number.NaN]), [-0.9, -2.1, 0]);
  // x = (0, 5) → leaf 1: v{0} = 1, v{1} = 0.6 + 0.4·2 = 1.4, v{0,1} = 1:
  // φ0 = ½[(1-1) + (1-1.4)] = -0.2, φ1 = ½[(1.4-1) + (1-1)] = 0.2.
  close(ex.explain([0, 5, 0]), [-0.2, 0.2, 0]);
  assert.deepEqual(ex.top([1, -1, 7], 5).map((c) => c.feature), [1, 0]);
});

/** v(S): the expected leaf value when features in S follow the row, the rest split by cover. */
function pathValue(tree: Tree, row: ArrayLike<number>, known: Set<number>, node = 0): number {
  if (tree.left[node] === -1) return tree.value[node];
  const f = tree.feature[node], l = tree.left[node], r = tree.right[node];
  if (known.has(f)) {
    const v = row[f];
    const left = v < tree.threshold[node] || (Number.isNaN(v) && tree.defaultLeft[node] === 1);
    return pathValue(tree, row, known, left ? l : r);
  }
  return (tree.cover[l] * pathValue(tree, row, known, l) +
    tree.cover[r] * pathValue(tree, row, known, r)) / tree.cover[node];
}

/** Shapley values of v by enumerating every subset (small M only). */
function bruteForceShap(model: GbdtModel, row: ArrayLike<number>): number[] {
  const m = model.featureNames.length;
  const fact = [1];
  for (let i = 1; i <= m; i++) fact.push(fact[i - 1] * i);
  const v = (mask: number) => {
    const known = new Set<number>();
    for (let j = 0; j < m; j++) if (mask & (1 << j)) known.add(j);
    return model.trees.reduce((s, t) => s + pathValue(t, row, known), 0);
  };
  const values = Array.from({ length: 1 << m }, (_, mask) => v(mask));
  const phi = new Array<number>(m).fill(0);
  for (let mask = 0; mask < 1 << m; mask++) {
    let size = 0;
    for (let j = 0; j < m; j++) if (mask & (1 << j)) size++;
    for (let j = 0; j < m; j++) {
      if (mask & (1 << j)) continue;
      const w = (fact[size] * fact[m - size - 1]) / fact[m];
      phi[j] += w * (values[mask | (1 << j)] - values[mask]);
    }
  }
  return phi;
}

Deno.test("tree shap: brute-force Shapley values on random trees (repeated features, NaN)", () => {
  for (const seed of [1, 2, 3]) {
    // 4 features, depth 4: most paths split on a feature twice (the unwind case).
    const model = randomModel(seed, 4, 6);
    const ex = new TreeExplainer(model);
    const rows = randomRows(seed + 100, model, 25);
    for (let i = 0; i < 25; i++) {
      const row = rows.subarray(i * 4, i * 4 + 4);
      const phi = ex.explain(row);
      const ref = bruteForceShap(model, row);
      ref.forEach((v, j) => assert.ok(Math.abs(phi[j] - v) < 1e-9, `seed ${seed} row ${i}`));
    }
  }
});

Deno.test("tree shap: input checks and top-k ordering", () => {
  const model = randomModel(4, 3, 2);
  const ex = new TreeExplainer(model);
  assert.throws(() => ex.explain([1, 2]), RangeError);
  const noCover = {
    ...model,
    trees: [makeTree([1, -1, -1], [2, -1, -1], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 1, 2])],
  };
  assert.throws(() => new TreeExplainer(noCover), /positive cover/);
  assert.equal(new TreeExplainer(model, { nTrees: 0 }).bias, logit(model.baseScore));
  assert.deepEqual(topContributions([0.1, -0.5, 0, 0.5, 0.2, -0.05], 3), [
    { feature: 1, contribution: -0.5 },
    { feature: 3, contribution: 0.5 },
    { feature: 4, contribution: 0.2 },
  ]);
  assert.deepEqual(topContributions([0, 0], 5), []);
  assert.deepEqual(topContributions([1, 2], 0), []);
});

const hasXgb = await pythonXgboostAvailable();

Deno.test({
  name: "tree shap: live vs Python XGBoost on a model from our trainer (exported JSON)",
  ignore: !hasXgb,
  async fn() {
    const data = makeClassification({
      nRows: 1500,
      nFeatures: 12,
      missingRate: 0.3,
      positiveRate: 0.1,
      nInformative: 6,
      signal: 1.5,
      seed: 11,
    });
    const { model } = await train(data, {
      n_estimators: 30,
      max_depth: 8,
      learning_rate: 0.3,
      min_child_weight: 0.1,
      n_threads: 1,
    });
    const nF = data.featureNames.length, nRows = 200;
    const rows = new Float32Array(nRows * nF);
    for (let i = 0; i < nRows; i++) {
      for (let j = 0; j < nF; j++) rows[i * nF + j] = data.columns[j][i];
    }
    const dir = await Deno.makeTempDir({ prefix: "tree_shap_" });
    try {
      await Deno.writeTextFile(`${dir}/model.json`, stringifyXgboostJson(toXgboostJson(model)));
      await Deno.writeTextFile(`${dir}/data.csv`, rowsToCsv(data.featureNames, rows));
      const script = new URL("../../scripts/xgb_contribs.py", import.meta.url).pathname;
      const out = await new Deno.Command("/usr/bin/python3", {
        args: [script, `${dir}/model.json`, `${dir}/data.csv`],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.ok(out.success, new TextDecoder().decode(out.stderr).slice(-2000));
      const res = JSON.parse(new TextDecoder().decode(out.stdout)) as { contribs: number[][] };
      const ex = new TreeExplainer(model);
      let worst = 0;
      for (let i = 0; i < nRows; i++) {
        const phi = ex.explain(rows.subarray(i * nF, (i + 1) * nF));
        for (let j = 0; j < nF; j++) worst = Math.max(worst, Math.abs(phi[j] - res.contribs[i][j]));
        worst = Math.max(worst, Math.abs(ex.bias - res.contribs[i][nF]));
      }
      console.log(`live: ${nRows} rows, ${ex.nTrees} trees, max |Δ| ${worst.toExponential(2)}`);
      assert.ok(worst <= XGB_TOLERANCE, `max |Δ| ${worst}`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
