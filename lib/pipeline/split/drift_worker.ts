/**
 * The CPU part of a split's drift (`split_drift.ts`), off the server's main thread: the owner
 * streams one feature at a time (its training and simulation window values, moved, not copied);
 * the worker fixes the feature's bins on the training values and counts both windows in them,
 * acknowledging each feature with a progress message (the owner's flow control).
 *
 * This module must stay importable from a worker: no KV, no files, no app imports.
 *
 * @module
 */
import { serveWorker } from "../../worker/protocol.ts";
import { binEdges, countBins, type FeatureBins } from "./drift.ts";

/** One feature's values in the two windows. */
export interface DriftInput {
  feature: string;
  train: Float32Array;
  simulation: Float32Array;
}

/** Bins and counts per feature, in input order. */
export interface DriftCounts {
  bins: FeatureBins[];
  compared: number[][];
}

serveWorker<Record<never, never>, DriftCounts, number, DriftInput>(async (_req, io) => {
  const bins: FeatureBins[] = [];
  const compared: number[][] = [];
  for await (const { feature, train, simulation } of io.input()) {
    const edges = binEdges(train);
    bins.push({ feature, edges, reference: countBins(train, edges) });
    compared.push(countBins(simulation, edges));
    io.progress(bins.length);
  }
  return { bins, compared };
}, { priority: "background" });
