/**
 * Direct file I/O (Linux `O_DIRECT`, through libc over FFI) for streaming multi-GB files past
 * the page cache: the upload's `source.csv` and the table scan's reads of it.
 *
 * Why: on this VM class a page the page cache takes for the first time costs ~2.2–2.8 ms per MB
 * (the host backs guest memory lazily), which is what bounded the upload, not the disk. `dd` on a
 * 2.35 GB file, same session: buffered write + fdatasync 364–389 MB/s vs direct 626–651 MB/s;
 * reading an uncached 1 GB file buffered 454 MB/s vs direct 1.9 GB/s. On any host it also keeps a
 * multi-GB upload from pushing everything else out of the cache.
 *
 * Where direct I/O is not available — not Linux x86-64/arm64, no FFI permission (Deno Deploy,
 * narrower `--allow-*` flags), or a filesystem that refuses `O_DIRECT` (tmpfs) — `create` and
 * `open` return null and the caller uses ordinary file I/O.
 *
 * Buffers handed to the kernel must be aligned to the logical block size, as must offsets and
 * lengths; 4096 covers 512-byte and 4K devices. The last block of a file is written padded and
 * the file then truncated to its real size; reads start at the aligned block below the range.
 *
 * @example
 * ```ts
 * const out = DirectFileWriter.create("/data/upload.csv"); // null → use Deno.open
 * if (out) {
 *   for await (const chunk of body) await out.write(chunk);
 *   await out.finish({ sync: true });
 * }
 * ```
 *
 * @module
 */

/** Reads a byte range into caller-owned buffers (the shape of `lib/data`'s `ByteReader`). */
export interface RangeReader {
  /** Read up to `into.length` bytes; `null` at the end. */
  read(into: Uint8Array): Promise<number | null>;
  /** Length of the range. */
  readonly size: number;
  /** Release the file (a read in flight finishes first). Idempotent. */
  close(): void;
}

/** Alignment of buffers, offsets and lengths. */
export const DIRECT_ALIGN = 4096;

/**
 * Bytes per write: a call costs little, and the two buffers' first touch (fresh memory costs
 * ~2.8 ms per MB on this VM) stays small — with 2 MiB buffers the server thread stalled 50–78 ms
 * at the start of an upload, with 512 KiB not measurably.
 */
const WRITE_BLOCK_BYTES = 512 << 10;
/** Bytes per read (in scan workers, where a stall holds up no request). */
const READ_BLOCK_BYTES = 4 << 20;

const O_RDONLY = 0, O_WRONLY = 1, O_CREAT = 0o100, O_EXCL = 0o200, O_CLOEXEC = 0o2000000;
/** `O_DIRECT` differs between architectures. */
const O_DIRECT: Record<string, number> = { x86_64: 0o40000, aarch64: 0o200000 };
const EINTR = 4, EINVAL = 22;

