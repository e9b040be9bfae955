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

import { binColumnCounted, type BinningOptions, CutFitter } from "./binning.ts";

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
