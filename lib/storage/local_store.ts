/**
 * `BlobStore` on the local filesystem.
 *
 * Layout: a blob `a/b/c.csv` is the file `<root>/a/b/c.csv`. Writes are staged in
 * `<root>/.tmp/<uuid>` and renamed into place only once the whole stream was written and synced,
 * so a reader never sees a partial blob and a failed/aborted upload leaves nothing behind (the
 * temp file is removed; anything left by a crash is swept by `cleanupTemp` at startup).
 * `.tmp` sits under the root so the final `rename` never crosses filesystems (which would make
 * it a non-atomic copy).
 *
 * **An S3-compatible store fits the same interface:** `put` becomes a multipart upload (parts
 * streamed from the body, e.g. 8–64 MiB each) whose `CompleteMultipartUpload` is the atomic
 * commit — the object is invisible until then — and an error/abort calls
 * `AbortMultipartUpload` (plus a bucket lifecycle rule expiring incomplete uploads, the analogue
 * of `cleanupTemp`). `get` with a range maps to a `Range: bytes=start-(end-1)` GET, `list` to
 * `ListObjectsV2` with a prefix (paginated, already key-sorted), `deletePrefix` to batched
 * `DeleteObjects`, and `localPath` returns null, so CPU-heavy workers fall back to streaming
 * `get`. Keys are validated by `assertValidKey` in both backends.
 *
 * @example
 * ```ts
 * const store = await LocalBlobStore.open("/var/lib/qc/blobs");
 * await store.put("datasets/d1/source.csv", req.body!, { signal: req.signal });
 * const head = await store.get("datasets/d1/source.csv", { start: 0, end: 1024 });
 * ```
 *
 * @module
 */
import { DirectFileWriter } from "./direct_io.ts";
import { dirname, join } from "node:path";
import type { BlobInfo, BlobStore, StagedBlob } from "./blob_store.ts";
import { assertValidKey, BlobNotFoundError } from "./keys.ts";

export { BlobNotFoundError, InvalidKeyError } from "./keys.ts";

const TMP_DIR = ".tmp";
/** Read size of `getBytes` (one event-loop turn each). */
const GET_BYTES_STEP = 1 << 20;
/** Read chunk size for `get` streams. */
const READ_CHUNK = 256 * 1024;

/** Blob store over a local directory. */
export class LocalBlobStore implements BlobStore {
  /** Absolute-or-relative root directory, as given. */
  readonly root: string;
  /** Whether `put` syncs data to disk before publishing it (see the constructor). */
  readonly durable: boolean;

  /**
   * `durable` (default true): `put` calls `fdatasync` before the rename, so a blob that was
   * published (and recorded in KV, which is synced) survives a power loss intact. It costs
   * ~1.4–2 s per GiB on this machine's disk; turn it off only for scratch data.
   */
  constructor(root: string, opts: { durable?: boolean } = {}) {
    this.root = root;
    this.durable = opts.durable ?? true;
  }

