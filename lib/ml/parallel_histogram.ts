/** Placeholder replaced below. */
import type { BinMapper } from "./binning.ts";
import type { TrainData } from "./model.ts";
import { buildBinnedMatrix } from "./binned_matrix.ts";
import { type HistogramBuilder, SerialHistogramBuilder } from "./histogram.ts";

export function createParallelBuilder(
  mapper: BinMapper,
  data: TrainData,
  _nThreads: number,
  maxDepth: number,
): Promise<HistogramBuilder> {
  return Promise.resolve(
    new SerialHistogramBuilder(buildBinnedMatrix(mapper, data.columns, data.nRows), maxDepth),
  );
}
