import assert from "node:assert/strict";
import { Rng } from "./mod.ts";

Deno.test("Rng: same seed → same sequence; uniforms in [0, 1); normals standardised", () => {
  const a = new Rng(42), b = new Rng(42), c = new Rng(43);
  const xs = Array.from({ length: 5 }, () => a.nextU32());
  assert.deepEqual(xs, Array.from({ length: 5 }, () => b.nextU32()));
  assert.notDeepEqual(xs, Array.from({ length: 5 }, () => c.nextU32()));
  const r = new Rng(0);
  let sum = 0, sq = 0;
  const n = 20_000;
  for (let i = 0; i < n; i++) {
    const u = r.next();
    assert.ok(u >= 0 && u < 1);
    const z = r.gauss();
    sum += z;
    sq += z * z;
  }
  assert.ok(Math.abs(sum / n) < 0.05, `mean ${sum / n}`);
  assert.ok(Math.abs(sq / n - 1) < 0.05, `variance ${sq / n}`);
  const ints = new Set(Array.from({ length: 200 }, () => r.int(7)));
  assert.deepEqual([...ints].sort(), [0, 1, 2, 3, 4, 5, 6]);
});
