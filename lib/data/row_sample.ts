/**
 * The row sample the profile pass draws for feature selection: every positive row up to half
 * the budget and a seeded uniform sample of the negatives filling the rest (`RowStore`, one per
 * class), handed out in file order without copying the values (`ProfileSample`).
 *
 * Sparse because production data is: a Bosch row has values for ~20 % of its ~970 features.
 * A row keeps only its present values (feature index + value, 6 B each), so the sample of a
 * Bosch-shaped upload holds ~1/3 of what the dense `rows × features` Float32 layout would
 * (which is what the upload's memory was made of); a fully dense file costs 1.5× that layout.
 * Dense columns are gathered on demand (`sampleColumnRange`) — by `sampleBlobStream`
 * (lib/pipeline/ingest/sample_blob.ts) a few MiB at a time on their way to storage — so no dense
 * or transposed copy of the whole sample is ever held.
 *
 * @example
 * ```ts
 * const { sample } = await profileCsv(path, { seed: 7 });
 * const firstFeature = sampleColumn(sample, 0); // Float32Array of sample.nRows, NaN = missing
 * ```
 *
 * @module
 */

import { fillMissing } from "./missing.ts";

/**
 * Sampled rows in file order. The values stay where the pass collected them — the two stores'
 * sparse rows — so nothing is copied when the sample is handed over: row r is slot
 * `rowSlot[r]` of the negative store, or slot `-rowSlot[r] - 1` of the positive one. A store's
 * slot i holds its present values `vals[start[i] .. start[i + 1])` with their store feature
 * indices `feat[…]`, ascending; output column j is store feature `columnFeature[j]` (text
 * columns are dropped). All typed arrays are top-level fields, so a worker transfers them
 * without a copy. Read it with `sampleColumn` / `sampleColumnRange`.
 */
export interface ProfileSample {
  nRows: number;
  featureNames: string[];
  labels: Uint8Array;
  ids: Float64Array;
  timestamps: Float64Array;
  /** Share of the file's positive / negative rows that made it into the sample (0..1). */
  positiveFraction: number;
  negativeFraction: number;
  rowSlot: Int32Array;
  columnFeature: Int32Array;
  negStart: Int32Array;
  negFeat: Uint16Array | Uint32Array;
  negVals: Float32Array;
  posStart: Int32Array;
  posFeat: Uint16Array | Uint32Array;
  posVals: Float32Array;
}

/**
 * Columns `j0 … j1 - 1` of a sample, dense and column-major (NaN = missing) into `out`
 * (`(j1 - j0) × nRows` values: column j at `(j - j0) * nRows`).
 *
 * @example
 * ```ts
 * const block = sampleColumnRange(sample, 0, 64); // 64 columns of sample.nRows values
 * ```
 */
export function sampleColumnRange(
  s: ProfileSample,
  j0: number,
  j1: number,
  out: Float32Array = new Float32Array(s.nRows * (j1 - j0)),
): Float32Array {
  const n = s.nRows;
  fillMissing(out.subarray(0, n * (j1 - j0)));
  if (j1 <= j0) return out;
  // Output columns follow store feature order, so a block is one feature range per row.
  const f0 = s.columnFeature[j0], fLast = s.columnFeature[j1 - 1];
  const colOf = new Int32Array(fLast - f0 + 1).fill(-1);
  for (let j = j0; j < j1; j++) colOf[s.columnFeature[j] - f0] = j - j0;
  for (let r = 0; r < n; r++) {
    const k = s.rowSlot[r];
    const neg = k >= 0, slot = neg ? k : -k - 1;
    const start = neg ? s.negStart : s.posStart;
    const feat = neg ? s.negFeat : s.posFeat, vals = neg ? s.negVals : s.posVals;
    const end = start[slot + 1];
    // First entry with feature ≥ f0 (binary search: a row holds ~200 of ~970 features).
    let lo = start[slot], hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (feat[mid] < f0) lo = mid + 1;
      else hi = mid;
    }
    for (let e = lo; e < end; e++) {
      const d = feat[e] - f0;
      if (d > fLast - f0) break;
      const c = colOf[d];
      if (c >= 0) out[c * n + r] = vals[e];
    }
  }
  return out;
}

/** Column `j` of a sample, dense (NaN = missing). */
export function sampleColumn(s: ProfileSample, j: number): Float32Array {
  return sampleColumnRange(s, j, j + 1);
}