  /** A fresh name in the temp dir (created when missing), where blobs are written before the rename. */
  async #tempPath(): Promise<string> {
    const dir = join(this.root, TMP_DIR);
    await Deno.mkdir(dir, { recursive: true });
    return join(dir, crypto.randomUUID());
  }

  /** See `BlobStore.stage`: the temp file is swept like any other after a crash. */
  async stage(key: string, size: number): Promise<StagedBlob> {
    const dest = this.localPath(key);
    const path = await this.#tempPath();
    const file = await Deno.open(path, { write: true, createNew: true });
    try {
      await file.truncate(size);
    } finally {
      file.close();
    }
    let done = false;
    return {
      path,
      commit: async () => {
        if (done) throw new Error("The staged blob was already committed or discarded");
        done = true;
        if (this.durable) {
          const f = await Deno.open(path, { write: true });
          try {
            await f.syncData();
          } finally {
            f.close();
          }
        }
        await Deno.mkdir(dirname(dest), { recursive: true });
        await Deno.rename(path, dest);
      },
      discard: async () => {
        if (done) return;
        done = true;
        await Deno.remove(path).catch(() => {});
      },
    };
  }

  /** Create the root (and temp dir) when missing and sweep temp files left by a crash. */
  static async open(root: string, opts: { durable?: boolean } = {}): Promise<LocalBlobStore> {
    const store = new LocalBlobStore(root, opts);
    await Deno.mkdir(join(root, TMP_DIR), { recursive: true });
    await store.cleanupTemp();
    return store;
  }

  /**
   * Remove staged temp files older than `olderThanMs` (default 0: all of them — at startup no
   * write can be in flight because one process owns the store). Returns how many were removed.
   */
  async cleanupTemp(olderThanMs = 0): Promise<number> {
    const dir = join(this.root, TMP_DIR);
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    try {
      for await (const e of Deno.readDir(dir)) {
        const p = join(dir, e.name);
        try {
          const st = await Deno.lstat(p);
          if ((st.mtime?.getTime() ?? 0) <= cutoff) {
            await Deno.remove(p, { recursive: true });
            removed++;
          }
        } catch (err) {
          if (!(err instanceof Deno.errors.NotFound)) throw err;
        }
      }
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
    return removed;
  }

  /** Filesystem path of `key` (validated; the file may not exist). */
  localPath(key: string): string {
    assertValidKey(key);
    return join(this.root, key);
  }

  /**
   * Store `body` under `key` (staged, synced, renamed). A stream's chunk is written before the
   * next one is read, so a producer may refill the buffer of a chunk once it is asked for more.
   * With `uncached` a stream is written past the page cache (`direct_io.ts`) where the system
   * allows it, else through the write-behind buffers like any stream.
   */
  async put(
    key: string,
    body: ReadableStream<Uint8Array> | Uint8Array,
    opts: { signal?: AbortSignal; uncached?: boolean } = {},
  ): Promise<number> {
    const dest = this.localPath(key);
    const signal = opts.signal;
    const tmp = await this.#tempPath();
    let file: Deno.FsFile | null = null;
    let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
    const onAbort = () => {
      // Ends a pending read; the loop then sees `signal.aborted` and throws its reason.
      reader?.cancel(signal?.reason).catch(() => {});
    };
    let direct: DirectFileWriter | null = null;
    try {
      signal?.throwIfAborted();
      let written = 0;
      if (body instanceof Uint8Array) {
        file = await Deno.open(tmp, { write: true, createNew: true });
        await writeAll(file, body);
        written = body.byteLength;
      } else {
        reader = body.getReader();
        signal?.addEventListener("abort", onAbort, { once: true });
        // An upload (GBs, scanned once) goes past the page cache where the system allows it.
        direct = opts.uncached ? DirectFileWriter.create(tmp) : null;
        if (!direct) {
          // A refused direct open may have created the (unique, ours) temp file.
          if (opts.uncached) await Deno.remove(tmp).catch(() => {});
          file = await Deno.open(tmp, { write: true, createNew: true });
        }
        const out = direct ?? new WriteBehind(file!, this.durable ? EARLY_SYNC_BYTES : Infinity);
        try {
          while (true) {
            const { done, value } = await reader.read();
            signal?.throwIfAborted();
            if (done) break;
            await out.write(value);
            written += value.byteLength;
          }
          if (direct) {
            await direct.finish({ sync: this.durable });
            direct = null;
          } else await (out as WriteBehind).flush();
        } finally {
          // On failure: the first error is the one thrown.
          if (out instanceof WriteBehind) await out.settled().catch(() => {});
        }
      }
      signal?.throwIfAborted();
      if (file) {
        // Data must be on disk before the rename publishes it (crash safety).
        if (this.durable) await file.syncData();
        file.close();
        file = null;
      }
      await Deno.mkdir(dirname(dest), { recursive: true });
      await Deno.rename(tmp, dest);
      return written;
    } catch (err) {
      await direct?.abort();
      if (reader) await reader.cancel(err).catch(() => {});
      if (file) {
        try {
          file.close();
        } catch { /* already closed */ }
      }
      await Deno.remove(tmp).catch(() => {});
      throw err;
    } finally {
      signal?.removeEventListener("abort", onAbort);
      reader?.releaseLock();
    }
  }

  async get(
    key: string,
    range: { start?: number; end?: number } = {},
  ): Promise<ReadableStream<Uint8Array>> {
    const path = this.localPath(key);
    let file: Deno.FsFile;
    try {
      file = await Deno.open(path, { read: true });
    } catch (err) {
      if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.IsADirectory) {
        throw new BlobNotFoundError(key);
      }
      throw err;
    }
    try {
      const st = await file.stat();
      if (!st.isFile) throw new BlobNotFoundError(key);
      const { start, end } = resolveRange(range, st.size);
      if (start > 0) await file.seek(start, Deno.SeekMode.Start);
      return rangeStream(file, end - start);
    } catch (err) {
      file.close();
      throw err;
    }
  }

  /**
   * The whole blob, read in `GET_BYTES_STEP` reads into one buffer: `Deno.readFile` hands a
   * 64 MB sample over in one piece on the calling thread, which stalled a server's event loop
   * for 258 ms (the copy plus the first touch of every page); step by step, each turn is short.
   */
  async getBytes(key: string, opts: { shared?: boolean } = {}): Promise<Uint8Array> {
    let file: Deno.FsFile;
    try {
      file = await Deno.open(this.localPath(key), { read: true });
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) throw new BlobNotFoundError(key);
      throw err;
    }
    try {
      const st = await file.stat();
      if (!st.isFile) throw new BlobNotFoundError(key);
      const out: Uint8Array = opts.shared
        ? new Uint8Array(new SharedArrayBuffer(st.size))
        : new Uint8Array(st.size);
      let off = 0;
      while (off < out.length) {
        const n = await file.read(out.subarray(off, Math.min(out.length, off + GET_BYTES_STEP)));
        if (n === null) break;
        off += n;
      }
      return off === out.length ? out : out.subarray(0, off);
    } finally {
      file.close();
    }
  }

  async stat(key: string): Promise<BlobInfo | null> {
    const path = this.localPath(key);
    try {
      const st = await Deno.stat(path);
      if (!st.isFile) return null;
      return { key, size: st.size, mtime: st.mtime?.getTime() ?? 0 };
    } catch (err) {
      if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.NotADirectory) {
        return null;
      }
      throw err;
    }
  }

  async list(prefix: string): Promise<BlobInfo[]> {
    if (prefix !== "") assertValidKey(prefix, { allowPrefix: true });
    // Walk only the deepest directory the prefix names; filter the rest by string prefix.
    const slash = prefix.lastIndexOf("/");
    const dirKey = slash >= 0 ? prefix.slice(0, slash) : "";
    const out: BlobInfo[] = [];
    await this.#walk(dirKey, async (key, path) => {
      if (!key.startsWith(prefix)) return;
      try {
        const st = await Deno.stat(path);
        if (st.isFile) out.push({ key, size: st.size, mtime: st.mtime?.getTime() ?? 0 });
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound)) throw err; // deleted meanwhile
      }
    });
    out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return out;
  }

  async delete(key: string): Promise<void> {
    try {
      await Deno.remove(this.localPath(key));
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
  }

  /**
   * Delete every blob under `prefix`. A prefix ending in `/` removes that directory tree at once;
   * other prefixes delete the matching blobs one by one. The empty prefix is refused (it would
   * wipe the whole store by accident).
   */
  async deletePrefix(prefix: string): Promise<void> {
    assertValidKey(prefix, { allowPrefix: true });
    if (prefix.endsWith("/")) {
      try {
        await Deno.remove(join(this.root, prefix.slice(0, -1)), { recursive: true });
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound)) throw err;
      }
      return;
    }
    for (const b of await this.list(prefix)) await this.delete(b.key);
    // A prefix naming a whole directory (`datasets/d1`) also removes the emptied directory.
    try {
      const st = await Deno.stat(join(this.root, prefix));
      if (st.isDirectory) await Deno.remove(join(this.root, prefix), { recursive: true });
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
  }

  async #walk(dirKey: string, visit: (key: string, path: string) => Promise<void>): Promise<void> {
    const dir = dirKey === "" ? this.root : join(this.root, dirKey);
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(dir));
    } catch (err) {
      if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.NotADirectory) return;
      throw err;
    }
    for (const e of entries) {
      if (dirKey === "" && e.name === TMP_DIR) continue;
      const key = dirKey === "" ? e.name : `${dirKey}/${e.name}`;
      if (e.isDirectory) await this.#walk(key, visit);
      else if (e.isFile) await visit(key, join(dir, e.name));
    }
  }
}

