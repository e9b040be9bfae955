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

import { binColumn, binColumnCounted, type BinMapper } from "./binning.ts";

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
  /**
   * With `keepCodes`: per feature, every row's code (0 = missing, k + 1 = value bin k), for
   * partitioning rows by a split (4× denser than the float column, same outcome).
   */
  codes?: Uint8Array[];
}

/** Options of {@link buildBinnedMatrix}. */
export interface BinnedMatrixOptions {
  /**
   * Max value bins per block (≤ 65536; default 16384 = a 256 KiB histogram, or one block when
   * all bins fit in 32768).
   */
  maxBlockBins?: number;
  /** At least this many blocks when there are enough features (threads × 2 is sensible). */
  minBlocks?: number;
  /** Allocate the arrays on SharedArrayBuffers (for helper workers). */
  shared?: boolean;
  /** Keep the per-feature code columns in `codes` (1 byte per cell). */
  keepCodes?: boolean;
  /**
   * Allocate the blocks' `ptr` / `idx` here (zeroed arrays; e.g. a wasm kernel's shared
   * memory); overrides `shared`.
   */
  alloc?: <T>(Ctor: AllocCtor<T>, n: number) => T;
}

/** A typed-array constructor for {@link BinnedMatrixOptions.alloc}. */
export type AllocCtor<T> = {
  new (b: ArrayBufferLike, o: number, n: number): T;
  BYTES_PER_ELEMENT: number;
};

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

/** Rows per chunk of the codes → entries transpose. */
const TRANSPOSE_CHUNK_ROWS = 4096;

/** Up to this many value bins in all, the default is a single block. */
const ONE_BLOCK_MAX_BINS = 32768;

/**
 * Training rows already binned (e.g. column by column as they were loaded, the float columns
 * dropped): per feature, every row's code (0 = missing, k + 1 = value bin k), and the number
 * of non-missing codes per feature.
 */
export interface BinnedCodes {
  /** Per feature; with `shared`, views of one SharedArrayBuffer (feature f at f × nRows). */
  codes: Uint8Array[];
  nnz: ArrayLike<number>;
}

/**
 * Codes of every column with `mapper` into one buffer (feature f at bytes f × nRows), shared
 * for helper workers when asked.
 */
export function binColumns(
  mapper: BinMapper,
  columns: Float32Array[],
  nRows: number,
  shared = false,
): BinnedCodes {
  const all = alloc(Uint8Array, columns.length * nRows, shared);
  const table = new Uint8Array(65536);
  const codes: Uint8Array[] = [];
  const nnz = new Float64Array(columns.length);
  for (let f = 0; f < columns.length; f++) {
    const c = all.subarray(f * nRows, (f + 1) * nRows);
    nnz[f] = binColumnCounted(mapper, f, columns[f], nRows, c, table);
    codes.push(c);
  }
  return { codes, nnz };
}

/** Bins the (training) columns with `mapper` into feature blocks. */
export function buildBinnedMatrix(
  mapper: BinMapper,
  columns: Float32Array[],
  nRows: number,
  options: BinnedMatrixOptions = {},
): BinnedMatrix {
  // With keepCodes every feature is binned up front (1 byte per cell, counted from the codes);
  // otherwise one block's features at a time into a reused buffer (wide data stays small).
  if (options.keepCodes) {
    return binnedMatrixFromCodes(
      mapper,
      binColumns(mapper, columns, nRows, options.shared ?? false),
      nRows,
      options,
    );
  }
  return assemble(mapper, columns, null, nRows, options);
}

/**
 * The block matrix of rows that are already binned (`binned.codes` are kept as the matrix's
 * `codes`; with `shared` they must be on SharedArrayBuffers). Same result as
 * {@link buildBinnedMatrix} with `keepCodes` on the columns the codes came from.
 */
