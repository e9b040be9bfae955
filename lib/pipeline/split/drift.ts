/**
 * Data drift, pure: the population stability index (PSI) of each feature between a reference
 * window (the training rows) and a compared one (the simulation window, or the rows replayed so
 * far), and the change in missing share. No I/O: bins and counts in, report out.
 *
 * Bins are fixed by the reference: the deciles of its non-missing values (ties merge bins, so a
 * feature has at most {@link DRIFT_BINS} value bins), a value `v` falls in the first bin whose
 * upper edge is ≥ `v` (the last bin is open), and a missing value (NaN — an empty CSV cell) has
 * its own bin, the last one. So a feature that goes missing more often drifts like any other shift.
 *
 * `PSI = Σ_bins (a − e) · ln(a / e)` over the reference shares `e` and compared shares `a`, each
 * share clamped below at {@link PSI_EPSILON} (1e-4) so an empty bin adds a large but finite term
 * instead of infinity. Flags (the usual credit-scoring reading of PSI): < 0.1 stable, ≥ 0.1
 * {@link PSI_WATCH} "watch", ≥ 0.25 {@link PSI_DRIFT} "drift"; the overall flag is the worst
 * feature's. Under {@link DRIFT_MIN_ROWS} compared rows the overall flag is "insufficient": with
 * 11 bins, fewer rows than ~10 a bin make PSI mostly sampling noise.
 *
 * @example
 * ```ts
 * const edges = binEdges(trainColumn);                  // ≤ 9 cut points
 * const e = countBins(trainColumn, edges), a = countBins(simColumn, edges);
 * psi(e, a);                                            // 0.031
 * driftReport([{ feature: "L3_S30_F5", edges, reference: e }], [a]).status; // "stable"
 * ```
 *
 * @module
 */

/** Value bins per feature at most (deciles). */
export const DRIFT_BINS = 10;
/** Lower clamp of a bin share in the PSI sum (an empty bin would otherwise be infinite). */
export const PSI_EPSILON = 1e-4;
/** PSI at or above which a feature is flagged "watch". */
export const PSI_WATCH = 0.1;
/** PSI at or above which a feature is flagged "drift". */
export const PSI_DRIFT = 0.25;
/** Fewer compared rows than this: the overall flag is "insufficient". */
export const DRIFT_MIN_ROWS = 100;

/** A feature's flag. */
export type DriftLevel = "stable" | "watch" | "drift";

/** A feature's fixed bins and its reference counts (length `edges.length + 2`, missing last). */
export interface FeatureBins {
  feature: string;
  /** Ascending upper edges of the value bins but the last (open) one. */
  edges: number[];
  /** Reference rows per bin; the last entry counts missing values. */
  reference: number[];
}

/** One feature's drift. */
export interface FeatureDrift {
  feature: string;
  psi: number;
  status: DriftLevel;
  /** Share of missing values in the reference (training) rows. */
  reference_missing: number;
  /** Share of missing values in the compared rows. */
  compared_missing: number;
  /** compared_missing − reference_missing. */
  missing_change: number;
}

/** Drift of every feature, worst first, with the thresholds used. */
export interface DriftReport {
  /** The worst feature's flag, or "insufficient" under `min_rows` compared rows. */
  status: DriftLevel | "insufficient";
  reference_rows: number;
  compared_rows: number;
  /** Features flagged "watch" or "drift". */
  drifted: number;
  thresholds: { watch: number; drift: number; epsilon: number; min_rows: number };
  features: FeatureDrift[];
}

/** The flag of one PSI value. */
export function driftLevel(psiValue: number): DriftLevel {
  return psiValue >= PSI_DRIFT ? "drift" : psiValue >= PSI_WATCH ? "watch" : "stable";
}

/**
 * Upper edges of the value bins: the distinct deciles (`nBins`-quantiles) of the non-missing
 * values. Quantile k is the sorted value at rank ⌈k·n/nBins⌉ (1-based). When `sampleCap` is below
 * the number of values, the quantiles come from an evenly strided sample of that many (cheap on
 * a million rows; the counts still use every row).
 */
export function binEdges(
  values: ArrayLike<number>,
  nBins = DRIFT_BINS,
  sampleCap = 50_000,
): number[] {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) n++;
  if (n === 0) return [];
  const stride = Math.max(1, Math.ceil(n / sampleCap));
  const sorted = new Float64Array(Math.ceil(n / stride));
  let seen = 0, m = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    if (seen++ % stride === 0) sorted[m++] = v;
  }
  // Only nBins − 1 order statistics and the maximum are needed: select them (a partial
  // quicksort, ~3× cheaper than sorting the sample) instead of sorting everything.
  const s = sorted.subarray(0, m);
  const ranks: number[] = [];
  for (let k = 1; k < nBins; k++) ranks.push(Math.max(0, Math.ceil((k * m) / nBins) - 1));
  ranks.push(m - 1);
  selectRanks(s, 0, m, ranks, 0, ranks.length);
  const edges: number[] = [];
  for (let k = 0; k < nBins - 1; k++) {
    const q = s[ranks[k]];
    if (edges.length === 0 || q > edges[edges.length - 1]) edges.push(q);
  }
  // The top decile edge equal to the maximum would leave the open bin always empty: drop it.
  if (edges.length > 0 && edges[edges.length - 1] >= s[m - 1]) edges.pop();
  return edges;
}

