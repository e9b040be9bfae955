/**
 * Multi-threaded histogram building (`n_threads > 1`): the binned matrix, the row-index and
 * gradient arrays and the histogram pool live on SharedArrayBuffers; `n_threads − 1` helper
 * workers (`hist_worker.ts`) each own a fixed set of feature blocks (balanced by entry count)
 * and the calling thread builds the rest. A build is announced by bumping a sequence number in
 * a shared Int32Array (Atomics.notify) and joined with Atomics.wait on a done counter.
 *
 * Every histogram bin is summed by exactly one thread in row order, so the result is
 * bit-identical to the single-threaded builder (same model for the same seed).
 *
 * @module
 */

import type { BinMapper } from "./binning.ts";
import type { TrainData } from "./model.ts";
import { type BinnedMatrix, buildBinnedMatrix } from "./binned_matrix.ts";
import {
  BlockSet,
  type HistogramBuilder,
  HistPool,
  maxLiveHistograms,
  SerialHistogramBuilder,
} from "./histogram.ts";

/** Control-array slots shared with hist_worker.ts. */
export const CTRL = {
  SEQ: 0,
  DONE: 1,
  START: 2,
  END: 3,
  TARGET: 4,
  CMD: 5,
  SIZE: 8,
} as const;
/** Commands in CTRL.CMD. */
export const CMD = { BUILD: 1, EXIT: 2 } as const;

/** Init message of a helper worker. */
export interface HelperInit {
  type: "init";
  blocks: {
    ptr: SharedArrayBuffer;
    nPtr: number;
    idx: SharedArrayBuffer;
    nIdx: number;
    binStart: number;
    nBins: number;
  }[];
  rows: SharedArrayBuffer;
  ogh: SharedArrayBuffer;
  pool: SharedArrayBuffer;
  histLen: number;
  ctrl: SharedArrayBuffer;
}

/** Below this many stored entries in a node, waking helpers costs more than it saves. */
const MIN_PARALLEL_ENTRIES = 1 << 15;
/** Longest a single node's histogram may take before helpers are presumed dead. */
const HELPER_TIMEOUT_MS = 120_000;
const MAX_SHARED_POOL_BYTES = 2 ** 31;

class ParallelHistogramBuilder implements HistogramBuilder {
  readonly #ctrl: Int32Array;
  readonly #workers: Worker[];
  readonly #mine: BlockSet;
  readonly #all: BlockSet;
  readonly #avgEntries: number;
  #closed = false;

  constructor(
    readonly matrix: BinnedMatrix,
    workers: Worker[],
    mine: BlockSet,
    all: BlockSet,
    ctrl: Int32Array,
    readonly rows: Int32Array,
    readonly ogh: Float32Array,
    readonly pool: HistPool,
  ) {
    this.#workers = workers;
    this.#mine = mine;
    this.#all = all;
    this.#ctrl = ctrl;
    let total = 0;
    for (const b of matrix.blocks) total += b.ptr[matrix.nRows];
    this.#avgEntries = total / Math.max(1, matrix.nRows);
  }

  build(start: number, end: number, target: number): void {
    const hist = this.pool.view(target);
    if ((end - start) * this.#avgEntries < MIN_PARALLEL_ENTRIES) {
      this.#all.build(start, end, hist);
      return;
    }
    this.#run(CMD.BUILD, start, end, target);
    this.#mine.build(start, end, hist);
    this.#join();
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
 * Creates a builder using `nThreads` threads (the caller + helpers). Falls back to the serial
 * builder when there are fewer blocks than threads would need.
 */
export async function createParallelBuilder(
  mapper: BinMapper,
  data: TrainData,
  nThreads: number,
  maxDepth: number,
): Promise<HistogramBuilder> {
  const matrix = buildBinnedMatrix(mapper, data.columns, data.nRows, {
    shared: true,
    minBlocks: nThreads * 2,
  });
  const n = data.nRows;
  const poolBytes = 16 * matrix.totalBins * maxLiveHistograms(maxDepth, n);
  // The shared pool is reserved up front (pages are committed on first use); very deep trees
  // on wide data would need too much address space, so they use the serial builder.
  if (matrix.blocks.length < 2 || poolBytes > MAX_SHARED_POOL_BYTES) {
    return new SerialHistogramBuilder(matrix, maxDepth);
  }
  const rows = new Int32Array(new SharedArrayBuffer(Math.max(1, n) * 4), 0, n);
  const ogh = new Float32Array(new SharedArrayBuffer(Math.max(1, n) * 8), 0, 2 * n);
  const pool = new HistPool(2 * matrix.totalBins, true, maxLiveHistograms(maxDepth, n));
  const ctrl = new Int32Array(new SharedArrayBuffer(CTRL.SIZE * 4));
  const threads = Math.min(nThreads, matrix.blocks.length);
  const parts = assignBlocks(matrix.blocks.map((b) => b.ptr[n]), threads);
  const workers: Worker[] = [];
  const sab = (a: ArrayBufferView) => a.buffer as SharedArrayBuffer;
  try {
    await Promise.all(
      parts.slice(1).map((part) => {
        const w = new Worker(new URL("./hist_worker.ts", import.meta.url), { type: "module" });
        workers.push(w);
        const init: HelperInit = {
          type: "init",
          blocks: part.map((i) => {
            const b = matrix.blocks[i];
            return {
              ptr: sab(b.ptr),
              nPtr: b.ptr.length,
              idx: sab(b.idx),
              nIdx: b.idx.length,
              binStart: b.binStart,
              nBins: b.nBins,
            };
          }),
          rows: sab(rows),
          ogh: sab(ogh),
          pool: pool.buffer!,
          histLen: pool.histLen,
          ctrl: sab(ctrl),
        };
        return new Promise<void>((resolve, reject) => {
          w.onmessage = (e) =>
            e.data?.type === "ready" ? resolve() : reject(new Error(String(e.data)));
          w.onerror = (e) => {
            e.preventDefault();
            reject(new Error(`histogram worker failed to start: ${e.message}`));
          };
          w.postMessage(init);
        });
      }),
    );
  } catch (err) {
    for (const w of workers) w.terminate();
    throw err;
  }
  const subset = (ids: number[]) => new BlockSet(ids.map((i) => matrix.blocks[i]), rows, ogh);
  return new ParallelHistogramBuilder(
    matrix,
    workers,
    subset(parts[0]),
    subset(matrix.blocks.map((_, i) => i)),
    ctrl,
    rows,
    ogh,
    pool,
  );
}
