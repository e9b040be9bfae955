/**
 * The request `trainInWorker` sends to `train_worker.ts` (over `lib/worker`), and the
 * shared-memory packing of TrainData (one SharedArrayBuffer per dataset: the worker reads it
 * without a second copy).
 *
 * @module
 */

import type { BoosterParams, TrainData, TrainOptions, TrainResult } from "./model.ts";

/** TrainData laid out on one SharedArrayBuffer. */
export interface PackedData {
  nRows: number;
  featureNames: string[];
  buffer: SharedArrayBuffer;
  nColumns: number;
  hasWeights: boolean;
  /**
   * Where the parts are when the data already lived in shared memory (`packDataAsync` then
   * copies nothing): byte offsets of column 0 (the others follow at `4 × nRows` steps), of the
   * labels and of the weights. Absent: the packed layout (columns, weights, labels).
   */
  offsets?: { columns: number; labels: number; weights: number | null };
}

/** Bytes copied between two yields of {@link packDataAsync}. */
const YIELD_EVERY_BYTES = 2 << 20;

/**
 * Copy a dataset into one SharedArrayBuffer (columns, then weights, then labels), yielding to
 * the event loop every ~2 MB: a server thread packing a 270 MB training set in one go stalled
 * its requests for ~370 ms, and 8 MB steps still took ~50 ms each (every page is touched for
 * the first time here).
 */
export async function packDataAsync(d: TrainData): Promise<PackedData> {
  const inPlace = sharedLayout(d);
  if (inPlace) return inPlace;
  const { packed, steps } = packPlan(d);
  let since = 0;
  for (const step of steps) {
    since += step();
    if (since >= YIELD_EVERY_BYTES) {
      since = 0;
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
  return packed;
}

/**
 * `d` as PackedData without a copy when it already lives in one SharedArrayBuffer: columns back
 * to back (as in a sample blob read into shared memory), labels and weights anywhere in it.
 * Else null. Fresh memory costs ~2.8 ms per MB on the VMs measured (page faults), so the
 * selection model's 67 MB sample was paying ~0.27 s for this copy.
 */
function sharedLayout(d: TrainData): PackedData | null {
  const n = d.nRows, cols = d.columns;
  if (cols.length === 0 || !(cols[0].buffer instanceof SharedArrayBuffer)) return null;
  const buffer = cols[0].buffer, first = cols[0].byteOffset;
  for (let c = 0; c < cols.length; c++) {
    if (cols[c].buffer !== buffer || cols[c].length !== n) return null;
    if (cols[c].byteOffset !== first + 4 * n * c) return null;
  }
  const labels = d.labels, weights = d.weights;
  if (!labels || labels.buffer !== buffer || labels.length !== n) return null;
  if (weights && (weights.buffer !== buffer || weights.length !== n)) return null;
  return {
    nRows: n,
    featureNames: d.featureNames,
    buffer,
    nColumns: cols.length,
    hasWeights: weights !== undefined,
    offsets: {
      columns: first,
      labels: labels.byteOffset,
      weights: weights ? weights.byteOffset : null,
    },
  };
}

/** The packed layout and the copy steps that fill it (each returns the bytes it copied). */
function packPlan(d: TrainData): { packed: PackedData; steps: (() => number)[] } {
  const n = d.nRows, nc = d.columns.length;
  const hasWeights = d.weights !== undefined;
  const floats = n * nc + (hasWeights ? n : 0);
  const buffer = new SharedArrayBuffer(floats * 4 + n);
  const f32 = new Float32Array(buffer, 0, floats);
  // Shape errors are reported by the trainer; copy what fits.
  const fit = <T extends Float32Array | Uint8Array>(a: T): T =>
    (a.length > n ? a.subarray(0, n) : a) as T;
  const steps = d.columns.map((col, c) => () => {
    f32.set(fit(col), c * n);
    return n * 4;
  });
  if (hasWeights) {
    steps.push(() => {
      f32.set(fit(d.weights!), nc * n);
      return n * 4;
    });
  }
  steps.push(() => {
    new Uint8Array(buffer, floats * 4, n).set(fit(d.labels ?? new Uint8Array(0)));
    return n;
  });
  return {
    packed: { nRows: n, featureNames: d.featureNames, buffer, nColumns: nc, hasWeights },
    steps,
  };
}

/** Views of a packed dataset (no copy). */
export function unpackData(p: PackedData): TrainData {
  const n = p.nRows;
  const floats = n * p.nColumns + (p.hasWeights ? n : 0);
  const at = p.offsets ??
    { columns: 0, labels: floats * 4, weights: p.hasWeights ? n * p.nColumns * 4 : null };
  const columns: Float32Array[] = [];
  for (let c = 0; c < p.nColumns; c++) {
    columns.push(new Float32Array(p.buffer, at.columns + c * n * 4, n));
  }
  return {
    nRows: n,
    featureNames: p.featureNames,
    columns,
    labels: new Uint8Array(p.buffer, at.labels, n),
    weights: at.weights !== null ? new Float32Array(p.buffer, at.weights, n) : undefined,
  };
}

/** Owner → worker: train. `evalSets[i].data === null` means "the training data". */
export interface TrainRequest {
  data: PackedData;
  params: Partial<BoosterParams>;
  evalSets: { name: string; data: PackedData | null; metrics?: TrainOptions["evalMetrics"] }[];
  evalMetrics?: TrainOptions["evalMetrics"];
}

/** Worker → owner, once per boosting round. */
export interface RoundProgress {
  round: number;
  metrics: Record<string, Record<string, number>>;
}

/**
 * Owner → worker: train on columns streamed after the request (`trainColumnsInWorker`), one
 * {@link ColumnInput} per feature in order. Rows `[0, trainRows)` are trained on; the rest is
 * the holdout, kept as floats for its eval set and handed back with the result.
 */
export interface ColumnsTrainRequest {
  kind: "columns";
  nRows: number;
  trainRows: number;
  featureNames: string[];
  labels: Uint8Array;
  weights?: Float32Array;
  params: Partial<BoosterParams>;
  evalSets: { name: string; rows: "train" | "holdout"; metrics?: TrainOptions["evalMetrics"] }[];
  evalMetrics?: TrainOptions["evalMetrics"];
}

/** One streamed feature column: all `nRows` values (its buffer is moved, not copied). */
export interface ColumnInput {
  values: Float32Array;
}

/** Worker → owner while columns are binned: how many are done (acknowledges each one). */
export interface BinningProgress {
  binned: number;
  total: number;
}

/** What `trainColumnsInWorker` resolves with: the training result and the holdout's columns. */
export interface ColumnsTrainResult extends TrainResult {
  holdout: Float32Array[];
}
