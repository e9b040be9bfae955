/**
 * The one builder of small Bosch-shaped datasets for tests, benchmarks and testdata: rows in time
 * order over whole days, `Id`s, mostly-empty numeric features named like Bosch's
 * (`L<line>_S<station>_F<n>`), a `Response` label that depends on the first features (so a model
 * has something to learn and feature selection something to find), optional failure-free days
 * and days without rows. The same table comes out as CSV text (an upload) or as columns (a
 * stored column table). Seeded through `lib/random` (same options → same data).
 *
 * Label models:
 * - `logisticLabel(intercept)` (default, −5 ≈ 3 % failures, −7.3 ≈ Bosch's 0.6 %): a logistic
 *   model over features 0–4 (linear terms, a threshold, a missing-value effect, an interaction);
 * - `thresholdLabel`: `x0 + x1 + noise > 1.5` (~15 % failures): two features decide almost alone,
 *   so even a few hundred rows rank them first.
 *
 * @example
 * ```ts
 * const table = boschFixture({ rows: 6048, features: 40, cleanDays: [0] });
 * const csv = boschCsv(table); // synthetic_timestamp,Id,<features>,Response
 * ```
 *
 * @module
 */
import { Rng } from "../lib/random/mod.ts";

/** Label of one row: its feature values (NaN = empty) and a uniform draw in [0, 1). */
export type LabelModel = (x: Float64Array, u: number) => 0 | 1;

/** Options of {@link boschFixture}. */
export interface BoschFixtureOptions {
  /** Total rows spread evenly over `days` (default 6048) — or give `rowsPerDay`. */
  rows?: number;
  /** Rows per day, evenly spaced within the day (instead of `rows`). */
  rowsPerDay?: number;
  /** Days (default 7) from `startMs` (default 2025-01-01T00:00:00Z). */
  days?: number;
  startMs?: number;
  /** With `rowsPerDay`: every n-th day has no rows at all (0 = none, the default). */
  skipEveryNthDay?: number;
  /** Feature columns (default 40). */
  features?: number;
  /** Column name of feature j (default `L<j%4>_S<j%38>_F<3j>`). */
  featureName?: (j: number) => string;
  /** Chance that feature j is empty in a row (default 0.15 for j < 5, else `missing`). */
  missingRate?: (j: number) => number;
  /** Share of empty cells of the non-signal features (default 0.8). */
  missing?: number;
  /**
   * Features in stations of this many (as on a production line): a row passes a station or not,
   * so all features of a skipped station are empty together, with the rate of its first feature.
   * Default 1 (each cell on its own).
   */
  stationSize?: number;
  /** Default `logisticLabel(intercept)`. */
  label?: LabelModel;
  /** Intercept of the default label: −5 gives ~3 % failures, −7.3 about Bosch's 0.6 %. */
  intercept?: number;
  /** Days (0-based) forced to have no failures (default none). */
  cleanDays?: number[];
  /** Default 11. */
  seed?: number;
}

/** A generated table (columns; rows in time order). */
export interface BoschFixture {
  rows: number;
  ids: Float64Array;
  /** ms UTC, whole seconds. */
  timestamps: Float64Array;
  labels: Uint8Array;
  /** One column per feature, NaN = empty; values have 3 decimals. */
  features: Float32Array[];
  featureNames: string[];
  positives: number;
}

/** Logistic label over features 0–4; `intercept` sets the failure rate. */
export function logisticLabel(intercept = -5): LabelModel {
  return (x, u) => {
    const v = (j: number) => (j < x.length && !Number.isNaN(x[j]) ? x[j] : 0);
    const logit = intercept + 1.6 * v(0) + 1.1 * (v(1) > 0.8 ? 1 : 0) - 0.9 * v(2) +
      (x.length > 3 && Number.isNaN(x[3]) ? 1.2 : 0) + 0.6 * v(4) * v(0);
    return u < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  };
}

