/**
 * A small Bosch-shaped dataset for end-to-end tests: `synthetic_timestamp,Id,<features>,Response`
 * with `yyyy-MM-dd HH:mm:ss` timestamps spread evenly over 7 days, mostly-empty numeric features,
 * ~3 % failures that depend on a few features (so a model has something to learn), and NO
 * failures on the first day (so a one-day training window exercises the one-class failure).
 *
 * @example
 * ```ts
 * const { csv, start } = generateBoschCsv({ rows: 6048 });
 * ```
 *
 * @module
 */

/** Options of {@link generateBoschCsv}. */
export interface BoschCsvOptions {
  rows?: number;
  features?: number;
  seed?: number;
  /** First timestamp (UTC); default 2025-01-01T00:00:00Z. */
  start?: Date;
  days?: number;
}

/** The generated CSV and what it contains. */
export interface BoschCsv {
  csv: string;
  start: Date;
  rows: number;
  featureNames: string[];
  positives: number;
}

/** Mulberry32: a tiny seeded PRNG (deterministic fixtures). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number) => String(n).padStart(2, "0");

/** `yyyy-MM-dd HH:mm:ss` in UTC, as .NET writes `synthetic_timestamp`. */
export function formatTimestamp(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Generate the CSV text (rows in time order). */
export function generateBoschCsv(opts: BoschCsvOptions = {}): BoschCsv {
  const rows = opts.rows ?? 6048;
  const nf = opts.features ?? 40;
  const days = opts.days ?? 7;
  const start = opts.start ?? new Date("2025-01-01T00:00:00Z");
  const rand = rng(opts.seed ?? 7);
  const gauss = () => {
    const u = Math.max(rand(), 1e-12), v = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const featureNames = Array.from({ length: nf }, (_, j) => `L${j % 4}_S${j % 13}_F${j * 7}`);
  const stepMs = (days * 86_400_000) / rows;
  const lines = [`synthetic_timestamp,Id,${featureNames.join(",")},Response`];
  const x = new Array<number>(nf);
  let positives = 0;
  for (let i = 0; i < rows; i++) {
    const t = new Date(start.getTime() + Math.floor(i * stepMs / 1000) * 1000);
    const cells: string[] = [];
    for (let j = 0; j < nf; j++) {
      // The first 5 features carry the signal and are mostly present; the rest are ~80 % empty.
      const missing = rand() < (j < 5 ? 0.15 : 0.8);
      x[j] = missing ? NaN : Math.round(gauss() * 1000) / 1000;
      cells.push(missing ? "" : x[j].toFixed(3));
    }
    const v = (j: number) => (Number.isNaN(x[j]) ? 0 : x[j]);
    const logit = -5.0 + 1.6 * v(0) + 1.1 * (v(1) > 0.8 ? 1 : 0) - 0.9 * v(2) +
      (Number.isNaN(x[3]) ? 1.2 : 0) + 0.6 * v(4) * v(0);
    const firstDay = t.getTime() - start.getTime() < 86_400_000;
    const y = !firstDay && rand() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    positives += y;
    lines.push(`${formatTimestamp(t)},${4 + 3 * i},${cells.join(",")},${y}`);
  }
  return { csv: lines.join("\n") + "\n", start, rows, featureNames, positives };
}