/** Every column of a sample, dense (views on one buffer, in `featureNames` order). */
export function sampleColumns(s: ProfileSample): Float32Array[] {
  const n = s.nRows;
  const all = sampleColumnRange(s, 0, s.featureNames.length);
  return s.featureNames.map((_, j) => all.subarray(j * n, (j + 1) * n));
}

/** Feature indices of the stored values: 2 bytes each while the file has < 65,536 features. */
type FeatureIndexArray = Uint16Array | Uint32Array;

/**
 * Rows kept in one group (positives or negatives): a Bernoulli sample at `rate`. When the store
 * is full the rate halves and the kept rows are thinned to match, so every row of the group has
 * the same inclusion probability and at most ~2× the budget is ever parsed (a reservoir would
 * parse R·(1 + ln(N/R)) rows — 27 % of a 1 GB file). With a known file size the rate starts
 * near budget / expected rows (`thin` right after the first chunk), so ~budget rows are parsed.
 *
 * Storage: slot i's present values are `vals[start[i] .. start[i + 1])` with their feature
 * indices in `feat`, in feature order; slots are appended in order and thinning compacts in
 * place, so the segments stay contiguous.
 */
export class RowStore {
  cap: number;
  n = 0;
  rate = 1;
  rowNo: Float64Array;
  ids: Float64Array;
  ts: Float64Array;
  /** Segment bounds: slot i is `[start[i], start[i + 1])`. */
  start: Int32Array;
  feat: FeatureIndexArray;
  vals: Float32Array;

  constructor(readonly nF: number, initial: number, readonly max: number) {
    this.cap = Math.min(initial, max);
    this.rowNo = new Float64Array(this.cap);
    this.ids = new Float64Array(this.cap);
    this.ts = new Float64Array(this.cap);
    this.start = new Int32Array(this.cap + 1);
    const values = Math.max(1024, Math.ceil(this.cap * nF * 0.25));
    this.feat = nF < 65536 ? new Uint16Array(values) : new Uint32Array(values);
    this.vals = new Float32Array(values);
  }

  /** Values stored. */
  get size(): number {
    return this.start[this.n];
  }

  /** Slot for the next appended row (growing ×2 up to max), or -1 when full. */
  appendSlot(): number {
    if (this.n < this.cap) return this.n++;
    if (this.cap >= this.max) return -1;
    this.reserve(this.cap * 2);
    return this.n++;
  }

  /**
   * Grow the capacity to `rows` (at most `max`) in one step; `valuesPerRow` (observed so far)
   * sizes the value arrays for them too, so they do not grow in ×1.5 steps later.
   */
  reserve(rows: number, valuesPerRow = 0): void {
    const cap = Math.min(this.max, Math.ceil(rows));
    if (cap > this.cap) {
      this.rowNo = grow(this.rowNo, cap);
      this.ids = grow(this.ids, cap);
      this.ts = grow(this.ts, cap);
      const start = new Int32Array(cap + 1);
      start.set(this.start.subarray(0, this.n + 1));
      this.start = start;
      this.cap = cap;
    }
    this.#reserveValues(Math.ceil(cap * valuesPerRow));
  }

