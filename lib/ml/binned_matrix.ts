/**
 * The training matrix in histogram-friendly form: row-wise sparse (CSR) bin indices, split
 * into feature blocks.
 *
 * Only non-missing cells are stored (Bosch-like data is ~80 % missing); a feature's missing
 * bin is recovered in split finding as node total − Σ its value bins. Each block covers a run of
 * features whose histogram (16 bytes per bin) fits in the L2 cache, and stores for every row
 * its entries as Uint16 bin indices relative to the block (`ptr[r]..ptr[r+1]`). Blocks are also
 * the unit of work of the parallel histogram builder, so they are balanced by entry count.
 *
 * @module
 */

import { binColumn, type BinMapper } from "./binning.ts";

/** One run of features, CSR over all rows. */
export interface BinnedBlock {
  featStart: number;
  featEnd: number;
  /** Global index of the block's first value bin. */
  binStart: number;
  /** Number of value bins of the block. */
  nBins: number;
  /** Entry range of row r: `ptr[r] .. ptr[r + 1]` (length nRows + 1). */
  ptr: Int32Array;
  /** Bin index relative to `binStart`, per stored (non-missing) cell. */
  idx: Uint16Array;
}

/** All blocks plus the feature → global bin layout. */
export interface BinnedMatrix {
  nRows: number;
  nFeatures: number;
  /** Global index of feature f's first value bin; length nFeatures + 1. */
  featBinStart: Int32Array;
  totalBins: number;
  blocks: BinnedBlock[];
}

/** Options of {@link buildBinnedMatrix}. */
export interface BinnedMatrixOptions {
  /** Max value bins per block (≤ 65536; default 16384 = a 256 KiB histogram). */
  maxBlockBins?: number;
  /** At least this many blocks when there are enough features (threads × 2 is sensible). */
  minBlocks?: number;
  /** Allocate the arrays on SharedArrayBuffers (for helper workers). */
  shared?: boolean;
}

function alloc<T>(
  Ctor: { new (b: ArrayBufferLike, o: number, n: number): T; BYTES_PER_ELEMENT: number },
  n: number,
  shared: boolean,
): T {
  const buf = shared
    ? new SharedArrayBuffer(Math.max(1, n) * Ctor.BYTES_PER_ELEMENT)
    : new ArrayBuffer(Math.max(1, n) * Ctor.BYTES_PER_ELEMENT);
  return new Ctor(buf, 0, n);
}

/** Bins the (training) columns with `mapper` into feature blocks. */
export function buildBinnedMatrix(
  mapper: BinMapper,
  columns: Float32Array[],
  nRows: number,
  options: BinnedMatrixOptions = {},
): BinnedMatrix {
  const nFeatures = columns.length;
  const maxBlockBins = Math.min(options.maxBlockBins ?? 16384, 65536);
  const shared = options.shared ?? false;
  const featBinStart = new Int32Array(nFeatures + 1);
  const nnz = new Float64Array(nFeatures);
  for (let f = 0; f < nFeatures; f++) {
    featBinStart[f + 1] = featBinStart[f] + mapper.cuts[f].length;
    const col = columns[f];
    let c = 0;
    if (mapper.cuts[f].length > 0) { for (let i = 0; i < nRows; i++) if (col[i] === col[i]) c++; }
    nnz[f] = c;
  }
  const totalBins = featBinStart[nFeatures];
  let totalNnz = 0;
  for (let f = 0; f < nFeatures; f++) totalNnz += nnz[f];
  const wanted = Math.max(Math.ceil(totalBins / maxBlockBins), options.minBlocks ?? 1, 1);
  // Int32 offsets (V8 keeps int32 indices in registers; uint32 ones become doubles).
  const nnzCap = Math.min(Math.ceil(totalNnz / wanted), 2 ** 30);

  // Greedy runs of features: close a block when bins or entries would exceed the caps.
  const ranges: [number, number][] = [];
  let s = 0, bins = 0, ent = 0;
  for (let f = 0; f < nFeatures; f++) {
    const b = mapper.cuts[f].length;
    if (f > s && (bins + b > maxBlockBins || (ent + nnz[f] > nnzCap && ent > 0))) {
      ranges.push([s, f]);
      s = f;
      bins = 0;
      ent = 0;
    }
    bins += b;
    ent += nnz[f];
  }
  if (nFeatures > 0) ranges.push([s, nFeatures]);

  const blocks: BinnedBlock[] = [];
  const pos = new Int32Array(nRows);
  const maxFeats = Math.max(1, ...ranges.map(([a, b]) => b - a));
  // Codes of one block's features (1 byte per cell): binned once, then counted and copied.
  const codes = new Uint8Array(maxFeats * nRows);
  for (const [fs, fe] of ranges) {
    const ptr = alloc(Int32Array, nRows + 1, shared);
    for (let f = fs; f < fe; f++) {
      const c = codes.subarray((f - fs) * nRows, (f - fs + 1) * nRows);
      if (mapper.cuts[f].length === 0) c.fill(0);
      else binColumn(mapper, f, columns[f], nRows, c);
      for (let i = 0; i < nRows; i++) ptr[i + 1] += (c[i] !== 0) as unknown as number;
    }
    for (let i = 0; i < nRows; i++) ptr[i + 1] += ptr[i];
    const idx = alloc(Uint16Array, ptr[nRows], shared);
    pos.set(ptr.subarray(0, nRows));
    const binStart = featBinStart[fs];
    for (let f = fs; f < fe; f++) {
      if (mapper.cuts[f].length === 0) continue;
      const c = codes.subarray((f - fs) * nRows, (f - fs + 1) * nRows);
      const off = featBinStart[f] - binStart - 1; // code k + 1 → value bin k
      for (let i = 0; i < nRows; i++) {
        const code = c[i];
        if (code !== 0) idx[pos[i]++] = off + code;
      }
    }
    blocks.push({
      featStart: fs,
      featEnd: fe,
      binStart,
      nBins: featBinStart[fe] - binStart,
      ptr,
      idx,
    });
  }
  return { nRows, nFeatures, featBinStart, totalBins, blocks };
}
