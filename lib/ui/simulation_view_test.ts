import assert from "node:assert/strict";
import {
  decisionThreshold,
  featureColumns,
  finalMessage,
  parseStartForm,
  qualityLine,
  rowsReplayed,
  runningCounts,
  transportText,
  verdictTone,
  warmupMessage,
} from "./simulation_view.ts";
import { fixturePacket } from "./fixtures.ts";
import type { SimSummary, TaskStatus } from "./types.ts";

const summary: SimSummary = {
  task_id: "sim-1",
  model_id: "m",
  split_id: "s",
  dataset_id: "d",
  status: "PROGRESS",
  final: false,
  total_rows: 2170,
  processed: 120,
  pass_count: 100,
  fail_count: 20,
  pass_rate: 100 / 120,
  average_confidence: 80.5,
  threshold: 0.2,
  confusion_matrix: {
    true_positives: 1,
    false_positives: 2,
    true_negatives: 3,
    false_negatives: 4,
  },
  accuracy: 0.4,
  rows_per_second: 1,
  started_at: "2025-01-01T00:00:00Z",
  updated_at: "2025-01-01T00:02:00Z",
  finished_at: null,
};

const task = (status: string, extra: Partial<TaskStatus> = {}): TaskStatus => ({
  task_id: "sim-1",
  status,
  progress: null,
  result: null,
  ...extra,
});

Deno.test("parseStartForm: numbers, empty fields left to the server, refusals", () => {
  assert.deepEqual(parseStartForm("2", "0"), { body: { rows_per_second: 2, warmup_seconds: 0 } });
  assert.deepEqual(parseStartForm(" ", ""), { body: {} });
  assert.deepEqual(parseStartForm("0.5", " "), { body: { rows_per_second: 0.5 } });
  assert.deepEqual(parseStartForm("0", "1"), {
    error: "Rows per second must be a positive number.",
  });
  assert.deepEqual(parseStartForm("abc", "1"), {
    error: "Rows per second must be a positive number.",
  });
  assert.deepEqual(parseStartForm("1", "-1"), { error: "Warmup must be 0 or more seconds." });
  assert.deepEqual(parseStartForm("", "Infinity"), { error: "Warmup must be 0 or more seconds." });
});

Deno.test("decisionThreshold and qualityLine: model first, then summary, then 0.5", () => {
  assert.equal(decisionThreshold({ threshold: 0.04 }, summary), 0.04);
  assert.equal(decisionThreshold(null, summary), 0.2);
  assert.equal(decisionThreshold(null, null), 0.5);
  assert.equal(qualityLine(0.04), 96);
  assert.equal(qualityLine(0.5), 50);
});

Deno.test("rowsReplayed and runningCounts: the packet wins over the summary", () => {
  const p = fixturePacket(9, 2170);
  assert.deepEqual(rowsReplayed(p, summary, 99), { done: 10, total: 2170 });
  assert.deepEqual(rowsReplayed(null, summary, 99), { done: 120, total: 2170 });
  assert.deepEqual(rowsReplayed(null, null, 99), { done: 0, total: 99 });
  assert.deepEqual(rowsReplayed(null, null, null), { done: 0, total: null });

  assert.deepEqual(runningCounts(p, summary), {
    predictions: 10,
    pass: 10 - 1,
    fail: 1,
    averageConfidence: 89.9,
  });
  assert.deepEqual(runningCounts(null, summary), {
    predictions: 120,
    pass: 100,
    fail: 20,
    averageConfidence: 80.5,
  });
  assert.deepEqual(runningCounts(null, null), {
    predictions: undefined,
    pass: undefined,
    fail: undefined,
    averageConfidence: undefined,
  });
});

Deno.test("verdictTone, featureColumns, transportText", () => {
  assert.equal(verdictTone("Fail"), "fail");
  assert.equal(verdictTone("Pass"), "pass");
  assert.deepEqual(featureColumns([fixturePacket(1), fixturePacket(0)]), [
    "L3_S1_F14",
    "L3_S6_F54",
    "L0_S0_F0",
  ]);
  assert.deepEqual(featureColumns([]), []);
  assert.equal(transportText("sse"), "live via server-sent events");
  assert.equal(transportText("polling"), "live via polling");
  assert.equal(transportText(null), null);
});

Deno.test("warmupMessage: only while a run has no packet yet", () => {
  const warm = task("PROGRESS", { progress: { status: "Warmup period of 10 seconds." } });
  assert.equal(warmupMessage(warm, null), "Warmup period of 10 seconds.");
  assert.equal(warmupMessage(task("PENDING"), null), "Starting…");
  assert.equal(warmupMessage(warm, fixturePacket(0)), null);
  assert.equal(warmupMessage(task("SUCCESS"), null), null);
  assert.equal(warmupMessage(null, null), null);
});

Deno.test("finalMessage: the result's message once the run has ended", () => {
  const result = { message: "Simulation finished: 2170 rows." };
  assert.deepEqual(finalMessage(task("SUCCESS", { result })), {
    kind: "success",
    text: "Simulation finished: 2170 rows.",
  });
  assert.deepEqual(finalMessage(task("REVOKED", { result })), {
    kind: "info",
    text: "Simulation finished: 2170 rows.",
  });
  assert.equal(finalMessage(task("PROGRESS", { result })), null);
  assert.equal(finalMessage(task("SUCCESS", { result: { message: "" } })), null);
  assert.equal(finalMessage(task("SUCCESS")), null);
  assert.equal(finalMessage(null), null);
});
