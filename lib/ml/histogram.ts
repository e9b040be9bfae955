/**
 * Gradient/hessian histograms: for a node, per global value bin, Σ grad and Σ hess of its rows,
 * stored interleaved in a Float64Array (`[g0, h0, g1, h1, …]`, XGBoost keeps doubles too).
 *
 * A node's rows are a contiguous range of positions of the grower's row-index array (in
 * ascending row order: the partition is stable), and the kernel reads each row's gradients by
 * row id and scatters the row's CSR entries into a block histogram that stays in cache. A
 * tree's root on all rows has the identity as its row list, so it gets a kernel without the
 * indirection ({@link accumulateRange}). The parallel builder runs the WebAssembly SIMD
 * versions of both kernels (wasm/hist_kernels.ts; bit-identical sums, one f64x2 add per entry
 * instead of two scalar read-modify-writes): 734,400 rows × 100 features, 80 % missing, one
 * thread: root 23.9 → 14.8 ms, a node of 25 % of the rows 6.7 → 5.3 ms; training (100
 * rounds, depth 5, 2 threads) 6.55 → 5.19 s with the split-finding change of grower.ts. The
 * serial builder (`n_threads` 1) runs them too ({@link createSerialBuilder}): 50 rounds
 * 5.28 → 4.86 s.
 * (Gradients used to be kept in position order, permuted with the rows at every split —
 * "ordered gradients". The gather by row id costs the kernel 2–10 % per node on 734k × 100
 * node subsets, ~15 % at the root in training, but the partition then moves 4 bytes per row
 * instead of 12 and the root needs no gather: net faster, figures in partition.ts.)
 *
 * (Also tried: moving every node's CSR entries into a contiguous buffer at each split, so deep
 * nodes read sequentially instead of chasing scattered rows. Copying the entries cost more than
 * the cache misses it saved: 10–40 % slower end to end on both benchmark shapes.)
 *
 * @module
 */

import type { AllocCtor, BinnedBlock, BinnedMatrix } from "./binned_matrix.ts";
import type { SplitInfo, SplitParams } from "./split.ts";
import { type HistKernels, histKernels, SharedArena } from "./wasm/hist_kernels.ts";

/**
 * Accumulates rows[start, end) of one block into `hist` (which must be zero on the block's
 * bins); `gh` holds the interleaved gradients by row id.
 */
export function accumulate(
  ptr: Int32Array,
  idx: Uint16Array,
  binStart: number,
  rows: Int32Array,
  start: number,
  end: number,
  gh: Float32Array,
  hist: Float64Array,
): void {
  const base = binStart << 1;
  for (let i = start; i < end; i++) {
    const r = rows[i];
    const g = gh[2 * r], h = gh[2 * r + 1];
    const e = ptr[r + 1];
    for (let k = ptr[r]; k < e; k++) {
      const b = base + (idx[k] << 1);
      hist[b] += g;
      hist[b + 1] += h;
    }
  }
}

/**
 * {@link accumulate} for rows a … b − 1 themselves (the root of a tree on all rows, whose
 * row list is the identity): no row-id indirection and one running entry cursor. Same sums in
 * the same order, so the same histogram bit for bit.
 */
export function accumulateRange(
  ptr: Int32Array,
  idx: Uint16Array,
  binStart: number,
  a: number,
  b: number,
  gh: Float32Array,
  hist: Float64Array,
): void {
  const base = binStart << 1;
  let k = ptr[a];
  for (let r = a; r < b; r++) {
    const g = gh[2 * r], h = gh[2 * r + 1];
    const e = ptr[r + 1];
    for (; k < e; k++) {
      const bin = base + (idx[k] << 1);
      hist[bin] += g;
      hist[bin + 1] += h;
    }
  }
}

/** Zeroes the block's bins in `hist`. */
export function clearBlock(block: BinnedBlock, hist: Float64Array): void {
  hist.fill(0, block.binStart << 1, (block.binStart + block.nBins) << 1);
}

