import assert from "node:assert/strict";
import type { ProfileSample } from "../../data/row_sample.ts";
import { decodeSample, encodeSample, sampleBlobStream } from "./sample_blob.ts";

/** Five rows, two sparse columns. */
function fixture(): { sample: ProfileSample; columns: Float32Array[] } {
  const columns = [Float32Array.from([1, NaN, 3, 4, 5]), Float32Array.from([0.5, 0, -1, NaN, 2])];
  const colStart = [0], rowIndex: number[] = [], values: number[] = [];
  for (const c of columns) {
    c.forEach((v, r) => {
      if (v === v) {
        rowIndex.push(r);
        values.push(v);
      }
    });
    colStart.push(rowIndex.length);
  }
  const sample: ProfileSample = {
    nRows: 5,
    featureNames: ["a", "bé"],
    labels: Uint8Array.from([0, 1, 0, 0, 1]),
    ids: Float64Array.from([1, 3, 5, 7, 9]),
    timestamps: Float64Array.from([10, 20, 30, 40, 50]),
    positiveFraction: 1,
    negativeFraction: 0.25,
    colStart: Int32Array.from(colStart),
    rowIndex: Int32Array.from(rowIndex),
    values: Float32Array.from(values),
  };
  return { sample, columns };
}

Deno.test("sample blob round-trips (odd row count, NaN kept, dense columns from sparse ones)", () => {
  const { sample, columns } = fixture();
  const bytes = encodeSample(sample);
  const back = decodeSample(bytes);
  const { colStart: _c, rowIndex: _r, values: _v, ...meta } = sample;
  assert.deepEqual(back, { ...meta, columns });
  // Unaligned input is copied, not rejected.
  const shifted = new Uint8Array(bytes.length + 1);
  shifted.set(bytes, 1);
  assert.deepEqual(decodeSample(shifted.subarray(1)).columns, columns);
  assert.throws(() => decodeSample(bytes.subarray(0, bytes.length - 3)), /truncated/);
  assert.throws(() => decodeSample(new Uint8Array(16)), /magic/);
});

Deno.test("sampleBlobStream yields the same bytes in pieces of whole columns", async () => {
  const { sample } = fixture();
  const pieces: Uint8Array[] = [];
  for await (const p of sampleBlobStream(sample, 1)) pieces.push(p);
  assert.equal(pieces.length, 3); // header + one column per piece
  const joined = new Uint8Array(pieces.reduce((t, p) => t + p.length, 0));
  let off = 0;
  for (const p of pieces) {
    joined.set(p, off);
    off += p.length;
  }
  assert.deepEqual(joined, encodeSample(sample));
});