/** A streamed `put` on a durable store starts writing back after every this many bytes. */
const EARLY_SYNC_BYTES = 64 << 20;

/** Size of the write-behind buffers of a streamed `put`. */
const WRITE_BEHIND_BYTES = 256 << 10;

/**
 * Streamed writes, batched and overlapped: chunks are copied into one of two 256 KiB buffers,
 * and a full buffer is written while the next one fills. A network upload arrives in ~64 KiB
 * chunks; writing each before reading the next made the upload a chain of round trips. The copy
 * also keeps `put`'s promise that a chunk is done with before the next is read.
 *
 * The size is a trade-off measured on 2.72 GB uploads through HTTP with `GET /datasets` polled
 * every 100 ms (pairs of runs, same session): 64 KiB 8.1–9.3 s to the 202, request p99
 * 17–19 ms; 256 KiB 7.6–7.9 s, p99 21–34 ms; 1 MiB 9.0–9.5 s, p99 44–79 ms — a file write
 * runs on this thread, and a big one holds the requests behind it.
 */
class WriteBehind {
  #bufs: Uint8Array[] = [];
  #cur = 0;
  #len = 0;
  #pending: Promise<void> | null = null;
  /** Bytes handed to the file since the last early write-back started. */
  #unsynced = 0;
  #syncing: Promise<void> | null = null;

