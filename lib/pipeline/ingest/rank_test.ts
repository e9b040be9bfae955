import assert from "node:assert/strict";
import { rankFeatures } from "./rank.ts";

Deno.test("rankFeatures: orders by gain and cuts at n", () => {
  const r = rankFeatures({ a: 1, b: 3, c: 2 }, ["a", "b", "c"], [0, 0, 0], 2);
  assert.deepEqual(r, [{ name: "b", importance: 3 }, { name: "c", importance: 2 }]);
});

Deno.test("rankFeatures: fills with the least-missing unused columns, never all-empty ones", () => {
  const r = rankFeatures({ d: 4 }, ["a", "b", "c", "d", "e"], [0.9, 0.2, 1, 0, 0.2], 4);
  assert.deepEqual(r.map((f) => f.name), ["d", "b", "e", "a"]);
  assert.deepEqual(r.map((f) => f.importance), [4, 0, 0, 0]);
  const all = rankFeatures({}, ["a", "b", "c"], [0.5, 1, 0.1], 10);
  assert.deepEqual(all.map((f) => f.name), ["c", "a"]);
});

Deno.test("rankFeatures: ignores names that are not candidates and non-positive gains", () => {
  const r = rankFeatures({ x: 9, a: 0, b: Number.NaN, c: 1 }, ["a", "b", "c"], [0, 0, 0], 1);
  assert.deepEqual(r, [{ name: "c", importance: 1 }]);
});
