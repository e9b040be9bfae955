/** A worker for the tests of `lib/worker`: busy loops, failures, hangs, streams, nesting. */
import { WorkerClient } from "../client.ts";
import { serveWorker } from "../protocol.ts";

export type TestRequest =
  | { mode: "busy"; ms: number }
  | { mode: "throw"; message: string }
  | { mode: "uncaught"; message: string }
  | { mode: "hang" }
  | { mode: "bytes"; n: number }
  | { mode: "typed"; line: number }
  | { mode: "echo"; value: number }
  /** Sums the numbers streamed to the call, acknowledging each as progress. */
  | { mode: "sum-input" }
  /** Starts a nested worker in "watch" mode sharing this worker's cancel flag. */
  | { mode: "nested"; seen: SharedArrayBuffer }
  /** Sets seen[1] = 1, waits for the cancel flag, then sets seen[0] = 1. */
  | { mode: "watch"; seen: SharedArrayBuffer }
  /** Starts a nested worker named "child" and answers with that worker's `name`. */
  | { mode: "nested-name" }
  /** This worker's `name`. */
  | { mode: "name" }
  /** Starts a nested worker in "spin" mode with a cancel flag of its own; answers at once. */
  | { mode: "nested-spin"; ticks: SharedArrayBuffer }
  /** Adds 1 to ticks[0] every millisecond until terminated (ignores the cancel flag). */
  | { mode: "spin"; ticks: SharedArrayBuffer };

/** An error class with plain fields, like a CSV validation error. */
export class FieldError extends Error {
  readonly status = 422;
  constructor(message: string, readonly line: number, readonly column: string | null) {
    super(message);
    this.name = "FieldError";
  }
}

type Result = { spins: number } | Uint8Array | number | string;

serveWorker<TestRequest, Result, { elapsed: number } | number, number>(async (req, io) => {
  switch (req.mode) {
    case "busy": {
      // Pure CPU: blocks this worker's event loop entirely (not the main thread's).
      const start = performance.now();
      let spins = 0;
      let lastReport = start;
      while (performance.now() - start < req.ms) {
        spins++;
        const now = performance.now();
        if (now - lastReport > 100) {
          lastReport = now;
          io.progress({ elapsed: Math.round(now - start) });
        }
      }
      return { spins };
    }
    case "throw":
      throw new Error(req.message);
    case "uncaught":
      setTimeout(() => {
        throw new Error(req.message);
      }, 0);
      return new Promise(() => {});
    case "hang":
      return new Promise(() => {});
    case "bytes": {
      const out = new Uint8Array(req.n).fill(7);
      return out;
    }
    case "typed":
      throw new FieldError(`bad value at line ${req.line}`, req.line, "Id");
    case "echo":
      return req.value;
    case "sum-input": {
      let sum = 0;
      for await (const x of io.input()) {
        sum += x;
        io.progress(x);
      }
      return sum;
    }
    case "nested": {
      const child = WorkerClient.spawn(new URL(import.meta.url), { cancelFlag: io.cancelFlag });
      return await child.call<TestRequest, number>({ mode: "watch", seen: req.seen });
    }
    case "nested-name": {
      const child = WorkerClient.spawn(new URL(import.meta.url), { name: "child" });
      try {
        return await child.call<TestRequest, string>({ mode: "name" });
      } finally {
        child.terminate();
      }
    }
    case "name":
      return (globalThis as unknown as { name: string }).name;
    case "nested-spin": {
      const child = WorkerClient.spawn(new URL(import.meta.url));
      child.call({ mode: "spin", ticks: req.ticks } satisfies TestRequest).catch(() => {});
      return 1;
    }
    case "spin": {
      // Never answers, ignores the cancel flag, keeps its event loop turning (Deno's terminate
      // does not interrupt a busy loop; CPU-bound workers watch the flag instead).
      const ticks = new Int32Array(req.ticks);
      setInterval(() => Atomics.add(ticks, 0, 1), 1);
      return await new Promise<number>(() => {});
    }
    case "watch": {
      const seen = new Int32Array(req.seen);
      Atomics.store(seen, 1, 1);
      while (Atomics.load(io.cancelFlag, 0) === 0) Atomics.wait(io.cancelFlag, 0, 0, 50);
      Atomics.store(seen, 0, 1);
      return 1;
    }
  }
}, { transfer: (r) => (r instanceof Uint8Array ? [r.buffer] : []) });
