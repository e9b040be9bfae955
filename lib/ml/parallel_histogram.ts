/**
 * Multi-threaded histogram building (`n_threads > 1`): the binned matrix, the row-index and
 * gradient arrays and the histograms live on SharedArrayBuffers and `n_threads − 1` helper
 * workers (`hist_worker.ts`) share each node's histogram with the calling thread, split one of
 * two ways:
 *
 * - by rows (few feature blocks, e.g. 200k × 50): each thread builds all features for a slice
 *   of the node's rows into its own buffer and the caller adds them up. Splitting by features
 *   would make every thread pay the per-row cost (row offsets, cache misses) in full, which
 *   is most of the cost at depth ≥ 2 — measured slower than one thread.
 * - by features (many blocks, e.g. Bosch-wide 968 columns): each thread owns feature blocks
 *   balanced by entry count and writes them straight into the target; no reduction pass.
 *
 * The helpers also compute the logistic gradients (and reset the row order) of their row slice,
 * partition their slice of a node's rows, add leaf values to their slice's margins (LEAVES,
 * for splits whose children are leaves) and find the best split of a split's right child while
 * the calling thread does the left one (SPLIT; split finding was ~8 % of training, all on the
 * calling thread). Measured at 734,400 × 100, 100 rounds: split finding 0.51–0.53 →
 * 0.42–0.45 s, not half: the helper has usually gone to sleep by then and waking it costs
 * about one node's scan (spinning ~1.5 ms instead of ~15 µs before sleeping took it to
 * 0.39–0.40 s but training only ~2 % faster, within noise, for a busy core: not kept).
 *
 * Where WebAssembly SIMD and shared wasm memory are available, everything the histogram kernel
 * touches (CSR blocks, row ids, gradients, histogram pool, helper scratch) is carved from one
 * shared `WebAssembly.Memory` (wasm/hist_kernels.ts's SharedArena; a wasm instance can only
 * address its own memory) and every thread runs the wasm kernels over it; otherwise, or beyond
 * 4 GiB, the JS kernels on SharedArrayBuffers.
 *
 * A build is announced by bumping a sequence number in a shared Int32Array (Atomics.notify)
 * and joined with Atomics.wait on a done counter. Results are deterministic for a given
 * `n_threads`; the feature split is bit-identical to one thread, the row split sums in a
 * different order (differences at float rounding level, as XGBoost across thread counts).
 *
 * @module
 */

import { WorkerClient } from "../worker/mod.ts";
import type { BinMapper } from "./binning.ts";
import type { BinnedTrainData, TrainData } from "./model.ts";
import {
  type AllocCtor,
  type BinnedCodes,
  type BinnedMatrix,
  binnedMatrixFromCodes,
  buildBinnedMatrix,
} from "./binned_matrix.ts";
import { logisticGradients } from "./gradients.ts";
import { findBestSplit, type SplitInfo, type SplitParams } from "./split.ts";
import { applyLeafSplit, mergeSlices, partitionCodes, partitionSlice } from "./partition.ts";
import {
  BlockSet,
  type HistogramBuilder,
  HistPool,
  maxLiveHistograms,
  SerialHistogramBuilder,
} from "./histogram.ts";
import { type HistKernels, histKernels, SharedArena } from "./wasm/hist_kernels.ts";

/** Control-array slots shared with hist_worker.ts. */
export const CTRL = {
  SEQ: 0,
  DONE: 1,
  START: 2,
  END: 3,
  TARGET: 4,
  CMD: 5,
  /** GRADIENTS: 1 = reset the thread's slice of `rows` to the identity too. */
  ARG: 6,
  SIZE: 8,
} as const;
/** Commands in CTRL.CMD. */
export const CMD = { BUILD: 1, EXIT: 2, GRADIENTS: 3, PARTITION: 4, LEAVES: 5, SPLIT: 6 } as const;

/**
 * SPLIT command I/O: `params` = [λ, α, min_child_weight, γ, G, H, hasMask], `mask` = the
 * feature mask, `result` = [gain, feature, bin, defaultLeft, gl, hl, gr, hr].
 */
export const SPLIT_PARAMS = 7, SPLIT_RESULT = 8;

/** A typed array as a helper re-creates it (its elements, not the whole buffer). */
export interface SharedSlice {
  buffer: SharedArrayBuffer;
  byteOffset: number;
  length: number;
}

