/**
 * Binning one streamed training column (`trainColumnsInWorker`): its cuts fitted on the
 * training rows, its codes written into the shared code matrix, its holdout rows copied out.
 * The training worker and its histogram helpers both run it, each on its share of the columns,
 * with the same row sample (a {@link CutFitter} per thread, from the same seed), so the result
 * does not depend on which thread binned a column.
 *
 * @example
 * ```ts
 * const binner = new ColumnBinner(nTrain, { maxBin: 256, seed: 0 });
 * const r = binner.bin(f, values, codes.subarray(f * nTrain, (f + 1) * nTrain));
 * ```
 *
 * @module
 */

import { binColumnCounted, type BinMapper, type BinningOptions, CutFitter } from "./binning.ts";
import type { BinnedCodes } from "./binned_matrix.ts";
import type { WorkerClient } from "../worker/mod.ts";

/** One binned column. */
export interface ColumnBinResult {
  f: number;
  cuts: Float32Array;
  min: number;
  /** Non-missing codes among the training rows. */
  nnz: number;
  /** The values of the rows after the training rows (a fresh array). */
  holdout: Float32Array;
}

/** A histogram helper's "loaded and listening" probe (answered with "ready"). */
export interface HelperPing {
  kind: "ping";
}

/** A histogram helper's binning call: column `f` into `codes` (feature f at f × trainRows). */
export interface ColumnBinRequest {
  kind: "bin";
  f: number;
  values: Float32Array;
  trainRows: number;
  maxBin: number;
  seed: number;
  codes: SharedArrayBuffer;
}

/** Bins columns of one training set (rows `[0, trainRows)`); reusable across columns. */
export class ColumnBinner {
  readonly #fitter: CutFitter;
  readonly #table = new Uint8Array(65536);

  constructor(readonly trainRows: number, options: BinningOptions) {
    this.#fitter = new CutFitter(trainRows, options);
  }

  /** Column `f`: cuts, minimum, codes into `out` (trainRows bytes), holdout copy. */
  bin(f: number, values: Float32Array, out: Uint8Array): ColumnBinResult {
    const nt = this.trainRows;
    const { cuts, min } = this.#fitter.fit(values, f);
    const cutList: Float32Array[] = [];
    cutList[f] = cuts;
    const nnz = binColumnCounted(
      { cuts: cutList, minValues: new Float32Array(0) },
      f,
      values,
      nt,
      out,
      this.#table,
    );
    return { f, cuts, min, nnz, holdout: values.slice(nt) };
  }
}

/** A macrotask turn (lets worker replies in) without setTimeout's nested-timer clamp. */
function turn(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(0);
  });
}

/**
 * `fitBinMapper` + `binColumns` (shared codes) with the histogram helpers taking a share of
 * the columns: a column goes to a helper that has answered its ping and has fewer than two queued, else it is
 * binned here, so a helper still loading is never waited for. Same mapper and codes as the
 * serial path (every thread fits with the same row sample). `train` at 734k rows × 100,
 * 2 threads: binning 0.88 → 0.76 s, and the builder's start 0.42 → 0.27-0.33 s (its helpers
 * are loaded by then).
 */
export async function binColumnsWithHelpers(
  columns: Float32Array[],
  nRows: number,
  options: { maxBin: number; seed: number },
  helpers: WorkerClient[],
): Promise<{ mapper: BinMapper } & BinnedCodes> {
  const nF = columns.length;
  const binner = new ColumnBinner(nRows, options);
  const all = new Uint8Array(new SharedArrayBuffer(Math.max(1, nF * nRows)));
  const results: ColumnBinResult[] = [];
  // Up to two columns queued per helper, so it does not idle while this thread bins.
  const ready = helpers.map(() => false), busy = helpers.map(() => 0);
  helpers.forEach((w, k) => {
    w.call<HelperPing, "ready">({ kind: "ping" }).then(() => (ready[k] = true), () => {});
  });
  const pending: Promise<void>[] = [];
  // A helper's failure is kept (not left unhandled while this loop goes on) and thrown after.
  let helperError: unknown = null;
  for (let f = 0; f < nF && helperError === null; f++) {
    const k = busy.findIndex((b, i) => b < 2 && ready[i]);
    if (k < 0) {
      results[f] = binner.bin(f, columns[f], all.subarray(f * nRows, (f + 1) * nRows));
      await turn();
      continue;
    }
    busy[k]++;
    // A copy of just the column, handed over: posting the caller's array would clone its whole
    // buffer (columns are often views of one big buffer: 100 × the data per training).
    const values = columns[f].slice(0, nRows);
    const call: ColumnBinRequest = {
      kind: "bin",
      f,
      values,
      trainRows: nRows,
      maxBin: options.maxBin,
      seed: options.seed,
      codes: all.buffer as SharedArrayBuffer,
    };
    pending.push(
      helpers[k].call<ColumnBinRequest, ColumnBinResult>(call, {
        transfer: [values.buffer],
      }).then((r) => {
        busy[k]--;
        results[r.f] = r;
      }, (err) => {
        helperError ??= err;
      }),
    );
  }
  await Promise.all(pending);
  if (helperError !== null) throw helperError;
  return {
    mapper: {
      cuts: results.map((r) => r.cuts),
      minValues: Float32Array.from(results, (r) => r.min),
    },
    codes: results.map((_, f) => all.subarray(f * nRows, (f + 1) * nRows)),
    nnz: results.map((r) => r.nnz),
  };
}

/** A helper's binner for a request (kept while the requests share rows and options). */
let cached: { key: string; binner: ColumnBinner } | null = null;

/** Serves a {@link ColumnBinRequest} (in a histogram helper). */
export function serveColumnBin(req: ColumnBinRequest): ColumnBinResult {
  const key = `${req.trainRows}:${req.maxBin}:${req.seed}`;
  if (cached?.key !== key) {
    cached = {
      key,
      binner: new ColumnBinner(req.trainRows, { maxBin: req.maxBin, seed: req.seed }),
    };
  }
  const nt = req.trainRows;
  return cached.binner.bin(req.f, req.values, new Uint8Array(req.codes, req.f * nt, nt));
}
