/**
 * Worker side of `bench/load.ts`: the load clients (status pollers and SSE subscribers), in
 * their own thread so the server's event loop in the main thread is measured alone.
 *
 * @module
 */
/// <reference lib="deno.worker" />

interface Start {
  base: string;
  taskId: string;
  pollers: number;
  hz: number;
  subscribers: number;
  maxMs: number;
}

self.onmessage = async (e: MessageEvent<Start>) => {
  const { base, taskId, pollers, hz, subscribers, maxMs } = e.data;
  const latencies: number[] = [];
  /** First request of each poller (opens its connection): reported apart. */
  const firstLatencies: number[] = [];
  let errors = 0;
  let events = 0;
  let sseOpen = 0;
  const errorSamples: string[] = [];
  const stop = new AbortController();
  const deadline = setTimeout(() => stop.abort(), maxMs);
  const note = (m: string) => {
    errors++;
    if (errorSamples.length < 5) errorSamples.push(m);
  };

  const subs = Array.from({ length: subscribers }, async () => {
    try {
      const res = await fetch(`${base}/tasks/${taskId}/events`, { signal: stop.signal });
      if (res.status !== 200) return note(`sse ${res.status}`);
      sseOpen++;
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        events += (value.match(/^event: task$/gm) ?? []).length;
      }
    } catch (err) {
      if (!stop.signal.aborted) note(`sse ${err}`);
    }
  });

  let final = false;
  const polls = Array.from({ length: pollers }, async (_, i) => {
    await new Promise((r) => setTimeout(r, (i * 1000) / hz / pollers)); // spread the phases
    let first = true;
    while (!final && !stop.signal.aborted) {
      const t0 = performance.now();
      try {
        const res = await fetch(`${base}/process/train/status/${taskId}`, { signal: stop.signal });
        const body = await res.json();
        (first ? firstLatencies : latencies).push(performance.now() - t0);
        first = false;
        if (res.status !== 200) note(`status ${res.status}`);
        if (["SUCCESS", "FAILURE", "REVOKED"].includes(body.status)) final = true;
      } catch (err) {
        if (!stop.signal.aborted) note(`poll ${err}`);
      }
      const wait = 1000 / hz - (performance.now() - t0);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  });
  await Promise.all(polls);
  stop.abort();
  clearTimeout(deadline);
  await Promise.all(subs);
  self.postMessage({ latencies, firstLatencies, errors, errorSamples, events, sseOpen, final });
};
