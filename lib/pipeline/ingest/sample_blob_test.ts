import assert from "node:assert/strict";
import { decodeSample, encodeSample } from "./sample_blob.ts";

Deno.test("sample blob round-trips (odd row count, NaN kept)", () => {
  const n = 5;
  const s = {
    nRows: n,
    featureNames: ["a", "bé"],
    columns: [Float32Array.from([1, NaN, 3, 4, 5]), Float32Array.from([0.5, 0, -1, NaN, 2])],
    labels: Uint8Array.from([0, 1, 0, 0, 1]),
    ids: Float64Array.from([1, 3, 5, 7, 9]),
    timestamps: Float64Array.from([10, 20, 30, 40, 50]),
    positiveFraction: 1,
    negativeFraction: 0.25,
  };
  const bytes = encodeSample(s);
  const back = decodeSample(bytes);
  assert.deepEqual(back, s);
  // Unaligned input is copied, not rejected.
  const shifted = new Uint8Array(bytes.length + 1);
  shifted.set(bytes, 1);
  assert.deepEqual(decodeSample(shifted.subarray(1)), s);
  assert.throws(() => decodeSample(bytes.subarray(0, bytes.length - 3)), /truncated/);
  assert.throws(() => decodeSample(new Uint8Array(16)), /magic/);
});