/** The slice `a` views. */
export function sliceOf(a: Int32Array | Uint16Array | Float32Array | Float64Array): SharedSlice {
  return { buffer: a.buffer as SharedArrayBuffer, byteOffset: a.byteOffset, length: a.length };
}

/** The one call a helper worker gets; it answers, then serves builds over `ctrl`. */
export interface HelperInit {
  /** "rows": build all blocks for my row slice into `scratch`; "features": my blocks → target. */
  mode: "rows" | "features";
  thread: number;
  nThreads: number;
  blocks: {
    ptr: SharedSlice;
    idx: SharedSlice;
    binStart: number;
    nBins: number;
  }[];
  rows: SharedSlice;
  /** All pool entries (histLen × maxBuffers float64). */
  pool: SharedSlice;
  scratch: SharedSlice | null;
  histLen: number;
  /**
   * The wasm kernels' memory when every array above (and `gradients.gh`) lives in it; the
   * helper instantiates the kernels over it. Null: the JS kernels.
   */
  memory: WebAssembly.Memory | null;
  ctrl: SharedArrayBuffer;
  /**
   * Shared arrays of the logistic gradients; `params[0]` = scale_pos_weight of the call,
   * `params[1..2]` = the leaf values of a LEAVES call.
   */
  gradients: {
    nRows: number;
    margin: SharedArrayBuffer;
    gh: SharedSlice;
    labels: SharedArrayBuffer;
    weights: SharedArrayBuffer | null;
    params: SharedArrayBuffer;
  };
  /** Split finding on a helper: the matrix's feature → bin layout and the SPLIT I/O arrays. */
  split: {
    featBinStart: Int32Array;
    params: SharedArrayBuffer;
    mask: SharedArrayBuffer;
    result: SharedArrayBuffer;
  };
  /** Shared arrays of the partition (null when the matrix kept no codes). */
  partition: {
    /** Code columns, feature f at byte f × nRows. */
    codes: SharedArrayBuffer;
    tmp: SharedArrayBuffer;
    goLeft: SharedArrayBuffer;
    /** Left count of each thread's slice. */
    lefts: SharedArrayBuffer;
  } | null;
}

/** Row slice [a, b) of thread t out of n for positions [start, end). */
export function rowSlice(start: number, end: number, t: number, n: number): [number, number] {
  const len = end - start;
  return [start + Math.floor((len * t) / n), start + Math.floor((len * (t + 1)) / n)];
}

/** rows[a, b) = a … b − 1. */
export function identityRows(rows: Int32Array, a: number, b: number): void {
  for (let i = a; i < b; i++) rows[i] = i;
}

/** Below this many stored entries in a node, waking helpers costs more than it saves. */
const MIN_PARALLEL_ENTRIES = 1 << 15;
/** Below this many rows a node is partitioned by the calling thread alone. */
const MIN_PARALLEL_PARTITION_ROWS = 1 << 15;
/** Longest a single node's histogram may take before helpers are presumed dead. */
const HELPER_TIMEOUT_MS = 120_000;
const MAX_SHARED_POOL_BYTES = 2 ** 31;

class ParallelHistogramBuilder implements HistogramBuilder {
  readonly #ctrl: Int32Array;
  readonly #workers: WorkerClient[];
  readonly #mine: BlockSet;
  readonly #all: BlockSet;
  readonly #scratch: Float64Array[];
  readonly #avgEntries: number;
  readonly #split: { params: Float64Array; mask: Uint8Array; result: Float64Array };
  #closed = false;

  constructor(
    readonly matrix: BinnedMatrix,
    readonly mode: "rows" | "features",
    workers: WorkerClient[],
    mine: BlockSet,
    all: BlockSet,
    scratch: Float64Array[],
    ctrl: Int32Array,
    readonly rows: Int32Array,
    readonly pool: HistPool,
    readonly margin: Float32Array,
    readonly gh: Float32Array,
    readonly gradientInputs: {
      labels: Uint8Array;
      weights: Float32Array | undefined;
      params: Float64Array;
    },
    readonly partitionState: {
      tmp: Int32Array;
      goLeft: Uint8Array;
      lefts: Int32Array;
    } | null,
    split: { params: Float64Array; mask: Uint8Array; result: Float64Array },
  ) {
    this.#workers = workers;
    this.#mine = mine;
    this.#all = all;
    this.#scratch = scratch;
    this.#ctrl = ctrl;
    this.#split = split;
    let total = 0;
    for (const b of matrix.blocks) total += b.ptr[matrix.nRows];
    this.#avgEntries = total / Math.max(1, matrix.nRows);
  }

