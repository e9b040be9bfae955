import assert from "node:assert/strict";
import { runInWorker, WorkerError, WorkerTimeoutError } from "./run_in_worker.ts";
import { FieldError, type TestRequest } from "./testdata/test_worker.ts";

const WORKER = new URL("./testdata/test_worker.ts", import.meta.url);

Deno.test("runInWorker: result and progress", async () => {
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

Deno.test("runInWorker: a thrown error becomes a rejected promise with the message", async () => {
  await assert.rejects(
    () => runInWorker(WORKER, { mode: "throw", message: "bad column" } satisfies TestRequest),
    (err) => err instanceof WorkerError && err.message === "bad column",
  );
});

Deno.test("runInWorker: an uncaught worker error event becomes a rejection", async () => {
  await assert.rejects(
    () => runInWorker(WORKER, { mode: "uncaught", message: "boom later" } satisfies TestRequest),
    (err) => err instanceof WorkerError && /boom later/.test(err.message),
  );
});

Deno.test("runInWorker: a silent worker is terminated after hangTimeoutMs", async () => {
  const t0 = performance.now();
  await assert.rejects(
    () => runInWorker(WORKER, { mode: "hang" } satisfies TestRequest, { hangTimeoutMs: 300 }),
    WorkerTimeoutError,
  );
  assert.ok(performance.now() - t0 >= 290);
});

Deno.test("runInWorker: abort terminates a busy worker and rejects with the reason", async () => {
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

Deno.test("runInWorker: an error's name and plain fields cross; reviveError rebuilds it", async () => {
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
