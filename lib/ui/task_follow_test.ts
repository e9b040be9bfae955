import assert from "node:assert/strict";
import { statusFromEvent } from "./task_follow.ts";

Deno.test("statusFromEvent: a task event → the contract status (FAILURE carries the reason)", () => {
  const base = { id: "t1", params: {}, result: null, error: null };
  assert.deepEqual(
    statusFromEvent({ ...base, status: "PROGRESS", progress: { status: "Training…", round: 3 } }),
    {
      task_id: "t1",
      status: "PROGRESS",
      progress: { status: "Training…", round: 3 },
      result: null,
    },
  );
  assert.deepEqual(
    statusFromEvent({ ...base, status: "FAILURE", progress: { status: "x" }, error: "boom" }),
    { task_id: "t1", status: "FAILURE", progress: { status: "boom" }, result: null },
  );
  assert.deepEqual(
    statusFromEvent({ ...base, status: "SUCCESS", progress: null, result: { model_id: "m" } }),
    { task_id: "t1", status: "SUCCESS", progress: null, result: { model_id: "m" } },
  );
});