  build(start: number, end: number, target: number, identity = false): void {
    const hist = this.pool.view(target);
    if ((end - start) * this.#avgEntries < MIN_PARALLEL_ENTRIES) {
      this.#all.build(start, end, hist, identity);
      return;
    }
    this.#ctrl[CTRL.ARG] = identity ? 1 : 0;
    this.#run(CMD.BUILD, start, end, target);
    if (this.mode === "features") {
      this.#mine.build(start, end, hist, identity);
      this.#join();
      return;
    }
    const n = this.#workers.length + 1;
    const [a, b] = rowSlice(start, end, 0, n);
    this.#all.build(a, b, hist, identity);
    this.#join();
    // Fixed order of addition → the same result for the same thread count.
    for (const s of this.#scratch) {
      for (let i = 0; i < hist.length; i++) hist[i] += s[i];
    }
  }

  findSplitPair(
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
  ): void {
    const { params, mask, result } = this.#split;
    params[0] = p.lambda;
    params[1] = p.alpha;
    params[2] = p.minChildWeight;
    params[3] = p.gamma;
    params[4] = bG;
    params[5] = bH;
    params[6] = featureMask ? 1 : 0;
    if (featureMask) mask.set(featureMask);
    this.#run(CMD.SPLIT, 0, 0, b);
    const fbs = this.matrix.featBinStart;
    findBestSplit(this.pool.view(a), fbs, featureMask, aG, aH, p, outA);
    this.#join();
    splitFromArray(result, outB);
  }