const SYMBOLS = {
  open: { parameters: ["buffer", "i32", "i32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  unlink: { parameters: ["buffer"], result: "i32" },
  ftruncate: { parameters: ["i32", "i64"], result: "i32" },
  // Off this thread: a block's transfer or a device flush must not hold the event loop.
  pwrite: { parameters: ["i32", "pointer", "usize", "i64"], result: "isize", nonblocking: true },
  pread: { parameters: ["i32", "pointer", "usize", "i64"], result: "isize", nonblocking: true },
  fdatasync: { parameters: ["i32"], result: "i32", nonblocking: true },
  // The same calls on this thread, to read errno after a failure (errno is per thread).
  pwriteSync: {
    name: "pwrite",
    parameters: ["i32", "pointer", "usize", "i64"],
    result: "isize",
  },
  preadSync: { name: "pread", parameters: ["i32", "pointer", "usize", "i64"], result: "isize" },
  fdatasyncSync: { name: "fdatasync", parameters: ["i32"], result: "i32" },
  __errno_location: { parameters: [], result: "pointer" },
  strerror: { parameters: ["i32"], result: "pointer" },
} as const;

type Libc = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

let libc: Libc | null | undefined;

/** libc with the calls above, or null where direct I/O is not available (see the module doc). */
function load(): Libc | null {
  if (libc !== undefined) return libc;
  libc = null;
  if (Deno.build.os !== "linux" || !(Deno.build.arch in O_DIRECT)) return libc;
  try {
    // Never prompt: without the permission, ordinary I/O is used.
    if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") return libc;
    libc = Deno.dlopen("libc.so.6", SYMBOLS).symbols;
  } catch {
    libc = null;
  }
  return libc;
}

/** Whether direct I/O can be used in this process (the filesystem may still refuse it). */
export function directIoAvailable(): boolean {
  return load() !== null;
}

/** errno of this thread's last failed call. */
function errnoOf(c: Libc): number {
  return new Deno.UnsafePointerView(c.__errno_location()!).getInt32();
}

/** errno of this thread's last failed call, as an Error naming `what`. */
function lastError(c: Libc, what: string): Error {
  const errno = errnoOf(c);
  const text = Deno.UnsafePointerView.getCString(c.strerror(errno)!);
  return Object.assign(new Error(`${what}: ${text} (errno ${errno})`), { errno });
}

function cString(s: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(s + "\0");
}

/** A zeroed buffer of `bytes` whose start is aligned to `DIRECT_ALIGN`. */
function alignedBuffer(bytes: number): Uint8Array<ArrayBuffer> {
  const raw = new Uint8Array(bytes + DIRECT_ALIGN);
  const addr = Number(Deno.UnsafePointer.value(Deno.UnsafePointer.of(raw)));
  const pad = (DIRECT_ALIGN - addr % DIRECT_ALIGN) % DIRECT_ALIGN;
  return raw.subarray(pad, pad + bytes);
}

function ptr(buf: Uint8Array): Deno.PointerValue {
  return Deno.UnsafePointer.of(buf);
}

/** Open with `O_DIRECT`, or null when refused (a file the attempt created is removed). */
function openDirect(c: Libc, path: string, flags: number, create: boolean): number | null {
  const name = cString(path);
  const fd = c.open(name, flags | O_DIRECT[Deno.build.arch] | O_CLOEXEC, 0o644);
  if (fd >= 0) return fd;
  // A filesystem that refuses O_DIRECT answers EINVAL after creating the file (O_EXCL: it is
  // ours); any other error (EEXIST, ENOENT, EACCES) leaves whatever is there untouched.
  if (create && errnoOf(c) === EINVAL) c.unlink(name);
  return null;
}

/**
 * `pwrite`/`pread` of all of `len` bytes at `offset` (a short transfer is continued, EINTR
 * retried); off this thread, with a retry on this thread to name the error.
 */
async function transfer(
  c: Libc,
  kind: "pwrite" | "pread",
  fd: number,
  buf: Uint8Array,
  len: number,
  offset: number,
): Promise<number> {
  let done = 0;
  while (done < len) {
    const view = buf.subarray(done);
    const at = BigInt(offset + done);
    let n = Number(await c[kind](fd, ptr(view), BigInt(len - done), at));
    if (n < 0) {
      n = Number(c[`${kind}Sync`](fd, ptr(view), BigInt(len - done), at));
      if (n < 0) {
        const err = lastError(c, kind === "pwrite" ? "Writing the file failed" : "Reading failed");
        if ((err as { errno?: number }).errno === EINTR) continue;
        throw err;
      }
    }
    if (n === 0) break; // end of file (reads)
    done += n;
    // A short direct transfer ends at an aligned point except at the end of the file.
    if (done % DIRECT_ALIGN !== 0 && done < len) break;
  }
  return done;
}

/**
 * Writes a new file sequentially with `O_DIRECT` through two aligned buffers: one is filled
 * while the other is being written. A chunk passed to `write` is copied before it returns.
 */
export class DirectFileWriter {
  readonly #c: Libc;
  #fd: number;
  readonly #bufs = [alignedBuffer(WRITE_BLOCK_BYTES), alignedBuffer(WRITE_BLOCK_BYTES)];
  #cur = 0;
  #len = 0;
  /** File offset of the current buffer's first byte. */
  #offset = 0;
  #pending: Promise<unknown> | null = null;

  private constructor(c: Libc, fd: number) {
    this.#c = c;
    this.#fd = fd;
  }

  /**
   * Create `path` (which must not exist) for direct writing; null when direct I/O is not
   * available or the filesystem refuses it (nothing is left behind then).
   */
  static create(path: string): DirectFileWriter | null {
    const c = load();
    if (!c) return null;
    const fd = openDirect(c, path, O_WRONLY | O_CREAT | O_EXCL, true);
    return fd === null ? null : new DirectFileWriter(c, fd);
  }

  /** Bytes written so far (buffered included). */
  get size(): number {
    return this.#offset + this.#len;
  }

  /** Append `chunk` (copied before this returns). */
  async write(chunk: Uint8Array): Promise<void> {
    let off = 0;
    while (off < chunk.length) {
      const buf = this.#bufs[this.#cur];
      const n = Math.min(buf.length - this.#len, chunk.length - off);
      buf.set(chunk.subarray(off, off + n), this.#len);
      this.#len += n;
      off += n;
      if (this.#len === buf.length) await this.#flushBlock();
    }
  }

  /** `len` bytes of `buf` at file offset `at`, all of them or an error. */
  async #writeAt(buf: Uint8Array, len: number, at: number): Promise<void> {
    const n = await transfer(this.#c, "pwrite", this.#fd, buf, len, at);
    if (n !== len) throw new Error(`Writing the file failed: ${n} of ${len} bytes written`);
  }

  /** Write the full current buffer once the previous write is done, then switch buffers. */
  async #flushBlock(): Promise<void> {
    await this.#pending;
    const p = this.#writeAt(this.#bufs[this.#cur], this.#len, this.#offset);
    p.catch(() => {}); // observed by the next await of #pending
    this.#pending = p;
    this.#offset += this.#len;
    this.#cur ^= 1;
    this.#len = 0;
  }

  /**
   * Write what is buffered (the last block padded, the file then truncated to its size), sync
   * data and size to the device when `sync`, and close. Returns the file size.
   */
  async finish(opts: { sync: boolean }): Promise<number> {
    const c = this.#c, fd = this.#fd;
    await this.#pending;
    const size = this.size;
    if (this.#len > 0) {
      const buf = this.#bufs[this.#cur];
      const padded = Math.ceil(this.#len / DIRECT_ALIGN) * DIRECT_ALIGN;
      buf.fill(0, this.#len, padded);
      await this.#writeAt(buf, padded, this.#offset);
      if (c.ftruncate(fd, BigInt(size)) !== 0) throw lastError(c, "Truncating the file failed");
    }
    if (opts.sync && (await c.fdatasync(fd)) !== 0 && c.fdatasyncSync(fd) !== 0) {
      throw lastError(c, "Syncing the file failed");
    }
    this.close();
    return size;
  }

  /** Give up: wait for a write in flight (it uses the descriptor), then close. */
  async abort(): Promise<void> {
    await this.#pending?.catch(() => {});
    this.close();
  }

  /** Close the file (after `finish`; the caller removes a partial file). */
  close(): void {
    if (this.#fd >= 0) this.#c.close(this.#fd);
    this.#fd = -1;
  }
}

/**
 * A reader over bytes [start, end) of a file (clamped to its size), read with `O_DIRECT`
 * in aligned blocks, the next block read ahead while the caller works on the current one. Null
 * when direct I/O is not available or the filesystem refuses it, and when the clamped range is
 * shorter than `minBytes` (the caller then reads through the cache).
 */
export async function openDirectRange(
  path: string,
  start: number,
  end: number,
  opts: { minBytes?: number } = {},
): Promise<RangeReader | null> {
  const c = load();
  if (!c) return null;
  const total = (await Deno.stat(path)).size;
  end = Math.min(end, total);
  start = Math.min(Math.max(0, start), end);
  if (end - start < (opts.minBytes ?? 0)) return null;
  const fd = openDirect(c, path, O_RDONLY, false);
  if (fd === null) return null;
  const bufs = [alignedBuffer(READ_BLOCK_BYTES), alignedBuffer(READ_BLOCK_BYTES)];
  /** File offset of the next block to read (aligned). */
  let next = Math.floor(start / DIRECT_ALIGN) * DIRECT_ALIGN;
  /** Bytes of the first block before `start`. */
  let skip = start - next;
  let which = 0;
  let ahead: Promise<{ buf: Uint8Array; n: number; at: number }> | null = null;
  let cur: Uint8Array | null = null;
  let closed = false;
  const readBlock = () => {
    const buf = bufs[which];
    which ^= 1;
    const at = next;
    const len = Math.min(READ_BLOCK_BYTES, Math.ceil((end - at) / DIRECT_ALIGN) * DIRECT_ALIGN);
    next += len;
    const p = transfer(c, "pread", fd, buf, len, at).then((n) => ({ buf, n, at }));
    p.catch(() => {}); // observed when awaited
    return p;
  };
  if (next < end) ahead = readBlock();
  return {
    size: end - start,
    async read(into) {
      // A block is fetched only once the previous one is used up, so the read ahead never
      // lands in the buffer `cur` still points into.
      while (!cur || cur.length === 0) {
        if (closed || !ahead) return null;
        const { buf, n, at } = await ahead;
        const endedEarly = n < Math.min(READ_BLOCK_BYTES, end - at); // the file was cut meanwhile
        ahead = !endedEarly && next < end ? readBlock() : null;
        const valid = Math.min(n, end - at);
        cur = buf.subarray(Math.min(skip, valid), valid);
        skip = 0;
      }
      const k = Math.min(into.length, cur.length);
      into.set(cur.subarray(0, k));
      cur = cur.subarray(k);
      return k;
    },
    close() {
      if (closed) return;
      closed = true;
      // A read in flight still uses its buffer and the descriptor: close after it.
      const inFlight = ahead;
      ahead = null;
      if (inFlight) inFlight.finally(() => c.close(fd)).catch(() => {});
      else c.close(fd);
    },
  };
}
