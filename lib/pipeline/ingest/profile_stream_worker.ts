/**
 * Web Worker entry of `StreamingProfiler` (profile_stream.ts): runs `profileCsv` over bytes
 * that arrive as the call's streamed inputs while the upload is still being received. Each time
 * the scanner takes a chunk it reports the chunk's size as progress (the sender's backpressure);
 * the result's sample buffers are transferred.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { profileCsv, type ProfileResult } from "../../data/profile.ts";
import { transferablesOf } from "../../data/worker_client.ts";
import { serveWorker } from "../../worker/protocol.ts";
import type { StreamProfileRequest } from "./profile_stream.ts";

serveWorker<StreamProfileRequest, ProfileResult, number, Uint8Array>((opts, io) => {
  const chunks = io.input();
  const source = new ReadableStream<Uint8Array>({
    async pull(c) {
      const next = await chunks.next();
      if (next.done) return c.close();
      c.enqueue(next.value);
      io.progress(next.value.byteLength);
    },
  }, { highWaterMark: 0 });
  return profileCsv(source, opts);
}, { transfer: (r) => transferablesOf(r.sample) });
