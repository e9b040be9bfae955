// AssemblyScript source of the histogram kernels (compiled by scripts/build_wasm.ts into
// ../hist_kernels_wasm.ts; not part of the Deno program). The same sums in the same order as
// `accumulate` / `accumulateRange` in lib/ml/histogram.ts, which stay as the fallback and are
// the oracle of hist_kernels_test.ts.
//
// Every address is a byte offset into the imported shared memory. A row's gradient pair
// (2 × f32) is widened to f64x2 in one step and added to the bin's (Σg, Σh) pair with one
// vector load, add and store: JS does two scalar read-modify-writes with bounds checks.

/**
 * hist[binStart + idx[k]] += (g, h) of row r, for every entry k of every row r = rows[i],
 * i in [start, end). `ptr` Int32 (nRows + 1), `idx` Uint16, `rows` Int32, `gh` f32 pairs by
 * row, `hist` f64 pairs.
 */
export function accumulate(
  ptr: usize,
  idx: usize,
  binStart: i32,
  rows: usize,
  start: i32,
  end: i32,
  gh: usize,
  hist: usize,
): void {
  const base = hist + ((<usize>binStart) << 4);
  for (let i = start; i < end; i++) {
    const r = <usize>load<i32>(rows + ((<usize>i) << 2));
    const v = f64x2.promote_low_f32x4(v128.load64_zero(gh + (r << 3)));
    const p = ptr + (r << 2);
    let k = <usize>load<i32>(p);
    const e = <usize>load<i32>(p, 4);
    for (; k < e; k++) {
      const b = base + ((<usize>load<u16>(idx + (k << 1))) << 4);
      v128.store(b, f64x2.add(v128.load(b), v));
    }
  }
}

/** {@link accumulate} for the rows a … b − 1 themselves (no row list). */
export function accumulateRange(
  ptr: usize,
  idx: usize,
  binStart: i32,
  a: i32,
  b: i32,
  gh: usize,
  hist: usize,
): void {
  const base = hist + ((<usize>binStart) << 4);
  let k = <usize>load<i32>(ptr + ((<usize>a) << 2));
  for (let r = <usize>a; r < <usize>b; r++) {
    const v = f64x2.promote_low_f32x4(v128.load64_zero(gh + (r << 3)));
    const e = <usize>load<i32>(ptr + (r << 2), 4);
    for (; k < e; k++) {
      const bin = base + ((<usize>load<u16>(idx + (k << 1))) << 4);
      v128.store(bin, f64x2.add(v128.load(bin), v));
    }
  }
}
