/**
 * The CPU part of a split's drift (`split_drift.ts`), off the server's main thread: the owner
 * streams one feature at a time; the worker fixes the feature's bins on the training values and
 * counts both windows in them, acknowledging each feature with a progress message (the owner's
 * flow control).
 *
 * A feature comes either as its values (moved, not copied: a store without local files) or, for
 * a local column table, as the file and byte offset of its Float32 column: the worker then reads
 * the request's row blocks itself (`column_file.ts`), so the server thread does no I/O per
 * feature (100 features × 16 range reads through streams took ~600 ms of its CPU at Bosch scale,
 * and status answers waited behind them).
 *
 * This module must stay importable from a worker: no KV, no app imports; its only file access is
 * reading the column files it is given.
 *
 * @module
 */
import { serveWorker } from "../../worker/protocol.ts";
import { binEdges, countBins, type FeatureBins } from "./drift.ts";
import { type ColumnFile, OpenFiles, readColumnBlocks } from "./column_file.ts";

export type { ColumnFile };

/** One feature's values in the two windows, or the local column the worker reads them from. */
export type DriftInput =
  | { feature: string; train: Float32Array; simulation: Float32Array }
  | { feature: string; file: ColumnFile };

/** The call's request: the row blocks `[start, end)` to read of each window (file inputs). */
export interface DriftRequest {
  blocks?: { train: [number, number][]; simulation: [number, number][] };
}

/** Bins and counts per feature, in input order. */
export interface DriftCounts {
  bins: FeatureBins[];
  compared: number[][];
}

serveWorker<DriftRequest, DriftCounts, number, DriftInput>(async (req, io) => {
  const bins: FeatureBins[] = [];
  const compared: number[][] = [];
  const files = new OpenFiles();
  try {
    for await (const input of io.input()) {
      let train: Float32Array, simulation: Float32Array;
      if ("file" in input) {
        if (!req.blocks) throw new Error("A file input needs the request's row blocks.");
        const file = files.get(input.file.path);
        train = readColumnBlocks(file, input.file, req.blocks.train) as Float32Array;
        simulation = readColumnBlocks(file, input.file, req.blocks.simulation) as Float32Array;
      } else {
        ({ train, simulation } = input);
      }
      const edges = binEdges(train);
      bins.push({ feature: input.feature, edges, reference: countBins(train, edges) });
      compared.push(countBins(simulation, edges));
      io.progress(bins.length);
    }
  } finally {
    files.close();
  }
  return { bins, compared };
}, { priority: "background" });
