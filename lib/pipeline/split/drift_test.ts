import assert from "node:assert/strict";
import {
  binEdges,
  binIndex,
  countBins,
  DRIFT_MIN_ROWS,
  driftLevel,
  driftReport,
  psi,
  PSI_EPSILON,
  selectRanks,
} from "./drift.ts";
import { sampleBlocks } from "./split_drift.ts";

const close = (a: number, b: number, tol = 1e-9) =>
  assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

Deno.test("drift: deciles as upper edges, ties merged, the maximum never an edge", () => {
  const values = Float32Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
  assert.deepEqual(binEdges(values), [10, 20, 30, 40, 50, 60, 70, 80, 90]);
  // 0/1 feature: the deciles are 0 ×5 and 1 ×4; 1 is the maximum → one edge, 0.
  const binary = Float32Array.from({ length: 10 }, (_, i) => (i < 5 ? 0 : 1));
  assert.deepEqual(binEdges(binary), [0]);
  assert.deepEqual(binEdges(Float32Array.of(NaN, NaN)), []);
  assert.deepEqual(binEdges(Float32Array.of(7, 7, 7)), []);
  // Missing values do not move the edges.
  const withNaN = Float32Array.from([...values, NaN, NaN, NaN]);
  assert.deepEqual(binEdges(withNaN), binEdges(values));
});

Deno.test("drift: bin of a value (first edge ≥ v; open last bin; missing last)", () => {
  const edges = [0, 10];
  assert.equal(binIndex(-5, edges), 0);
  assert.equal(binIndex(0, edges), 0);
  assert.equal(binIndex(0.5, edges), 1);
  assert.equal(binIndex(10, edges), 1);
  assert.equal(binIndex(11, edges), 2);
  assert.equal(binIndex(NaN, edges), 3);
  assert.deepEqual(countBins(Float32Array.of(-1, 5, 5, 20, NaN), edges), [1, 2, 1, 1]);
  // No edges (a constant feature): one value bin and the missing bin.
  assert.deepEqual(countBins([NaN, 3, 3], []), [2, 1]);
});

Deno.test("drift: PSI against hand-computed values", () => {
  // Identical shares → 0.
  assert.equal(psi([10, 20, 70], [1, 2, 7]), 0);
  // e = (0.5, 0.5), a = (0.2, 0.8): (0.2−0.5)·ln(0.2/0.5) + (0.8−0.5)·ln(0.8/0.5)
  //   = 0.3·0.916291 + 0.3·0.470004 = 0.415888
  close(psi([50, 50], [20, 80]), 0.3 * Math.log(2.5) + 0.3 * Math.log(1.6));
  close(psi([50, 50], [20, 80]), 0.4158883, 1e-7);
  // e = (0.25, 0.25, 0.5), a = (0.3, 0.2, 0.5): 0.05·ln(1.2) + (−0.05)·ln(0.8) = 0.020273
  close(psi([25, 25, 50], [30, 20, 50]), 0.05 * Math.log(1.2) - 0.05 * Math.log(0.8));
  close(psi([25, 25, 50], [30, 20, 50]), 0.0202733, 1e-7);
  // An empty reference bin is clamped at ε: e = (1, ε→1e-4), a = (0.9, 0.1).
  const expected = (0.9 - 1) * Math.log(0.9 / 1) +
    (0.1 - PSI_EPSILON) * Math.log(0.1 / PSI_EPSILON);
  close(psi([100, 0], [90, 10]), expected);
  close(psi([100, 0], [90, 10]), 0.0105361 + 0.0999 * 6.9077553, 1e-6); // 0.700621
  // Either side empty → 0 (nothing to compare).
  assert.equal(psi([0, 0], [1, 2]), 0);
  assert.equal(psi([1, 2], [0, 0]), 0);
});

