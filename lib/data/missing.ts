/**
 * Filling Float32 columns with the missing value (NaN) fast.
 *
 * @example
 * ```ts
 * const col = fillMissing(new Float32Array(1_000_000)); // every cell NaN
 * ```
 *
 * @module
 */

/** Bits of a Float32 quiet NaN. */
const NAN_BITS = 0x7fc00000;

/**
 * Set every value of `a` to NaN, through a Uint32 view: V8's `Float32Array.fill(NaN)` runs ~50×
 * slower than an integer fill (316 vs 6.6 ms for 100 columns of 117k rows, same run).
 */
export function fillMissing(a: Float32Array): Float32Array {
  new Uint32Array(a.buffer, a.byteOffset, a.length).fill(NAN_BITS);
  return a;
}