/**
 * Rearrange `a[lo, hi)` so that `a[r]` holds the value a full sort would put there, for each of
 * the ascending ranks `ranks[rLo, rHi)` (multi-quickselect with a three-way partition, so runs
 * of equal values — common in sensor data — finish at once).
 */
export function selectRanks(
  a: Float64Array,
  lo: number,
  hi: number,
  ranks: readonly number[],
  rLo: number,
  rHi: number,
): void {
  while (rLo < rHi && hi - lo > 1) {
    if (hi - lo <= 16) {
      // Insertion sort of a short range.
      for (let i = lo + 1; i < hi; i++) {
        const v = a[i];
        let j = i - 1;
        while (j >= lo && a[j] > v) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = v;
      }
      return;
    }
    // Pivot: median of the first, middle and last values.
    const x = a[lo], y = a[(lo + hi) >>> 1], z = a[hi - 1];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : (x < z ? x : y < z ? z : y);
    // [lo, lt) < pivot, [lt, i) == pivot, [gt, hi) > pivot.
    let lt = lo, i = lo, gt = hi;
    while (i < gt) {
      const v = a[i];
      if (v < pivot) {
        a[i++] = a[lt];
        a[lt++] = v;
      } else if (v > pivot) {
        a[i] = a[--gt];
        a[gt] = v;
      } else i++;
    }
    // Ranks in [lt, gt) are settled; recurse into the smaller side, loop on the other.
    let mLo = rLo;
    while (mLo < rHi && ranks[mLo] < lt) mLo++;
    let mHi = mLo;
    while (mHi < rHi && ranks[mHi] < gt) mHi++;
    if (lt - lo < hi - gt) {
      selectRanks(a, lo, lt, ranks, rLo, mLo);
      lo = gt;
      rLo = mHi;
    } else {
      selectRanks(a, gt, hi, ranks, mHi, rHi);
      hi = lt;
      rHi = mLo;
    }
  }
}

/** Bin of one value: the first edge ≥ v, `edges.length` above all, `edges.length + 1` missing. */
export function binIndex(v: number, edges: readonly number[]): number {
  if (Number.isNaN(v)) return edges.length + 1;
  let lo = 0, hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Add the bin counts of `values` to `counts` (new zeros when omitted); returns `counts`. */
export function countBins(
  values: ArrayLike<number>,
  edges: readonly number[],
  counts: number[] = new Array(edges.length + 2).fill(0),
): number[] {
  for (let i = 0; i < values.length; i++) counts[binIndex(values[i], edges)]++;
  return counts;
}

/** PSI between reference and compared bin counts (same bins); 0 when either side is empty. */
export function psi(
  reference: readonly number[],
  compared: readonly number[],
  epsilon = PSI_EPSILON,
): number {
  const nr = sum(reference), nc = sum(compared);
  if (nr === 0 || nc === 0) return 0;
  let total = 0;
  for (let k = 0; k < reference.length; k++) {
    const e = Math.max(reference[k] / nr, epsilon);
    const a = Math.max(compared[k] / nc, epsilon);
    total += (a - e) * Math.log(a / e);
  }
  return total;
}

/** The report of `compared[i]` (counts in `bins[i]`'s bins) against each reference. */
export function driftReport(
  bins: readonly FeatureBins[],
  compared: readonly number[][],
): DriftReport {
  const features: FeatureDrift[] = bins.map((b, i) => {
    const c = compared[i];
    const nr = sum(b.reference), nc = sum(c);
    const value = psi(b.reference, c);
    const refMissing = nr ? b.reference[b.reference.length - 1] / nr : 0;
    const cmpMissing = nc ? c[c.length - 1] / nc : 0;
    return {
      feature: b.feature,
      psi: round6(value),
      status: driftLevel(value),
      reference_missing: round6(refMissing),
      compared_missing: round6(cmpMissing),
      missing_change: round6(cmpMissing - refMissing),
    };
  }).sort((a, b) => b.psi - a.psi || a.feature.localeCompare(b.feature));
  const comparedRows = compared.length ? sum(compared[0]) : 0;
  const worst = features.length ? features[0].status : "stable";
  return {
    status: comparedRows < DRIFT_MIN_ROWS ? "insufficient" : worst,
    reference_rows: bins.length ? sum(bins[0].reference) : 0,
    compared_rows: comparedRows,
    drifted: features.filter((f) => f.status !== "stable").length,
    thresholds: {
      watch: PSI_WATCH,
      drift: PSI_DRIFT,
      epsilon: PSI_EPSILON,
      min_rows: DRIFT_MIN_ROWS,
    },
    features,
  };
}

function sum(a: readonly number[]): number {
  let s = 0;
  for (const x of a) s += x;
  return s;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
