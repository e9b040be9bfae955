/**
 * A split's drift (`GET /split/drift`): the fixed bins of each selected feature from the training
 * window, and the simulation window's PSI and missing-share change against them (`drift.ts`).
 * Computed when the split is made and stored beside it as `splits/{id}/drift.json` (a blob: a
 * thousand features' bins would not fit a 64 KiB KV value); a split made before this existed gets
 * it on first read. The simulation reads the bins to track the replayed rows' drift.
 *
 * Cost at Bosch scale: one feature at a time, each window read as at most
 * {@link DRIFT_MAX_ROWS} rows in {@link DRIFT_BLOCKS} evenly spaced contiguous blocks of the
 * Float32 column (range reads of the column table, ~0.8 MB a feature and window), the deciles
 * from a ≤ 50 000-value sample of them; counting is a binary search over ≤ 9 edges a value. The
 * binning and counting (~28 ms a feature at 200 000 rows: 2.8 s for 100 features on the event
 * loop before) run in a worker (`drift_worker.ts`). With a local store the worker also reads the
 * blocks from the column file itself (it is given the file and each column's offset): the reads
 * had cost the server thread ~600 ms of CPU per Bosch-scale split (1,600 streamed range reads),
 * and status answers waited 30–100 ms behind them (`bench/split_train.ts`). Other stores (S3)
 * read here, asynchronously, and move the values to the worker, at most
 * {@link DRIFT_IN_FLIGHT} features ahead of it (1.18 M rows × 100 features: 1.1–1.3 s on a loaded
 * 2-core machine; `bench/split_drift.ts`). Drift describes the windows' rows; the split's
 * sampling fraction (when < 1) does not apply to it.
 *
 * @example
 * ```ts
 * const drift = await getSplitDrift(services, split); // stored, or computed and stored now
 * drift.simulation.status; // "stable" | "watch" | "drift" | "insufficient"
 * ```
 *
 * @module
 */
import type { Services } from "../../services.ts";
import { type ColumnTableManifest, openColumnTable } from "../../data/column_table.ts";
import type { BlobStore } from "../../storage/blob_store.ts";
import { BlobNotFoundError } from "../../storage/keys.ts";
import { type DriftReport, driftReport, type FeatureBins } from "./drift.ts";
import { WorkerClient } from "../../worker/client.ts";
import type { ColumnFile, DriftCounts, DriftInput, DriftRequest } from "./drift_worker.ts";
import { localColumnFiles } from "./column_reader.ts";

/**
 * Rows read per window and feature at most. 100 000 rows estimate a decile's 10 % share within
 * ±0.1 percentage point (one standard error), so the PSI's sampling noise (~1e-4) stays far below
 * the 0.1 / 0.25 thresholds; half the former 200 000 took a Bosch-scale split 1.25 → 0.93 s
 * (`bench/split_train.ts`, side by side).
 */
export const DRIFT_MAX_ROWS = 100_000;
/** Contiguous blocks a capped window is read in (spread over its whole time span). */
export const DRIFT_BLOCKS = 8;
/**
 * Workers binning and counting the features: one (bench/split_drift.ts: two were slower and
 * stalled the event loop on this 2-core machine, the reads being the other half of the time).
 */
export const DRIFT_WORKERS = 1;
/** Features read ahead of each worker at most (~1.6 MB a feature in flight at Bosch scale). */
export const DRIFT_IN_FLIGHT = 4;

/** What drift needs of a split record (`split.ts` `SplitRecord`). */
export interface DriftSplit {
  id: string;
  dataset_id: string;
  table_prefix: string;
  feature_names: string[];
  ranges: { train: [number, number]; simulation: [number, number] };
}

/** What is stored per split. */
export interface SplitDrift {
  split_id: string;
  dataset_id: string;
  computed_at: string;
  /** Rows read per window (all rows up to {@link DRIFT_MAX_ROWS}). */
  sampled_rows: { train: number; simulation: number };
  /** Fixed bins and training counts per selected feature (split feature order). */
  bins: FeatureBins[];
  /** Simulation window vs training window. */
  simulation: DriftReport;
}

/** Blob key of a split's drift. */
export function splitDriftKey(splitId: string): string {
  return `splits/${splitId}/drift.json`;
}

/** Row ranges to read of `[start, end)`: all of it, or evenly spaced blocks totalling the cap. */
export function sampleBlocks(start: number, end: number, maxRows = DRIFT_MAX_ROWS): [
  number,
  number,
][] {
  const n = end - start;
  if (n <= maxRows) return n > 0 ? [[start, end]] : [];
  const per = Math.floor(maxRows / DRIFT_BLOCKS);
  const out: [number, number][] = [];
  for (let b = 0; b < DRIFT_BLOCKS; b++) {
    const s = start + Math.floor((b * (n - per)) / (DRIFT_BLOCKS - 1));
    out.push([s, s + per]);
  }
  return out;
}

