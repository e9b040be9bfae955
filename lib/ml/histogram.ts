/**
 * Gradient/hessian histograms: for a node, per global value bin, Σ grad and Σ hess of its rows,
 * stored interleaved in a Float64Array (`[g0, h0, g1, h1, …]`, XGBoost keeps doubles too).
 *
 * Rows of a node are a range of the grower's row-index array; their gradients are first
 * gathered into a contiguous "ordered" array (scikit-learn's trick), so the kernel streams
 * `rows`, the ordered gradients and each row's CSR entries, and scatters into a block's
 * histogram that stays in cache.
 *
 * @module
 */

import type { BinnedBlock, BinnedMatrix } from "./binned_matrix.ts";

/**
 * Accumulates rows[start, end) of one block into `hist` (which must be zero on the block's bins).
 * `ogh` holds the interleaved gradients of those rows in the same order, from index 0.
 */
export function accumulateBlock(
  block: BinnedBlock,
  rows: Int32Array,
  start: number,
  end: number,
  ogh: Float32Array,
  hist: Float64Array,
): void {
  const ptr = block.ptr, idx = block.idx;
  const base = block.binStart << 1;
  let j = 0;
  for (let i = start; i < end; i++, j += 2) {
    const r = rows[i];
    const g = ogh[j], h = ogh[j + 1];
    let k = ptr[r];
    const e = ptr[r + 1];
    // Two entries per iteration: independent scatters overlap better.
    for (; k + 1 < e; k += 2) {
      const b0 = base + (idx[k] << 1);
      const b1 = base + (idx[k + 1] << 1);
      hist[b0] += g;
      hist[b0 + 1] += h;
      hist[b1] += g;
      hist[b1 + 1] += h;
    }
    if (k < e) {
      const b = base + (idx[k] << 1);
      hist[b] += g;
      hist[b + 1] += h;
    }
  }
}

/** Zeroes the block's bins in `hist`. */
export function clearBlock(block: BinnedBlock, hist: Float64Array): void {
  hist.fill(0, block.binStart << 1, (block.binStart + block.nBins) << 1);
}

/**
 * Gathers interleaved gradients of rows[start, end) into `out` (from 0) and returns their sums
 * through `sums` ([G, H], accumulated in double precision).
 */
export function gatherGradients(
  gh: Float32Array,
  rows: Int32Array,
  start: number,
  end: number,
  out: Float32Array,
  sums?: Float64Array,
): void {
  let G = 0, H = 0;
  for (let i = start, j = 0; i < end; i++, j += 2) {
    const r = rows[i] << 1;
    const g = gh[r], h = gh[r + 1];
    out[j] = g;
    out[j + 1] = h;
    G += g;
    H += h;
  }
  if (sums) {
    sums[0] = G;
    sums[1] = H;
  }
}

/** out = parent − child, elementwise (histogram subtraction). `out` may alias `parent`. */
export function subtractHistogram(parent: Float64Array, child: Float64Array, out: Float64Array) {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = parent[i] - child[i];
}

/**
 * A set of equally sized histogram buffers addressed by index. Unshared pools allocate one
 * plain buffer per entry (resizable ArrayBuffers make V8's typed-array access several times
 * slower); shared pools carve entries from one SharedArrayBuffer sized for the most buffers a
 * depth-wise tree can hold at once, so helper workers can address any entry (the OS commits
 * pages only when first touched).
 */
export class HistPool {
  readonly histLen: number;
  readonly buffer: SharedArrayBuffer | null;
  readonly maxBuffers: number;
  #views: Float64Array[] = [];
  #free: number[] = [];

  constructor(histLen: number, shared: boolean, maxBuffers: number) {
    this.histLen = Math.max(2, histLen);
    this.maxBuffers = maxBuffers;
    this.buffer = shared ? new SharedArrayBuffer(this.histLen * 8 * maxBuffers) : null;
  }

  /** Index of a free buffer (contents undefined). */
  acquire(): number {
    const f = this.#free.pop();
    if (f !== undefined) return f;
    const i = this.#views.length;
    if (i >= this.maxBuffers) throw new Error(`histogram pool exhausted (${this.maxBuffers})`);
    this.#views.push(
      this.buffer
        ? new Float64Array(this.buffer, i * this.histLen * 8, this.histLen)
        : new Float64Array(this.histLen),
    );
    return i;
  }

  release(i: number): void {
    this.#free.push(i);
  }

  view(i: number): Float64Array {
    return this.#views[i];
  }
}

/** Most histograms alive at once when growing depth-wise to `maxDepth` on `nRows` rows. */
export function maxLiveHistograms(maxDepth: number, nRows: number): number {
  return Math.min(2 ** Math.max(0, maxDepth - 1), Math.max(1, nRows)) + 2;
}

/** Builds a node's histogram; the single-thread and worker-parallel builders implement it. */
export interface HistogramBuilder {
  readonly matrix: BinnedMatrix;
  /** Row indices the grower partitions in place (shared memory for parallel builders). */
  readonly rows: Int32Array;
  /** Ordered gradients scratch, 2 × nRows floats (shared memory for parallel builders). */
  readonly ogh: Float32Array;
  readonly pool: HistPool;
  /**
   * Fills pool buffer `target` with the histogram of rows[start, end), whose gradients are
   * already gathered in `ogh`.
   */
  build(start: number, end: number, target: number): void;
  close(): void;
}

/** Builder that does all the work in the calling thread. */
export class SerialHistogramBuilder implements HistogramBuilder {
  readonly rows: Int32Array;
  readonly ogh: Float32Array;
  readonly pool: HistPool;
  constructor(readonly matrix: BinnedMatrix, maxDepth: number) {
    this.rows = new Int32Array(matrix.nRows);
    this.ogh = new Float32Array(2 * matrix.nRows);
    this.pool = new HistPool(
      2 * matrix.totalBins,
      false,
      maxLiveHistograms(maxDepth, matrix.nRows),
    );
  }
  build(start: number, end: number, target: number): void {
    const hist = this.pool.view(target);
    for (const block of this.matrix.blocks) {
      clearBlock(block, hist);
      accumulateBlock(block, this.rows, start, end, this.ogh, hist);
    }
  }
  close(): void {}
}
