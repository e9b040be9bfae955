/**
 * Generate a Bosch-shaped CSV for benchmarks and end-to-end tests.
 *
 * Shape (as the .NET backend would send it): `synthetic_timestamp,Id,<968 features>,Response`,
 * features named `L<l>_S<s>_F<f>` across 4 lines / 52 stations, values with 3 decimals
 * (`-0.052`), ~80 % empty cells with Bosch-like structure (a row passes through a station or not;
 * all features of a skipped station are empty), ~0.6 % positives. The signal: 20 features in
 * frequently visited stations are shifted for positive rows (half up, half down), so a good
 * feature selection ranks them first; their names go to `<out>.signal.json`. Timestamps are one
 * row per second from 2025-01-01 00:00:00. Seeded: same arguments → same bytes.
 *
 * Usage: `deno run -A bench/gen_bosch.ts [--gb 1] [--rows N] [--seed 1] [--out bench/.data/bosch_1gb.csv]`
 *
 * @module
 */
import { Rng } from "../lib/random/mod.ts";
import { arg } from "./harness.ts";

/** What `generateBoschCsv` wrote. */
export interface GeneratedCsv {
  path: string;
  rows: number;
  bytes: number;
  positives: number;
  signalFeatures: string[];
  ms: number;
}

/** Options of the generator. */
export interface GenOptions {
  path: string;
  /** Target size in bytes (stops at the first row past it) unless `rows` is given. */
  bytes?: number;
  rows?: number;
  seed?: number;
  /** Share of positive rows (default 0.006). */
  positiveRate?: number;
}

const enc = new TextEncoder();
/** Visit probability of a rarely visited station: uniform in [MIN, MIN + SPREAD). */
const RARE_VISIT_MIN = 0.06, RARE_VISIT_SPREAD = 0.09;

/** Write the file; returns what was written. */
export async function generateBoschCsv(opts: GenOptions): Promise<GeneratedCsv> {
  const t0 = performance.now();
  const rng = new Rng(opts.seed ?? 1);
  const rnd = () => rng.next();
  const gauss = () => rng.gauss();
  // Stations: 4 lines, sizes chosen to total 968 features (Bosch numeric has 968).
  const perLine = [[12, 13, 14], [24, 25], [4, 5], [16, 18]];
  const stationSizes: number[][] = [];
  const lineStations = [13, 24, 3, 12]; // 52 stations
  let total = 0;
  for (let l = 0; l < 4; l++) {
    const sizes: number[] = [];
    for (let s = 0; s < lineStations[l]; s++) {
      const opt = perLine[l];
      sizes.push(opt[Math.floor(rnd() * opt.length)]);
    }
    stationSizes.push(sizes);
    total += sizes.reduce((a, b) => a + b, 0);
  }
  // Trim / pad the last station so there are exactly 968 features.
  const last = stationSizes[3];
  last[last.length - 1] += 968 - total;

  interface Station {
    features: number[]; // feature indices
    p: number; // visit probability
  }
  const names: string[] = [];
  const stations: Station[] = [];
  let f = 0, sNo = 0;
  for (let l = 0; l < 4; l++) {
    for (const size of stationSizes[l]) {
      const st: Station = { features: [], p: 0 };
      for (let k = 0; k < size; k++) {
        names.push(`L${l}_S${sNo}_F${f}`);
        st.features.push(names.length - 1);
        f++;
      }
      stations.push(st);
      sNo++;
    }
  }
  // Visit probabilities: a few busy stations, most rarely visited → ~81 % empty overall, as
  // measured on real Bosch rows (../shared/data/bosch_numeric_700_ts.csv: 80.8 % empty, 1,892
  // bytes a row). Until 2026-12-04 rare stations had p = 0.12–0.22 (74.7 % empty, 2,297 bytes a
  // row: 1,183,747 rows made 2.72 GB where Bosch's file is 2.35 GB).
  const busy = new Set<number>();
  while (busy.size < 6) busy.add(Math.floor(rnd() * stations.length));
  for (let i = 0; i < stations.length; i++) {
    stations[i].p = busy.has(i) ? 0.92 : RARE_VISIT_MIN + rnd() * RARE_VISIT_SPREAD;
  }
  // Signal: 20 features from the busy stations.
  const busyFeatures = [...busy].flatMap((i) => stations[i].features);
  const signal: number[] = [];
  while (signal.length < 20) {
    const c = busyFeatures[Math.floor(rnd() * busyFeatures.length)];
    if (!signal.includes(c)) signal.push(c);
  }
  const shift = new Float64Array(names.length);
  signal.forEach((c, i) => (shift[c] = (i % 2 ? -1 : 1) * (0.35 + 0.3 * rnd())));
  const scale = new Float64Array(names.length);
  for (let c = 0; c < names.length; c++) scale[c] = 0.05 + rnd() * 0.15;

  // Value table: k in [-9999, 9999] thousandths → bytes like "-0.052".
  const LIM = 9999;
  const valueBytes: Uint8Array[] = [];
  for (let k = -LIM; k <= LIM; k++) valueBytes.push(enc.encode(k === 0 ? "0.0" : String(k / 1000)));

  const file = await Deno.open(opts.path, { write: true, create: true, truncate: true });
  const CAP = 16 * 1024 * 1024;
  const buf = new Uint8Array(CAP + 64 * 1024);
  let n = 0;
  let written = 0;
  const flush = async () => {
    let off = 0;
    while (off < n) off += await file.write(buf.subarray(off, n));
    written += n;
    n = 0;
  };
  const put = (b: Uint8Array) => {
    buf.set(b, n);
    n += b.length;
  };
  put(enc.encode(`synthetic_timestamp,Id,${names.join(",")},Response\n`));

  const posRate = opts.positiveRate ?? 0.006;
  const maxRows = opts.rows ?? Infinity;
  const maxBytes = opts.rows === undefined ? (opts.bytes ?? 2 ** 30) : Infinity;
  const t2025 = Date.UTC(2025, 0, 1) / 1000;
  let dayPrefix = new Uint8Array(0);
  let curDay = -1;
  const ts = new Uint8Array(8); // "HH:mm:ss"
  const present = new Uint8Array(names.length);
  let rows = 0, positives = 0, id = 0;
  try {
    while (rows < maxRows && written + n < maxBytes) {
      const sec = t2025 + rows;
      const day = Math.floor(sec / 86400);
      if (day !== curDay) {
        curDay = day;
        dayPrefix = enc.encode(new Date(day * 86_400_000).toISOString().slice(0, 10) + " ");
      }
      const s = sec - day * 86400;
      const hh = Math.floor(s / 3600), mm = Math.floor(s / 60) % 60, ss = s % 60;
      ts[0] = 48 + Math.floor(hh / 10);
      ts[1] = 48 + (hh % 10);
      ts[2] = 58;
      ts[3] = 48 + Math.floor(mm / 10);
      ts[4] = 48 + (mm % 10);
      ts[5] = 58;
      ts[6] = 48 + Math.floor(ss / 10);
      ts[7] = 48 + (ss % 10);
      put(dayPrefix);
      put(ts);
      id += 1 + Math.floor(rnd() * 3);
      put(enc.encode(`,${id}`));
      const positive = rnd() < posRate;
      if (positive) positives++;
      for (const st of stations) {
        const on = rnd() < st.p ? 1 : 0;
        for (const c of st.features) present[c] = on;
      }
      for (let c = 0; c < names.length; c++) {
        buf[n++] = 44;
        if (present[c]) {
          let v = gauss() * scale[c];
          if (positive) v += shift[c] * scale[c] * 2.5;
          let k = Math.round(v * 1000);
          if (k > LIM) k = LIM;
          else if (k < -LIM) k = -LIM;
          const b = valueBytes[k + LIM];
          for (let i = 0; i < b.length; i++) buf[n + i] = b[i];
          n += b.length;
        }
      }
      buf[n++] = 44;
      buf[n++] = positive ? 49 : 48;
      buf[n++] = 10;
      rows++;
      if (n >= CAP) await flush();
    }
    await flush();
  } finally {
    file.close();
  }
  const signalFeatures = signal.map((c) => names[c]);
  await Deno.writeTextFile(
    opts.path.replace(/\.csv$/, "") + ".signal.json",
    JSON.stringify({ rows, positives, signalFeatures }, null, 2),
  );
  return {
    path: opts.path,
    rows,
    bytes: written,
    positives,
    signalFeatures,
    ms: performance.now() - t0,
  };
}

