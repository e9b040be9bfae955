/**
 * Binary encoding of the feature-selection row sample (`datasets/<id>/sample.bin`).
 *
 * Stored so that the selection task can run (and re-run after a restart or a redelivery)
 * without scanning the CSV again. Layout, little-endian:
 * `"QCS1"`, u32 JSON length, JSON `{nRows, featureNames, positiveFraction, negativeFraction}`,
 * zero padding to a multiple of 8, then `ids` (f64 × n), `timestamps` (f64 × n), `labels`
 * (u8 × n, padded to 8), and the feature columns (f32 × n each, in `featureNames` order).
 *
 * Encoding gathers the values from the profile's class stores column by column
 * (`sampleBlobStream` hands them to storage a few MiB at a time, so no dense copy of the whole
 * sample is ever held); decoding makes views on one buffer: no per-value work.
 *
 * @example
 * ```ts
 * await putSample(storage, key, sample); // from the profile pass
 * const back = decodeSample(await storage.getBytes(key)); // dense columns
 * ```
 *
 * @module
 */
import { type ProfileSample, sampleColumnRange } from "../../data/row_sample.ts";
import type { BlobStore } from "../../storage/blob_store.ts";
import { LocalBlobStore } from "../../storage/local_store.ts";

/** A decoded row sample, column-major (`Float32Array` per feature, NaN = missing). */
export interface RowSample {
  nRows: number;
  featureNames: string[];
  columns: Float32Array[];
  labels: Uint8Array;
  ids: Float64Array;
  timestamps: Float64Array;
  positiveFraction: number;
  negativeFraction: number;
}

const MAGIC = 0x31534351; // "QCS1" little-endian
const pad8 = (n: number) => (n + 7) & ~7;

/**
 * Size of the pieces `sampleBlobStream` yields (whole columns, at least one per piece). Each is
 * built on the server thread in one go: 4 MiB pieces held it up to 64 ms (a 67 MB sample).
 */
const PIECE_BYTES = 1 << 20;

/** The blob's pieces: the header with ids, timestamps and labels, then batches of columns. */
function* samplePieces(
  s: ProfileSample,
  pieceBytes = PIECE_BYTES,
  reuse = false,
): Generator<Uint8Array> {
  const n = s.nRows;
  const json = new TextEncoder().encode(JSON.stringify({
    nRows: n,
    featureNames: s.featureNames,
    positiveFraction: s.positiveFraction,
    negativeFraction: s.negativeFraction,
  }));
  const head = pad8(8 + json.length);
  const first = new Uint8Array(head + 16 * n + pad8(n));
  const dv = new DataView(first.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, json.length, true);
  first.set(json, 8);
  new Float64Array(first.buffer, head, n).set(s.ids.subarray(0, n));
  new Float64Array(first.buffer, head + 8 * n, n).set(s.timestamps.subarray(0, n));
  first.set(s.labels.subarray(0, n), head + 16 * n);
  yield first;
  const perPiece = Math.max(1, Math.floor(pieceBytes / Math.max(1, 4 * n)));
  const shared = reuse ? new Float32Array(perPiece * n) : null;
  for (let j0 = 0; j0 < s.featureNames.length; j0 += perPiece) {
    const j1 = Math.min(s.featureNames.length, j0 + perPiece);
    const out = shared ? shared.subarray(0, (j1 - j0) * n) : undefined;
    const piece = sampleColumnRange(s, j0, j1, out);
    yield new Uint8Array(piece.buffer, piece.byteOffset, piece.byteLength);
  }
}

/** Encode a sample into one byte array (small samples, tests). */
export function encodeSample(s: ProfileSample): Uint8Array {
  const pieces = [...samplePieces(s)];
  const out = new Uint8Array(pieces.reduce((t, p) => t + p.byteLength, 0));
  let off = 0;
  for (const p of pieces) {
    out.set(p, off);
    off += p.byteLength;
  }
  return out;
}

/** Options of `sampleBlobStream`. */
export interface SampleStreamOptions {
  /** Piece size in bytes (default 4 MiB; whole columns, at least one per piece). */
  pieceBytes?: number;
  /**
   * Build every piece in one buffer. Only for a consumer that is done with a chunk before it
   * pulls the next (`LocalBlobStore.put` writes it first); it spares ~60 MB of short-lived
   * buffers per upload, which the collector would otherwise let pile up for a while.
   */
  reuseBuffer?: boolean;
}

/**
 * The encoded sample as a stream of ~4 MiB pieces, each built when storage asks for it: memory
 * stays at one piece, and the event loop is free between pieces.
 */
export function sampleBlobStream(
  s: ProfileSample,
  opts: SampleStreamOptions = {},
): ReadableStream<Uint8Array> {
  const pieces = samplePieces(s, opts.pieceBytes, opts.reuseBuffer);
  return new ReadableStream<Uint8Array>({
    pull(c) {
      const next = pieces.next();
      if (next.done) c.close();
      else c.enqueue(next.value);
    },
  }, { highWaterMark: 0 });
}

/**
 * Store a sample's blob under `key`, streamed; with a local store the pieces share one buffer
 * (it writes each chunk before asking for the next).
 */
export async function putSample(
  storage: BlobStore,
  key: string,
  sample: ProfileSample,
): Promise<void> {
  const reuseBuffer = storage instanceof LocalBlobStore;
  await storage.put(key, sampleBlobStream(sample, { reuseBuffer }));
}

/** Decode `encodeSample` output. Throws on a truncated or foreign blob. */
export function decodeSample(bytes: Uint8Array): RowSample {
  // Views need 8-byte alignment of the base offset; copy only when it is not.
  const b = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  if (b.byteLength < 8) throw new Error("Sample blob is truncated");
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) throw new Error("Not a sample blob (bad magic)");
  const jsonLen = dv.getUint32(4, true);
  const meta = JSON.parse(new TextDecoder().decode(b.subarray(8, 8 + jsonLen))) as {
    nRows: number;
    featureNames: string[];
    positiveFraction: number;
    negativeFraction: number;
  };
  const n = meta.nRows;
  const head = pad8(8 + jsonLen);
  const need = head + 16 * n + pad8(n) + 4 * n * meta.featureNames.length;
  if (b.byteLength < need) throw new Error(`Sample blob is truncated (${b.byteLength} < ${need})`);
  const base = b.byteOffset + head;
  const ids = new Float64Array(b.buffer, base, n);
  const timestamps = new Float64Array(b.buffer, base + 8 * n, n);
  const labels = new Uint8Array(b.buffer, base + 16 * n, n);
  const colBase = base + 16 * n + pad8(n);
  const columns = meta.featureNames.map((_, j) =>
    new Float32Array(b.buffer, colBase + 4 * n * j, n)
  );
  return { ...meta, columns, labels, ids, timestamps };
}
