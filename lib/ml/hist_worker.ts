/**
 * Helper worker of the parallel histogram builder: after `init` it blocks in Atomics.wait for
 * commands (build a node histogram / move a node's entries after a split) and does them for
 * its own feature blocks. Blocking is intended: the worker has nothing else to do, and it is
 * terminated by its owner.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import type { BinnedBlock } from "./binned_matrix.ts";
import { BlockSet, type OrderedBlock } from "./histogram.ts";
import { CMD, CTRL, type HelperInit } from "./parallel_histogram.ts";

self.onmessage = (e: MessageEvent<HelperInit>) => {
  const m = e.data;
  if (m?.type !== "init") return;
  const blocks: BinnedBlock[] = m.blocks.map((b) => ({
    featStart: 0,
    featEnd: 0,
    binStart: b.binStart,
    nBins: b.nBins,
    ptr: new Int32Array(b.ptr, 0, b.nPtr),
    idx: new Uint16Array(b.idx, 0, b.nIdx),
  }));
  const ordered: OrderedBlock[] = m.blocks.map((b) => ({
    ptr: [new Int32Array(b.ordered[0], 0, b.nPtr), new Int32Array(b.ordered[1], 0, b.nPtr)],
    idx: [new Uint16Array(b.ordered[2], 0, b.nIdx), new Uint16Array(b.ordered[3], 0, b.nIdx)],
  }));
  const set = new BlockSet(
    blocks,
    ordered,
    new Int32Array(m.rows),
    new Float32Array(m.ogh),
    new Uint8Array(m.dir),
  );
  const ctrl = new Int32Array(m.ctrl);
  const views = new Map<number, Float64Array>();
  self.postMessage({ type: "ready" });
  let seq = Atomics.load(ctrl, CTRL.SEQ);
  for (;;) {
    // Spin briefly (commands come in quick succession), then sleep.
    let spins = 0;
    while (Atomics.load(ctrl, CTRL.SEQ) === seq) {
      if (++spins > 2000) Atomics.wait(ctrl, CTRL.SEQ, seq);
    }
    seq = Atomics.load(ctrl, CTRL.SEQ);
    const cmd = ctrl[CTRL.CMD];
    if (cmd === CMD.EXIT) break;
    const start = ctrl[CTRL.START], end = ctrl[CTRL.END], level = ctrl[CTRL.LEVEL];
    if (cmd === CMD.BUILD) {
      const target = ctrl[CTRL.TARGET];
      let hist = views.get(target);
      if (!hist) {
        hist = new Float64Array(m.pool, target * m.histLen * 8, m.histLen);
        views.set(target, hist);
      }
      set.build(start, end, level, hist);
    } else if (cmd === CMD.REORDER) {
      set.reorder(start, end, level);
    }
    Atomics.add(ctrl, CTRL.DONE, 1);
    Atomics.notify(ctrl, CTRL.DONE);
  }
  self.close();
};