/**
 * Generator version, part of the cached files' names: a change to the generated bytes must not
 * reuse files an older generator left in bench/.data/ (v2: real Bosch density, 81 % empty).
 */
export const GENERATOR_VERSION = 2;

/**
 * Where the seeded file of `gb` GB or of `rows` rows is cached: `bench/.data/bosch_v2_1gb.csv`,
 * `bench/.data/bosch_v2_1183747rows.csv`.
 */
export function boschCsvPath(size: { gb: number } | { rows: number }): string {
  const dir = new URL("./.data/", import.meta.url).pathname;
  const tag = "rows" in size ? `${size.rows}rows` : `${size.gb}gb`;
  return `${dir}bosch_v${GENERATOR_VERSION}_${tag}.csv`;
}

/**
 * Path of the seeded `gb`-GB file under bench/.data/, generated on first use and reused after
 * (the benchmarks that read it measure the same bytes run after run).
 */
export async function ensureBoschCsv(gb: number): Promise<string> {
  const path = boschCsvPath({ gb });
  await Deno.mkdir(new URL("./.data/", import.meta.url).pathname, { recursive: true });
  try {
    await Deno.stat(path);
  } catch {
    console.log(`generating ${path} ...`);
    await generateBoschCsv({ path, bytes: Math.round(gb * 2 ** 30), seed: 1 });
  }
  return path;
}

if (import.meta.main) {
  const gb = Number(arg("gb") ?? "1");
  const rows = arg("rows") ? Number(arg("rows")) : undefined;
  const seed = Number(arg("seed") ?? "1");
  const dir = new URL("./.data/", import.meta.url).pathname;
  await Deno.mkdir(dir, { recursive: true });
  const out = arg("out") ?? boschCsvPath(rows ? { rows } : { gb });
  const r = await generateBoschCsv({ path: out, bytes: Math.round(gb * 2 ** 30), rows, seed });
  console.log(
    `${r.path}: ${r.rows} rows, ${(r.bytes / 2 ** 20).toFixed(0)} MiB, ${r.positives} positives, ` +
      `${(r.ms / 1000).toFixed(1)} s (${(r.bytes / 2 ** 20 / (r.ms / 1000)).toFixed(0)} MiB/s)`,
  );
  console.log(`signal features: ${r.signalFeatures.join(", ")}`);
}
