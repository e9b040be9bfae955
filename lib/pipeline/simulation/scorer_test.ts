import assert from "node:assert/strict";
import { WorkerScorer } from "./scorer.ts";

Deno.test("WorkerScorer: bad model bytes reject clearly; abort terminates the worker", async () => {
  await assert.rejects(
    WorkerScorer.create(new Uint8Array([1, 2, 3, 4])),
    /cannot load ONNX model/,
  );
  const ctl = new AbortController();
  const pending = WorkerScorer.create(new Uint8Array([1, 2, 3]), { signal: ctl.signal });
  ctl.abort(new Error("stopped"));
  await assert.rejects(pending, /stopped/);
  const aborted = AbortSignal.abort(new Error("already"));
  await assert.rejects(WorkerScorer.create(new Uint8Array(1), { signal: aborted }), /already/);
});