Deno.test("drift: flags and the report (missing share change, worst first, too few rows)", () => {
  assert.equal(driftLevel(0.099), "stable");
  assert.equal(driftLevel(0.1), "watch");
  assert.equal(driftLevel(0.2499), "watch");
  assert.equal(driftLevel(0.25), "drift");
  const bins = [
    { feature: "a", edges: [0], reference: [50, 50, 0] },
    { feature: "b", edges: [0], reference: [40, 40, 20] },
  ];
  // a: same shares; b: missing share 0.2 → 0.6.
  const report = driftReport(bins, [[100, 100, 0], [40, 40, 120]]);
  assert.equal(report.compared_rows, 200);
  assert.equal(report.reference_rows, 100);
  assert.deepEqual(report.features.map((f) => f.feature), ["b", "a"]);
  const b = report.features[0];
  // e = (0.4, 0.4, 0.2), a = (0.2, 0.2, 0.6): 2·(−0.2)·ln(0.5) + 0.4·ln(3)
  close(b.psi, Math.round((-0.4 * Math.log(0.5) + 0.4 * Math.log(3)) * 1e6) / 1e6);
  assert.equal(b.status, "drift");
  assert.equal(b.reference_missing, 0.2);
  assert.equal(b.compared_missing, 0.6);
  assert.equal(b.missing_change, 0.4);
  assert.equal(report.features[1].psi, 0);
  assert.equal(report.status, "drift");
  assert.equal(report.drifted, 1);
  // Under DRIFT_MIN_ROWS compared rows: "insufficient", the per-feature values still given.
  const few = driftReport(bins, [[5, 5, 0], [4, 4, 2]]);
  assert.ok(few.compared_rows < DRIFT_MIN_ROWS);
  assert.equal(few.status, "insufficient");
});

Deno.test("drift: a capped window is read as evenly spaced blocks over its whole span", () => {
  assert.deepEqual(sampleBlocks(10, 20, 100), [[10, 20]]);
  assert.deepEqual(sampleBlocks(5, 5, 100), []);
  const blocks = sampleBlocks(0, 1_000_000, 80_000);
  assert.equal(blocks.length, 8);
  assert.equal(blocks.reduce((a, [s, e]) => a + e - s, 0), 80_000);
  assert.equal(blocks[0][0], 0);
  assert.equal(blocks[7][1], 1_000_000);
  for (let i = 1; i < blocks.length; i++) assert.ok(blocks[i][0] >= blocks[i - 1][1]);
});

Deno.test("drift: selectRanks puts each asked rank's sorted value in place (ties, sorted input)", () => {
  let seed = 7;
  const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const inputs = [
    Float64Array.from({ length: 5000 }, rand),
    Float64Array.from({ length: 5000 }, () => Math.floor(rand() * 4)), // heavy ties
    Float64Array.from({ length: 3000 }, (_, i) => i), // sorted
    Float64Array.from({ length: 3000 }, (_, i) => -i), // reversed
    Float64Array.from({ length: 7 }, rand),
    new Float64Array(2000).fill(1.5),
  ];
  for (const input of inputs) {
    const m = input.length;
    const sorted = input.slice().sort();
    const ranks = [0, 1, Math.floor(m / 3), Math.floor(m / 2), m - 2, m - 1]
      .filter((r, i, all) => r >= 0 && all.indexOf(r) === i).sort((a, b) => a - b);
    const a = input.slice();
    selectRanks(a, 0, m, ranks, 0, ranks.length);
    for (const r of ranks) assert.equal(a[r], sorted[r], `rank ${r} of ${m}`);
    assert.deepEqual(a.slice().sort(), sorted); // a permutation
  }
  // binEdges agrees with the deciles of a full sort.
  const values = Float64Array.from({ length: 20_000 }, () => Math.round(rand() * 50) / 10);
  const s = values.slice().sort();
  const expected: number[] = [];
  for (let k = 1; k < 10; k++) {
    const q = s[Math.ceil((k * s.length) / 10) - 1];
    if (expected.length === 0 || q > expected[expected.length - 1]) expected.push(q);
  }
  if (expected[expected.length - 1] >= s[s.length - 1]) expected.pop();
  assert.deepEqual(binEdges(values), expected);
});
