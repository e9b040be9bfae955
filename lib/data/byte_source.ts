/**
 * One pull interface over the three places CSV bytes come from — a file path (read with
 * `Deno.open` straight into the scanner's big buffer, no intermediate chunks), a
 * `ReadableStream<Uint8Array>` (e.g. `BlobStore.get`), or bytes in memory (tests).
 *
 * @module
 */
import { openDirectRange } from "../storage/direct_io.ts";

/** What the CSV scanner reads from. A string is a local file path. */
export type CsvSource = string | ReadableStream<Uint8Array> | Uint8Array;

/** Fills caller-owned buffers. */
export interface ByteReader {
  /** Read up to `into.length` bytes; `null` at the end. */
  read(into: Uint8Array): Promise<number | null>;
  /** Total size when known (files, bytes), else null. */
  readonly size: number | null;
  /** Release the file / cancel the stream. Idempotent. */
  close(): void;
}

/** Open a `ByteReader` over any `CsvSource`. */
export async function openByteReader(source: CsvSource): Promise<ByteReader> {
  if (typeof source === "string") {
    const direct = await openLargeFileDirect(source, 0, Infinity);
    if (direct) return direct;
    const file = await Deno.open(source, { read: true });
    let size: number | null = null;
    try {
      size = (await file.stat()).size;
    } catch {
      // size is only used for progress
    }
    let closed = false;
    return {
      size,
      read: (into) => file.read(into),
      close() {
        if (!closed) {
          closed = true;
          file.close();
        }
      },
    };
  }
  if (source instanceof Uint8Array) {
    let off = 0;
    return {
      size: source.length,
      read(into) {
        if (off >= source.length) return Promise.resolve(null);
        const n = Math.min(into.length, source.length - off);
        into.set(source.subarray(off, off + n));
        off += n;
        return Promise.resolve(n);
      },
      close() {},
    };
  }
  const reader = source.getReader();
  let pending: Uint8Array | null = null;
  let done = false;
  return {
    size: null,
    async read(into) {
      while (!pending || pending.length === 0) {
        if (done) return null;
        const r = await reader.read();
        if (r.done) {
          done = true;
          return null;
        }
        pending = r.value;
      }
      const n = Math.min(into.length, pending.length);
      into.set(n === pending.length ? pending : pending.subarray(0, n));
      pending = n === pending.length ? null : pending.subarray(n);
      return n;
    },
    close() {
      if (!done) {
        done = true;
        reader.cancel().catch(() => {});
      }
      try {
        reader.releaseLock();
      } catch { /* pending read */ }
    },
  };
}

/**
 * A reader over bytes `[start, end)` of a local file (clamped to its size): lets two workers
 * scan halves of one CSV. `size` is the length of the range.
 */
export async function openFileRange(
  path: string,
  start: number,
  end: number,
): Promise<ByteReader> {
  const direct = await openLargeFileDirect(path, start, end);
  if (direct) return direct;
  const file = await Deno.open(path, { read: true });
  let closed = false;
  try {
    const total = (await file.stat()).size;
    end = Math.min(end, total);
    start = Math.min(Math.max(0, start), end);
    await file.seek(start, Deno.SeekMode.Start);
  } catch (err) {
    file.close();
    throw err;
  }
  let left = end - start;
  return {
    size: end - start,
    async read(into) {
      if (left <= 0) return null;
      const n = await file.read(left < into.length ? into.subarray(0, left) : into);
      if (n === null) return (left = 0, null);
      left -= n;
      return n;
    },
    close() {
      if (!closed) {
        closed = true;
        file.close();
      }
    },
  };
}

/**
 * Files at least this large are read past the page cache where the system allows it
 * (`lib/storage/direct_io.ts`: a multi-GB upload is read once per scan, and filling the cache
 * with it costs more than reading the device); smaller ones are read as usual, so the cache
 * serves repeated reads.
 */
export const DIRECT_READ_MIN_BYTES = 64 << 20;

async function openLargeFileDirect(
  path: string,
  start: number,
  end: number,
): Promise<ByteReader | null> {
  try {
    return await openDirectRange(path, start, end, { minBytes: DIRECT_READ_MIN_BYTES });
  } catch {
    return null; // a missing file: the usual open reports it
  }
}
