/**
 * A READY dataset made without a CSV: column arrays generated in memory (Bosch-shaped: mostly
 * missing features, a few carrying a real signal, rare failures), written as the dataset's
 * column table and registered as the active dataset. For training tests and the Bosch-scale
 * split/train benchmark, where a full upload + feature selection would dominate the run.
 *
 * @example
 * ```ts
 * const ds = await installSyntheticDataset(services, { rows: 5000, features: 20 });
 * const { split } = await createSplit(services, windows);
 * ```
 *
 * @module
 */
import type { Services } from "../../../services.ts";
import { writeColumnTable } from "../../../data/column_table.ts";
import {
  activateDataset,
  datasetBlobKeys,
  type DatasetRecord,
  putDataset,
} from "../../ingest/datasets.ts";

/** Options of {@link installSyntheticDataset}. */
export interface SyntheticDatasetOptions {
  rows: number;
  features: number;
  /** Days the rows span, evenly (default 7). */
  days?: number;
  /** First timestamp, ms UTC (default 2025-01-01T00:00:00Z). */
  startMs?: number;
  /** Intercept of the failure logit: −5 gives ~3 % failures, −7.3 about Bosch's 0.6 %. */
  intercept?: number;
  /** Share of missing cells in non-signal features (default 0.8). */
  missing?: number;
  /** Days (0-based) forced to have no failures (default none). */
  cleanDays?: number[];
  seed?: number;
}

/** Mulberry32 (deterministic, fast). */
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

/** Generate, store and activate the dataset; resolves with its READY record. */
export async function installSyntheticDataset(
  services: Services,
  opts: SyntheticDatasetOptions,
): Promise<DatasetRecord> {
  const { rows: n, features: nf } = opts;
  const days = opts.days ?? 7;
  const startMs = opts.startMs ?? Date.UTC(2025, 0, 1);
  const intercept = opts.intercept ?? -5;
  const missing = opts.missing ?? 0.8;
  const clean = new Set(opts.cleanDays ?? []);
  const rand = rng(opts.seed ?? 11);
  const gauss = () => {
    const u = Math.max(rand(), 1e-12), v = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const featureNames = Array.from({ length: nf }, (_, j) => `L${j % 4}_S${j % 38}_F${j * 3}`);
  const features = featureNames.map(() => new Float32Array(n));
  const ids = new Float64Array(n);
  const labels = new Uint8Array(n);
  const timestamps = new Float64Array(n);
  const stepS = (days * 86_400) / n;
  for (let i = 0; i < n; i++) {
    const t = startMs + Math.floor(i * stepS) * 1000;
    timestamps[i] = t;
    ids[i] = 4 + 3 * i;
    for (let j = 0; j < nf; j++) {
      const miss = rand() < (j < 5 ? 0.15 : missing);
      features[j][i] = miss ? NaN : Math.round(gauss() * 1000) / 1000;
    }
    const v = (j: number) => (j < nf && !Number.isNaN(features[j][i]) ? features[j][i] : 0);
    const logit = intercept + 1.6 * v(0) + 1.1 * (v(1) > 0.8 ? 1 : 0) - 0.9 * v(2) +
      (nf > 3 && Number.isNaN(features[3][i]) ? 1.2 : 0) + 0.6 * v(4) * v(0);
    const day = Math.floor((t - startMs) / 86_400_000);
    const y = !clean.has(day) && rand() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    labels[i] = y;
  }
  return await installColumnsDataset(services, { features, featureNames, labels, timestamps, ids });
}

/** Columns of a dataset given in memory (rows in time order). */
export interface ColumnsDataset {
  features: Float32Array[];
  featureNames: string[];
  labels: Uint8Array;
  /** ms UTC, ascending. */
  timestamps: Float64Array;
  ids: Float64Array;
}

/** Store in-memory columns as a READY dataset and activate it (rows must be in time order). */
export async function installColumnsDataset(
  services: Services,
  data: ColumnsDataset,
): Promise<DatasetRecord> {
  const { features, featureNames, labels, timestamps, ids } = data;
  const n = labels.length, nf = features.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i];
  const id = crypto.randomUUID();
  const keys = datasetBlobKeys(id);
  await writeColumnTable(services.storage, keys.table, {
    rows: n,
    ids,
    labels,
    timestamps,
    features,
    featureNames,
    idColumn: "Id",
    responseColumn: "Response",
    timestampColumn: "synthetic_timestamp",
    sourceInOrder: true,
    nonNumericCells: {},
  });
  const rowsPerDay: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const d = new Date(timestamps[i]).toISOString().slice(0, 10);
    rowsPerDay[d] = (rowsPerDay[d] ?? 0) + 1;
  }
  const now = new Date().toISOString();
  const rec: DatasetRecord = {
    id,
    filename: "synthetic.csv",
    state: "READY",
    error: null,
    bytes: 0,
    created_at: now,
    updated_at: now,
    task_id: null,
    profile: {
      rows: n,
      columns: nf + 3,
      timestamp_column: "synthetic_timestamp",
      first_timestamp: new Date(timestamps[0]).toISOString(),
      last_timestamp: new Date(timestamps[n - 1]).toISOString(),
      rows_per_day: rowsPerDay,
      class_counts: { "0": n - positives, "1": positives },
      text_columns: [],
      sorted_by_time: true,
    },
    features: featureNames.map((name, j) => ({ name, importance: nf - j })),
    table_prefix: keys.table,
    source_key: keys.source,
    profile_key: null,
    sample_key: null,
  };
  await putDataset(services.kv, rec);
  await activateDataset(services.kv, rec);
  return rec;
}
