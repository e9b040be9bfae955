/**
 * Pure helpers of the date split: window checks, seeded row sampling, day counts and range
 * counting over sorted row indices. No I/O, so they are unit-tested in isolation.
 *
 * @module
 */

/** The three sets a split produces, in contract order. */
export const SET_NAMES = ["train", "test", "simulation"] as const;
/** One of `train`, `test`, `simulation`. */
export type SetName = typeof SET_NAMES[number];

/** An inclusive time window in ms since the epoch (UTC). */
export interface TimeWindow {
  start_ms: number;
  end_ms: number;
}

/** A problem with the requested windows, phrased for the client. */
export interface WindowIssue {
  /** The body field the problem is attached to (FastAPI `loc` tail). */
  field: string;
  message: string;
}

/**
 * Check that each window has start ≤ end and that no two windows share an instant (bounds are
 * inclusive, so touching end = start counts as overlap). Returns the problems found (empty = ok).
 */
export function checkWindows(windows: Record<SetName, TimeWindow>): WindowIssue[] {
  const issues: WindowIssue[] = [];
  for (const name of SET_NAMES) {
    const w = windows[name];
    if (w.start_ms > w.end_ms) {
      issues.push({
        field: `${name}_start_date`,
        message: `${name}_start_date must not be after ${name}_end_date`,
      });
    }
  }
  if (issues.length) return issues;
  for (let i = 0; i < SET_NAMES.length; i++) {
    for (let j = i + 1; j < SET_NAMES.length; j++) {
      const a = windows[SET_NAMES[i]], b = windows[SET_NAMES[j]];
      if (a.start_ms <= b.end_ms && b.start_ms <= a.end_ms) {
        issues.push({
          field: `${SET_NAMES[j]}_start_date`,
          message: `The ${SET_NAMES[i]} and ${SET_NAMES[j]} date ranges overlap`,
        });
      }
    }
  }
  return issues;
}

/**
 * Seeded Bernoulli sample of `nRows` row indices: row i is kept when a hash of (seed, i) falls
 * below `fraction`. Deterministic per (seed, row), independent of anything else, and returns
 * indices in ascending (= time) order. `fraction >= 1` keeps everything.
 */
export function sampleRows(nRows: number, fraction: number, seed: number): Uint32Array {
  if (fraction >= 1) {
    const all = new Uint32Array(nRows);
    for (let i = 0; i < nRows; i++) all[i] = i;
    return all;
  }
  const limit = Math.max(0, Math.floor(fraction * 4294967296));
  const out = new Uint32Array(Math.max(16, Math.ceil(nRows * fraction * 1.1) + 64));
  let n = 0;
  let buf = out;
  for (let i = 0; i < nRows; i++) {
    if (mix32(seed, i) < limit) {
      if (n === buf.length) {
        const bigger = new Uint32Array(buf.length * 2);
        bigger.set(buf);
        buf = bigger;
      }
      buf[n++] = i;
    }
  }
  return buf.slice(0, n);
}

/** A 32-bit hash of (seed, i) (murmur3 finalizer over a combined word). */
export function mix32(seed: number, i: number): number {
  let h = (Math.imul(i, 0x9e3779b1) ^ Math.imul(seed | 0, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** First index in sorted `a` whose value is ≥ `x`. */
export function lowerBound(a: ArrayLike<number>, x: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many of the sorted row indices lie in `[start, end)`. */
export function countIn(sortedRows: Uint32Array, range: [number, number]): number {
  return lowerBound(sortedRows, range[1]) - lowerBound(sortedRows, range[0]);
}

const DAY_MS = 86_400_000;

/**
 * Rows per UTC day over the given rows of `timestamps` (all rows when `rows` is omitted):
 * `YYYY-MM-DD` → count, days ascending, days without rows left out. NaN timestamps are skipped.
 */
export function dailyDistribution(
  timestamps: Float64Array,
  rows?: Uint32Array,
): Record<string, number> {
  const counts = new Map<number, number>();
  const n = rows ? rows.length : timestamps.length;
  // Runs of equal days are the norm (rows are in time order): count runs, not rows, in the map.
  let curDay = Number.NaN, run = 0;
  for (let k = 0; k < n; k++) {
    const t = timestamps[rows ? rows[k] : k];
    if (Number.isNaN(t)) continue;
    const day = Math.floor(t / DAY_MS);
    if (day === curDay) {
      run++;
      continue;
    }
    if (run) counts.set(curDay, (counts.get(curDay) ?? 0) + run);
    curDay = day;
    run = 1;
  }
  if (run) counts.set(curDay, (counts.get(curDay) ?? 0) + run);
  const out: Record<string, number> = {};
  for (const day of [...counts.keys()].sort((a, b) => a - b)) {
    out[new Date(day * DAY_MS).toISOString().slice(0, 10)] = counts.get(day)!;
  }
  return out;
}
