/**
 * The date split (`POST /process/split-data`): cut the active dataset's column table into
 * train / test / simulation row ranges by inclusive UTC time windows.
 *
 * Nothing is copied: the column table is already in time order, so each set is a row range
 * `[start, end)` found by binary search on the timestamp column (plus, when the configured
 * sampling fraction is < 1, a seeded list of kept row indices stored once per split). The only
 * I/O per request is reading that timestamp column (async, ~9 MB for 1.18 M rows), cached per
 * dataset in a small LRU, so a split answers in milliseconds and never blocks the server.
 *
 * Which dataset: the ACTIVE one (the newest READY upload). When a newer upload is still being
 * profiled or having its features selected, the split is refused with 409 (with that dataset's
 * state and task id) instead of silently cutting the older data — the old service's bug.
 *
 * @example
 * ```ts
 * const out = await createSplit(services, windowsFromBody(body));
 * out.response.train_set_rows; // contract JSON
 * const train = await loadSplitSet(services, out.split, "train");
 * ```
 *
 * @module
 */
import type { Services } from "../../services.ts";
import type { KvStore } from "../../kv.ts";
import { isFinal, lockKey } from "../../tasks/records.ts";
import { openColumnTable } from "../../data/column_table.ts";
import { findRowRange } from "../../data/column_table.ts";
import { storeSplitDrift } from "./split_drift.ts";
import { readRowsOffThread } from "./column_reader.ts";
import { getLogger } from "../../log.ts";
import {
  type DatasetRecord,
  getActiveDataset,
  getNewestDataset,
  reconcileDataset,
} from "../ingest/datasets.ts";
import {
  countIn,
  dailyDistribution,
  lowerBound,
  sampleRows,
  SET_NAMES,
  type SetName,
  type TimeWindow,
} from "./windows.ts";

export { SET_NAMES, type SetName, type TimeWindow } from "./windows.ts";

const log = getLogger("split");

/** The contract's success message. */
export const SPLIT_MESSAGE = "Data successfully sampled, split, and saved.";
/** Seed of the row sample when the fraction is < 1 (same request → same rows). */
export const SPLIT_SEED = 42;

/** The KV record of a split, `["splits", id]`. */
export interface SplitRecord {
  id: string;
  dataset_id: string;
  created_at: string;
  windows: Record<SetName, TimeWindow>;
  /** Share of rows kept (1 = all). */
  fraction: number;
  seed: number;
  /** Rows per set (after sampling). */
  rows: Record<SetName, number>;
  /** Row ranges `[start, end)` of the dataset's column table. */
  ranges: Record<SetName, [number, number]>;
  /** Blob key of the kept row indices (Uint32, ascending) when fraction < 1, else null. */
  sample_rows: string | null;
  /** Column table prefix of the dataset and its selected features (rank order). */
  table_prefix: string;
  feature_names: string[];
  /** Rows per day over the dataset (or its sample); null when too big for the record. */
  daily_distribution: Record<string, number> | null;
  /** Storage keys reported as `*_set_path`. */
  paths: Record<SetName, string>;
}

/** The contract's 200 body. */
export interface SplitResponse {
  message: string;
  train_set_path: string;
  train_set_rows: number;
  test_set_path: string;
  test_set_rows: number;
  simulation_set_path: string;
  simulation_set_rows: number;
  daily_distribution: Record<string, number>;
}

/** A split refused for a reason the client can act on (404 / 409), with extra body fields. */
export class SplitError extends Error {
  constructor(
    readonly status: 404 | 409 | 422,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "SplitError";
  }

  /** The JSON error body: `{"detail": message, ...extra}`. */
  body(): Record<string, unknown> {
    return { detail: this.message, ...this.extra };
  }
}

/** One set's rows, column-major (what training and simulation consume). */
export interface SplitSet {
  nRows: number;
  columns: Float32Array[];
  featureNames: string[];
  labels: Uint8Array;
  ids: Float64Array;
  timestamps: Float64Array;
}

/** KV key of a split record. */
export function splitKey(id: string): Deno.KvKey {
  return ["splits", id];
}

/** KV key holding the active split's id. */
export const ACTIVE_SPLIT_KEY: Deno.KvKey = ["active", "split"];

/** A split record by id, or null. */
export function getSplit(kv: KvStore, id: string): Promise<SplitRecord | null> {
  return kv.get<SplitRecord>(splitKey(id));
}

/** The active (latest) split, or null. */
export async function getActiveSplit(kv: KvStore): Promise<SplitRecord | null> {
  const id = await kv.get<string>(ACTIVE_SPLIT_KEY);
  return id ? await getSplit(kv, id) : null;
}

// ---------------------------------------------------------------------------------------------
// Timestamp column cache (per dataset; the table never changes once written).

interface TimeIndex {
  timestamps: Float64Array;
  /** Rows per day over all rows, computed once. */
  daily: Record<string, number>;
}

const CACHE_SIZE = 3;
const timeCache = new Map<string, Promise<TimeIndex>>();