/** Compute a split's drift from its column table (see the module doc for the cost). */
export async function computeSplitDrift(
  services: Services,
  split: DriftSplit,
  opts: { workers?: number; maxRows?: number; localFiles?: boolean } = {},
): Promise<SplitDrift> {
  const table = await openColumnTable(services.storage, split.table_prefix);
  const trainBlocks = sampleBlocks(...split.ranges.train, opts.maxRows);
  const simBlocks = sampleBlocks(...split.ranges.simulation, opts.maxRows);
  const files = opts.localFiles === false
    ? null
    : localColumns(services.storage, table.manifest, split.feature_names);
  const read = async (name: string, blocks: [number, number][]) => {
    const parts = await Promise.all(
      blocks.map(([s, e]) => table.readRows(s, e, [name]).then((a) => a[0] as Float32Array)),
    );
    if (parts.length === 1) return parts[0];
    const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
    let off = 0;
    for (const p of parts) {
      out.set(p, off);
      off += p.length;
    }
    return out;
  };
  const { bins, compared } = await countInWorkers(
    split.feature_names,
    opts.workers ?? DRIFT_WORKERS,
    files
      ? {
        request: { blocks: { train: trainBlocks, simulation: simBlocks } },
        read: (feature, i) => Promise.resolve({ feature, file: files[i] }),
        inFlight: Infinity,
      }
      : {
        request: {},
        read: async (feature) => ({
          feature,
          train: await read(feature, trainBlocks),
          simulation: await read(feature, simBlocks),
        }),
        inFlight: DRIFT_IN_FLIGHT,
      },
  );
  const rows = (blocks: [number, number][]) => blocks.reduce((a, [s, e]) => a + e - s, 0);
  return {
    split_id: split.id,
    dataset_id: split.dataset_id,
    computed_at: new Date().toISOString(),
    sampled_rows: { train: rows(trainBlocks), simulation: rows(simBlocks) },
    bins,
    simulation: driftReport(bins, compared),
  };
}

/**
 * The local file and offset of each feature's Float32 column, or null when the store has no
 * local files (S3) or a feature is not stored as Float32: then the values are read here.
 */
function localColumns(
  storage: BlobStore,
  manifest: ColumnTableManifest,
  features: string[],
): ColumnFile[] | null {
  const files = localColumnFiles(storage, manifest);
  const out: ColumnFile[] = [];
  for (const name of features) {
    const f = files?.get(name);
    if (f?.dtype !== "float32") return null;
    out.push(f);
  }
  return out;
}

/** What the workers are fed: the call's request and each feature's input. */
interface DriftFeed {
  request: DriftRequest;
  read: (feature: string, index: number) => Promise<DriftInput>;
  /** Features sent ahead of each worker's acknowledgements at most. */
  inFlight: number;
}

/**
 * Bins and counts of each feature in {@link DRIFT_WORKERS} workers (features dealt in turn), fed
 * one feature at a time by `feed.read`, each worker at most `feed.inFlight` features behind.
 */
async function countInWorkers(
  features: string[],
  workers: number,
  feed: DriftFeed,
): Promise<{ bins: FeatureBins[]; compared: number[][] }> {
  const n = Math.max(1, Math.min(workers, features.length));
  const clients = Array.from(
    { length: n },
    () =>
      WorkerClient.spawn(new URL("./drift_worker.ts", import.meta.url), {
        name: "split-drift",
        hangTimeoutMs: 60_000,
      }),
  );
  try {
    const done = new Array<number>(n).fill(0);
    const sent = new Array<number>(n).fill(0);
    let wake: (() => void) | null = null;
    const calls = clients.map((client, w) =>
      client.stream<DriftRequest, DriftInput, DriftCounts, number>(feed.request, {
        onProgress: (count) => {
          done[w] = count;
          wake?.();
        },
      })
    );
    // A failed call must end the feeding loop below instead of leaving it waiting.
    const failed = Promise.race(calls.map((c) => c.result.then(() => new Promise<never>(() => {}))))
      .then(() => true, () => true);
    for (let i = 0; i < features.length; i++) {
      const w = i % n;
      while (sent[w] - done[w] >= feed.inFlight) {
        const turn = new Promise<void>((r) => (wake = r));
        if (await Promise.race([turn.then(() => false), failed])) break;
      }
      const input = await feed.read(features[i], i);
      calls[w].send(input, "train" in input ? [input.train.buffer, input.simulation.buffer] : []);
      sent[w]++;
    }
    for (const c of calls) c.end();
    const parts = await Promise.all(calls.map((c) => c.result));
    // Back to feature order: feature i is the (i / n)-th of worker i % n.
    const bins: FeatureBins[] = [];
    const compared: number[][] = [];
    for (let i = 0; i < features.length; i++) {
      bins.push(parts[i % n].bins[Math.floor(i / n)]);
      compared.push(parts[i % n].compared[Math.floor(i / n)]);
    }
    return { bins, compared };
  } finally {
    for (const c of clients) c.terminate();
  }
}

const pending = new Map<string, Promise<SplitDrift>>();

/** Compute and store a split's drift (one computation at a time per split). */
export function storeSplitDrift(services: Services, split: DriftSplit): Promise<SplitDrift> {
  const running = pending.get(split.id);
  if (running) return running;
  const job = (async () => {
    const drift = await computeSplitDrift(services, split);
    await services.storage.put(
      splitDriftKey(split.id),
      new TextEncoder().encode(JSON.stringify(drift)),
    );
    return drift;
  })().finally(() => pending.delete(split.id));
  pending.set(split.id, job);
  return job;
}

/** A split's stored drift, computed and stored now when absent. */
export async function getSplitDrift(services: Services, split: DriftSplit): Promise<SplitDrift> {
  let bytes: Uint8Array | null = null;
  try {
    bytes = await services.storage.getBytes(splitDriftKey(split.id));
  } catch (err) {
    if (!(err instanceof BlobNotFoundError)) throw err;
  }
  if (bytes) return JSON.parse(new TextDecoder().decode(bytes)) as SplitDrift;
  return await storeSplitDrift(services, split);
}
