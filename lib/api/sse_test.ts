import assert from "node:assert/strict";
import { withTestServices } from "../testing.ts";
import { formatEvent, sseResponse } from "./sse.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function* values<T>(items: T[], delayMs = 0): AsyncGenerator<T> {
  for (const v of items) {
    if (delayMs) await sleep(delayMs);
    yield v;
  }
}

Deno.test("sse: events have id, event and one JSON data line; the stream ends with the source", async () => {
  const res = sseResponse(values([{ a: 1 }, { a: 2 }, { b: "x\ny" }]), {
    event: "status",
    map: (v) => ({ ...v, mapped: true }),
  });
  assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
  assert.equal(res.headers.get("cache-control"), "no-cache, no-transform");
  const text = await res.text();
  assert.equal(
    text,
    'id: 1\nevent: status\ndata: {"a":1,"mapped":true}\n\n' +
      'id: 2\nevent: status\ndata: {"a":2,"mapped":true}\n\n' +
      'id: 3\nevent: status\ndata: {"b":"x\\ny","mapped":true}\n\n',
  );
});

Deno.test("sse: custom ids, per-value events, retry and keepalive comments", async () => {
  const res = sseResponse(values([1, 2], 60), {
    id: (v) => `row-${v}`,
    event: (v) => (v === 2 ? "end" : undefined),
    heartbeatMs: 20,
    retryMs: 1500,
  });
  const text = await res.text();
  assert.ok(text.startsWith("retry: 1500\n\n"), text);
  assert.match(text, /: keepalive\n\n/);
  assert.match(text, /id: row-1\ndata: 1\n\n/);
  assert.match(text, /id: row-2\nevent: end\ndata: 2\n\n/);
});

Deno.test("sse: a failing source ends with an error event", async () => {
  async function* failing() {
    yield { ok: 1 };
    throw new Error("KV went away");
  }
  const text = await sseResponse(failing()).text();
  assert.equal(
    text,
    'id: 1\ndata: {"ok":1}\n\nevent: error\ndata: {"detail":"KV went away"}\n\n',
  );
});

Deno.test("sse: client disconnect ends the source and the heartbeat (no leaks)", async () => {
  let cleanedUp = false;
  const res = sseResponse((signal) =>
    (async function* () {
      try {
        for (let i = 0;; i++) {
          // Waits are abortable, like the task watch.
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, 10);
            signal.addEventListener("abort", () => {
              clearTimeout(t);
              resolve();
            }, { once: true });
          });
          if (signal.aborted) return;
          yield i;
        }
      } finally {
        cleanedUp = true;
      }
    })(), { heartbeatMs: 5 });
  const reader = res.body!.getReader();
  let got = "";
  const deadline = Date.now() + 10_000;
  while (!got.includes("data: 0")) {
    assert.ok(Date.now() < deadline, "no first event within 10 s");
    const { done, value } = await reader.read();
    assert.ok(!done, "the stream ended before its first event");
    got += new TextDecoder().decode(value);
  }
  await reader.cancel();
  await sleep(30);
  assert.equal(cleanedUp, true);
});

Deno.test("sse: an aborted request signal closes the stream", async () => {
  const ctl = new AbortController();
  const res = sseResponse((signal) =>
    (async function* () {
      yield "hello";
      await new Promise((r) => signal.addEventListener("abort", r, { once: true }));
    })(), { signal: ctl.signal });
  setTimeout(() => ctl.abort(), 30);
  assert.equal(await res.text(), 'id: 1\ndata: "hello"\n\n');
  // Already-aborted: an empty stream.
  assert.equal(await sseResponse(values([1]), { signal: ctl.signal }).text(), "");
});

Deno.test("sse: streams a task's status until it is final", () =>
  withTestServices(async ({ tasks }) => {
    tasks.register({
      kind: "sse-demo",
      async run(ctx) {
        await sleep(20);
        await ctx.progress({ status: "Training XGBoost model..." });
        await sleep(20);
        return { done: true };
      },
    });
    const rec = await tasks.submit("sse-demo", {});
    const res = sseResponse((signal) => tasks.watch(rec.id, signal), {
      event: "status",
      map: (r) => ({ task_id: r.id, status: r.state, progress: r.progress, result: r.result }),
    });
    const events = (await res.text()).trim().split("\n\n").map((block) => {
      const data = block.split("\n").find((l) => l.startsWith("data: "))!;
      return JSON.parse(data.slice(6));
    });
    assert.equal(events.at(-1).status, "SUCCESS");
    assert.deepEqual(events.at(-1).result, { done: true });
    assert.ok(events.some((e) => e.status === "PROGRESS"));
    assert.ok(events.every((e) => e.task_id === rec.id));
  }));

Deno.test("sse: formatEvent strips newlines from id and event", () => {
  assert.equal(
    formatEvent(null, { id: "a\nb", event: "x\ry" }),
    "id: ab\nevent: xy\ndata: null\n\n",
  );
});

Deno.test("sse: caller headers win over the defaults, content type stays event-stream", async () => {
  const res = sseResponse(values([1]), {
    headers: { "cache-control": "private, max-age=0", "content-type": "text/plain", "x-a": "b" },
  });
  assert.equal(res.headers.get("cache-control"), "private, max-age=0");
  assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
  assert.equal(res.headers.get("x-accel-buffering"), "no");
  assert.equal(res.headers.get("x-a"), "b");
  await res.body!.cancel();
});