/** `x0 + x1 + noise > 1.5`: two features decide (~15 % failures). */
export const thresholdLabel: LabelModel = (x, u) => {
  const v = (j: number) => (j < x.length && !Number.isNaN(x[j]) ? x[j] : 0);
  return v(0) + v(1) + (u - 0.5) * 0.6 > 1.5 ? 1 : 0;
};

const DAY_MS = 86_400_000;

/** Row timestamps (ms) for the options: evenly over the days, or `rowsPerDay` a day. */
function rowTimes(o: BoschFixtureOptions): number[] {
  const start = o.startMs ?? Date.UTC(2025, 0, 1);
  const days = o.days ?? 7;
  const out: number[] = [];
  if (o.rowsPerDay !== undefined) {
    const step = Math.floor(DAY_MS / o.rowsPerDay);
    const skip = o.skipEveryNthDay ?? 0;
    for (let d = 0; d < days; d++) {
      if (skip && d % skip === skip - 1) continue;
      for (let r = 0; r < o.rowsPerDay; r++) {
        out.push(start + d * DAY_MS + Math.floor((r * step) / 1000) * 1000);
      }
    }
    return out;
  }
  const n = o.rows ?? 6048;
  const stepS = (days * 86_400) / n;
  for (let i = 0; i < n; i++) out.push(start + Math.floor(i * stepS) * 1000);
  return out;
}

/** Generate the table (see the module doc). */
export function boschFixture(o: BoschFixtureOptions = {}): BoschFixture {
  const rng = new Rng(o.seed ?? 11);
  const times = rowTimes(o);
  const n = times.length;
  const nf = o.features ?? 40;
  const start = o.startMs ?? Date.UTC(2025, 0, 1);
  const missing = o.missing ?? 0.8;
  const missingRate = o.missingRate ?? ((j: number) => (j < 5 ? 0.15 : missing));
  const label = o.label ?? logisticLabel(o.intercept ?? -5);
  const clean = new Set(o.cleanDays ?? []);
  const featureNames = Array.from(
    { length: nf },
    (_, j) => o.featureName?.(j) ?? `L${j % 4}_S${j % 38}_F${j * 3}`,
  );
  const rates = featureNames.map((_, j) => missingRate(j));
  const features = featureNames.map(() => new Float32Array(n));
  const ids = new Float64Array(n);
  const labels = new Uint8Array(n);
  const timestamps = Float64Array.from(times);
  const stationSize = Math.max(1, o.stationSize ?? 1);
  const x = new Float64Array(nf);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    ids[i] = 4 + 3 * i;
    let empty = false;
    for (let j = 0; j < nf; j++) {
      if (j % stationSize === 0) empty = rng.next() < rates[j];
      x[j] = empty ? NaN : Math.round(rng.gauss() * 1000) / 1000;
      features[j][i] = x[j];
    }
    const day = Math.floor((times[i] - start) / DAY_MS);
    const u = rng.next();
    const y = clean.has(day) ? 0 : label(x, u);
    labels[i] = y;
    positives += y;
  }
  return { rows: n, ids, timestamps, labels, features, featureNames, positives };
}

const pad = (n: number) => String(n).padStart(2, "0");

/** `yyyy-MM-dd HH:mm:ss` in UTC, as .NET writes `synthetic_timestamp`. */
export function formatTimestamp(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** The table as the CSV the .NET backend uploads: `synthetic_timestamp,Id,<features>,Response`. */
export function boschCsv(t: BoschFixture): string {
  const lines = [`synthetic_timestamp,Id,${t.featureNames.join(",")},Response`];
  const cells = new Array<string>(t.features.length);
  for (let i = 0; i < t.rows; i++) {
    for (let j = 0; j < cells.length; j++) {
      const v = t.features[j][i];
      cells[j] = Number.isNaN(v) ? "" : v.toFixed(3);
    }
    lines.push(
      `${formatTimestamp(new Date(t.timestamps[i]))},${t.ids[i]},${cells.join(",")},${t.labels[i]}`,
    );
  }
  return lines.join("\n") + "\n";
}
