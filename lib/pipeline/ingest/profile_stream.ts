/**
 * Profile an upload WHILE it is being received: the bytes going to `BlobStore.put` are also
 * fed to a worker running `profileCsv`, so the validation pass overlaps the network read and
 * the disk write instead of re-reading the stored file afterwards. On two cores this turns
 * `upload + profile` into about `max(upload, profile)`.
 *
 * Backpressure and memory: the bytes travel in a ring of `RING_BUFFERS` buffers of
 * `BATCH_BYTES`, moved (transferred) to the worker when full and moved back once its scanner has
 * copied them, so at most `MAX_INFLIGHT_BYTES` wait in the worker and nothing is allocated per
 * batch; when no buffer is free the upload stream waits. Memory stays flat whatever the file
 * size (a plain `ReadableStream.tee()` would buffer the faster branch without bound, and fresh
 * buffers per batch would leave the worker's collector megabytes of garbage to catch up with).
 *
 * A validation error found mid-upload does not cut the upload short (the client keeps sending
 * and gets its 422 once the body is read, which HTTP clients handle far better than a reset);
 * the worker simply stops being fed. A worker failure of any other kind is reported as such so
 * the caller can fall back to profiling the stored file.
 *
 * @example
 * ```ts
 * const profiler = new StreamingProfiler({ seed: 42 });
 * await profiler.wrapStore(storage).put(key, csvStream);
 * const { profile, sample } = await profiler.finish();
 * ```
 *
 * @module
 */
import type { BlobStore } from "../../storage/blob_store.ts";
import type { ProfileOptions, ProfileResult } from "../../data/profile.ts";
import { reviveDataError } from "../../data/worker_client.ts";
import { type StreamCall, WorkerClient } from "../../worker/mod.ts";

/** Size of the batches posted to the worker. */
const BATCH_BYTES = 1 << 20;

/**
 * Buffers in the ring: one being filled, one being scanned, two queued — enough to keep the
 * scanner (which reads one batch at a time here, `chunkSize = BATCH_BYTES`) fed.
 */
const RING_BUFFERS = 4;

/** Bytes handed to the worker and not yet taken by its scanner, at most, before the upload waits. */
export const MAX_INFLIGHT_BYTES = (RING_BUFFERS - 1) * BATCH_BYTES;

/** The worker ended for a reason other than the CSV content (crash, startup failure). */
export class ProfilerFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProfilerFailure";
  }
}

/** What the profile worker is started with (`profile_stream_worker.ts`). */
export type StreamProfileRequest = Omit<ProfileOptions, "onProgress" | "signal">;

/** One upload's streaming profile. Create one per upload; `finish` or `abort` it. */
export class StreamingProfiler {
  #client: WorkerClient | null = null;
  #call: StreamCall<Uint8Array, ProfileResult> | null = null;
  /** Ring buffers back from the worker, ready to be filled. */
  #free: Uint8Array[] = [];
  /** Ring buffers allocated so far (at most `RING_BUFFERS`). */
  #allocated = 1;
  #waiters: (() => void)[] = [];
  #done = false;
  #result: Promise<ProfileResult>;
  #resolve!: (r: ProfileResult) => void;
  #reject!: (e: unknown) => void;
  #fed = 0;
  readonly #batchBytes: number;
  #stage: Uint8Array | null;
  #stageLen = 0;