/**
 * Histogram work on a subset of blocks; used by the serial builder, by the calling thread's
 * share and by each helper worker of the parallel builder. With `wasm` (wasm/hist_kernels.ts)
 * the blocks, `rows`, `gh` and every target histogram must be arrays of the kernels' memory.
 */
export class BlockSet {
  constructor(
    readonly blocks: BinnedBlock[],
    readonly rows: Int32Array,
    readonly gh: Float32Array,
    readonly wasm: HistKernels | null = null,
  ) {}

  /**
   * Histogram of positions [start, end) into `hist`; `identity`: rows[i] = i there (the
   * caller guarantees it), so the kernel skips the row list.
   */
  build(start: number, end: number, hist: Float64Array, identity = false): void {
    const w = this.wasm;
    for (const b of this.blocks) {
      clearBlock(b, hist);
      if (w) {
        const { ptr, idx, binStart } = b, gh = this.gh.byteOffset, h = hist.byteOffset;
        if (identity) {
          w.accumulateRange(ptr.byteOffset, idx.byteOffset, binStart, start, end, gh, h);
        } else {
          const rows = this.rows.byteOffset;
          w.accumulate(ptr.byteOffset, idx.byteOffset, binStart, rows, start, end, gh, h);
        }
      } else if (identity) {
        accumulateRange(b.ptr, b.idx, b.binStart, start, end, this.gh, hist);
      } else accumulate(b.ptr, b.idx, b.binStart, this.rows, start, end, this.gh, hist);
    }
  }
}

/**
 * Sums of the interleaved gradients of rows[start, end) into `sums` ([G, H], accumulated in
 * double precision, in position order).
 */