/** The dataset's sorted timestamp column and day counts (LRU-cached, loaded once at a time). */
export function timeIndex(services: Services, dataset: DatasetRecord): Promise<TimeIndex> {
  const key = `${dataset.id}|${dataset.table_prefix}`;
  const hit = timeCache.get(key);
  if (hit) {
    timeCache.delete(key); // refresh LRU position
    timeCache.set(key, hit);
    return hit;
  }
  const load = (async () => {
    const table = await openColumnTable(services.storage, dataset.table_prefix!);
    const m = table.manifest;
    // ~9.5 MB at Bosch scale: read and faulted in by a worker when the table is local.
    const [ts] = await readRowsOffThread(
      services.storage,
      table,
      [m.timestampColumn],
      0,
      m.rows,
    ) as [Float64Array];
    return { timestamps: ts, daily: dailyDistribution(ts) };
  })();
  timeCache.set(key, load);
  load.catch(() => timeCache.delete(key));
  while (timeCache.size > CACHE_SIZE) timeCache.delete(timeCache.keys().next().value!);
  return load;
}

/** Drop cached time indexes (tests). */
export function clearTimeIndexCache(): void {
  timeCache.clear();
}

// ---------------------------------------------------------------------------------------------

/**
 * The dataset a split would use, or a `SplitError`: 404 when there is no dataset or it has no
 * feature list; 409 while the newest upload is still processing (or the active one not READY).
 */
export async function splittableDataset(services: Services): Promise<DatasetRecord> {
  const { kv, tasks } = services;
  const active = await getActiveDataset(kv);
  const newestRaw = await getNewestDataset(kv);
  const newest = newestRaw ? await reconcileDataset(kv, tasks, newestRaw) : null;
  if (newest && newest.id !== active?.id && isProcessing(newest)) {
    throw new SplitError(
      409,
      `Dataset ${newest.id} is still being processed (${newest.state}); ` +
        `split again when its feature selection is done (task ${newest.task_id ?? "pending"}).`,
      { dataset_id: newest.id, state: newest.state, task_id: newest.task_id },
    );
  }
  if (!active) {
    const why = newest?.state === "FAILED" ? ` The last upload failed: ${newest.error}` : "";
    throw new SplitError(404, `No dataset has been uploaded.${why}`);
  }
  if (active.state !== "READY" || !active.table_prefix) {
    throw new SplitError(409, `Dataset ${active.id} is not ready (${active.state}).`, {
      dataset_id: active.id,
      state: active.state,
      task_id: active.task_id,
    });
  }
  if (!active.features?.length) {
    throw new SplitError(404, `Dataset ${active.id} has no feature list.`);
  }
  return active;
}

/**
 * 409 while a training of `datasetId` runs: a new split would become active under it, and the
 * model would then be recorded against one split while the console shows another.
 */
export async function refuseWhileTraining(services: Services, datasetId: string): Promise<void> {
  const held = await services.kv.get<{ taskId: string }>(lockKey(`train:${datasetId}`));
  if (!held) return;
  const task = await services.tasks.get(held.taskId);
  if (!task || isFinal(task.state)) return;
  throw new SplitError(
    409,
    `A training of dataset ${datasetId} is running (task ${task.id}); ` +
      "split again when it has finished or after stopping it.",
    { dataset_id: datasetId, state: task.state, task_id: task.id },
  );
}

/**
 * 422 naming the first window that holds no rows (nothing to train on, evaluate or replay); the
 * active split stays as it was.
 */
function refuseEmptyWindows(
  rows: Record<SetName, number>,
  windows: Record<SetName, TimeWindow>,
  timestamps: ArrayLike<number>,
): void {
  for (const name of SET_NAMES) {
    if (rows[name] > 0) continue;
    const w = windows[name];
    const span = timestamps.length > 0
      ? ` (the dataset spans ${new Date(timestamps[0]).toISOString()} to ` +
        `${new Date(timestamps[timestamps.length - 1]).toISOString()})`
      : "";
    throw new SplitError(
      422,
      `The ${name} window ${new Date(w.start_ms).toISOString()} to ` +
        `${new Date(w.end_ms).toISOString()} holds no rows${span}`,
      { window: name },
    );
  }
}

function isProcessing(d: DatasetRecord): boolean {
  return d.state === "UPLOADED" || d.state === "PROFILING" || d.state === "SELECTING_FEATURES";
}

/**
 * Create a split of the splittable dataset for already-validated windows (see
 * `checkWindows`), store it, make it active, and return it with the contract's response body.
 */
