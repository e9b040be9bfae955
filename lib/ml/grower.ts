/**
 * Depth-wise growth of one regression tree (XGBoost's default `grow_policy=depthwise`).
 *
 * Rows of the tree's sample live in `builder.rows`; each node owns a contiguous range, split in
 * place (stable) by the rows' bin codes, which is the float test `x < threshold` (NaN → learned
 * default side) exactly. Histograms use the subtraction trick: only the smaller child is
 * built from rows, the larger is parent − smaller, written over the parent's buffer. A split
 * whose children are leaves (the last level) is not partitioned: each row's leaf value goes
 * straight to its margin. Node ids are assigned in expansion order (children of a node get the
 * next two ids), as XGBoost does. A parallel builder finds the two children's splits at once
 * (`findSplitPair`, the right child on a helper; the same function, so the same trees).
 *
 * (Not done: splitting one node's features between threads would change which of two equal
 * gains wins after rounding in the merge, so trees could differ from one thread's.)
 *
 * @module
 */

import type { Tree } from "./model.ts";
import type { BinMapper } from "./binning.ts";
import { thresholdFor } from "./binning.ts";
import { gradientSums, type HistogramBuilder, subtractHistogram } from "./histogram.ts";
import { applyLeafSplit, partitionCodes, splitDirections } from "./partition.ts";
import { findBestSplit, isSplitValid, leafWeight, SplitInfo, type SplitParams } from "./split.ts";

/** Tree-shape and regularisation parameters of one tree. */
export interface GrowParams extends SplitParams {
  maxDepth: number;
  eta: number;
}

/** Per-training state reused by every tree. */
export interface GrowerContext {
  builder: HistogramBuilder;
  mapper: BinMapper;
  /**
   * Per feature, the training rows' codes: partitioning by them is the float test
   * `x < threshold` exactly (thresholds are bin edges), at 1 byte per cell.
   */
  codes: Uint8Array[];
  /** Partition scratch (nRows). */
  tmp: Int32Array;
}

interface NodeTask {
  id: number;
  start: number;
  end: number;
  G: number;
  H: number;
  depth: number;
  hist: number; // pool buffer index or -1
  split: SplitInfo | null;
}

/** Growable node arrays, converted to a {@link Tree} at the end. */
class TreeBuilder {
  left: number[] = [];
  right: number[] = [];
  feature: number[] = [];
  threshold: number[] = [];
  defaultLeft: number[] = [];
  value: number[] = [];
  gain: number[] = [];
  cover: number[] = [];
  add(value: number, cover: number): number {
    this.left.push(-1);
    this.right.push(-1);
    this.feature.push(0);
    this.threshold.push(0);
    this.defaultLeft.push(0);
    this.value.push(value);
    this.gain.push(0);
    this.cover.push(cover);
    return this.left.length - 1;
  }
  toTree(): Tree {
    return {
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      feature: Int32Array.from(this.feature),
      threshold: Float32Array.from(this.threshold),
      defaultLeft: Uint8Array.from(this.defaultLeft),
      value: Float32Array.from(this.value),
      gain: Float32Array.from(this.gain),
      cover: Float32Array.from(this.cover),
    };
  }
}

/**
 * Grows one tree on builder.rows[0, nSample) and adds each sampled row's leaf value to
 * `margin` (the prediction cache). `featureMask` (1 = allowed) implements colsample_bytree.
 */
