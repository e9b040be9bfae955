/**
 * Web Worker entry of `StreamingProfiler` (profile_stream.ts): runs `profileCsv` over bytes
 * that arrive as the call's streamed inputs while the upload is still being received. Once the
 * scanner has copied a batch (it asks for the next one), the batch's buffer is moved back as
 * progress — the sender's ring and backpressure (profile_stream.ts); the result's sample buffers
 * are transferred.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { profileCsv, type ProfileResult } from "../../data/profile.ts";
import { transferablesOf } from "../../data/worker_client.ts";
import { serveWorker } from "../../worker/protocol.ts";
import type { StreamProfileRequest } from "./profile_stream.ts";

serveWorker<StreamProfileRequest, ProfileResult, Uint8Array, Uint8Array>((opts, io) => {
  const chunks = io.input();
  let taken: Uint8Array | null = null;
  const source = new ReadableStream<Uint8Array>({
    async pull(c) {
      // A pull means the scanner's reader has copied all of the previous batch.
      if (taken) io.progress(taken, [taken.buffer]);
      taken = null;
      const next = await chunks.next();
      if (next.done) return c.close();
      taken = next.value;
      c.enqueue(next.value);
    },
  }, { highWaterMark: 0 });
  return profileCsv(source, opts);
}, {
  transfer: (r) => transferablesOf(r.sample),
  // Below the server thread, like every CPU-bound worker: with the upload written past the page
  // cache (lib/storage/direct_io.ts) this worker and the server thread keep both cores busy, and
  // requests during the upload waited for the CPU: GET /datasets every 100 ms, p50 10–12 ms and
  // p99 95–162 ms at nice 0, p50 4–5 ms and p99 26–40 ms at nice 10 (2.35 GB uploads).
  priority: "background",
});
