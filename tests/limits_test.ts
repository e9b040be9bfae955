/**
 * Issue 13 findings 3 and 4: upload idle timeout and concurrency bound, a full disk during an
 * upload (507, nothing left behind), splits with empty windows (422, active split unchanged).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createApp } from "../lib/app.ts";
import { createLogger } from "../lib/api/logging.ts";
import type { Services } from "../lib/services.ts";
import type { BlobStore } from "../lib/storage/blob_store.ts";
import { withTestServices } from "../lib/testing.ts";
import { registerPipelineTasks } from "../lib/pipeline/mod.ts";
import { dotnetBody, dotnetSplitBody, dotnetUpload, generateCsv } from "./ingest_fixtures.ts";

type Handler = (req: Request) => Promise<Response>;
const quiet = createLogger("error");
const enc = new TextEncoder();

async function handlerFor(services: Services): Promise<Handler> {
  registerPipelineTasks(services);
  return (await createApp(services, { logger: quiet })).handler() as Handler;
}

/** A multipart upload whose body is sent in `pieces`, `gapMs` apart; `stallAfter` stops sending. */
function trickleUpload(
  csv: string,
  opts: { pieces: number; gapMs: number; stallAfter?: number },
): { req: Request; close: () => void } {
  const { body, contentType } = dotnetBody(csv);
  const size = Math.ceil(body.length / opts.pieces);
  let i = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ctrl: ReadableStreamDefaultController<Uint8Array> | null = null;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      ctrl = c;
    },
    pull(c) {
      if (opts.stallAfter !== undefined && i >= opts.stallAfter) return new Promise(() => {});
      return new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          const chunk = body.subarray(i * size, (i + 1) * size);
          i++;
          if (chunk.length) c.enqueue(chunk);
          if (i * size >= body.length) c.close();
          resolve();
        }, i === 0 ? 0 : opts.gapMs);
      });
    },
    cancel() {
      clearTimeout(timer);
    },
  }, { highWaterMark: 0 });
  const req = new Request("http://localhost/dataset/store", {
    method: "POST",
    headers: { "content-type": contentType, "content-length": String(body.length) },
    body: stream,
  });
  return {
    req,
    close: () => {
      clearTimeout(timer);
      try {
        ctrl?.error(new Error("test done"));
      } catch { /* already closed */ }
    },
  };
}

async function waitForTask(h: Handler, taskId: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const t = await (await h(new Request(`http://localhost/tasks/${taskId}`))).json();
    if (t.status === "SUCCESS") return;
    assert.notEqual(t.status, "FAILURE", JSON.stringify(t));
    assert.ok(Date.now() < deadline, "task did not finish in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function blobKeys(services: Services, prefix: string): Promise<string[]> {
  return (await services.storage.list(prefix)).map((b) => b.key);
}

async function tmpFiles(dataDir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(join(dataDir, "blobs", ".tmp"))) names.push(e.name);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return names;
}

Deno.test("finding 3: a stalled upload fails with 408 after the idle timeout, nothing kept", () =>
  withTestServices(async (services) => {
    const h = await handlerFor(services);
    const { csv } = generateCsv({ features: 4 });
    const up = trickleUpload(csv, { pieces: 8, gapMs: 10, stallAfter: 3 });
    const t0 = performance.now();
    const res = await h(up.req);
    const ms = performance.now() - t0;
    up.close();
    assert.equal(res.status, 408, await res.clone().text());
    assert.match((await res.json()).detail, /No upload data received for/);
    assert.ok(ms < 5000, `took ${ms} ms`);
    assert.deepEqual(await blobKeys(services, "datasets/"), []);
    assert.deepEqual(await tmpFiles(services.config.dataDir), []);
  }, { uploadIdleTimeoutSeconds: 0.3 }));

Deno.test("finding 3: a slow but moving upload outlasts the idle timeout (it is not a total one)", () =>
  withTestServices(async (services) => {
    const h = await handlerFor(services);
    const { csv } = generateCsv({ features: 4 });
    const up = trickleUpload(csv, { pieces: 8, gapMs: 150 }); // ~1.05 s total, 0.15 s gaps
    const res = await h(up.req);
    assert.equal(res.status, 202, await res.text());
  }, { uploadIdleTimeoutSeconds: 0.4 }));

