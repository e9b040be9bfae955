import assert from "node:assert/strict";
import { fillMissing } from "./missing.ts";

Deno.test("fillMissing: every value of the view is NaN, nothing outside it changes", () => {
  const all = Float32Array.from([1, 2, 3, 4, 5]);
  fillMissing(all.subarray(1, 4));
  assert.equal(all[0], 1);
  assert.ok([1, 2, 3].every((i) => Number.isNaN(all[i])));
  assert.equal(all[4], 5);
});
