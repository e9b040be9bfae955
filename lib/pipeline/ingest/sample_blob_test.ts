import assert from "node:assert/strict";
import { assembleSample, type ProfileSample, RowStore } from "../../data/row_sample.ts";
import { decodeSample, encodeSample, sampleBlobStream } from "./sample_blob.ts";

/**
 * Five rows (file order: negative, positive, negative, negative, positive) with two output
 * columns drawn through the real stores; store feature 1 is a text column and is dropped.
 */
function fixture(): { sample: ProfileSample; columns: Float32Array[] } {
  const columns = [Float32Array.from([1, NaN, 3, 4, 5]), Float32Array.from([0.5, 0, -1, NaN, 2])];
  const labels = [0, 1, 0, 0, 1];
  const pos = new RowStore(3, 4, 10), neg = new RowStore(3, 4, 10);
  const featIdx = Int32Array.from([0, 1, 2]);
  labels.forEach((y, r) => {
    const store = y ? pos : neg;
    const slot = store.offer(() => 0);
    const row = Float32Array.from([columns[0][r], 42, columns[1][r]]);
    store.write(slot, row, featIdx, r, 1 + 2 * r, 10 * (r + 1));
  });
  const sample = assembleSample(
    ["a", "text", "bé"],
    Uint8Array.from([1, 0, 1]),
    pos,
    neg,
    10,
    () => 0,
    {
      positives: 2,
      negatives: 12,
    },
  );
  return { sample, columns };
}

Deno.test("sample blob round-trips (odd row count, NaN kept, dense columns from sparse ones)", () => {
  const { sample, columns } = fixture();
  const bytes = encodeSample(sample);
  const back = decodeSample(bytes);
  assert.deepEqual(back, {
    nRows: 5,
    featureNames: ["a", "bé"],
    columns,
    labels: Uint8Array.from([0, 1, 0, 0, 1]),
    ids: Float64Array.from([1, 3, 5, 7, 9]),
    timestamps: Float64Array.from([10, 20, 30, 40, 50]),
    positiveFraction: 1,
    negativeFraction: 0.25,
  });
  // Unaligned input is copied, not rejected.
  const shifted = new Uint8Array(bytes.length + 1);
  shifted.set(bytes, 1);
  assert.deepEqual(decodeSample(shifted.subarray(1)).columns, columns);
  assert.throws(() => decodeSample(bytes.subarray(0, bytes.length - 3)), /truncated/);
  assert.throws(() => decodeSample(new Uint8Array(16)), /magic/);
});

for (const reuseBuffer of [false, true]) {
  Deno.test(`sampleBlobStream yields the same bytes in pieces of whole columns (reuse ${reuseBuffer})`, async () => {
    const { sample } = fixture();
    const pieces: Uint8Array[] = [];
    for await (const p of sampleBlobStream(sample, { pieceBytes: 1, reuseBuffer })) {
      pieces.push(p.slice());
    }
    assert.equal(pieces.length, 3); // header + one column per piece
    const joined = new Uint8Array(pieces.reduce((t, p) => t + p.length, 0));
    let off = 0;
    for (const p of pieces) {
      joined.set(p, off);
      off += p.length;
    }
    assert.deepEqual(joined, encodeSample(sample));
  });
}
