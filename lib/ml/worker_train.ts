/**
 * `trainInWorker`: the same contract as `train`, but the whole trainer runs in a module Web
 * Worker so the calling thread (an HTTP server) stays responsive.
 *
 * The dataset is copied once into a SharedArrayBuffer (the caller's arrays stay usable), each
 * round's metrics come back as a message and are forwarded to `onRound` in order, and every
 * failure is a rejected promise, never a hang: trainer errors (same message and error class),
 * a crashed worker, `signal` aborts (the worker is terminated) and inactivity longer than
 * `hangTimeoutMs` between messages.
 *
 * @example
 * ```ts
 * const ac = new AbortController();
 * const { model } = await trainInWorker(data, { n_threads: 2 }, {
 *   signal: ac.signal,
 *   onRound: (r, m) => console.log(r, m.test?.logloss),
 * });
 * ```
 * @module
 */

import { runInWorker, WorkerClient, type WorkerErrorInfo } from "../worker/mod.ts";
import type { BoosterParams, TrainData, TrainOptions, TrainResult } from "./model.ts";
import { resolveParams, validateLabels, validateTrainData } from "./booster.ts";
import {
  type BinningProgress,
  type ColumnInput,
  type ColumnsTrainRequest,
  type ColumnsTrainResult,
  packDataAsync,
  type RoundProgress,
  type TrainRequest,
} from "./packed_data.ts";

/** Options of {@link trainInWorker}. */
export interface WorkerTrainOptions extends TrainOptions {
  /**
   * Reject (and terminate the worker) when no message arrived for this long: startup,
   * binning and each round must each finish within it. Default 300 000 ms; 0 disables.
   */
  hangTimeoutMs?: number;
}

const ERROR_CLASSES: Record<string, ErrorConstructor> = {
  RangeError,
  TypeError,
  Error,
};

/** A trainer error keeps its class (RangeError, TypeError) across the worker boundary. */
function reviveTrainError(info: WorkerErrorInfo): Error | undefined {
  const Ctor = ERROR_CLASSES[info.name];
  return Ctor ? new Ctor(info.message) : undefined;
}

/**
 * Trains in a Web Worker; resolves with the same result `train` would give. The data is packed
 * into shared memory in slices, so the calling thread keeps answering while it is copied.
 */
export async function trainInWorker(
  data: TrainData,
  params: Partial<BoosterParams> = {},
  opts: WorkerTrainOptions = {},
): Promise<TrainResult> {
  const { signal, onRound } = opts;
  signal?.throwIfAborted();
  // Shapes and labels are checked here: packing would hide short columns or weights.
  resolveParams(params);
  validateTrainData(data, "training", true);
  (opts.evalSets ?? []).forEach((s, i) => {
    if (!s || typeof s.name !== "string") throw new TypeError(`eval set ${i} needs a name`);
    if (s.data !== data) {
      validateTrainData(s.data, `eval set "${s.name}"`, false, data.columns.length);
    }
  });
  let request: TrainRequest;
  try {
    const evalSets: TrainRequest["evalSets"] = [];
    for (const s of opts.evalSets ?? []) {
      evalSets.push({
        name: s.name,
        metrics: s.metrics,
        data: s.data === data ? null : await packDataAsync(s.data),
      });
    }
    request = {
      data: await packDataAsync(data),
      params,
      evalSets,
      evalMetrics: opts.evalMetrics,
    };
  } catch (err) {
    throw new TypeError(`training data could not be prepared: ${(err as Error).message}`);
  }
  // Terminating the worker also sets its cancel flag, which stops its histogram helpers.
  return await runInWorker<TrainRequest, TrainResult, RoundProgress>(
    new URL("./train_worker.ts", import.meta.url),
    request,
    {
      name: "train",
      signal,
      hangTimeoutMs: opts.hangTimeoutMs ?? 300_000,
      reviveError: reviveTrainError,
      onProgress: onRound && ((m) => onRound(m.round, m.metrics)),
    },
  );
}