  /**
   * @param opts what the profile pass is run with
   * @param batchBytes size of the ring's buffers (tests make it small to cycle the ring)
   */
  constructor(readonly opts: StreamProfileRequest = {}, batchBytes = BATCH_BYTES) {
    this.#batchBytes = batchBytes;
    this.#stage = new Uint8Array(batchBytes);
    this.#result = new Promise<ProfileResult>((res, rej) => {
      this.#resolve = res;
      this.#reject = rej;
    });
    this.#result.catch(() => {}); // observed through finish()
  }

  /** Bytes fed so far. */
  get bytesFed(): number {
    return this.#fed;
  }

  #start(): StreamCall<Uint8Array, ProfileResult> {
    if (this.#call) return this.#call;
    this.#client = WorkerClient.spawn(new URL("./profile_stream_worker.ts", import.meta.url), {
      name: "profile-stream",
      // A CsvValidationError keeps its line and column; anything else is the worker's failure.
      reviveError: (info) =>
        reviveDataError(info) ?? new ProfilerFailure(`Profile worker failed: ${info.message}`),
    });
    this.#call = this.#client.stream<StreamProfileRequest, Uint8Array, ProfileResult, Uint8Array>(
      // The scanner's buffer at the batch size (not its 8 MiB default): less memory held.
      { chunkSize: Math.max(this.#batchBytes, 1 << 20), ...this.opts },
      {
        // Progress = a buffer the scanner has copied, moved back for reuse.
        onProgress: (consumed) => {
          this.#free.push(new Uint8Array(consumed.buffer));
          this.#release();
        },
      },
    );
    this.#call.result.then(
      (value) => this.#settle(() => this.#resolve(value)),
      (err) =>
        this.#settle(() =>
          this.#reject(
            err instanceof Error && err.name === "WorkerError"
              ? new ProfilerFailure(`Profile worker crashed: ${err.message}`)
              : err,
          )
        ),
    );
    return this.#call;
  }

  #release(): void {
    const ws = this.#waiters;
    this.#waiters = [];
    for (const r of ws) r();
  }

  #settle(fn: () => void): void {
    if (this.#done) return;
    this.#done = true;
    this.#client?.terminate();
    this.#release();
    fn();
  }

  /**
   * Feed a chunk. It is copied into the current ring buffer (the caller keeps using the chunk),
   * which is moved to the worker once full: network chunks are small, and one message per batch
   * keeps the per-message cost negligible. Waits while every ring buffer is with the worker.
   */
  async push(chunk: Uint8Array): Promise<void> {
    if (this.#done || chunk.byteLength === 0) return;
    this.#fed += chunk.byteLength;
    let off = 0;
    while (off < chunk.byteLength) {
      if (!this.#stage) {
        const free = await this.#nextBuffer();
        if (!free) return;
        this.#stage = free;
      }
      const n = Math.min(this.#batchBytes - this.#stageLen, chunk.byteLength - off);
      this.#stage.set(chunk.subarray(off, off + n), this.#stageLen);
      this.#stageLen += n;
      off += n;
      if (this.#stageLen === this.#batchBytes) this.#flush();
    }
  }

  /**
   * A free ring buffer: one handed back, a new one while fewer than the ring exist, or wait;
   * null once the profiler has finished (nothing more is fed).
   */
  async #nextBuffer(): Promise<Uint8Array | null> {
    for (;;) {
      if (this.#done) return null;
      const b = this.#free.pop();
      if (b) return b;
      if (this.#allocated < RING_BUFFERS) {
        this.#allocated++;
        return new Uint8Array(this.#batchBytes);
      }
      await new Promise<void>((r) => this.#waiters.push(r));
    }
  }

  #flush(): void {
    const stage = this.#stage;
    if (!stage || this.#stageLen === 0 || this.#done) return;
    const call = this.#start();
    // A partial last batch travels as a view: the whole buffer moves, the view says how much.
    call.send(stage.subarray(0, this.#stageLen), [stage.buffer]);
    this.#stage = null;
    this.#stageLen = 0;
  }

  /** The input is complete. */
  end(): void {
    if (this.#done) return;
    this.#flush();
    this.#start().end();
  }

  /** Stop the worker (upload failed); `finish` then rejects. Idempotent. */
  abort(reason = "The upload did not complete."): void {
    this.#settle(() => this.#reject(new ProfilerFailure(reason)));
  }

  /** The profile, once `end` was called and the worker finished. */
  finish(): Promise<ProfileResult> {
    if (!this.#call && !this.#done) {
      this.abort("No data was received.");
    }
    return this.#result;
  }

  /**
   * A view of `store` whose `put` also feeds this profiler (every other method is the store's).
   * Only the first `put` is profiled.
   */
  wrapStore(store: BlobStore): BlobStore {
    let used = false;
    const put: BlobStore["put"] = (key, body, opts) => {
      if (used || body instanceof Uint8Array) return store.put(key, body, opts);
      used = true;
      const reader = body.getReader();
      const piped = new ReadableStream<Uint8Array>({
        pull: async (c) => {
          const r = await reader.read();
          if (r.done) {
            this.end();
            c.close();
            return;
          }
          await this.push(r.value);
          c.enqueue(r.value);
        },
        cancel: (reason) => {
          this.abort();
          return reader.cancel(reason);
        },
      }, { highWaterMark: 0 });
      return store.put(key, piped, opts);
    };
    return {
      put,
      get: (k, range) => store.get(k, range),
      getBytes: (k, o) => store.getBytes(k, o),
      stat: (k) => store.stat(k),
      list: (p) => store.list(p),
      delete: (k) => store.delete(k),
      deletePrefix: (p) => store.deletePrefix(p),
      localPath: (k) => store.localPath(k),
    };
  }
}
