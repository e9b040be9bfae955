/**
 * Stable partition of a node's positions by a split, on the binned code columns (1 byte per
 * cell, so 4× denser than the float columns; the outcome is the float test `x < threshold`
 * exactly, since the thresholds are the bin edges). Rows and, when given, their ordered
 * gradients move together. Work can be cut into slices (one per thread): each slice compacts
 * its left rows in place and parks its right rows in `tmp` at the same positions, and
 * {@link mergeSlices} then lays out all lefts, then all rights, in the original order.
 *
 * @example
 * ```ts
 * const goLeft = splitDirections(bin, defaultLeft);
 * const mid = partitionCodes(rows, ogh, tmp, tmpGh, start, end, codes[feature], goLeft);
 * ```
 * @module
 */

/** `out[code]` = 1 if the code goes left: value bins 0..bin, and code 0 (missing) by default. */
export function splitDirections(
  bin: number,
  defaultLeft: boolean,
  out: Uint8Array = new Uint8Array(256),
): Uint8Array {
  out[0] = defaultLeft ? 1 : 0;
  for (let c = 1; c < 256; c++) out[c] = c - 1 <= bin ? 1 : 0;
  return out;
}

/**
 * Partitions positions [a, b): left rows compacted to rows[a, a + left), right rows to
 * tmp[a, b − left) (gradients alike when `ogh` is given); returns `left`. Branch-free: every
 * row is written to both sides and the cursor of its side advances.
 */
export function partitionSlice(
  rows: Int32Array,
  ogh: Float32Array | null,
  tmp: Int32Array,
  tmpGh: Float32Array,
  a: number,
  b: number,
  codes: Uint8Array,
  goLeft: Uint8Array,
): number {
  let l = a, r = a;
  if (ogh === null) {
    for (let i = a; i < b; i++) {
      const row = rows[i];
      const d = goLeft[codes[row]];
      rows[l] = row;
      tmp[r] = row;
      l += d;
      r += 1 - d;
    }
  } else {
    for (let i = a; i < b; i++) {
      const row = rows[i];
      const d = goLeft[codes[row]];
      const g = ogh[2 * i], h = ogh[2 * i + 1];
      rows[l] = row;
      ogh[2 * l] = g;
      ogh[2 * l + 1] = h;
      tmp[r] = row;
      tmpGh[2 * r] = g;
      tmpGh[2 * r + 1] = h;
      l += d;
      r += 1 - d;
    }
  }
  return l - a;
}

/**
 * Joins partitioned slices (ascending, contiguous from `start`; `lefts[k]` = left count of
 * slice k, which starts at `bounds[k]` and ends at `bounds[k + 1]`): returns the first right
 * position.
 */
export function mergeSlices(
  rows: Int32Array,
  ogh: Float32Array | null,
  tmp: Int32Array,
  tmpGh: Float32Array,
  bounds: ArrayLike<number>,
  lefts: ArrayLike<number>,
): number {
  const n = lefts.length;
  let dest = bounds[0] + lefts[0];
  for (let k = 1; k < n; k++) {
    const a = bounds[k], l = lefts[k];
    if (l > 0 && dest !== a) {
      rows.copyWithin(dest, a, a + l);
      if (ogh) ogh.copyWithin(2 * dest, 2 * a, 2 * (a + l));
    }
    dest += l;
  }
  const mid = dest;
  for (let k = 0; k < n; k++) {
    const a = bounds[k], r = bounds[k + 1] - a - lefts[k];
    rows.set(tmp.subarray(a, a + r), dest);
    if (ogh) ogh.set(tmpGh.subarray(2 * a, 2 * (a + r)), 2 * dest);
    dest += r;
  }
  return mid;
}

/** Serial stable partition of positions [start, end); returns the first right position. */
export function partitionCodes(
  rows: Int32Array,
  ogh: Float32Array | null,
  tmp: Int32Array,
  tmpGh: Float32Array,
  start: number,
  end: number,
  codes: Uint8Array,
  goLeft: Uint8Array,
): number {
  const left = partitionSlice(rows, ogh, tmp, tmpGh, start, end, codes, goLeft);
  return mergeSlices(rows, ogh, tmp, tmpGh, [start, end], [left]);
}