/** Rows whose feature columns are loaded one at a time (e.g. from a stored column table). */
export interface ColumnSource {
  nRows: number;
  featureNames: string[];
  labels: Uint8Array;
  weights?: Float32Array;
  /**
   * Feature `f`'s values of the `nRows` rows, in an array nobody else uses: its buffer is moved
   * to the worker (the caller never holds more than a few columns).
   */
  column(f: number): Promise<Float32Array>;
}

/** Options of {@link trainColumnsInWorker}. */
export interface ColumnTrainOptions extends Omit<WorkerTrainOptions, "evalSets"> {
  /** Rows `[0, trainRows)` are trained on, the rest is the holdout (default: all rows). */
  trainRows?: number;
  /** Eval sets: the training rows or the holdout rows; the LAST one drives early stopping. */
  evalSets?: ColumnsTrainRequest["evalSets"];
  /** Called after each column was binned (and its floats dropped) in the worker. */
  onColumn?: (binned: number, total: number) => void | Promise<void>;
}

/** Columns sent but not yet binned: bounds the floats waiting in the worker's queue. */
const MAX_COLUMNS_IN_FLIGHT = 3;

/**
 * `trainInWorker` for data loaded column by column: each column goes to the worker as soon as
 * it is loaded, is binned there (cuts fitted on the training rows) and dropped, so neither
 * thread ever holds the float matrix — only its uint8 codes stay, plus the holdout rows as
 * floats (they are scored every round with the trees' thresholds). Resolves with the model, the
 * history and the holdout's columns (for threshold tuning afterwards).
 *
 * @example
 * ```ts
 * const { model, holdout } = await trainColumnsInWorker(
 *   { nRows, featureNames, labels, column: (f) => table.readColumn(featureNames[f]) },
 *   { n_threads: 2, early_stopping_rounds: 20 },
 *   { trainRows: nTrain, evalSets: [{ name: "validation", rows: "holdout" }] },
 * );
 * ```
 */
export async function trainColumnsInWorker(
  source: ColumnSource,
  params: Partial<BoosterParams> = {},
  opts: ColumnTrainOptions = {},
): Promise<ColumnsTrainResult> {
  const { signal, onRound, onColumn } = opts;
  signal?.throwIfAborted();
  resolveParams(params);
  const n = source.nRows, nF = source.featureNames.length;
  const trainRows = opts.trainRows ?? n;
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`nRows must be ≥ 1, got ${n}`);
  if (nF === 0) throw new RangeError("training data has no feature columns");
  validateLabels(source.labels, source.weights, n, "data", false);
  validateLabels(
    source.labels.subarray(0, trainRows),
    source.weights?.subarray(0, trainRows),
    trainRows,
    "training",
    true,
  );
  const client = WorkerClient.spawn(new URL("./train_worker.ts", import.meta.url), {
    name: "train",
    signal,
    hangTimeoutMs: opts.hangTimeoutMs ?? 300_000,
    reviveError: reviveTrainError,
  });
  let binned = 0;
  let wake: (() => void) | null = null;
  const call = client.stream<
    ColumnsTrainRequest,
    ColumnInput,
    ColumnsTrainResult,
    RoundProgress | BinningProgress
  >(
    {
      kind: "columns",
      nRows: n,
      trainRows,
      featureNames: source.featureNames,
      labels: source.labels,
      weights: source.weights,
      params,
      evalSets: opts.evalSets ?? [],
      evalMetrics: opts.evalMetrics,
    },
    {
      onProgress: async (m) => {
        if ("binned" in m) {
          binned = m.binned;
          wake?.();
          if (onColumn) await onColumn(m.binned, m.total);
        } else if (onRound) await onRound(m.round, m.metrics);
      },
    },
  );
  // A failed call (worker error, abort) must also end the loading loop.
  let failed = false;
  call.result.catch(() => {
    failed = true;
    wake?.();
  });
  try {
    for (let f = 0; f < nF && !failed; f++) {
      while (f - binned >= MAX_COLUMNS_IN_FLIGHT && !failed) {
        await new Promise<void>((r) => (wake = r));
        wake = null;
      }
      if (failed) break;
      const values = await source.column(f);
      call.send({ values }, values.buffer instanceof ArrayBuffer ? [values.buffer] : []);
    }
    call.end();
    return await call.result;
  } finally {
    client.terminate();
  }
}
