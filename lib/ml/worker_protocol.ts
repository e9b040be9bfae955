/**
 * Messages between `trainInWorker` and `train_worker.ts`, and the shared-memory packing of
 * TrainData (one SharedArrayBuffer per dataset: the worker reads it without a second copy).
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
}

/** Copies a dataset into shared memory: columns, then weights (if any), then labels. */
export function packData(d: TrainData): PackedData {
  const n = d.nRows, nc = d.columns.length;
  const hasWeights = d.weights !== undefined;
  const floats = n * nc + (hasWeights ? n : 0);
  const buffer = new SharedArrayBuffer(floats * 4 + n);
  const f32 = new Float32Array(buffer, 0, floats);
  for (let c = 0; c < nc; c++) {
    const col = d.columns[c];
    // Shape errors are reported by the trainer; copy what fits.
    f32.set(col.length > n ? col.subarray(0, n) : col, c * n);
  }
  if (hasWeights) f32.set(d.weights!.subarray(0, n), nc * n);
  const labels = d.labels ?? new Uint8Array(0);
  new Uint8Array(buffer, floats * 4, n).set(labels.length > n ? labels.subarray(0, n) : labels);
  return { nRows: n, featureNames: d.featureNames, buffer, nColumns: nc, hasWeights };
}

/** Views of a packed dataset (no copy). */
export function unpackData(p: PackedData): TrainData {
  const n = p.nRows;
  const columns: Float32Array[] = [];
  for (let c = 0; c < p.nColumns; c++) columns.push(new Float32Array(p.buffer, c * n * 4, n));
  const floats = n * p.nColumns + (p.hasWeights ? n : 0);
  return {
    nRows: n,
    featureNames: p.featureNames,
    columns,
    labels: new Uint8Array(p.buffer, floats * 4, n),
    weights: p.hasWeights ? new Float32Array(p.buffer, n * p.nColumns * 4, n) : undefined,
  };
}

/** Main → worker: start training. `evalSets[i].data === null` means "the training data". */
export interface StartMessage {
  type: "start";
  data: PackedData;
  params: Partial<BoosterParams>;
  evalSets: { name: string; data: PackedData | null; metrics?: TrainOptions["evalMetrics"] }[];
  evalMetrics?: TrainOptions["evalMetrics"];
}

/** Worker → main. */
export type WorkerMessage =
  | { type: "ready" }
  | { type: "round"; round: number; metrics: Record<string, Record<string, number>> }
  | { type: "done"; result: TrainResult }
  | { type: "error"; name: string; message: string };