  /** `syncEvery`: start a write-back (fdatasync, off this thread) after that many bytes. */
  constructor(readonly file: Deno.FsFile, readonly syncEvery = Infinity) {}

  async write(chunk: Uint8Array): Promise<void> {
    let off = 0;
    while (off < chunk.byteLength) {
      const buf = this.#bufs[this.#cur] ??= new Uint8Array(WRITE_BEHIND_BYTES);
      const n = Math.min(buf.length - this.#len, chunk.byteLength - off);
      buf.set(chunk.subarray(off, off + n), this.#len);
      this.#len += n;
      off += n;
      if (this.#len === buf.length) await this.#swap();
    }
  }

  /** Write what is buffered and wait for every write. */
  async flush(): Promise<void> {
    await this.#swap();
    await this.settled();
  }

  /** Wait for the write in flight (errors included) and for an early write-back. */
  async settled(): Promise<void> {
    await this.#written();
    await this.#syncing;
  }

  async #written(): Promise<void> {
    const p = this.#pending;
    this.#pending = null;
    if (p) await p;
  }

  /** Start writing the current buffer once the previous write is done; switch buffers. */
  async #swap(): Promise<void> {
    await this.#written();
    if (this.#len === 0) return;
    const data = this.#bufs[this.#cur].subarray(0, this.#len);
    this.#pending = writeAll(this.file, data);
    this.#pending.catch(() => {}); // observed by settled()
    this.#cur ^= 1;
    this.#unsynced += this.#len;
    this.#len = 0;
    if (this.#unsynced >= this.syncEvery && !this.#syncing) {
      // Linux starts writing dirty pages back only past ~10 % of RAM (2.4 GB here), so a large
      // upload sat in the page cache until the final fsync, which then wrote it all while the
      // client waited. Durability still comes from that final fsync: an error here only loses
      // the head start.
      this.#unsynced = 0;
      this.#syncing = this.#pending.then(() => this.file.syncData()).catch(() => {})
        .finally(() => this.#syncing = null);
    }
  }
}

async function writeAll(file: Deno.FsFile, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.byteLength) off += await file.write(data.subarray(off));
}

function resolveRange(
  range: { start?: number; end?: number },
  size: number,
): { start: number; end: number } {
  const start = range.start ?? 0;
  const end = range.end ?? Math.max(size, start);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(`Invalid byte range [${range.start}, ${range.end})`);
  }
  return { start: Math.min(start, size), end: Math.min(end, size) };
}

/** A stream of `length` bytes from the file's current position; closes the file when done. */
function rangeStream(file: Deno.FsFile, length: number): ReadableStream<Uint8Array> {
  let remaining = length;
  let closed = false;
  const close = () => {
    if (!closed) {
      closed = true;
      file.close();
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (remaining <= 0) {
          close();
          controller.close();
          return;
        }
        const buf = new Uint8Array(Math.min(READ_CHUNK, remaining));
        const n = await file.read(buf);
        if (n === null || n === 0) {
          close();
          controller.close();
          return;
        }
        remaining -= n;
        controller.enqueue(n === buf.length ? buf : buf.subarray(0, n));
      } catch (err) {
        close();
        controller.error(err);
      }
    },
    cancel() {
      close();
    },
  }, { highWaterMark: 0 });
}
