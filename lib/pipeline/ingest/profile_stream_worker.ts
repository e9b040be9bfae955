/**
 * Web Worker entry of `StreamingProfiler` (profile_stream.ts): runs `profileCsv` over bytes
 * that arrive by `postMessage` while the upload is still being received.
 *
 * Protocol in: `{type: "start", opts}`, then `{type: "chunk", bytes}` (transferred) …,
 * `{type: "end"}`. Out: `{type: "ack", bytes}` each time the scanner has taken a chunk (the
 * sender's backpressure), then one `{type: "result", value}` (sample buffers transferred) or
 * `{type: "error", error}`.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { profileCsv, type ProfileOptions } from "../../data/profile.ts";
import { transferablesOf } from "../../data/worker_client.ts";

type In =
  | { type: "start"; opts: Omit<ProfileOptions, "onProgress" | "signal"> }
  | { type: "chunk"; bytes: Uint8Array }
  | { type: "end" };

const queue: Uint8Array[] = [];
let ended = false;
let wake: (() => void) | null = null;

const source = new ReadableStream<Uint8Array>({
  async pull(c) {
    while (queue.length === 0 && !ended) await new Promise<void>((r) => (wake = r));
    const next = queue.shift();
    if (next) {
      c.enqueue(next);
      self.postMessage({ type: "ack", bytes: next.byteLength });
    } else c.close();
  },
}, { highWaterMark: 0 });

self.onmessage = (ev: MessageEvent<In>) => {
  const m = ev.data;
  if (m.type === "chunk") queue.push(m.bytes);
  else if (m.type === "end") ended = true;
  else if (m.type === "start") void run(m.opts);
  const w = wake;
  wake = null;
  w?.();
};

async function run(opts: Omit<ProfileOptions, "onProgress" | "signal">): Promise<void> {
  try {
    const r = await profileCsv(source, opts);
    self.postMessage({ type: "result", value: r }, transferablesOf(r.sample));
  } catch (err) {
    const e = err as Error & { line?: number; column?: string };
    self.postMessage({
      type: "error",
      error: {
        name: e?.name ?? "Error",
        message: e?.message ?? String(err),
        line: e?.line ?? null,
        column: e?.column ?? null,
      },
    });
  }
}
