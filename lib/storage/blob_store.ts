/**
 * Blob storage: the interface every backend implements (local files now, an S3-compatible
 * object store later). Keys are relative, slash-separated (`datasets/<id>/source.csv`); they never
 * contain `..`, empty segments, backslashes or a leading slash (see `assertValidKey`).
 *
 * @module
 */

/** What `stat` and `list` tell about a stored blob. */
export interface BlobInfo {
  key: string;
  size: number;
  /** Last modification time, ms since the epoch. */
  mtime: number;
}

/**
 * A blob being written in place by other threads (`BlobStore.stage`): a temporary local file
 * of a fixed size, published under its key by `commit` (synced, then renamed), or removed by
 * `discard`.
 */
export interface StagedBlob {
  readonly path: string;
  commit(): Promise<void>;
  discard(): Promise<void>;
}

/** A blob store. Writes are atomic: a blob is visible only once completely written. */
export interface BlobStore {
  /**
   * Write a blob from a stream. The data goes to a temporary name and is renamed to `key` only
   * when the stream ends without error; on error or abort nothing is left behind.
   * Resolves with the number of bytes written.
   *
   * `uncached`: a hint that the blob is large and read at most a few times, by scans (an
   * upload); a store on a local disk may then write it past the OS page cache.
   */
  put(
    key: string,
    body: ReadableStream<Uint8Array> | Uint8Array,
    opts?: { signal?: AbortSignal; uncached?: boolean },
  ): Promise<number>;
  /** Read a blob as a stream (optionally a byte range [start, end) ). Throws `BlobNotFoundError`. */
  get(key: string, range?: { start?: number; end?: number }): Promise<ReadableStream<Uint8Array>>;
  /**
   * Read a whole blob into memory (for small blobs: JSON, models, samples). Throws
   * `BlobNotFoundError`. `shared`: the bytes are in a SharedArrayBuffer, so workers can read
   * them without a copy.
   */
  getBytes(key: string, opts?: { shared?: boolean }): Promise<Uint8Array>;
  /** Size and mtime, or null when absent. */
  stat(key: string): Promise<BlobInfo | null>;
  /** Blobs whose key starts with `prefix`, sorted by key. */
  list(prefix: string): Promise<BlobInfo[]>;
  /** Delete one blob (no error when absent). */
  delete(key: string): Promise<void>;
  /** Delete every blob under a prefix (`datasets/<id>/`). */
  deletePrefix(prefix: string): Promise<void>;
  /**
   * A local filesystem path for the blob when the backend has one (local store), else null.
   * Lets CPU-heavy workers read files directly with `Deno.open`.
   */
  localPath(key: string): string | null;
  /**
   * Local stores only (absent elsewhere): a zero-filled temporary file of `size` bytes that
   * workers write at offsets, to be published as `key` — e.g. a column table whose parts are
   * written by the scanning workers without passing through this thread.
   */
  stage?(key: string, size: number): Promise<StagedBlob>;
}
