/** A worker for the tests of `runInWorker`: busy loops, failures and hangs on request. */
import { serveWorker } from "../worker_protocol.ts";

export type TestRequest =
  | { mode: "busy"; ms: number }
  | { mode: "throw"; message: string }
  | { mode: "uncaught"; message: string }
  | { mode: "hang" }
  | { mode: "bytes"; n: number }
  | { mode: "typed"; line: number };

/** An error class with plain fields, like a CSV validation error. */
export class FieldError extends Error {
  readonly status = 422;
  constructor(message: string, readonly line: number, readonly column: string | null) {
    super(message);
    this.name = "FieldError";
  }
}

serveWorker<TestRequest, { spins: number } | Uint8Array, { elapsed: number }>((req, io) => {
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
  }
}, { transfer: (r) => (r instanceof Uint8Array ? [r.buffer] : []) });
