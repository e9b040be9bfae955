/**
 * Module-worker entry of {@link trainInWorker} and {@link trainColumnsInWorker}.
 *
 * - packed request: a packed dataset in shared memory; runs `train`.
 * - columns request: the feature columns arrive one at a time as call inputs; each is binned
 *   on arrival (its cuts fitted on the training rows, its codes kept as uint8, its holdout rows
 *   copied) and dropped, so no float copy of the training matrix ever exists here; then
 *   `trainBinned`. Every binned column is acknowledged as progress (the owner's flow control).
 *
 * Every round's metrics are reported as progress, then the result (tree arrays moved, not
 * copied). The owner's cancel flag goes to the trainer, which hands it to its histogram helpers.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { serveWorker, type WorkerIO } from "../worker/protocol.ts";
import { resolveParams, train, trainBinned } from "./booster.ts";
import type { BinMapper } from "./binning.ts";
import { spawnHistogramHelpers } from "./parallel_histogram.ts";
import {
  ColumnBinner,
  type ColumnBinRequest,
  type ColumnBinResult,
  type HelperPing,
} from "./column_binning.ts";
import type { TrainData, TrainResult } from "./model.ts";
import {
  type BinningProgress,
  type ColumnInput,
  type ColumnsTrainRequest,
  type ColumnsTrainResult,
  type RoundProgress,
  type TrainRequest,
  unpackData,
} from "./packed_data.ts";

type Progress = RoundProgress | BinningProgress;

serveWorker<TrainRequest | ColumnsTrainRequest, TrainResult, Progress, ColumnInput>(
  (
    req,
    io,
  ) => ("kind" in req && req.kind === "columns"
    ? trainColumns(req, io)
    : trainPacked(req as TrainRequest, io)),
  {
    transfer: (result) => [
      ...result.model.trees.flatMap((t) =>
        Object.values(t).map((a) => (a as ArrayBufferView).buffer as ArrayBuffer)
      ),
      ...((result as ColumnsTrainResult).holdout ?? []).map((c) => c.buffer as ArrayBuffer),
    ],
    priority: "background",
  },
);

async function trainPacked(req: TrainRequest, io: WorkerIO<Progress, ColumnInput>) {
  const data = unpackData(req.data);
  const evalSets = req.evalSets.map((s) => ({
    name: s.name,
    metrics: s.metrics,
    data: s.data === null ? data : unpackData(s.data),
  }));
  io.heartbeat(); // unpacked: the owner's hang timer now measures binning and rounds
  return await train(data, req.params, {
    evalSets,
    evalMetrics: req.evalMetrics,
    cancelFlag: io.cancelFlag,
    onRound: (round, metrics) => io.progress({ round, metrics }),
  });
}

async function trainColumns(
  req: ColumnsTrainRequest,
  io: WorkerIO<Progress, ColumnInput>,
): Promise<ColumnsTrainResult> {
  const p = resolveParams(req.params);
  const n = req.nRows, nt = req.trainRows, nF = req.featureNames.length;
  if (!Number.isInteger(nt) || nt <= 0 || nt > n) {
    throw new RangeError(`trainRows must be an integer in [1, ${n}], got ${nt}`);
  }
  const binner = new ColumnBinner(nt, { maxBin: p.max_bin, seed: p.seed });
  // Helpers read the codes in place when they are shared (feature f at byte f × nt).
  const size = Math.max(1, nF * nt);
  const all = new Uint8Array(p.n_threads > 1 ? new SharedArrayBuffer(size) : new ArrayBuffer(size));
  const results: ColumnBinResult[] = [];
  // Histogram helpers load their module while the columns arrive, take a share of the binning
  // once they answer (never waited for: a column goes to an idle ready helper, else is binned
  // here), then build histograms (trainBinned takes them over).
  const helpers = p.n_threads > 1 ? spawnHistogramHelpers(p.n_threads, io.cancelFlag) : [];
  const ready = helpers.map(() => false), busy = helpers.map(() => 0);
  helpers.forEach((w, k) => {
    w.call<HelperPing, "ready">({ kind: "ping" }).then(() => (ready[k] = true), () => {});
  });
  try {
    let received = 0, binned = 0;
    let helperError: unknown = null;
    const pending: Promise<void>[] = [];
    // Every binned column is acknowledged (the owner sends at most a few ahead).
    const done = (r: ColumnBinResult) => {
      results[r.f] = r;
      io.progress({ binned: ++binned, total: nF });
    };
    for await (const { values } of io.input()) {
      if (helperError) throw helperError;
      const f = received++;
      if (f >= nF) throw new RangeError(`more than the ${nF} announced columns`);
      if (!(values instanceof Float32Array) || values.length !== n) {
        throw new RangeError(
          `column ${f} (${req.featureNames[f]}) must be a Float32Array of ${n} values`,
        );
      }
      // Alternate with the ready helpers that have nothing queued.
      const k = f % (helpers.length + 1) - 1;
      if (k < 0 || !ready[k] || busy[k] > 0) {
        done(binner.bin(f, values, all.subarray(f * nt, (f + 1) * nt)));
        continue;
      }
      busy[k]++;
      const call: ColumnBinRequest = {
        kind: "bin",
        f,
        values,
        trainRows: nt,
        maxBin: p.max_bin,
        seed: p.seed,
        codes: all.buffer as SharedArrayBuffer,
      };
      const transfer = values.buffer instanceof ArrayBuffer ? [values.buffer] : [];
      pending.push(
        helpers[k].call<ColumnBinRequest, ColumnBinResult>(call, { transfer }).then(
          (r) => {
            busy[k]--;
            done(r);
          },
          (err) => {
            helperError ??= err;
            io.progress({ binned: ++binned, total: nF }); // keep the owner sending; fail below
          },
        ),
      );
    }
    await Promise.all(pending);
    if (helperError) throw helperError;
    if (received !== nF) throw new RangeError(`got ${received} of ${nF} columns`);
    const mapper: BinMapper = {
      cuts: results.map((r) => r.cuts),
      minValues: Float32Array.from(results, (r) => r.min),
    };
    const codes = results.map((_, f) => all.subarray(f * nt, (f + 1) * nt));
    const nnz = results.map((r) => r.nnz);
    const holdout = results.map((r) => r.holdout);
    const labels = req.labels, weights = req.weights;
    const hold: TrainData | null = n > nt
      ? {
        nRows: n - nt,
        featureNames: req.featureNames,
        columns: holdout,
        labels: labels.subarray(nt),
        weights: weights?.subarray(nt),
      }
      : null;
    if (!hold && req.evalSets.some((s) => s.rows === "holdout")) {
      throw new RangeError("a holdout eval set needs trainRows < nRows");
    }
    const result = await trainBinned(
      {
        nRows: nt,
        featureNames: req.featureNames,
        mapper,
        codes,
        nnz,
        labels: labels.subarray(0, nt),
        weights: weights?.subarray(0, nt),
      },
      req.params,
      {
        evalSets: req.evalSets.map((s) => ({
          name: s.name,
          metrics: s.metrics,
          data: s.rows === "train" ? null : hold,
        })),
        evalMetrics: req.evalMetrics,
        cancelFlag: io.cancelFlag,
        helpers,
        onRound: (round, metrics) => io.progress({ round, metrics }),
      },
    );
    return { ...result, holdout: hold ? holdout : [] };
  } catch (err) {
    for (const w of helpers) w.terminate();
    throw err;
  }
}