Deno.test("finding 3: concurrent uploads are bounded: 503 + Retry-After over the limit", () =>
  withTestServices(async (services) => {
    const h = await handlerFor(services);
    const { csv } = generateCsv({ features: 4 });
    const stalled = trickleUpload(csv, { pieces: 8, gapMs: 10, stallAfter: 2 });
    const first = h(stalled.req);
    await new Promise((r) => setTimeout(r, 100));
    const second = await h(dotnetUpload(csv));
    assert.equal(second.status, 503);
    assert.ok(Number(second.headers.get("retry-after")) > 0);
    assert.match((await second.json()).detail, /Too many uploads in progress/);
    stalled.close();
    const firstRes = await first;
    assert.ok(firstRes.status >= 400 && firstRes.status < 500, String(firstRes.status));
    await firstRes.body?.cancel();
    // The slot is free again.
    const third = await h(dotnetUpload(csv));
    assert.equal(third.status, 202, await third.text());
  }, { maxConcurrentUploads: 1 }));

Deno.test("finding 4: a full disk during an upload → 507 with a reason, nothing left behind", () =>
  withTestServices(async (services) => {
    const { csv } = generateCsv({ features: 4 });
    const good = await handlerFor(services);
    const accepted = await good(dotnetUpload(csv));
    assert.equal(accepted.status, 202);
    const acceptedBody = await accepted.clone().json();
    const goodId = acceptedBody.dataset_id;
    await waitForTask(good, acceptedBody.task_id);
    const before = await blobKeys(services, "datasets/");

    // A store whose disk fills up after 4 KiB: the real store writes, then the write fails.
    const real = services.storage;
    const full: BlobStore = Object.assign(Object.create(real), {
      put(key: string, data: ReadableStream<Uint8Array> | Uint8Array, opts?: object) {
        if (data instanceof Uint8Array) return real.put(key, data, opts);
        let written = 0;
        const limited = data.pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, c) {
              written += chunk.length;
              if (written > 4096) {
                throw Object.assign(new Error("No space left on device (os error 28)"), {
                  code: "ENOSPC",
                });
              }
              c.enqueue(chunk);
            },
          }),
        );
        return real.put(key, limited, opts);
      },
    });
    const errors: unknown[] = [];
    const logger = { ...quiet, error: (...a: unknown[]) => void errors.push(a) };
    const h = (await createApp({ ...services, storage: full }, { logger })).handler();
    const big = generateCsv({ features: 30, days: 20 }).csv;
    assert.ok(big.length > 20_000);
    const res = await h(dotnetUpload(big));
    assert.equal(res.status, 507);
    assert.match((await res.json()).detail, /disk is full/);
    assert.deepEqual(await blobKeys(services, "datasets/"), before);
    assert.deepEqual(await tmpFiles(services.config.dataDir), []);
    const active = await (await good(new Request("http://localhost/dataset"))).json();
    assert.equal(active.id, goodId);
    assert.ok(errors.every((e) => JSON.stringify(e).length < 4000));
  }));

Deno.test("finding 4: a split with an empty window → 422 naming it; the active split stays", () =>
  withTestServices(async (services) => {
    const h = await handlerFor(services);
    const res = await h(dotnetUpload(generateCsv({ features: 4, days: 7 }).csv));
    assert.equal(res.status, 202);
    await waitForTask(h, (await res.json()).task_id);
    const split = (days: Parameters<typeof dotnetSplitBody>[0]) =>
      h(
        new Request("http://localhost/process/split-data", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(dotnetSplitBody(days)),
        }),
      );
    const ok = await split({
      train: ["2025-01-01", "2025-01-04"],
      test: ["2025-01-05", "2025-01-05"],
      simulation: ["2025-01-06", "2025-01-07"],
    });
    assert.equal(ok.status, 200, await ok.clone().text());
    const goodSplit = await (await h(new Request("http://localhost/split"))).json();

    const empty = await split({
      train: ["2025-01-01", "2025-01-04"],
      test: ["2025-01-05", "2025-01-05"],
      simulation: ["2026-03-01", "2026-03-02"],
    });
    assert.equal(empty.status, 422);
    const body = await empty.json();
    assert.match(JSON.stringify(body.detail), /simulation window .* holds no rows/);
    const after = await (await h(new Request("http://localhost/split"))).json();
    assert.deepEqual(after, goodSplit);
  }));

Deno.test("finding 3: idle timeout applies to raw text/csv bodies too", () =>
  withTestServices(async (services) => {
    const h = await handlerFor(services);
    let ctrl!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        ctrl = c;
        c.enqueue(enc.encode("Id,Response,synthetic_timestamp,f0\n1,0,2025-01-01 00:00:00,1\n"));
      },
    });
    const res = await h(
      new Request("http://localhost/dataset/store", {
        method: "POST",
        headers: { "content-type": "text/csv" },
        body,
      }),
    );
    try {
      ctrl.close();
    } catch { /* cancelled */ }
    assert.equal(res.status, 408);
    await res.body?.cancel();
  }, { uploadIdleTimeoutSeconds: 0.2 }));