export function binnedMatrixFromCodes(
  mapper: BinMapper,
  binned: BinnedCodes,
  nRows: number,
  options: BinnedMatrixOptions = {},
): BinnedMatrix {
  return assemble(mapper, null, binned, nRows, options);
}

function assemble(
  mapper: BinMapper,
  columns: Float32Array[] | null,
  binned: BinnedCodes | null,
  nRows: number,
  options: BinnedMatrixOptions,
): BinnedMatrix {
  const nFeatures = binned ? binned.codes.length : columns!.length;
  const shared = options.shared ?? false;
  const featBinStart = new Int32Array(nFeatures + 1);
  const nnz = new Float64Array(nFeatures);
  const codes = binned?.codes ?? [];
  const table = new Uint8Array(65536);
  for (let f = 0; f < nFeatures; f++) {
    featBinStart[f + 1] = featBinStart[f] + mapper.cuts[f].length;
    let k = 0;
    if (binned) k = binned.nnz[f];
    else if (mapper.cuts[f].length > 0) {
      const col = columns![f];
      for (let i = 0; i < nRows; i++) k += (col[i] === col[i]) as unknown as number;
    }
    nnz[f] = k;
  }
  const totalBins = featBinStart[nFeatures];
  // Up to 32768 bins (a 512 KiB histogram) stay one block: splitting them costs every row's
  // offsets and gradients once per block, which measured slower than the bigger histogram
  // (734k × 100, 21k bins: root 30 vs 37 ms, depth-1 node 14 vs 21 ms, one thread).
  const maxBlockBins = Math.min(
    options.maxBlockBins ?? (totalBins <= ONE_BLOCK_MAX_BINS ? ONE_BLOCK_MAX_BINS : 16384),
    65536,
  );
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
  const scratch = binned ? null : new Uint8Array(maxFeats * nRows);
  const allocBlock = <T>(Ctor: AllocCtor<T>, n: number): T =>
    options.alloc ? options.alloc(Ctor, n) : alloc(Ctor, n, shared);
  for (const [fs, fe] of ranges) {
    const ptr = allocBlock(Int32Array, nRows + 1);
    for (let f = fs; f < fe; f++) {
      if (nnz[f] === 0) continue;
      let c: Uint8Array;
      if (scratch) {
        c = scratch.subarray((f - fs) * nRows, (f - fs + 1) * nRows);
        binColumn(mapper, f, columns![f], nRows, c, table);
      } else c = codes[f];
      for (let i = 0; i < nRows; i++) ptr[i + 1] += (c[i] !== 0) as unknown as number;
    }
    for (let i = 0; i < nRows; i++) ptr[i + 1] += ptr[i];
    const idx = allocBlock(Uint16Array, ptr[nRows]);
    pos.set(ptr.subarray(0, nRows));
    const binStart = featBinStart[fs];
    const cols: Uint8Array[] = [], offs: number[] = [];
    for (let f = fs; f < fe; f++) {
      if (nnz[f] === 0) continue;
      cols.push(scratch ? scratch.subarray((f - fs) * nRows, (f - fs + 1) * nRows) : codes[f]);
      offs.push(featBinStart[f] - binStart - 1); // code k + 1 → value bin k
    }
    // Column-major codes → row-major entries, in row chunks whose entries stay in cache
    // (feature by feature over all rows scattered every write: ~3× slower at 734k rows).
    for (let r0 = 0; r0 < nRows; r0 += TRANSPOSE_CHUNK_ROWS) {
      const r1 = Math.min(nRows, r0 + TRANSPOSE_CHUNK_ROWS);
      for (let k = 0; k < cols.length; k++) {
        const c = cols[k], off = offs[k];
        for (let i = r0; i < r1; i++) {
          const code = c[i];
          if (code !== 0) idx[pos[i]++] = off + code;
        }
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
  return {
    nRows,
    nFeatures,
    featBinStart,
    totalBins,
    blocks,
    codes: binned ? codes : undefined,
  };
}
