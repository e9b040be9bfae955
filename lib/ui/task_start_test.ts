import assert from "node:assert/strict";
import { ApiError } from "./api_client.ts";
import { isFinalTask, startRefusal } from "./task_start.ts";

Deno.test("startRefusal: a 409 naming the running task is followed, the rest is a message", () => {
  assert.deepEqual(startRefusal(new ApiError(409, "busy", { detail: "busy", task_id: "t7" })), {
    kind: "running",
    task: { task_id: "t7", status: "PROGRESS", progress: null, result: null },
  });
  assert.deepEqual(startRefusal(new ApiError(409, "busy", { detail: "busy" })), {
    kind: "refused",
    message: "HTTP 409: busy",
  });
  assert.deepEqual(startRefusal(new ApiError(0, "The server could not be reached.")), {
    kind: "refused",
    message: "The server could not be reached.",
  });
  assert.deepEqual(startRefusal(new TypeError("x")), { kind: "refused", message: "TypeError: x" });
});

Deno.test("isFinalTask", () => {
  for (const s of ["SUCCESS", "FAILURE", "REVOKED"]) assert.equal(isFinalTask(s), true);
  for (const s of ["PENDING", "STARTED", "PROGRESS", "", null, undefined]) {
    assert.equal(isFinalTask(s), false);
  }
});
