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

import { runInWorker, type WorkerErrorInfo } from "../worker/mod.ts";
import type { BoosterParams, TrainData, TrainOptions, TrainResult } from "./model.ts";
import { resolveParams, validateTrainData } from "./booster.ts";
import { packDataAsync, type RoundProgress, type TrainRequest } from "./packed_data.ts";

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