export function gradientSums(
  gh: Float32Array,
  rows: Int32Array,
  start: number,
  end: number,
  sums: Float64Array,
): void {
  let G = 0, H = 0;
  for (let i = start; i < end; i++) {
    const r = rows[i] << 1;
    G += gh[r];
    H += gh[r + 1];
  }
  sums[0] = G;
  sums[1] = H;
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
  /** Byte offset of entry 0 in `buffer`. */
  readonly byteOffset: number;
  readonly maxBuffers: number;
  #views: Float64Array[] = [];
  #free: number[] = [];

  /**
   * `region`: a shared pool carved from this array (of at least histLen × maxBuffers, e.g.
   * in the wasm kernels' memory) instead of a SharedArrayBuffer of its own.
   */
  constructor(histLen: number, shared: boolean, maxBuffers: number, region?: Float64Array) {
    this.histLen = Math.max(2, histLen);
    this.maxBuffers = maxBuffers;
    if (region && region.length < this.histLen * maxBuffers) {
      throw new RangeError("histogram pool region too small");
    }
    this.buffer = region
      ? region.buffer as SharedArrayBuffer
      : shared
      ? new SharedArrayBuffer(this.histLen * 8 * maxBuffers)
      : null;
    this.byteOffset = region ? region.byteOffset : 0;
  }

  /** Index of a free buffer (contents undefined). */
  acquire(): number {
    const f = this.#free.pop();
    if (f !== undefined) return f;
    const i = this.#views.length;
    if (i >= this.maxBuffers) throw new Error(`histogram pool exhausted (${this.maxBuffers})`);
    this.#views.push(
      this.buffer
        ? new Float64Array(this.buffer, this.byteOffset + i * this.histLen * 8, this.histLen)
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

/** Builds node histograms; serial and parallel versions. */
export interface HistogramBuilder {
  readonly matrix: BinnedMatrix;
  /** Position → row id; the grower partitions it in place (shared for parallel builders). */
  readonly rows: Int32Array;
  /** Interleaved gradients by row id ([g0, h0, g1, h1, …]), the booster's gradient array. */
  readonly gh: Float32Array;
  readonly pool: HistPool;
  /**
   * Fills pool buffer `target` with the histogram of positions [start, end); `identity`:
   * rows[i] = i on that range (a tree's root on all rows).
   */
  build(start: number, end: number, target: number, identity?: boolean): void;
  /**
   * Parallel builders only: {@link findBestSplit} of two nodes (histogram buffers `a` and
   * `b`, totals G/H) at once, `b` on a helper; the same results as two serial calls.
   */
  findSplitPair?(
    a: number,
    aG: number,
    aH: number,
    b: number,
    bG: number,
    bH: number,
    featureMask: Uint8Array | null,
    p: SplitParams,
    outA: SplitInfo,
    outB: SplitInfo,
  ): void;
  /**
   * Parallel builders only: the shared margin array (per row) that the booster must use, and
   * `gradients` to compute all of `gh` from it across the threads (with `resetRows`, `rows`
   * is reset to the identity on the way).
   */
  readonly margin?: Float32Array;
  gradients?(scalePosWeight: number, resetRows?: boolean): void;
  /**
   * Parallel builders with kept codes: partition.ts's `applyLeafSplit` on positions
   * [start, end) across the threads (into `margin`).
   */
  leafSplit?(
    start: number,
    end: number,
    feature: number,
    goLeft: Uint8Array,
    valueLeft: number,
    valueRight: number,
  ): void;
  /**
   * Parallel builders with kept codes: stable partition of positions [start, end) by
   * `goLeft[codes[feature][row]]` across the threads; returns the first right position,
   * exactly as `partitionCodes`.
   */
  partition?(start: number, end: number, feature: number, goLeft: Uint8Array): number;
  close(): void;
}

/** Builder that does all the work in the calling thread. */
export class SerialHistogramBuilder implements HistogramBuilder {
  readonly rows: Int32Array;
  readonly gh: Float32Array;
  readonly pool: HistPool;
  readonly #set: BlockSet;
  /**
   * With `arena` (whose memory must hold the matrix's blocks) the rows, gradients and pool are
   * taken from it too and the wasm kernels run; see {@link createSerialBuilder}.
   */
  constructor(readonly matrix: BinnedMatrix, maxDepth: number, arena: SharedArena | null = null) {
    const n = matrix.nRows;
    const histLen = Math.max(2, 2 * matrix.totalBins), maxBuffers = maxLiveHistograms(maxDepth, n);
    const kernels = arena ? histKernels(arena.memory) : null;
    if (arena && kernels) {
      this.rows = arena.alloc(Int32Array, n);
      this.gh = arena.alloc(Float32Array, 2 * n);
      const region: Float64Array = arena.alloc(Float64Array, histLen * maxBuffers);
      this.pool = new HistPool(histLen, true, maxBuffers, region);
    } else {
      this.rows = new Int32Array(n);
      this.gh = new Float32Array(2 * n);
      this.pool = new HistPool(histLen, false, maxBuffers);
    }
    this.#set = new BlockSet(matrix.blocks, this.rows, this.gh, kernels);
  }
  build(start: number, end: number, target: number, identity = false): void {
    this.#set.build(start, end, this.pool.view(target), identity);
  }
  close(): void {}
}

/**
 * A serial builder on the wasm kernels where they run: `matrixOf` builds the matrix with the
 * given allocator (pass it to the matrix options as `alloc`). Without WebAssembly SIMD /
 * shared memory, or beyond 4 GiB, the JS kernels on ordinary arrays.
 */
export function createSerialBuilder(
  matrixOf: (alloc?: <T>(Ctor: AllocCtor<T>, n: number) => T) => BinnedMatrix,
  maxDepth: number,
): SerialHistogramBuilder {
  const arena = SharedArena.create();
  if (arena) {
    try {
      return new SerialHistogramBuilder(matrixOf((C, n) => arena.alloc(C, n)), maxDepth, arena);
    } catch (err) {
      if (!(err instanceof RangeError && /arena full/.test(err.message))) throw err;
    }
  }
  return new SerialHistogramBuilder(matrixOf(), maxDepth);
}
