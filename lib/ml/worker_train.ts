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

import type { BoosterParams, TrainData, TrainOptions, TrainResult } from "./model.ts";
import { resolveParams, validateTrainData } from "./booster.ts";
import { packDataAsync, type StartMessage, type WorkerMessage } from "./worker_protocol.ts";

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
  let start: StartMessage;
  try {
    const evalSets: StartMessage["evalSets"] = [];
    for (const s of opts.evalSets ?? []) {
      evalSets.push({
        name: s.name,
        metrics: s.metrics,
        data: s.data === data ? null : await packDataAsync(s.data),
      });
    }
    start = {
      type: "start",
      data: await packDataAsync(data),
      params,
      evalSets,
      evalMetrics: opts.evalMetrics,
      cancel: new SharedArrayBuffer(4),
    };
  } catch (err) {
    throw new TypeError(`training data could not be prepared: ${(err as Error).message}`);
  }
  signal?.throwIfAborted();
  const hangMs = opts.hangTimeoutMs ?? 300_000;

  return new Promise<TrainResult>((resolve, reject) => {
    const worker = new Worker(new URL("./train_worker.ts", import.meta.url), { type: "module" });
    const cancel = new Int32Array(start.cancel);
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // onRound calls run one after another, in round order, even if they are async.
    let chain: Promise<void> = Promise.resolve();

    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      // Terminating the worker does not end the histogram helpers it started: they exit on this.
      Atomics.store(cancel, 0, 1);
      worker.terminate();
      fn();
    };
    const fail = (err: unknown) => finish(() => reject(err));
    const arm = () => {
      if (hangMs <= 0) return;
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(
        () => fail(new Error(`training worker sent nothing for ${hangMs} ms; it was stopped`)),
        hangMs,
      );
    };
    const onAbort = () => fail(signal!.reason);

    worker.onmessage = (e: MessageEvent<WorkerMessage>) => {
      if (settled) return;
      arm();
      const m = e.data;
      if (m.type === "round") {
        if (onRound) {
          chain = chain.then(() => settled ? undefined : onRound(m.round, m.metrics)).catch(
            fail,
          );
        }
      } else if (m.type === "done") {
        chain.then(() => finish(() => resolve(m.result)));
      } else if (m.type === "error") {
        const Ctor = ERROR_CLASSES[m.name] ?? Error;
        fail(new Ctor(m.message));
      }
    };
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      fail(new Error(`training worker crashed: ${e.message}`));
    };
    worker.onmessageerror = () => fail(new Error("training worker sent an unreadable message"));
    signal?.addEventListener("abort", onAbort, { once: true });
    arm();
    worker.postMessage(start);
  });
}
