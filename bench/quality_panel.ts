/**
 * The seeded dataset panel of bench/model_quality.ts: Bosch-like shapes that differ in size,
 * failure rate, width, missing share and signal shape, each spread evenly over 6 days (train
 * days 0–3, test day 4, simulation day 5), plus a reader for the real rows in `../shared/data/`.
 *
 * Labels are drawn from a logistic model `intercept + signal(row, day)`; the intercept is solved
 * (bisection) so the mean failure probability equals the target rate.
 *
 * @module
 */
import { Rng } from "../lib/random/mod.ts";
import type { ColumnsDataset } from "../lib/pipeline/train/testdata/synthetic_dataset.ts";

/** Signal shapes. */
export type Shape = "strong" | "weak" | "interact" | "drift" | "mixed" | "stations";

/** One panel member. */
export interface PanelSpec {
  key: string;
  rows: number;
  features: number;
  /** Target share of failing rows. */
  failRate: number;
  /** Share of missing cells (stations: share of skipped stations). */
  missing: number;
  shape: Shape;
  seed: number;
}

/** The panel (the ≥ 700 k member is skipped with `--skip-large`). */
export const PANEL: PanelSpec[] = [
  {
    key: "strong60k",
    rows: 60_000,
    features: 50,
    failRate: 0.024,
    missing: 0.6,
    shape: "strong",
    seed: 1,
  },
  {
    key: "weak20k",
    rows: 20_000,
    features: 200,
    failRate: 0.05,
    missing: 0.3,
    shape: "weak",
    seed: 2,
  },
  {
    key: "inter120k",
    rows: 120_000,
    features: 80,
    failRate: 0.01,
    missing: 0.1,
    shape: "interact",
    seed: 3,
  },
  {
    key: "drift200k",
    rows: 200_000,
    features: 100,
    failRate: 0.015,
    missing: 0.5,
    shape: "drift",
    seed: 4,
  },
  {
    key: "rare300k",
    rows: 300_000,
    features: 60,
    failRate: 0.003,
    missing: 0.7,
    shape: "mixed",
    seed: 5,
  },
  {
    key: "wide50k",
    rows: 50_000,
    features: 970,
    failRate: 0.006,
    missing: 0.8,
    shape: "stations",
    seed: 6,
  },
  {
    key: "bosch1200k",
    rows: 1_200_000,
    features: 100,
    failRate: 0.006,
    missing: 0.8,
    shape: "stations",
    seed: 7,
  },
];

export const DAYS = 6;
export const T0 = Date.UTC(2025, 0, 1);
export const DAY_MS = 86_400_000;