  #reserveValues(values: number): void {
    if (values <= this.vals.length) return;
    const used = this.size;
    const feat = this.nF < 65536 ? new Uint16Array(values) : new Uint32Array(values);
    feat.set(this.feat.subarray(0, used));
    const vals = new Float32Array(values);
    vals.set(this.vals.subarray(0, used));
    this.feat = feat;
    this.vals = vals;
  }

  /** Slot for the row just seen, or -1 when it is not sampled. */
  offer(rng: () => number): number {
    if (this.rate < 1 && rng() >= this.rate) return -1;
    let slot = this.appendSlot();
    while (slot < 0) {
      this.thin(this.rate / 2, rng);
      if (rng() >= 0.5) return -1; // the new row must pass the halved rate too
      slot = this.appendSlot();
    }
    return slot;
  }

  /** Lower the rate to `rate`, keeping each stored row with probability newRate / oldRate. */
  thin(rate: number, rng: () => number): void {
    if (rate >= this.rate) return;
    const keep = rate / this.rate;
    let j = 0, at = 0;
    const { start, feat, vals } = this;
    for (let i = 0; i < this.n; i++) {
      if (rng() >= keep) continue;
      const a = start[i], b = start[i + 1];
      // j ≤ i and at ≤ a: moving left in place never overwrites a row not yet moved.
      feat.copyWithin(at, a, b);
      vals.copyWithin(at, a, b);
      this.rowNo[j] = this.rowNo[i];
      this.ids[j] = this.ids[i];
      this.ts[j] = this.ts[i];
      start[j] = at;
      at += b - a;
      j++;
    }
    start[j] = at;
    this.n = j;
    this.rate = rate;
  }

  /**
   * Store the row in `slot` (the one `offer` just returned, always the last): the present
   * values of `values[featIdx[f]]`, f = 0 … nF - 1.
   */
  write(
    slot: number,
    values: Float32Array,
    featIdx: Int32Array,
    rowNo: number,
    id: number,
    ts: number,
  ): void {
    let at = this.start[slot];
    if (at + this.nF > this.vals.length) {
      this.#reserveValues(Math.max(at + this.nF, Math.ceil(this.vals.length * 1.5)));
    }
    const feat = this.feat, vals = this.vals;
    for (let f = 0; f < featIdx.length; f++) {
      const v = values[featIdx[f]];
      if (v === v) {
        feat[at] = f;
        vals[at] = v;
        at++;
      }
    }
    this.start[slot + 1] = at;
    this.rowNo[slot] = rowNo;
    this.ids[slot] = id;
    this.ts[slot] = ts;
  }
}

function grow(a: Float64Array, cap: number): Float64Array {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}

/**
 * The sample: the positives plus a uniform subset of the negative store (the share the
 * positives leave of `budgetRows`), in file order, as sparse columns of the features with
 * `keep[f]` (text columns are dropped).
 */
export function assembleSample(
  featureNames: string[],
  keep: Uint8Array,
  pos: RowStore,
  neg: RowStore,
  budgetRows: number,
  rng: () => number,
  seen: { positives: number; negatives: number },
): ProfileSample {
  const nP = pos.n;
  const keepNeg = Math.max(0, Math.min(neg.n, budgetRows - nP));
  // Partial Fisher-Yates: a uniform subset of the store (itself a uniform sample).
  const negSlots = new Uint32Array(neg.n);
  for (let i = 0; i < neg.n; i++) negSlots[i] = i;
  if (keepNeg < neg.n) {
    for (let i = 0; i < keepNeg; i++) {
      const j = i + Math.floor(rng() * (neg.n - i));
      const t = negSlots[i];
      negSlots[i] = negSlots[j];
      negSlots[j] = t;
    }
  }
  // File order by row number. Entry e < nP is positive slot e, else negative slot.
  const n = nP + keepNeg;
  const order = new Uint32Array(n);
  const key = new Float64Array(n);
  for (let i = 0; i < nP; i++) {
    order[i] = i;
    key[i] = pos.rowNo[i];
  }
  for (let i = 0; i < keepNeg; i++) {
    order[nP + i] = nP + i;
    key[nP + i] = neg.rowNo[negSlots[i]];
  }
  order.sort((a, b) => key[a] - key[b]);
  const labels = new Uint8Array(n);
  const ids = new Float64Array(n);
  const timestamps = new Float64Array(n);
  const rowSlot = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const e = order[r];
    if (e < nP) {
      labels[r] = 1;
      rowSlot[r] = -e - 1;
      ids[r] = pos.ids[e];
      timestamps[r] = pos.ts[e];
    } else {
      const slot = negSlots[e - nP];
      rowSlot[r] = slot;
      ids[r] = neg.ids[slot];
      timestamps[r] = neg.ts[slot];
    }
  }
  const columnFeature: number[] = [];
  for (let f = 0; f < keep.length; f++) if (keep[f]) columnFeature.push(f);
  return {
    nRows: n,
    featureNames: columnFeature.map((f) => featureNames[f]),
    labels,
    ids,
    timestamps,
    positiveFraction: seen.positives ? nP / seen.positives : 0,
    negativeFraction: seen.negatives ? keepNeg / seen.negatives : 0,
    rowSlot,
    columnFeature: Int32Array.from(columnFeature),
    negStart: neg.start,
    negFeat: neg.feat,
    negVals: neg.vals,
    posStart: pos.start,
    posFeat: pos.feat,
    posVals: pos.vals,
  };
}
