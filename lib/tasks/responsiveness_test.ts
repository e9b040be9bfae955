/**
 * The HTTP side must stay responsive while CPU-heavy work runs: the work goes to a Web Worker,
 * so status reads on the main thread are not blocked. Prints latency figures; asserts only a
 * loose sanity bound (timed assertions are for benchmarks).
 */
import assert from "node:assert/strict";
import { pollUntil, withTestServices } from "../testing.ts";
import { runInWorker } from "../worker/run.ts";
import type { TestRequest } from "../worker/testdata/test_worker.ts";

const WORKER = new URL("../worker/testdata/test_worker.ts", import.meta.url);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function wave(read: () => Promise<unknown>, n: number): Promise<number[]> {
  return await Promise.all(Array.from({ length: n }, async () => {
    const t0 = performance.now();
    const rec = await read();
    assert.ok(rec, "every read returns the record");
    return performance.now() - t0;
  }));
}

Deno.test("responsiveness: status reads stay fast while a worker burns CPU", () =>
  withTestServices(async ({ tasks }) => {
    tasks.register<{ ms: number }, { spins: number }>({
      kind: "cpu",
      run: (ctx) =>
        runInWorker<TestRequest, { spins: number }, { elapsed: number }>(
          WORKER,
          { mode: "busy", ms: ctx.params.ms },
          {
            signal: ctx.signal,
            // Generous: a worker's start-up counts too, and CI may run this under heavy load.
            hangTimeoutMs: 30_000,
            onProgress: (p) => ctx.progress({ status: "Busy...", elapsed: p.elapsed }),
          },
        ),
    });
    const rec = await tasks.submit("cpu", { ms: 1500 });
    const baseline = await wave(() => tasks.get(rec.id), 50);
    let state = rec.state;
    let error: string | null | undefined;
    await pollUntil(
      async () => {
        const cur = await tasks.get(rec.id);
        state = cur?.state ?? state;
        error = cur?.error;
        return state !== "PENDING" && state !== "STARTED";
      },
      "the task to report progress",
      60_000,
    );
    assert.equal(
      state,
      "PROGRESS",
      `the task ended before reporting progress: ${state} ${error ?? ""}`,
    );
    const during: number[] = [];
    for (let i = 0; i < 5; i++) {
      during.push(...await wave(() => tasks.get(rec.id), 50));
      await sleep(150);
    }
    const done = await tasks.waitFor(rec.id, { timeoutMs: 20_000 });
    assert.equal(done.state, "SUCCESS", done.error ?? "");
    baseline.sort((a, b) => a - b);
    during.sort((a, b) => a - b);
    console.log(
      `status reads (50 concurrent): baseline p50 ${pct(baseline, 50).toFixed(2)} ms, ` +
        `p99 ${
          pct(baseline, 99).toFixed(2)
        } ms | during 1.5 s CPU task (${during.length} reads): ` +
        `p50 ${pct(during, 50).toFixed(2)} ms, p99 ${pct(during, 99).toFixed(2)} ms, ` +
        `max ${during.at(-1)!.toFixed(2)} ms`,
    );
    assert.equal(during.length, 250);
    assert.ok(during.at(-1)! < 1000, "no read waited for the CPU work");
  }));

Deno.test("responsiveness: stopping a CPU task terminates its worker → REVOKED", () =>
  withTestServices(async ({ tasks }) => {
    tasks.register<{ ms: number }, { spins: number }>({
      kind: "cpu",
      run: (ctx) =>
        runInWorker<TestRequest, { spins: number }, { elapsed: number }>(
          WORKER,
          { mode: "busy", ms: ctx.params.ms },
          { signal: ctx.signal, onProgress: (p) => ctx.progress({ status: "Busy...", ...p }) },
        ),
    });
    const rec = await tasks.submit("cpu", { ms: 30_000 });
    await pollUntil(
      async () => (await tasks.get(rec.id))?.state === "PROGRESS",
      "the task to report progress",
      60_000,
    );
    const t0 = performance.now();
    await tasks.stop(rec.id);
    const done = await tasks.waitFor(rec.id, { timeoutMs: 10_000 });
    assert.equal(done.state, "REVOKED");
    assert.ok(performance.now() - t0 < 5000);
  }));