export async function createSplit(
  services: Services,
  windows: Record<SetName, TimeWindow>,
): Promise<{ split: SplitRecord; response: SplitResponse }> {
  const dataset = await splittableDataset(services);
  await refuseWhileTraining(services, dataset.id);
  const { timestamps, daily } = await timeIndex(services, dataset);
  const fraction = Math.min(1, Math.max(0, services.config.splitSampleFraction));
  const id = crypto.randomUUID();
  const prefix = `splits/${id}`;
  const ranges = {} as Record<SetName, [number, number]>;
  for (const name of SET_NAMES) {
    const { start, end } = findRowRange(timestamps, windows[name].start_ms, windows[name].end_ms);
    ranges[name] = [start, end];
  }
  const rows = {} as Record<SetName, number>;
  let distribution = daily;
  let sampleKey: string | null = null;
  if (fraction < 1) {
    const kept = sampleRows(timestamps.length, fraction, SPLIT_SEED);
    for (const name of SET_NAMES) rows[name] = countIn(kept, ranges[name]);
    refuseEmptyWindows(rows, windows, timestamps);
    distribution = dailyDistribution(timestamps, kept);
    sampleKey = `${prefix}/sample_rows.u32`;
    await services.storage.put(
      sampleKey,
      new Uint8Array(kept.buffer, kept.byteOffset, kept.byteLength),
    );
  } else {
    for (const name of SET_NAMES) rows[name] = ranges[name][1] - ranges[name][0];
    refuseEmptyWindows(rows, windows, timestamps);
  }
  const paths = {} as Record<SetName, string>;
  for (const name of SET_NAMES) paths[name] = `${prefix}/${name}`;
  const split: SplitRecord = {
    id,
    dataset_id: dataset.id,
    created_at: new Date().toISOString(),
    windows,
    fraction,
    seed: SPLIT_SEED,
    rows,
    ranges,
    sample_rows: sampleKey,
    table_prefix: dataset.table_prefix!,
    feature_names: dataset.features!.map((f) => f.name),
    // KV values are limited to 64 KiB; a multi-year dataset's day map may not fit.
    daily_distribution: JSON.stringify(distribution).length < 24_000 ? distribution : null,
    paths,
  };
  // Each `*_set_path` names a small descriptor blob, so the reported key really exists.
  for (const name of SET_NAMES) {
    const desc = {
      split_id: id,
      dataset_id: dataset.id,
      set: name,
      table_prefix: split.table_prefix,
      range: ranges[name],
      rows: rows[name],
      sample_rows: sampleKey,
      window: windows[name],
    };
    await services.storage.put(paths[name], new TextEncoder().encode(JSON.stringify(desc)));
  }
  // Drift is computed at split time (bounded cost, split_drift.ts); a failure there must not
  // refuse the split: GET /split/drift computes it again on first read.
  await storeSplitDrift(services, split).catch((err) =>
    log.warn(`split ${id}: drift not computed: ${err}`)
  );
  await services.kv.set(splitKey(id), split);
  await services.kv.set(ACTIVE_SPLIT_KEY, id);
  return {
    split,
    response: {
      message: SPLIT_MESSAGE,
      train_set_path: paths.train,
      train_set_rows: rows.train,
      test_set_path: paths.test,
      test_set_rows: rows.test,
      simulation_set_path: paths.simulation,
      simulation_set_rows: rows.simulation,
      daily_distribution: distribution,
    },
  };
}

/**
 * Load one set of a split from the column table, in time order: the given feature columns
 * (default: the split's selected features), labels, ids and timestamps.
 */
export async function loadSplitSet(
  services: Services,
  split: SplitRecord,
  which: SetName,
  columns?: string[],
): Promise<SplitSet> {
  const featureNames = columns ?? split.feature_names;
  const table = await openColumnTable(services.storage, split.table_prefix);
  const m = table.manifest;
  const [start, end] = split.ranges[which];
  const names = [...featureNames, m.idColumn, m.responseColumn, m.timestampColumn];
  // A local table is read (and its arrays faulted in) by a worker, not by this thread.
  const arrays = await readRowsOffThread(services.storage, table, names, start, end);
  const nF = featureNames.length;
  let cols = arrays.slice(0, nF) as Float32Array[];
  let ids = arrays[nF] as Float64Array;
  let labels = arrays[nF + 1] as Uint8Array;
  let timestamps = arrays[nF + 2] as Float64Array;
  let nRows = end - start;
  if (split.sample_rows) {
    const bytes = await services.storage.getBytes(split.sample_rows);
    const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
    const kept = new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
    const lo = lowerBound(kept, start), hi = lowerBound(kept, end);
    nRows = hi - lo;
    const pick = <T extends Float32Array | Float64Array | Uint8Array>(a: T, out: T): T => {
      for (let k = lo; k < hi; k++) out[k - lo] = a[kept[k] - start];
      return out;
    };
    // Rows × features copies (34 M for a Bosch-scale simulation set): the event loop gets a turn
    // every ~10 ms of them.
    const picked: Float32Array[] = [];
    let slice = performance.now();
    for (const c of cols) {
      picked.push(pick(c, new Float32Array(nRows)));
      if (performance.now() - slice > 10) {
        await new Promise((r) => setTimeout(r, 0));
        slice = performance.now();
      }
    }
    cols = picked;
    ids = pick(ids, new Float64Array(nRows));
    labels = pick(labels, new Uint8Array(nRows));
    timestamps = pick(timestamps, new Float64Array(nRows));
  }
  return { nRows, columns: cols, featureNames: [...featureNames], labels, ids, timestamps };
}
