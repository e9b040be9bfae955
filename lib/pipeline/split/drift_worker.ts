/**
 * The CPU part of a split's drift (`split_drift.ts`), off the server's main thread: the owner
 * streams one feature at a time; the worker fixes the feature's bins on the training values and
 * counts both windows in them, acknowledging each feature with a progress message (the owner's
 * flow control).
 *
 * A feature comes either as its values (moved, not copied: a store without local files) or, for
 * a local column table, as the file and byte offset of its Float32 column: the worker then reads
 * the request's row blocks itself, so the server thread does no I/O per feature (100 features ×
 * 16 range reads through streams took ~600 ms of its CPU at Bosch scale, and status answers
 * waited behind them).
 *
 * This module must stay importable from a worker: no KV, no app imports; its only file access is
 * reading the column files it is given.
 *
 * @module
 */
import { serveWorker } from "../../worker/protocol.ts";
import { binEdges, countBins, type FeatureBins } from "./drift.ts";

/** Where a feature's Float32 column lies in a local file (little-endian, row 0 at `offset`). */
export interface ColumnFile {
  path: string;
  offset: number;
}

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

/** The rows of `blocks`, back to back, of the Float32 column at `offset` in `file`. */
export function readBlocks(file: Deno.FsFile, offset: number, blocks: [number, number][]) {
  const out = new Float32Array(blocks.reduce((a, [s, e]) => a + e - s, 0));
  const bytes = new Uint8Array(out.buffer);
  let at = 0;
  for (const [s, e] of blocks) {
    file.seekSync(offset + s * 4, Deno.SeekMode.Start);
    const end = at + (e - s) * 4;
    while (at < end) {
      const n = file.readSync(bytes.subarray(at, end));
      if (n === null || n === 0) throw new Error(`Column file ends before row ${e}`);
      at += n;
    }
  }
  return out;
}

serveWorker<DriftRequest, DriftCounts, number, DriftInput>(async (req, io) => {
  const bins: FeatureBins[] = [];
  const compared: number[][] = [];
  const files = new Map<string, Deno.FsFile>();
  try {
    for await (const input of io.input()) {
      let train: Float32Array, simulation: Float32Array;
      if ("file" in input) {
        if (!req.blocks) throw new Error("A file input needs the request's row blocks.");
        const { path, offset } = input.file;
        let file = files.get(path);
        if (!file) files.set(path, file = Deno.openSync(path, { read: true }));
        train = readBlocks(file, offset, req.blocks.train);
        simulation = readBlocks(file, offset, req.blocks.simulation);
      } else {
        ({ train, simulation } = input);
      }
      const edges = binEdges(train);
      bins.push({ feature: input.feature, edges, reference: countBins(train, edges) });
      compared.push(countBins(simulation, edges));
      io.progress(bins.length);
    }
  } finally {
    for (const f of files.values()) f.close();
  }
  return { bins, compared };
}, { priority: "background" });
