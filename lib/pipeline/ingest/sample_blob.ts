/**
 * Binary encoding of the feature-selection row sample (`datasets/<id>/sample.bin`).
 *
 * Stored so that the selection task can run (and re-run after a restart or a redelivery)
 * without scanning the CSV again. Layout, little-endian:
 * `"QCS1"`, u32 JSON length, JSON `{nRows, featureNames, positiveFraction, negativeFraction}`,
 * zero padding to a multiple of 8, then `ids` (f64 × n), `timestamps` (f64 × n), `labels`
 * (u8 × n, padded to 8), and the feature columns (f32 × n each, in `featureNames` order).
 * Decoding makes views on one buffer: no per-value work.
 *
 * @example
 * ```ts
 * const bytes = encodeSample(sample);
 * const back = decodeSample(bytes); // same arrays
 * ```
 *
 * @module
 */
import type { ProfileSample } from "../../data/profile.ts";

/** A row sample, column-major: the profile pass's sample as stored for feature selection. */
export type RowSample = ProfileSample;

const MAGIC = 0x31534351; // "QCS1" little-endian
const pad8 = (n: number) => (n + 7) & ~7;

/** Encode a sample into one byte array. */
export function encodeSample(s: RowSample): Uint8Array {
  const n = s.nRows;
  const json = new TextEncoder().encode(JSON.stringify({
    nRows: n,
    featureNames: s.featureNames,
    positiveFraction: s.positiveFraction,
    negativeFraction: s.negativeFraction,
  }));
  const head = pad8(8 + json.length);
  const total = head + 16 * n + pad8(n) + 4 * n * s.columns.length;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, json.length, true);
  out.set(json, 8);
  let off = head;
  const put = (a: ArrayBufferView) => {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), off);
    off += a.byteLength;
  };
  put(s.ids.subarray(0, n));
  put(s.timestamps.subarray(0, n));
  put(s.labels.subarray(0, n));
  off = head + 16 * n + pad8(n);
  for (const c of s.columns) put(c.subarray(0, n));
  return out;
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
