import assert from "node:assert/strict";
import { Rng } from "../random/mod.ts";
import { assembleSample, RowStore, sampleColumnRange, sampleColumns } from "./row_sample.ts";

/** Row r of a 6-feature file: feature f present when (r + f) % 3 === 0, value r * 10 + f. */
function rowValues(r: number): Float32Array {
  return Float32Array.from({ length: 6 }, (_, f) => (r + f) % 3 === 0 ? r * 10 + f : NaN);
}
const featIdx = Int32Array.from([0, 1, 2, 3, 4, 5]);

/** Offer rows 0 … n-1 to a store; the sampled rows (by row number). */
function fill(store: RowStore, n: number, rng: () => number): void {
  for (let r = 0; r < n; r++) {
    const slot = store.offer(rng);
    if (slot >= 0) store.write(slot, rowValues(r), featIdx, r, 1000 + r, r * 60_000);
  }
}

Deno.test("RowStore keeps only present values and stays consistent through growth and thinning", () => {
  const rng = new Rng(3);
  const store = new RowStore(6, 2, 40); // starts at 2 rows, grows ×2, thins past 40
  fill(store, 1000, () => rng.next());
  assert.ok(store.n > 0 && store.n <= 40);
  assert.ok(store.rate < 1);
  assert.equal(store.size, store.start[store.n]);
  for (let i = 0; i < store.n; i++) {
    const r = store.rowNo[i];
    if (i > 0) assert.ok(r > store.rowNo[i - 1], "slots stay in file order");
    assert.equal(store.ids[i], 1000 + r);
    const expected = rowValues(r);
    const got = new Float32Array(6).fill(NaN);
    for (let k = store.start[i]; k < store.start[i + 1]; k++) got[store.feat[k]] = store.vals[k];
    assert.deepEqual(got, expected);
  }
});

Deno.test("assembleSample: file order, labels, dropped columns, dense view equals the rows", () => {
  const rng = new Rng(9);
  const next = () => rng.next();
  const pos = new RowStore(6, 4, 10), neg = new RowStore(6, 4, 30);
  for (let r = 0; r < 500; r++) {
    const store = r % 25 === 0 ? pos : neg;
    const slot = store.offer(next);
    if (slot >= 0) store.write(slot, rowValues(r), featIdx, r, 1000 + r, r);
  }
  const keep = Uint8Array.from([1, 1, 0, 1, 1, 1]); // feature 2 is a text column
  const names = ["f0", "f1", "f2", "f3", "f4", "f5"];
  const s = assembleSample(names, keep, pos, neg, 30, next, { positives: 20, negatives: 480 });
  assert.deepEqual(s.featureNames, ["f0", "f1", "f3", "f4", "f5"]);
  assert.equal(s.nRows, pos.n + Math.min(neg.n, 30 - pos.n)); // negatives fill the budget
  assert.equal(s.labels.reduce((a, b) => a + b, 0), pos.n);
  const cols = sampleColumns(s);
  for (let r = 0; r < s.nRows; r++) {
    const row = s.ids[r] - 1000;
    if (r > 0) assert.ok(s.ids[r] > s.ids[r - 1], "file order");
    assert.equal(s.labels[r], row % 25 === 0 ? 1 : 0);
    const expected = rowValues(row);
    [0, 1, 3, 4, 5].forEach((f, j) => assert.deepEqual(cols[j][r], expected[f]));
  }
  // A block starting past column 0 and spanning the dropped feature gives the same columns.
  const block = sampleColumnRange(s, 1, 4);
  for (let j = 1; j < 4; j++) {
    assert.deepEqual(block.subarray((j - 1) * s.nRows, j * s.nRows), cols[j]);
  }
});
