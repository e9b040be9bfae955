/**
 * The wasm histogram kernels against the JS kernels of histogram.ts as the oracle: seeded
 * random CSR blocks (empty rows, bin offsets, a block that does not start at bin 0), row lists
 * in any order and sub-ranges; the histograms must be bit-identical.
 */
import assert from "node:assert/strict";
import { accumulate, accumulateRange } from "../histogram.ts";
import { histKernels, SharedArena } from "./hist_kernels.ts";
import { Rng } from "../../random/mod.ts";

/** No WebAssembly SIMD / shared memory here: the JS kernels run, and these tests are ignored. */
const unsupported = SharedArena.create() === null;

Deno.test({
  name: "hist kernels: wasm accumulate / accumulateRange equal the JS kernels bit for bit",
  ignore: unsupported,
}, () => {
  const arena = SharedArena.create()!;
  const k = histKernels(arena.memory)!;
  for (let seed = 1; seed <= 6; seed++) {
    const gen = new Rng(seed);
    const rand = () => gen.next();
    const nRows = 1 + Math.floor(rand() * 5000);
    const nBins = 1 + Math.floor(rand() * 3000);
    const binStart = Math.floor(rand() * 100);
    const density = rand();
    const ptr = arena.alloc(Int32Array, nRows + 1);
    const entries: number[] = [];
    for (let r = 0; r < nRows; r++) {
      const m = rand() < 0.1 ? 0 : Math.floor(rand() * 40 * density);
      for (let j = 0; j < m; j++) entries.push(Math.floor(rand() * nBins));
      ptr[r + 1] = entries.length;
    }
    const idx = arena.alloc(Uint16Array, entries.length);
    idx.set(entries);
    const gh = arena.alloc(Float32Array, 2 * nRows);
    for (let i = 0; i < gh.length; i++) {
      gh[i] = Math.fround((rand() - 0.3) * 10 ** (rand() * 6 - 3));
    }
    const rows = arena.alloc(Int32Array, nRows);
    for (let i = 0; i < nRows; i++) rows[i] = i;
    for (let i = nRows - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    const histLen = 2 * (binStart + nBins);
    const want = new Float64Array(histLen);
    const got: Float64Array = arena.alloc(Float64Array, histLen);
    const a = Math.floor(rand() * nRows), b = a + Math.floor(rand() * (nRows - a + 1));
    for (let pass = 0; pass < 2; pass++) {
      // Twice into the same histogram: the kernels add to what is there.
      accumulate(ptr, idx, binStart, rows, a, b, gh, want);
      k.accumulate(
        ptr.byteOffset,
        idx.byteOffset,
        binStart,
        rows.byteOffset,
        a,
        b,
        gh.byteOffset,
        got.byteOffset,
      );
      assert.deepEqual(got, want, `seed ${seed} accumulate`);
    }
    want.fill(0);
    got.fill(0);
    accumulateRange(ptr, idx, binStart, a, b, gh, want);
    k.accumulateRange(
      ptr.byteOffset,
      idx.byteOffset,
      binStart,
      a,
      b,
      gh.byteOffset,
      got.byteOffset,
    );
    assert.deepEqual(got, want, `seed ${seed} accumulateRange`);
  }
});

Deno.test({
  name: "hist kernels: the arena hands out zeroed, aligned, disjoint arrays as it grows",
  ignore: unsupported,
}, () => {
  const arena = SharedArena.create()!;
  const a = arena.alloc(Uint8Array, 3);
  a.fill(255);
  const big = arena.alloc(Float64Array, 300_000); // grows the memory past its first pages
  const c = arena.alloc(Int32Array, 5);
  for (const x of [a, big, c]) assert.equal(x.byteOffset % 16, 0);
  assert.ok(big.byteOffset >= a.byteOffset + 3 && c.byteOffset >= big.byteOffset + big.byteLength);
  assert.ok(big.every((v) => v === 0) && c.every((v) => v === 0));
  assert.deepEqual([...a], [255, 255, 255]); // still valid after the growth
});