/** Generate one panel member (deterministic for its seed). */
export function generatePanelMember(spec: PanelSpec): ColumnsDataset {
  const { rows: n, features: nf, missing, shape } = spec;
  const rng = new Rng(spec.seed * 7919 + 17);
  const rnd = () => rng.next();
  const gauss = () => rng.gauss();
  const features = Array.from({ length: nf }, () => new Float32Array(n));
  const featureNames = Array.from(
    { length: nf },
    (_, j) => `L${j % 4}_S${Math.floor(j / 20)}_F${j}`,
  );
  const labels = new Uint8Array(n);
  const timestamps = new Float64Array(n);
  const ids = new Float64Array(n);
  const signal = new Float64Array(n);
  // Weak shape: 60 features with small random-sign effects.
  const weakCoef = Array.from(
    { length: nf },
    (_, j) => (j < 60 ? (rnd() < 0.5 ? -1 : 1) * 0.3 : 0),
  );
  const stationOf = (j: number) => Math.floor(j / 20);
  const nStations = Math.ceil(nf / 20);
  const visit = new Uint8Array(nStations);
  const stepMs = (DAYS * DAY_MS) / n;
  for (let i = 0; i < n; i++) {
    const t = T0 + Math.floor(i * stepMs);
    timestamps[i] = t;
    ids[i] = 1 + 2 * i;
    const day = Math.floor((t - T0) / DAY_MS);
    if (shape === "stations") {
      // Bosch: a part visits a station or skips all of its features.
      for (let s = 0; s < nStations; s++) visit[s] = rnd() < (s < 3 ? 0.9 : 1 - missing) ? 1 : 0;
    }
    for (let j = 0; j < nf; j++) {
      const miss = shape === "stations" ? !visit[stationOf(j)] : rnd() < (j < 6 ? 0.1 : missing);
      // Drift: the first features' means move a little every day.
      const shift = shape === "drift" && j < 3 ? 0.15 * day : 0;
      features[j][i] = miss ? NaN : Math.round((gauss() + shift) * 1000) / 1000;
    }
    const v = (j: number) => (j < nf && !Number.isNaN(features[j][i]) ? features[j][i] : 0);
    const isMiss = (j: number) => j < nf && Number.isNaN(features[j][i]);
    let s = 0;
    switch (shape) {
      case "strong":
        s = 1.5 * v(0) + 1.1 * (v(1) > 1 ? 1 : 0) - 1.0 * v(2) + (isMiss(3) ? 0.9 : 0);
        break;
      case "weak":
        for (let j = 0; j < 60; j++) s += weakCoef[j] * v(j);
        s += 0.8 * v(60);
        break;
      case "interact":
        s = 1.0 * v(0) * v(1) + 1.4 * (v(2) > 0.5 && v(3) < 0 ? 1 : 0) + 0.8 * Math.abs(v(4)) +
          0.8 * Math.sin(2 * v(5));
        break;
      case "drift": {
        // The strongest feature fades and another takes over across the days.
        const w = day / (DAYS - 1);
        s = (1.6 - 0.9 * w) * (v(0) - 0.15 * day) + (0.3 + 1.0 * w) * v(1) - 0.9 * v(2) +
          (isMiss(3) ? 0.7 : 0) + 0.25 * day;
        break;
      }
      case "mixed":
        s = 1.3 * v(0) - 0.9 * v(1) + 0.7 * v(2) * v(3);
        for (let j = 4; j < 40; j++) s += weakCoef[j] * v(j);
        break;
      case "stations":
        // A few measured features in busy stations plus a skipped-station effect.
        for (let j = 0; j < 20; j++) s += (j % 2 ? -0.45 : 0.45) * v(j * 3);
        s += isMiss(Math.min(nf - 1, 100)) ? 0 : 0.8;
        break;
    }
    signal[i] = s;
  }
  // Solve the intercept for the target failure rate, then draw the labels.
  let lo = -20, hi = 10;
  for (let it = 0; it < 50; it++) {
    const mid = (lo + hi) / 2;
    let m = 0;
    for (let i = 0; i < n; i++) m += 1 / (1 + Math.exp(-(mid + signal[i])));
    if (m / n > spec.failRate) hi = mid;
    else lo = mid;
  }
  for (let i = 0; i < n; i++) {
    labels[i] = rnd() < 1 / (1 + Math.exp(-(lo + signal[i]))) ? 1 : 0;
  }
  return { features, featureNames, labels, timestamps, ids };
}

/**
 * The real rows (`Id, <features>, Response, Timestamp`, empty = missing), sorted by time.
 * Returns null when the file is not there.
 */
export async function readRealRows(path: string): Promise<ColumnsDataset | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    return null;
  }
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0].split(",");
  const iId = header.indexOf("Id"), iY = header.indexOf("Response");
  const iT = header.findIndex((h) => /timestamp/i.test(h));
  const featIdx = header.map((_, j) => j).filter((j) => j !== iId && j !== iY && j !== iT);
  const rows = lines.slice(1).map((l) => l.split(","));
  rows.sort((a, b) => Date.parse(a[iT] + "Z") - Date.parse(b[iT] + "Z"));
  const n = rows.length;
  const features = featIdx.map(() => new Float32Array(n));
  const labels = new Uint8Array(n), timestamps = new Float64Array(n), ids = new Float64Array(n);
  rows.forEach((r, i) => {
    featIdx.forEach((j, k) => {
      features[k][i] = r[j] === "" ? NaN : Number(r[j]);
    });
    labels[i] = Number(r[iY]) === 1 ? 1 : 0;
    timestamps[i] = Date.parse(r[iT].replace(" ", "T") + "Z");
    ids[i] = Number(r[iId]);
  });
  return { features, featureNames: featIdx.map((j) => header[j]), labels, timestamps, ids };
}
