/**
 * Server-Sent Events from an async iterable (task status pushes, simulation packets).
 *
 * Each value becomes one event: `id: <n>`, optional `event: <name>`, `data: <JSON>`. A comment
 * line (`: keepalive`) goes out every `heartbeatMs` so proxies keep the connection open. When
 * the client disconnects (the body stream is cancelled) or `signal` aborts, the heartbeat stops
 * and the source is told to end: pass the source as a function `(signal) => iterable` so it
 * can stop waiting at once (e.g. `(s) => tasks.watch(id, s)`), which releases the KV watch
 * instead of leaking it until the next change.
 *
 * @example
 * ```ts
 * GET(ctx) {
 *   const id = ctx.params.id;
 *   return sseResponse((signal) => ctx.state.services.tasks.watch(id, signal), {
 *     event: "status",
 *     map: (r) => ({ task_id: r.id, status: r.state, progress: r.progress, result: r.result }),
 *     signal: ctx.req.signal,
 *   });
 * }
 * ```
 *
 * @module
 */

/** Options of `sseResponse`. */
export interface SseOptions<T> {
  /** Event name for every value, or per value (undefined: the default `message` event). */
  event?: string | ((value: T) => string | undefined);
  /** Turn a value into the JSON payload (default: the value itself). */
  map?: (value: T) => unknown;
  /** Event id for a value (default: 1, 2, 3, ...). Lets clients resume with `Last-Event-ID`. */
  id?: (value: T, index: number) => string | number;
  /** Typically the request's signal: ends the stream when the client goes away. */
  signal?: AbortSignal;
  /** Keepalive comment period, default 15000 ms. */
  heartbeatMs?: number;
  /** Client reconnection delay sent as `retry:` first, when given. */
  retryMs?: number;
  /**
   * Extra response headers. They win over the defaults (`cache-control: no-cache, no-transform`,
   * `x-accel-buffering: no`); `content-type` is always `text/event-stream; charset=utf-8`.
   */
  headers?: HeadersInit;
}

const encoder = new TextEncoder();

/** Format one SSE event (exported for tests and for hand-written streams). */
export function formatEvent(data: unknown, opts: { id?: string | number; event?: string } = {}) {
  let out = "";
  if (opts.id !== undefined) out += `id: ${String(opts.id).replace(/[\r\n]/g, "")}\n`;
  if (opts.event) out += `event: ${opts.event.replace(/[\r\n]/g, "")}\n`;
  // JSON.stringify never emits raw newlines, so one data line suffices.
  out += `data: ${JSON.stringify(data ?? null)}\n\n`;
  return out;
}

/** A `text/event-stream` Response streaming `source`. */
export function sseResponse<T>(
  source: AsyncIterable<T> | ((signal: AbortSignal) => AsyncIterable<T>),
  opts: SseOptions<T> = {},
): Response {
  const ctl = new AbortController();
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  let timer: ReturnType<typeof setInterval> | undefined;
  let iterator: AsyncIterator<T> | undefined;
  let finished = false;
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | undefined;

  const finish = (closeStream: boolean) => {
    if (finished) return;
    finished = true;
    clearInterval(timer);
    opts.signal?.removeEventListener("abort", onAbort);
    if (!ctl.signal.aborted) ctl.abort();
    // Ask the source to end; never wait for it (a plain generator may be mid-await).
    iterator?.return?.()?.catch?.(() => {});
    if (closeStream) {
      try {
        controllerRef?.close();
      } catch { /* already closed or cancelled */ }
    }
  };
  const onAbort = () => finish(true);

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controllerRef = controller;
      const send = (text: string) => {
        if (finished) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch { /* stream closed */ }
      };
      if (opts.signal?.aborted) {
        finish(true);
        return;
      }
      opts.signal?.addEventListener("abort", onAbort, { once: true });
      if (opts.retryMs !== undefined) send(`retry: ${Math.round(opts.retryMs)}\n\n`);
      timer = setInterval(() => send(": keepalive\n\n"), heartbeatMs);
      (async () => {
        try {
          const iterable = typeof source === "function" ? source(ctl.signal) : source;
          iterator = iterable[Symbol.asyncIterator]();
          for (let index = 0;; index++) {
            const next = await iterator.next();
            if (next.done || finished) break;
            const value = next.value;
            const event = typeof opts.event === "function" ? opts.event(value) : opts.event;
            const id = opts.id ? opts.id(value, index) : index + 1;
            send(formatEvent(opts.map ? opts.map(value) : value, { id, event }));
          }
        } catch (err) {
          // Tell the client why the stream ended instead of cutting it silently.
          send(formatEvent({ detail: err instanceof Error ? err.message : String(err) }, {
            event: "error",
          }));
        } finally {
          finish(true);
        }
      })();
    },
    cancel() {
      finish(false); // client disconnected
    },
  });

  const headers = new Headers(opts.headers);
  // The content type makes it SSE, so it is fixed; the other defaults yield to the caller's.
  headers.set("content-type", "text/event-stream; charset=utf-8");
  if (!headers.has("cache-control")) headers.set("cache-control", "no-cache, no-transform");
  // nginx: do not buffer the stream.
  if (!headers.has("x-accel-buffering")) headers.set("x-accel-buffering", "no");
  return new Response(body, { headers });
}
