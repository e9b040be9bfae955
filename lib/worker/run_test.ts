import assert from "node:assert/strict";
import { runInWorker } from "./run.ts";
import { WorkerClient, WorkerError, WorkerTimeoutError } from "./client.ts";
import { startWorkerHost, stopWorkerHost } from "./host.ts";
import { FieldError, type TestRequest } from "./testdata/test_worker.ts";

const WORKER = new URL("./testdata/test_worker.ts", import.meta.url);

/**
 * Each test runs twice: workers created by this thread, and through a worker host (`host.ts`,
 * as the server does on its main thread): the guarantees must not depend on who creates them.
 */
function test(name: string, fn: () => Promise<void>): void {
  Deno.test(name, fn);
  Deno.test(`${name} (worker host)`, async () => {
    startWorkerHost();
    try {
      await fn();
    } finally {
      stopWorkerHost();
    }
  });
}

test("runInWorker: result and progress", async () => {
  const progress: number[] = [];
  const res = await runInWorker<TestRequest, { spins: number }, { elapsed: number }>(
    WORKER,
    { mode: "busy", ms: 350 },
    { onProgress: (p) => void progress.push(p.elapsed) },
  );
  assert.ok(res.spins > 0);
  assert.ok(progress.length >= 2, `progress messages: ${progress}`);
  const bytes = await runInWorker<TestRequest, Uint8Array>(WORKER, { mode: "bytes", n: 1000 });
  assert.equal(bytes.length, 1000);
  assert.equal(bytes[999], 7);
});

test("runInWorker: a thrown error becomes a rejected promise with the message", async () => {
  await assert.rejects(
    () => runInWorker(WORKER, { mode: "throw", message: "bad column" } satisfies TestRequest),
    (err) => err instanceof WorkerError && err.message === "bad column",
  );
});

test("runInWorker: an uncaught worker error event becomes a rejection", async () => {
  await assert.rejects(
    () => runInWorker(WORKER, { mode: "uncaught", message: "boom later" } satisfies TestRequest),
    (err) => err instanceof WorkerError && /boom later/.test(err.message),
  );
});

test("runInWorker: a silent worker is terminated after hangTimeoutMs", async () => {
  const t0 = performance.now();
  await assert.rejects(
    () => runInWorker(WORKER, { mode: "hang" } satisfies TestRequest, { hangTimeoutMs: 300 }),
    WorkerTimeoutError,
  );
  assert.ok(performance.now() - t0 >= 290);
});

test("runInWorker: abort terminates a busy worker and rejects with the reason", async () => {
  const ctl = new AbortController();
  const t0 = performance.now();
  setTimeout(() => ctl.abort(new Error("stop please")), 100);
  await assert.rejects(
    () =>
      runInWorker(WORKER, { mode: "busy", ms: 10_000 } satisfies TestRequest, {
        signal: ctl.signal,
      }),
    /stop please/,
  );
  assert.ok(performance.now() - t0 < 5000);
  // Already aborted: no worker is even created.
  await assert.rejects(
    () => runInWorker(WORKER, { mode: "hang" }, { signal: ctl.signal }),
    /stop please/,
  );
});

test("runInWorker: an error's name and plain fields cross; reviveError rebuilds it", async () => {
  const req: TestRequest = { mode: "typed", line: 31 };
  await assert.rejects(
    () => runInWorker(WORKER, req),
    (err) =>
      err instanceof WorkerError && err.info?.name === "FieldError" &&
      err.info.data.line === 31 && err.info.data.column === "Id" && err.info.data.status === 422,
  );
  await assert.rejects(
    () =>
      runInWorker(WORKER, req, {
        reviveError: (e) =>
          e.name === "FieldError"
            ? new FieldError(e.message, e.data.line as number, e.data.column as string | null)
            : undefined,
      }),
    (err) =>
      err instanceof FieldError && err.line === 31 && err.column === "Id" &&
      err.message === "bad value at line 31",
  );
  // A reviver that declines leaves the default WorkerError.
  await assert.rejects(
    () => runInWorker(WORKER, req, { reviveError: () => undefined }),
    WorkerError,
  );
});

test("WorkerClient: one worker serves several calls; a late call after terminate rejects", async () => {
  const client = WorkerClient.spawn(WORKER, { name: "session" });
  const values = await Promise.all(
    [1, 2, 3].map((value) => client.call<TestRequest, number>({ mode: "echo", value })),
  );
  assert.deepEqual(values, [1, 2, 3]);
  client.terminate(new Error("released"));
  await assert.rejects(() => client.call({ mode: "echo", value: 4 }), /released/);
  assert.equal(Atomics.load(client.cancelFlag, 0), 1);
});