  /** Logistic gradients of every row, each thread on its row slice (bit-identical to serial). */
  gradients(scalePosWeight: number, resetRows = false): void {
    const { labels, weights, params } = this.gradientInputs;
    const n = this.matrix.nRows;
    params[0] = scalePosWeight;
    this.#ctrl[CTRL.ARG] = resetRows ? 1 : 0;
    this.#run(CMD.GRADIENTS, 0, n, 0);
    const [a, b] = rowSlice(0, n, 0, this.#workers.length + 1);
    logisticGradients(this.margin, labels, weights, scalePosWeight, this.gh, a, b);
    if (resetRows) identityRows(this.rows, a, b);
    this.#join();
  }

  leafSplit(
    start: number,
    end: number,
    feature: number,
    goLeft: Uint8Array,
    valueLeft: number,
    valueRight: number,
  ): void {
    const codes = this.matrix.codes![feature];
    const margin = this.margin;
    if (end - start < MIN_PARALLEL_PARTITION_ROWS) {
      applyLeafSplit(this.rows, start, end, codes, goLeft, valueLeft, valueRight, margin);
      return;
    }
    const { params } = this.gradientInputs;
    this.partitionState!.goLeft.set(goLeft);
    params[1] = valueLeft;
    params[2] = valueRight;
    this.#run(CMD.LEAVES, start, end, feature);
    const [a, b] = rowSlice(start, end, 0, this.#workers.length + 1);
    applyLeafSplit(this.rows, a, b, codes, goLeft, valueLeft, valueRight, margin);
    this.#join();
  }

  partition(start: number, end: number, feature: number, goLeft: Uint8Array): number {
    const st = this.partitionState!;
    const codes = this.matrix.codes![feature];
    const rows = this.rows;
    if (end - start < MIN_PARALLEL_PARTITION_ROWS) {
      return partitionCodes(rows, st.tmp, start, end, codes, goLeft);
    }
    st.goLeft.set(goLeft);
    this.#run(CMD.PARTITION, start, end, feature);
    const n = this.#workers.length + 1;
    const bounds = new Int32Array(n + 1);
    for (let t = 0; t < n; t++) bounds[t] = rowSlice(start, end, t, n)[0];
    bounds[n] = end;
    st.lefts[0] = partitionSlice(rows, st.tmp, bounds[0], bounds[1], codes, goLeft);
    this.#join();
    return mergeSlices(rows, st.tmp, bounds, st.lefts.subarray(0, n));
  }

  #run(cmd: number, start: number, end: number, target: number): void {
    const c = this.#ctrl;
    c[CTRL.START] = start;
    c[CTRL.END] = end;
    c[CTRL.TARGET] = target;
    c[CTRL.CMD] = cmd;
    Atomics.store(c, CTRL.DONE, 0);
    Atomics.add(c, CTRL.SEQ, 1);
    Atomics.notify(c, CTRL.SEQ);
  }

  #join(): void {
    const c = this.#ctrl;
    const n = this.#workers.length;
    let deadline = 0;
    for (let spin = 0;; spin++) {
      const d = Atomics.load(c, CTRL.DONE);
      if (d >= n) break;
      if (spin > 200) {
        // A helper that died (e.g. out of memory) must not hang training forever.
        if (deadline === 0) deadline = Date.now() + HELPER_TIMEOUT_MS;
        else if (Date.now() > deadline) {
          this.close();
          throw new Error("a histogram helper worker stopped responding");
        }
        Atomics.wait(c, CTRL.DONE, d, 50);
      }
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const c = this.#ctrl;
    c[CTRL.CMD] = CMD.EXIT;
    Atomics.add(c, CTRL.SEQ, 1);
    Atomics.notify(c, CTRL.SEQ);
    for (const w of this.#workers) w.terminate();
  }
}

/** Longest-processing-time assignment of blocks (weights = entries) to `n` threads. */
function assignBlocks(weights: number[], n: number): number[][] {
  const order = weights.map((w, i) => [w, i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const load = new Array(n).fill(0);
  const out: number[][] = Array.from({ length: n }, () => []);
  for (const [w, i] of order) {
    let t = 0;
    for (let k = 1; k < n; k++) if (load[k] < load[t]) t = k;
    load[t] += w;
    out[t].push(i);
  }
  for (const o of out) o.sort((a, b) => a - b);
  return out;
}

/**
 * The `nThreads − 1` helper workers of a parallel builder, started ahead of it (a worker takes
 * a while to load its module; a caller that bins data first can start them before).
 */
export function spawnHistogramHelpers(nThreads: number, cancelFlag?: Int32Array): WorkerClient[] {
  const workers: WorkerClient[] = [];
  for (let k = 1; k < nThreads; k++) {
    workers.push(
      WorkerClient.spawn(new URL("./hist_worker.ts", import.meta.url), {
        name: `hist-${k}`,
        cancelFlag,
        // A binning call's input errors (e.g. ±Infinity) keep their class.
        reviveError: (info) =>
          info.name === "RangeError" ? new RangeError(info.message) : undefined,
      }),
    );
  }
  return workers;
}

/**
 * The codes as helpers address them (feature f at byte f × nRows of one SharedArrayBuffer):
 * as given when they already are, else copied once.
 */
function sharedCodes(b: BinnedCodes, nRows: number): BinnedCodes {
  const buf = b.codes[0]?.buffer;
  const ok = buf instanceof SharedArrayBuffer &&
    b.codes.every((c, f) => c.buffer === buf && c.byteOffset === f * nRows && c.length === nRows);
  if (ok) return b;
  const all = new Uint8Array(new SharedArrayBuffer(Math.max(1, b.codes.length * nRows)));
  const codes = b.codes.map((c, f) => {
    const v = all.subarray(f * nRows, (f + 1) * nRows);
    v.set(c.subarray(0, nRows));
    return v;
  });
  return { codes, nnz: b.nnz };
}

/**
 * Creates a builder using `nThreads` threads (the caller + helpers); falls back to the serial
 * builder when the shared histogram pool would be unreasonably large (very deep trees).
 */
export async function createParallelBuilder(
  mapper: BinMapper,
  data: TrainData | BinnedTrainData,
  nThreads: number,
  maxDepth: number,
  options: {
    maxBlockBins?: number;
    cancelFlag?: Int32Array;
    keepCodes?: boolean;
    /** Helpers from {@link spawnHistogramHelpers} (taken over: terminated with the builder). */
    helpers?: WorkerClient[];
    /** false: the JS histogram kernels even where the wasm ones run (tests compare both). */
    wasm?: boolean;
  } = {},
): Promise<HistogramBuilder> {
  // Helpers are spawned first: they load their module while this thread bins the data.
  // The owner's cancel flag (when training runs in a worker) reaches the helpers: they exit
  // when it is set even though nobody can terminate them any more.
  const workers = options.helpers?.length === nThreads - 1
    ? options.helpers
    : spawnHistogramHelpers(nThreads, options.cancelFlag);
  if (workers !== options.helpers) { for (const w of options.helpers ?? []) w.terminate(); }
  let arrays: SharedArrays;
  try {
    const arena = options.wasm === false ? null : SharedArena.create();
    try {
      arrays = sharedArrays(mapper, data, nThreads, maxDepth, options, arena);
    } catch (err) {
      // Beyond a wasm32 memory (4 GiB): the JS kernels on SharedArrayBuffers.
      if (!arena || !(err instanceof RangeError && /arena full/.test(err.message))) throw err;
      arrays = sharedArrays(mapper, data, nThreads, maxDepth, options, null);
    }
  } catch (err) {
    for (const w of workers) w.terminate();
    throw err;
  }
  const { matrix, arena, rows, pool, gh, scratch, mode, parts } = arrays;
  const n = data.nRows;
  if (pool === null) {
    for (const w of workers) w.terminate();
    return new SerialHistogramBuilder(matrix, maxDepth);
  }
  const ctrl = new Int32Array(new SharedArrayBuffer(CTRL.SIZE * 4));
  const sharedCopy = <T extends Float32Array | Uint8Array>(
    Ctor: { new (b: SharedArrayBuffer, o: number, n: number): T; BYTES_PER_ELEMENT: number },
    src: T,
  ): T => {
    const out = new Ctor(new SharedArrayBuffer(Math.max(1, n) * Ctor.BYTES_PER_ELEMENT), 0, n);
    out.set(src.subarray(0, n));
    return out;
  };
  const margin = new Float32Array(new SharedArrayBuffer(Math.max(1, n) * 4), 0, n);
  const codes = matrix.codes;
  const partitionState = codes
    ? {
      tmp: new Int32Array(new SharedArrayBuffer(Math.max(1, n) * 4), 0, n),
      goLeft: new Uint8Array(new SharedArrayBuffer(256)),
      lefts: new Int32Array(new SharedArrayBuffer(4 * nThreads)),
    }
    : null;
  const gradientInputs = {
    labels: sharedCopy(Uint8Array, data.labels),
    weights: data.weights ? sharedCopy(Float32Array, data.weights) : undefined,
    params: new Float64Array(new SharedArrayBuffer(3 * 8)),
  };
  const sab = (a: ArrayBufferView) => a.buffer as SharedArrayBuffer;
  const split = {
    params: new Float64Array(new SharedArrayBuffer(SPLIT_PARAMS * 8)),
    mask: new Uint8Array(new SharedArrayBuffer(Math.max(1, matrix.nFeatures))),
    result: new Float64Array(new SharedArrayBuffer(SPLIT_RESULT * 8)),
  };
  const poolAll = new Float64Array(pool.buffer!, pool.byteOffset, pool.histLen * pool.maxBuffers);
  try {
    await Promise.all(
      parts.slice(1).map((part, k) => {
        const w = workers[k];
        const init: HelperInit = {
          mode,
          thread: k + 1,
          nThreads,
          blocks: part.map((i) => {
            const b = matrix.blocks[i];
            return {
              ptr: sliceOf(b.ptr),
              idx: sliceOf(b.idx),
              binStart: b.binStart,
              nBins: b.nBins,
            };
          }),
          rows: sliceOf(rows),
          pool: sliceOf(poolAll),
          scratch: mode === "rows" ? sliceOf(scratch[k]) : null,
          histLen: pool.histLen,
          memory: arena?.memory ?? null,
          ctrl: sab(ctrl),
          gradients: {
            nRows: n,
            margin: sab(margin),
            gh: sliceOf(gh),
            labels: sab(gradientInputs.labels),
            weights: gradientInputs.weights ? sab(gradientInputs.weights) : null,
            params: sab(gradientInputs.params),
          },
          split: {
            featBinStart: matrix.featBinStart,
            params: sab(split.params),
            mask: sab(split.mask),
            result: sab(split.result),
          },
          partition: partitionState && codes
            ? {
              codes: codes[0]?.buffer as SharedArrayBuffer,
              tmp: sab(partitionState.tmp),
              goLeft: sab(partitionState.goLeft),
              lefts: sab(partitionState.lefts),
            }
            : null,
        };
        return w.call<HelperInit, "ready">(init).catch((err) => {
          throw new Error(`histogram worker failed to start: ${(err as Error).message}`);
        });
      }),
    );
  } catch (err) {
    for (const w of workers) w.terminate();
    throw err;
  }
  const kernels: HistKernels | null = arena ? histKernels(arena.memory) : null;
  const subset = (ids: number[]) =>
    new BlockSet(ids.map((i) => matrix.blocks[i]), rows, gh, kernels);
  return new ParallelHistogramBuilder(
    matrix,
    mode,
    workers,
    subset(parts[0]),
    subset(matrix.blocks.map((_, i) => i)),
    scratch,
    ctrl,
    rows,
    pool,
    margin,
    gh,
    gradientInputs,
    partitionState,
    split,
  );
}

/** What the histogram kernels touch, allocated together (in `arena` when given). */
interface SharedArrays {
  matrix: BinnedMatrix;
  arena: SharedArena | null;
  rows: Int32Array;
  gh: Float32Array;
  /** null: the pool would be too large (use the serial builder). */
  pool: HistPool | null;
  scratch: Float64Array[];
  mode: "rows" | "features";
  /** Blocks of each thread. */
  parts: number[][];
}

function sharedArrays(
  mapper: BinMapper,
  data: TrainData | BinnedTrainData,
  nThreads: number,
  maxDepth: number,
  options: { maxBlockBins?: number; keepCodes?: boolean },
  arena: SharedArena | null,
): SharedArrays {
  const alloc = <T>(Ctor: AllocCtor<T>, len: number): T =>
    arena
      ? arena.alloc(Ctor, len)
      : new Ctor(new SharedArrayBuffer(Math.max(1, len) * Ctor.BYTES_PER_ELEMENT), 0, len);
  const matrixOptions = {
    shared: true,
    maxBlockBins: options.maxBlockBins,
    alloc: arena ? alloc : undefined,
  };
  const matrix = "codes" in data
    ? binnedMatrixFromCodes(mapper, sharedCodes(data, data.nRows), data.nRows, matrixOptions)
    : buildBinnedMatrix(mapper, data.columns, data.nRows, {
      ...matrixOptions,
      keepCodes: options.keepCodes,
    });
  const n = data.nRows;
  const histLen = 2 * matrix.totalBins;
  const maxBuffers = maxLiveHistograms(maxDepth, n);
  const mode = matrix.blocks.length >= 2 * nThreads ? "features" : "rows";
  const parts = mode === "features"
    ? assignBlocks(matrix.blocks.map((b) => b.ptr[n]), nThreads)
    : Array.from({ length: nThreads }, () => matrix.blocks.map((_, i) => i));
  const rows = alloc(Int32Array, n);
  const gh = alloc(Float32Array, 2 * n);
  // The shared pool is reserved up front (pages are committed on first use); very deep trees
  // on wide data would need too much address space, so they use the serial builder.
  if (8 * histLen * maxBuffers > MAX_SHARED_POOL_BYTES || matrix.blocks.length === 0) {
    return { matrix, arena, rows, gh, pool: null, scratch: [], mode, parts };
  }
  const poolLen = Math.max(2, histLen);
  const pool = new HistPool(histLen, true, maxBuffers, alloc(Float64Array, poolLen * maxBuffers));
  const scratch = mode === "rows" ? parts.slice(1).map(() => alloc(Float64Array, poolLen)) : [];
  return { matrix, arena, rows, gh, pool, scratch, mode, parts };
}

/** A SPLIT command's result array ← `s`. */
export function splitToArray(s: SplitInfo, out: Float64Array): void {
  out[0] = s.gain;
  out[1] = s.feature;
  out[2] = s.bin;
  out[3] = s.defaultLeft ? 1 : 0;
  out[4] = s.gl;
  out[5] = s.hl;
  out[6] = s.gr;
  out[7] = s.hr;
}

/** `s` ← a SPLIT command's result array. */
export function splitFromArray(a: Float64Array, s: SplitInfo): void {
  s.gain = a[0];
  s.feature = a[1];
  s.bin = a[2];
  s.defaultLeft = a[3] === 1;
  s.gl = a[4];
  s.hl = a[5];
  s.gr = a[6];
  s.hr = a[7];
}