export function growTree(
  ctx: GrowerContext,
  nSample: number,
  p: GrowParams,
  featureMask: Uint8Array | null,
  margin: Float32Array,
): Tree {
  const { builder, mapper, codes, tmp } = ctx;
  const goLeft = new Uint8Array(256);
  const rows = builder.rows, pool = builder.pool;
  const featBinStart = builder.matrix.featBinStart;
  const tb = new TreeBuilder();
  const sums = new Float64Array(2);

  const evaluate = (t: NodeTask) => {
    const s = new SplitInfo();
    findBestSplit(pool.view(t.hist), featBinStart, featureMask, t.G, t.H, p, s);
    t.split = s;
  };

  gradientSums(builder.gh, rows, 0, nSample, sums);
  const root: NodeTask = {
    id: tb.add(leafWeight(sums[0], sums[1], p) * p.eta, sums[1]),
    start: 0,
    end: nSample,
    G: sums[0],
    H: sums[1],
    depth: 0,
    hist: -1,
    split: null,
  };
  if (p.maxDepth > 0 && nSample > 1) {
    root.hist = pool.acquire();
    // The root's rows are ascending and distinct (the partition is stable), so with all rows
    // sampled they are the identity and the kernel may skip the row list.
    builder.build(0, nSample, root.hist, nSample === builder.matrix.nRows);
    evaluate(root);
  }

  let level: NodeTask[] = [root];
  while (level.length > 0) {
    const next: NodeTask[] = [];
    for (const t of level) {
      const s = t.split;
      if (s === null || t.depth >= p.maxDepth || !isSplitValid(s, p)) {
        // Leaf: add its value to the prediction cache of its rows.
        if (t.hist >= 0) pool.release(t.hist);
        const v = Math.fround(tb.value[t.id]);
        for (let i = t.start; i < t.end; i++) margin[rows[i]] += v;
        continue;
      }
      const f = s.feature;
      const thr = Math.fround(thresholdFor(mapper, f, s.bin));
      const depth = t.depth + 1;
      const more = depth < p.maxDepth; // children get histograms
      splitDirections(s.bin, s.defaultLeft, goLeft);
      const li = tb.add(leafWeight(s.gl, s.hl, p) * p.eta, s.hl);
      const ri = tb.add(leafWeight(s.gr, s.hr, p) * p.eta, s.hr);
      let mid = t.start;
      if (more) {
        mid = builder.partition
          ? builder.partition(t.start, t.end, f, goLeft)
          : partitionCodes(rows, tmp, t.start, t.end, codes[f], goLeft);
      } else {
        // The children are leaves: their values go to the margins now, no partition (both
        // get empty row ranges, so the next level adds nothing).
        const vl = Math.fround(tb.value[li]), vr = Math.fround(tb.value[ri]);
        if (builder.leafSplit) builder.leafSplit(t.start, t.end, f, goLeft, vl, vr);
        else applyLeafSplit(rows, t.start, t.end, codes[f], goLeft, vl, vr, margin);
      }
      tb.left[t.id] = li;
      tb.right[t.id] = ri;
      tb.feature[t.id] = f;
      tb.threshold[t.id] = thr;
      tb.defaultLeft[t.id] = s.defaultLeft ? 1 : 0;
      tb.gain[t.id] = s.gain;
      const L: NodeTask = {
        id: li,
        start: t.start,
        end: more ? mid : t.start,
        G: s.gl,
        H: s.hl,
        depth,
        hist: -1,
        split: null,
      };
      const R: NodeTask = {
        id: ri,
        start: more ? mid : t.start,
        end: more ? t.end : t.start,
        G: s.gr,
        H: s.hr,
        depth,
        hist: -1,
        split: null,
      };
      if (more) {
        // Build the smaller child; the larger = parent − smaller, in the parent's buffer.
        const [small, large] = mid - t.start <= t.end - mid ? [L, R] : [R, L];
        small.hist = pool.acquire();
        builder.build(small.start, small.end, small.hist);
        const parent = pool.view(t.hist);
        subtractHistogram(parent, pool.view(small.hist), parent);
        large.hist = t.hist;
        if (builder.findSplitPair) {
          L.split = new SplitInfo();
          R.split = new SplitInfo();
          builder.findSplitPair(
            L.hist,
            L.G,
            L.H,
            R.hist,
            R.G,
            R.H,
            featureMask,
            p,
            L.split,
            R.split,
          );
        } else {
          evaluate(L);
          evaluate(R);
        }
      } else {
        pool.release(t.hist);
      }
      next.push(L, R);
    }
    level = next;
  }
  return tb.toTree();
}
