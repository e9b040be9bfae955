import assert from "node:assert/strict";
import { findBestSplit, isSplitValid, leafWeight, nodeScore, SplitInfo } from "./split.ts";

const P = { lambda: 1, alpha: 0, minChildWeight: 0, gamma: 0 };

/*
 * One feature with 3 value bins, plus missing rows (λ = 1, α = 0):
 *   bin0 (G,H) = (−3, 2), bin1 = (1, 1), bin2 = (4, 2), missing = (−2, 1); node G = 0, H = 6.
 *   score(G,H) = G²/(H+1); parent score = 0.
 * Forward (missing → right):
 *   k=0: L(−3,2) 9/3 = 3     + R(3,4)  9/5 = 1.8    = 4.8
 *   k=1: L(−2,3) 4/4 = 1     + R(2,3)  4/4 = 1      = 2
 *   k=2: L(2,5)  4/6 = 0.667 + R(−2,1) 4/2 = 2      = 2.667
 * Backward (missing → left; right = bins i..2):
 *   i=2: R(4,2) 16/3 = 5.333 + L(−4,4) 16/5 = 3.2  = 8.533
 *   i=1: R(5,3) 25/4 = 6.25  + L(−5,3) 25/4 = 6.25 = 12.5   ← best
 *   i=0: R(2,5) 4/6 = 0.667  + L(−2,1) 4/2 = 2     = 2.667
 * So: gain 12.5, value bin 0 and missing go left (threshold = cut 0), default left.
 */
function toyHist(): Float64Array {
  return Float64Array.from([-3, 2, 1, 1, 4, 2]);
}

Deno.test("split: hand-computed toy case with learned missing direction", () => {
  const s = new SplitInfo();
  findBestSplit(toyHist(), Int32Array.from([0, 3]), null, 0, 6, P, s);
  assert.equal(s.feature, 0);
  assert.equal(s.bin, 0);
  assert.equal(s.defaultLeft, true);
  assert.ok(Math.abs(s.gain - 12.5) < 1e-12);
  assert.deepEqual([s.gl, s.hl, s.gr, s.hr], [-5, 3, 5, 3]);
  assert.ok(isSplitValid(s, P));
});

Deno.test("split: without missing rows only the forward scan runs", () => {
  // Same bins, node totals = sum of bins (G = 2, H = 5): forward k=0 gives
  // 9/3 + 25/4 − 4/6 = 8.583; k=1: 4/4 + 16/3 − 4/6 = 5.667 → bin 0, missing right.
  const s = new SplitInfo();
  findBestSplit(toyHist(), Int32Array.from([0, 3]), null, 2, 5, P, s);
  assert.equal(s.bin, 0);
  assert.equal(s.defaultLeft, false);
  assert.ok(Math.abs(s.gain - (3 + 25 / 4 - 4 / 6)) < 1e-12);
});

Deno.test("split: min_child_weight and gamma block splits; feature mask skips features", () => {
  const s = new SplitInfo();
  // Every candidate has a child with H < 3.5 (see the table above).
  findBestSplit(toyHist(), Int32Array.from([0, 3]), null, 0, 6, { ...P, minChildWeight: 3.5 }, s);
  assert.equal(s.feature, -1);
  findBestSplit(toyHist(), Int32Array.from([0, 3]), null, 0, 6, { ...P, gamma: 13 }, s);
  assert.equal(isSplitValid(s, { ...P, gamma: 13 }), false);
  assert.equal(isSplitValid(s, { ...P, gamma: 12 }), true);
  // Two features: feature 1 is the toy one, feature 0 a useless one; masking 1 leaves nothing.
  const h = Float64Array.from([0, 3, 0, 3, ...toyHist()]);
  findBestSplit(h, Int32Array.from([0, 2, 5]), Uint8Array.from([1, 0]), 0, 6, P, s);
  assert.equal(s.feature, -1);
  findBestSplit(h, Int32Array.from([0, 2, 5]), null, 0, 6, P, s);
  assert.equal(s.feature, 1);
});

Deno.test("split: leaf weight and score with L1 (reg_alpha)", () => {
  assert.equal(leafWeight(-2, 3, P), 0.5); // −G/(H+λ)
  assert.equal(leafWeight(-2, 3, { ...P, alpha: 1 }), 0.25); // −(G+α)/(H+λ)
  assert.equal(leafWeight(0.5, 3, { ...P, alpha: 1 }), 0); // |G| ≤ α → 0
  assert.equal(nodeScore(-2, 3, { ...P, alpha: 1 }), 0.25); // (|G|−α)²/(H+λ)
  assert.equal(leafWeight(-2, 0.5, { ...P, minChildWeight: 1 }), 0); // H < min_child_weight
});