test("WorkerClient: a streamed call gets its inputs in order and acknowledges them", async () => {
  const client = WorkerClient.spawn(WORKER);
  try {
    const acks: number[] = [];
    const call = client.stream<TestRequest, number, number, number>({ mode: "sum-input" }, {
      onProgress: (x) => void acks.push(x),
    });
    for (let i = 1; i <= 5; i++) call.send(i);
    call.end();
    assert.equal(await call.result, 15);
    assert.deepEqual(acks, [1, 2, 3, 4, 5]);
  } finally {
    client.terminate();
  }
});

test("WorkerClient: terminate reaches a nested worker through the shared cancel flag", async () => {
  const seen = new Int32Array(new SharedArrayBuffer(8));
  const client = WorkerClient.spawn(WORKER);
  const call = client.call({ mode: "nested", seen: seen.buffer as SharedArrayBuffer });
  call.catch(() => {});
  const deadline = Date.now() + 10_000;
  while (Atomics.load(seen, 1) === 0) {
    assert.ok(Date.now() < deadline, "the nested worker did not start");
    await new Promise((r) => setTimeout(r, 10));
  }
  client.terminate();
  await assert.rejects(() => call, WorkerError);
  while (Atomics.load(seen, 0) === 0) {
    assert.ok(Date.now() < deadline, "the nested worker did not see the cancel flag");
    await new Promise((r) => setTimeout(r, 10));
  }
});

test("WorkerClient: a nested worker stops with its parent, cancel flag or not", async () => {
  const ticks = new Int32Array(new SharedArrayBuffer(8));
  const client = WorkerClient.spawn(WORKER);
  await client.call({ mode: "nested-spin", ticks: ticks.buffer as SharedArrayBuffer });
  const deadline = Date.now() + 10_000;
  while (Atomics.load(ticks, 0) === 0) {
    assert.ok(Date.now() < deadline, "the nested worker did not start");
    await new Promise((r) => setTimeout(r, 10));
  }
  client.terminate();
  // Ticks stop moving once the child is gone (allow the termination a moment to land).
  let last = -1;
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    const now = Atomics.load(ticks, 0);
    if (now === last) break;
    assert.ok(Date.now() < deadline, "the nested worker outlived its parent");
    last = now;
  }
});

test("WorkerClient: a throwing onProgress rejects that call only", async () => {
  const client = WorkerClient.spawn(WORKER);
  try {
    await assert.rejects(
      () =>
        client.call<TestRequest, unknown, unknown>({ mode: "busy", ms: 400 }, {
          onProgress: () => {
            throw new Error("callback failed");
          },
        }),
      /callback failed/,
    );
    assert.equal(await client.call<TestRequest, number>({ mode: "echo", value: 9 }), 9);
  } finally {
    client.terminate();
  }
});

test("runInWorker: a worker module that cannot be loaded rejects the call", async () => {
  await assert.rejects(
    () => runInWorker(new URL("./testdata/no_such_worker.ts", import.meta.url), {}),
    WorkerError,
  );
});

Deno.test("WorkerClient: a worker the host started starts its own workers through the host", async () => {
  startWorkerHost();
  try {
    const client = WorkerClient.spawn(WORKER);
    try {
      // Pooled workers are all named "worker-pool"; one started directly keeps its name.
      assert.equal(await client.call<TestRequest, string>({ mode: "nested-name" }), "worker-pool");
    } finally {
      client.terminate();
    }
  } finally {
    stopWorkerHost();
  }
  const direct = WorkerClient.spawn(WORKER);
  try {
    assert.equal(await direct.call<TestRequest, string>({ mode: "nested-name" }), "child");
  } finally {
    direct.terminate();
  }
});

Deno.test("WorkerClient: stopping the worker host rejects the calls of the workers it started", async () => {
  startWorkerHost();
  try {
    const client = WorkerClient.spawn(WORKER);
    const call = client.call({ mode: "hang" } satisfies TestRequest);
    call.catch(() => {});
    assert.equal(await client.call<TestRequest, number>({ mode: "echo", value: 5 }), 5);
    stopWorkerHost();
    await assert.rejects(
      () => call,
      (err) => err instanceof WorkerError && /closed/.test(err.message),
    );
    assert.notEqual(client.failure, null);
  } finally {
    stopWorkerHost();
  }
});

Deno.test("WorkerHost.whenWarm: true once the pool has started, false after the host stopped", async () => {
  const host = startWorkerHost();
  try {
    assert.equal(await host.whenWarm(30_000), true);
    // Adopting a started worker is now a message, not a start-up.
    const client = WorkerClient.spawn(WORKER);
    try {
      assert.equal(await client.call<TestRequest, number>({ mode: "echo", value: 3 }), 3);
    } finally {
      client.terminate();
    }
  } finally {
    stopWorkerHost();
  }
  assert.equal(await host.whenWarm(30_000), false);
  const never = startWorkerHost();
  try {
    // A bound shorter than any start-up: the caller goes on without the pool.
    assert.equal(await never.whenWarm(0), false);
  } finally {
    stopWorkerHost();
  }
});
