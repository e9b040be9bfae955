/**
 * Gradient/hessian histograms: for a node, per global value bin, Σ grad and Σ hess of its rows,
 * stored interleaved in a Float64Array (`[g0, h0, g1, h1, …]`, XGBoost keeps doubles too).
 *
 * Node rows are kept contiguous *in memory*, not only in the row-index array: every split moves
 * the children's CSR entries (and their gradients) into a second buffer, left child first, as
 * LightGBM-style ordered data. The kernel then streams each node's entries sequentially instead
 * of chasing scattered rows (which cost 3–4× more per entry at depth ≥ 2 — JavaScript has no
 * prefetch instruction, XGBoost hides the same misses with one). The root reads the original
 * row-indexed matrix; level L ≥ 1 reads buffer (L − 1) mod 2.
 *
 * @module
 */

import type { BinnedBlock, BinnedMatrix } from "./binned_matrix.ts";

/**
 * Accumulates entries of positions [start, end) into `hist` (zero on the block's bins).
 * `rows === null`: `ptr` is position-indexed; otherwise position i reads row `rows[i]`.
 * `ogh` holds interleaved gradients by position.
 */
export function accumulate(
  ptr: Int32Array,
  idx: Uint16Array,
  binStart: number,
  rows: Int32Array | null,
  start: number,
  end: number,
  ogh: Float32Array,
  hist: Float64Array,
): void {
  const base = binStart << 1;
  for (let i = start; i < end; i++) {
    const r = rows === null ? i : rows[i];
    const g = ogh[2 * i], h = ogh[2 * i + 1];
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

/**
 * Copies the entries of positions [start, end) from `src` to `dst` (position-indexed), rows with
 * `dir[i] = 1` first, both groups in their current order. `rows` as in {@link accumulate}.
 * The node's entries keep their place: they start at src's offset of `start` (0 for the root).
 * One light pass sizes the left group, then one branch-free pass copies every row to its side.
 */
export function reorderEntries(
  srcPtr: Int32Array,
  srcIdx: Uint16Array,
  rows: Int32Array | null,
  dstPtr: Int32Array,
  dstIdx: Uint16Array,
  start: number,
  end: number,
  dir: Uint8Array,
): void {
  const base = rows === null ? srcPtr[start] : 0;
  let nLeft = 0, leftLen = 0;
  for (let i = start; i < end; i++) {
    const r = rows === null ? i : rows[i];
    const d = dir[i];
    nLeft += d;
    leftLen += d * (srcPtr[r + 1] - srcPtr[r]);
  }
  let pL = start, pR = start + nLeft, oL = base, oR = base + leftLen;
  for (let i = start; i < end; i++) {
    const r = rows === null ? i : rows[i];
    const d = dir[i];
    const a = srcPtr[r], e = srcPtr[r + 1];
    const o = oR + d * (oL - oR);
    dstPtr[pR + d * (pL - pR)] = o;
    const delta = o - a;
    let k = a;
    for (; k + 3 < e; k += 4) {
      dstIdx[k + delta] = srcIdx[k];
      dstIdx[k + 1 + delta] = srcIdx[k + 1];
      dstIdx[k + 2 + delta] = srcIdx[k + 2];
      dstIdx[k + 3 + delta] = srcIdx[k + 3];
    }
    for (; k < e; k++) dstIdx[k + delta] = srcIdx[k];
    const len = e - a;
    oL += d * len;
    oR += (1 - d) * len;
    pL += d;
    pR += 1 - d;
  }
  dstPtr[end] = oR;
}

/** Zeroes the block's bins in `hist`. */
export function clearBlock(block: BinnedBlock, hist: Float64Array): void {
  hist.fill(0, block.binStart << 1, (block.binStart + block.nBins) << 1);
}

/** Position-indexed copies of one block's entries (two, used alternately by tree level). */
export interface OrderedBlock {
  ptr: [Int32Array, Int32Array];
  idx: [Uint16Array, Uint16Array];
}

/** Allocates the two ordered buffers of every block (shared memory for helper workers). */
export function allocOrdered(matrix: BinnedMatrix, shared: boolean): OrderedBlock[] {
  const mk = (bytes: number) =>
    shared ? new SharedArrayBuffer(Math.max(8, bytes)) : new ArrayBuffer(Math.max(8, bytes));
  return matrix.blocks.map((b) => {
    const n = matrix.nRows + 1, nnz = b.idx.length;
    return {
      ptr: [new Int32Array(mk(4 * n), 0, n), new Int32Array(mk(4 * n), 0, n)],
      idx: [new Uint16Array(mk(2 * nnz), 0, nnz), new Uint16Array(mk(2 * nnz), 0, nnz)],
    };
  });
}

/**
 * Histogram and reorder work on a subset of blocks; used by the serial builder, by the calling
 * thread's share and by each helper worker of the parallel builder.
 */
export class BlockSet {
  constructor(
    readonly blocks: BinnedBlock[],
    readonly ordered: OrderedBlock[],
    readonly rows: Int32Array,
    readonly ogh: Float32Array,
    readonly dir: Uint8Array,
  ) {}

  /** Histogram of positions [start, end) of tree level `level` into `hist`. */
  build(start: number, end: number, level: number, hist: Float64Array): void {
    const buf = (level - 1) & 1;
    for (let j = 0; j < this.blocks.length; j++) {
      const b = this.blocks[j];
      clearBlock(b, hist);
      if (level === 0) accumulate(b.ptr, b.idx, b.binStart, this.rows, start, end, this.ogh, hist);
      else {
        const o = this.ordered[j];
        accumulate(o.ptr[buf], o.idx[buf], b.binStart, null, start, end, this.ogh, hist);
      }
    }
  }

  /** Moves entries of a node at `level` into level + 1's buffer, following `dir`. */
  reorder(start: number, end: number, level: number): void {
    const dst = level & 1, src = (level - 1) & 1;
    for (let j = 0; j < this.blocks.length; j++) {
      const b = this.blocks[j], o = this.ordered[j];
      if (level === 0) {
        reorderEntries(b.ptr, b.idx, this.rows, o.ptr[dst], o.idx[dst], start, end, this.dir);
      } else {
        reorderEntries(o.ptr[src], o.idx[src], null, o.ptr[dst], o.idx[dst], start, end, this.dir);
      }
    }
  }
}

/**
 * Gathers interleaved gradients of rows[start, end) into `out` at the same positions and
 * returns their sums through `sums` ([G, H], accumulated in double precision).
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
  for (let i = start; i < end; i++) {
    const r = rows[i] << 1;
    const g = gh[r], h = gh[r + 1];
    out[2 * i] = g;
    out[2 * i + 1] = h;
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

/** Builds node histograms and keeps node data contiguous; serial and parallel versions. */
export interface HistogramBuilder {
  readonly matrix: BinnedMatrix;
  /** Position → row id; the grower partitions it in place (shared for parallel builders). */
  readonly rows: Int32Array;
  /** Interleaved gradients by position, permuted together with `rows`. */
  readonly ogh: Float32Array;
  /** Split direction by position (1 = left), filled by the grower before `reorder`. */
  readonly dir: Uint8Array;
  readonly pool: HistPool;
  /** Fills pool buffer `target` with the histogram of positions [start, end) at `level`. */
  build(start: number, end: number, level: number, target: number): void;
  /** Moves the node's entries into the next level's buffer, `dir = 1` positions first. */
  reorder(start: number, end: number, level: number): void;
  close(): void;
}

/** Builder that does all the work in the calling thread. */
export class SerialHistogramBuilder implements HistogramBuilder {
  readonly rows: Int32Array;
  readonly ogh: Float32Array;
  readonly dir: Uint8Array;
  readonly pool: HistPool;
  readonly #set: BlockSet;
  constructor(readonly matrix: BinnedMatrix, maxDepth: number) {
    const n = matrix.nRows;
    this.rows = new Int32Array(n);
    this.ogh = new Float32Array(2 * n);
    this.dir = new Uint8Array(n);
    this.pool = new HistPool(2 * matrix.totalBins, false, maxLiveHistograms(maxDepth, n));
    this.#set = new BlockSet(
      matrix.blocks,
      allocOrdered(matrix, false),
      this.rows,
      this.ogh,
      this.dir,
    );
  }
  build(start: number, end: number, level: number, target: number): void {
    this.#set.build(start, end, level, this.pool.view(target));
  }
  reorder(start: number, end: number, level: number): void {
    this.#set.reorder(start, end, level);
  }
  close(): void {}
}
