/**
 * Helper worker of the parallel histogram builder. Before `init` it may serve column-binning
 * calls (`ColumnBinRequest`, while a columns training streams its data in). After `init` it
 * blocks in Atomics.wait for
 * build commands and accumulates either its feature blocks into the shared target histogram or
 * every block for its slice of the node's rows into its own scratch histogram. Blocking is
 * intended: the worker has nothing else to do, and it is terminated by its owner (or exits when
 * the shared cancel flag is set).
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { serveWorker } from "../worker/protocol.ts";
import type { BinnedBlock } from "./binned_matrix.ts";
import { BlockSet } from "./histogram.ts";
import { logisticGradients } from "./gradients.ts";
import { applyLeafSplit, partitionSlice } from "./partition.ts";
import {
  CMD,
  CTRL,
  type HelperInit,
  identityRows,
  rowSlice,
  type SharedSlice,
  SPLIT_PARAMS,
  SPLIT_RESULT,
  splitToArray,
} from "./parallel_histogram.ts";
import { histKernels } from "./wasm/hist_kernels.ts";

/** The typed array a {@link SharedSlice} describes. */
function view<T>(
  Ctor: { new (b: SharedArrayBuffer, o: number, n: number): T },
  s: SharedSlice,
): T {
  return new Ctor(s.buffer, s.byteOffset, s.length);
}
import { findBestSplit, SplitInfo } from "./split.ts";
import {
  type ColumnBinRequest,
  type ColumnBinResult,
  type HelperPing,
  serveColumnBin,
} from "./column_binning.ts";

serveWorker<HelperInit | ColumnBinRequest | HelperPing, "ready" | ColumnBinResult>(
  (m, io) => {
    if ("kind" in m) return m.kind === "bin" ? serveColumnBin(m) : "ready";
    return init(m, io);
  },
  {
    transfer: (r) =>
      typeof r === "string" ? [] : [r.holdout.buffer as ArrayBuffer, r.cuts.buffer as ArrayBuffer],
    priority: "background",
  },
);

function init(m: HelperInit, io: { cancelFlag: Int32Array }): "ready" {
  const blocks: BinnedBlock[] = m.blocks.map((b) => ({
    featStart: 0,
    featEnd: 0,
    binStart: b.binStart,
    nBins: b.nBins,
    ptr: view(Int32Array, b.ptr),
    idx: view(Uint16Array, b.idx),
  }));
  const kernels = m.memory ? histKernels(m.memory) : null;
  if (m.memory && !kernels) throw new Error("histogram kernels unavailable in the helper");
  const rows = view(Int32Array, m.rows), gh = view(Float32Array, m.gradients.gh);
  const set = new BlockSet(blocks, rows, gh, kernels);
  const ctrl = new Int32Array(m.ctrl);
  // Read the sequence number BEFORE announcing readiness: the owner may issue its first
  // command as soon as it sees "ready", and that command must not be mistaken for the baseline.
  const seq = Atomics.load(ctrl, CTRL.SEQ);
  // The build loop starts once "ready" is posted (a timer runs after the reply's microtask).
  setTimeout(() => serveBuilds(m, set, ctrl, io.cancelFlag, seq), 0);
  return "ready";
}

/** Block in Atomics.wait for build commands until EXIT or the owner's cancel flag. */
function serveBuilds(
  m: HelperInit,
  set: BlockSet,
  ctrl: Int32Array,
  cancel: Int32Array,
  seq: number,
): void {
  const views = new Map<number, Float64Array>();
  const scratch = m.scratch ? view(Float64Array, m.scratch) : null;
  const g = m.gradients;
  const margin = new Float32Array(g.margin, 0, g.nRows);
  const gh = set.gh;
  const labels = new Uint8Array(g.labels, 0, g.nRows);
  const weights = g.weights ? new Float32Array(g.weights, 0, g.nRows) : undefined;
  const params = new Float64Array(g.params, 0, 3);
  const p = m.partition;
  const tmp = p ? new Int32Array(p.tmp, 0, g.nRows) : null;
  const goLeft = p ? new Uint8Array(p.goLeft, 0, 256) : null;
  const lefts = p ? new Int32Array(p.lefts, 0, m.nThreads) : null;
  const sp = new Float64Array(m.split.params, 0, SPLIT_PARAMS);
  const mask = new Uint8Array(m.split.mask);
  const splitOut = new Float64Array(m.split.result, 0, SPLIT_RESULT);
  const info = new SplitInfo();
  const poolView = (target: number) => {
    let hist = views.get(target);
    if (!hist) {
      hist = new Float64Array(m.pool.buffer, m.pool.byteOffset + target * m.histLen * 8, m.histLen);
      views.set(target, hist);
    }
    return hist;
  };
  for (;;) {
    // Spin briefly (commands come in quick succession), then sleep; wake every second to see
    // whether the owner was cancelled (a terminated owner can no longer send EXIT).
    let spins = 0;
    while (Atomics.load(ctrl, CTRL.SEQ) === seq) {
      if (Atomics.load(cancel, 0) !== 0) {
        self.close();
        return;
      }
      if (++spins > 2000) Atomics.wait(ctrl, CTRL.SEQ, seq, 1000);
    }
    seq = Atomics.load(ctrl, CTRL.SEQ);
    const cmd = ctrl[CTRL.CMD];
    if (cmd === CMD.EXIT) break;
    const start = ctrl[CTRL.START], end = ctrl[CTRL.END], target = ctrl[CTRL.TARGET];
    if (cmd === CMD.PARTITION && p) {
      // My slice of the node; the caller merges the slices.
      const [a, b] = rowSlice(start, end, m.thread, m.nThreads);
      const codes = new Uint8Array(p.codes, target * g.nRows, g.nRows);
      lefts![m.thread] = partitionSlice(set.rows, tmp!, a, b, codes, goLeft!);
    } else if (cmd === CMD.LEAVES && p) {
      const [a, b] = rowSlice(start, end, m.thread, m.nThreads);
      const codes = new Uint8Array(p.codes, target * g.nRows, g.nRows);
      applyLeafSplit(set.rows, a, b, codes, goLeft!, params[1], params[2], margin);
    } else if (cmd === CMD.GRADIENTS) {
      const [a, b] = rowSlice(start, end, m.thread, m.nThreads);
      logisticGradients(margin, labels, weights, params[0], gh, a, b);
      if (ctrl[CTRL.ARG] === 1) identityRows(set.rows, a, b);
    } else if (cmd === CMD.SPLIT) {
      const p = { lambda: sp[0], alpha: sp[1], minChildWeight: sp[2], gamma: sp[3] };
      findBestSplit(
        poolView(target),
        m.split.featBinStart,
        sp[6] === 1 ? mask : null,
        sp[4],
        sp[5],
        p,
        info,
      );
      splitToArray(info, splitOut);
    } else if (scratch) {
      // Row split: all features for my slice of the node's rows, into my own buffer.
      const [a, b] = rowSlice(start, end, m.thread, m.nThreads);
      set.build(a, b, scratch, ctrl[CTRL.ARG] === 1);
    } else {
      set.build(start, end, poolView(target), ctrl[CTRL.ARG] === 1);
    }
    Atomics.add(ctrl, CTRL.DONE, 1);
    Atomics.notify(ctrl, CTRL.DONE);
  }
  self.close();
}
