/**
 * End-to-end: the whole flow exactly as the .NET backend drives it, through the app's handler
 * (no server): multipart upload (quoted boundary, text/csv part, Content-Length) → dataset READY
 * → split with .NET-formatted dates → train start → status polling until SUCCESS. Every field of
 * the split and status bodies is checked against CONTRACT.md, the metrics are recomputed from
 * the downloaded predictions, and both exported models (ONNX via onnxruntime-web, XGBoost JSON)
 * must reproduce the test-set probabilities. Failure paths: no split, unknown id, one class,
 * a second start while one runs.
 */
import assert from "node:assert/strict";
import { createApp } from "../lib/app.ts";
import { registerPipelineTasks } from "../lib/pipeline/mod.ts";
import { withTestServices } from "../lib/testing.ts";
import type { Services } from "../lib/services.ts";
import { createSplit, getActiveSplit, loadSplitSet } from "../lib/pipeline/split/split.ts";
import { installSyntheticDataset } from "../lib/pipeline/train/testdata/synthetic_dataset.ts";
import { TRAIN_STEPS } from "../lib/pipeline/train/train.ts";
import {
  classificationMetrics,
  fromXgboostJson,
  OnnxScorer,
  predictProbaColumns,
} from "../lib/ml/mod.ts";
import { boschCsv, boschFixture } from "./bosch_fixture.ts";
import { arr, assertShape, nonIntegerLiterals, obj, oneOf, rec, type Shape } from "./shape.ts";

type Handler = (req: Request) => Promise<Response>;

interface Reply {
  status: number;
  text: string;
  // deno-lint-ignore no-explicit-any
  json: any;
}

async function call(
  handler: Handler,
  method: string,
  path: string,
  body?: BodyInit | null,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await handler(new Request(`http://localhost${path}`, { method, body, headers }));
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch { /* not JSON: leave null */ }
  return { status: res.status, text, json };
}

async function setup(services: Services): Promise<Handler> {
  registerPipelineTasks(services);
  return (await createApp(services)).handler() as Handler;
}

/** The multipart body .NET's `MultipartFormDataContent` sends (quoted boundary, text/csv part). */
function multipart(
  csv: string,
  filename: string,
): { body: Uint8Array<ArrayBuffer>; headers: Record<string, string> } {
  const boundary = crypto.randomUUID();
  const enc = new TextEncoder();
  const head = enc.encode(
    `--${boundary}\r\nContent-Type: text/csv\r\n` +
      `Content-Disposition: form-data; name="file"; filename="${filename}"\r\n\r\n`,
  );
  const data = enc.encode(csv);
  const tail = enc.encode(`\r\n--${boundary}--\r\n`);
  const body = new Uint8Array(head.length + data.length + tail.length);
  body.set(head, 0);
  body.set(data, head.length);
  body.set(tail, head.length + data.length);
  return {
    body,
    headers: {
      "content-type": `multipart/form-data; boundary="${boundary}"`,
      "content-length": String(body.length),
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function uploadReady(handler: Handler, csv: string): Promise<string> {
  const { body, headers } = multipart(csv, "bosch_small.csv");
  const up = await call(handler, "POST", "/dataset/store", body, headers);
  assert.equal(up.status, 202, up.text);
  assertShape(up.json, obj({ message: "string", dataset_path: "string" }, true), "upload body");
  const id = up.json.dataset_id as string;
  assert.equal(typeof id, "string");
  const deadline = Date.now() + 40_000;
  for (;;) {
    const ds = await call(handler, "GET", `/dataset/${id}`);
    assert.equal(ds.status, 200, ds.text);
    if (ds.json.state === "READY") return id;
    assert.notEqual(ds.json.state, "FAILED", `dataset failed: ${ds.json.error}`);
    assert.ok(Date.now() < deadline, `dataset not READY in time (state ${ds.json.state})`);
    await sleep(100);
  }
}

/** .NET's round-trip format: 7 fraction digits, `Z`. */
function netDate(iso: string, endOfDay: boolean): string {
  return endOfDay ? `${iso}T23:59:59.9999999Z` : `${iso}T00:00:00Z`;
}

function splitBody(train: [string, string], test: [string, string], sim: [string, string]) {
  return JSON.stringify({
    train_start_date: netDate(train[0], false),
    train_end_date: netDate(train[1], true),
    test_start_date: netDate(test[0], false),
    test_end_date: netDate(test[1], true),
    simulation_start_date: netDate(sim[0], false),
    simulation_end_date: netDate(sim[1], true),
  });
}

const SPLIT_SHAPE: Shape = obj({
  message: "string",
  train_set_path: "string",
  train_set_rows: "int",
  test_set_path: "string",
  test_set_rows: "int",
  simulation_set_path: "string",
  simulation_set_rows: "int",
  daily_distribution: rec("int", /^\d{4}-\d{2}-\d{2}$/),
}, true);

const POINT: Shape = obj({ x: "int", y: "number" });
const CONFUSION: Shape = obj({
  true_positives: "int",
  false_positives: "int",
  true_negatives: "int",
  false_negatives: "int",
});
const SUCCESS_RESULT: Shape = obj({
  metrics: obj({ accuracy: "number", precision: "number", recall: "number", f1_score: "number" }),
  training_chart: obj({
    train_loss: arr(POINT, 1),
    train_accuracy: arr(POINT, 1),
    validation_loss: arr(POINT, 1),
    validation_accuracy: arr(POINT, 1),
  }),
  confusion_matrix: CONFUSION,
  model_path: "string",
  curves_path: "string",
  // Extras we promise (issue 6).
  model_id: "string",
  threshold: "number",
  mcc: "number",
  auc_roc: "number",
  auc_pr: "number",
  metrics_at_0_5: obj({
    accuracy: "number",
    precision: "number",
    recall: "number",
    f1_score: "number",
    mcc: "number",
    confusion_matrix: CONFUSION,
  }),
  best_iteration: "int",
  feature_importance: arr(obj({ name: "string", importance: "number" }), 1),
  n_train: "int",
  n_valid: "int",
  n_test: "int",
}, true);
const STATUS_SHAPE: Shape = obj({
  task_id: "string",
  status: "string",
  progress: oneOf("null", obj({ status: "string" }, true)),
  result: oneOf("null", obj({}, true)),
});

/** Poll the status every ~100 ms until final; returns the final body and the progress seen. */
async function pollTrain(
  handler: Handler,
  taskId: string,
  timeoutMs = 40_000,
): Promise<{ final: Reply; steps: string[]; rounds: number[] }> {
  const steps: string[] = [];
  const rounds: number[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await call(handler, "GET", `/process/train/status/${taskId}`);
    assert.equal(r.status, 200, r.text);
    assertShape(r.json, STATUS_SHAPE, "status body");
    assert.equal(r.json.task_id, taskId);
    assert.ok(
      ["PENDING", "STARTED", "PROGRESS", "SUCCESS", "FAILURE"].includes(r.json.status),
      r.json.status,
    );
    if (r.json.status === "PROGRESS") {
      const s = r.json.progress.status as string;
      if (steps.at(-1) !== s) steps.push(s);
      if (s === TRAIN_STEPS[1] && typeof r.json.progress.round === "number") {
        assert.equal(typeof r.json.progress.rounds, "number");
        rounds.push(r.json.progress.round);
      }
    }
    if (r.json.status === "SUCCESS" || r.json.status === "FAILURE") {
      return { final: r, steps, rounds };
    }
    assert.ok(Date.now() < deadline, "training did not finish in time");
    await sleep(100);
  }
}

Deno.test("e2e: upload → split → train → status, artifacts reproduce the metrics", async () => {
  await withTestServices(async (services) => {
    const handler = await setup(services);
    const data = boschFixture({ rows: 6048, features: 40, cleanDays: [0], seed: 7 });
    await uploadReady(handler, boschCsv(data));

    // Split as .NET sends it: 4 days train, 1 day test, 2 days simulation.
    const split = await call(
      handler,
      "POST",
      "/process/split-data",
      splitBody(["2025-01-01", "2025-01-04"], ["2025-01-05", "2025-01-05"], [
        "2025-01-06",
        "2025-01-07",
      ]),
      { "content-type": "application/json" },
    );
    assert.equal(split.status, 200, split.text);
    assertShape(split.json, SPLIT_SHAPE, "split body");
    assert.equal(split.json.message, "Data successfully sampled, split, and saved.");
    assert.equal(
      split.json.train_set_rows + split.json.test_set_rows + split.json.simulation_set_rows,
      data.rows,
    );
    const days = Object.keys(split.json.daily_distribution);
    assert.deepEqual(days, [...days].sort());

    // A body that is not a valid override → 422 (FastAPI shape), no task created.
    const bad = await call(handler, "POST", "/process/train/start", '{"max_depth":"deep"}', {
      "content-type": "application/json",
    });
    assert.equal(bad.status, 422, bad.text);
    assert.ok(Array.isArray(bad.json.detail));

    // Start (no body, as .NET) and a second start while it runs → 409 naming the running task.
    const start = await call(handler, "POST", "/process/train/start");
    assert.equal(start.status, 200, start.text);
    assertShape(start.json, obj({ task_id: "string" }), "start body");
    const taskId = start.json.task_id as string;
    const again = await call(handler, "POST", "/process/train/start");
    assert.equal(again.status, 409, again.text);
    assertShape(again.json, obj({ detail: "string", task_id: "string" }, true), "409 body");
    assert.equal(again.json.task_id, taskId);

    const { final, steps, rounds } = await pollTrain(handler, taskId);
    assert.equal(final.json.status, "SUCCESS", final.text);
    // Progress messages observed appear in the contract's order.
    const idx = steps.map((s) => TRAIN_STEPS.indexOf(s as typeof TRAIN_STEPS[number]));
    assert.ok(idx.every((i) => i >= 0), `unexpected progress: ${steps}`);
    assert.deepEqual(idx, [...idx].sort((a, b) => a - b), `progress out of order: ${steps}`);
    assert.deepEqual(rounds, [...rounds].sort((a, b) => a - b));

    const result = final.json.result;
    assertShape(result, SUCCESS_RESULT, "SUCCESS result");
    assert.equal(final.json.progress, null);
    // x must be written as an integer (no "x":0.0) — .NET reads int32.
    assert.deepEqual(nonIntegerLiterals(final.text, ["x"]), []);
    const chart = result.training_chart;
    for (const curve of Object.values(chart) as { x: number }[][]) {
      assert.deepEqual(curve.map((p) => p.x), curve.map((_, i) => i), "one point per round");
    }
    assert.equal(chart.train_loss.length, chart.validation_loss.length);
    assert.ok(result.best_iteration < chart.train_loss.length);
    assert.ok(result.auc_roc > 0.6, `AUC ${result.auc_roc}: the signal should be learned`);
    assert.ok(!result.model_path.startsWith("/") && !result.curves_path.startsWith("/"));

    // Predictions → recompute the metrics independently at the stored threshold.
    const modelId = result.model_id as string;
    const preds = await call(handler, "GET", `/models/${modelId}/artifacts/predictions.json`);
    assert.equal(preds.status, 200);
    const { ids, labels, probabilities, threshold } = preds.json as {
      ids: number[];
      labels: number[];
      probabilities: number[];
      threshold: number;
    };
    assert.equal(threshold, result.threshold);
    assert.equal(labels.length, split.json.test_set_rows);
    assert.equal(labels.length, result.n_test);
    let tp = 0, fp = 0, tn = 0, fn = 0;
    for (let i = 0; i < labels.length; i++) {
      const pos = probabilities[i] > threshold;
      if (labels[i] === 1) pos ? tp++ : fn++;
      else pos ? fp++ : tn++;
    }
    assert.deepEqual(result.confusion_matrix, {
      true_positives: tp,
      false_positives: fp,
      true_negatives: tn,
      false_negatives: fn,
    });
    const n = labels.length;
    const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
    close(result.metrics.accuracy, (tp + tn) / n);
    close(result.metrics.precision, tp + fp ? tp / (tp + fp) : 0);
    close(result.metrics.recall, tp + fn ? tp / (tp + fn) : 0);
    close(result.metrics.f1_score, tp ? (2 * tp) / (2 * tp + fp + fn) : 0);
    const m05 = classificationMetrics(labels, probabilities, 0.5);
    close(result.metrics_at_0_5.recall, m05.recall);
    assert.equal(result.metrics_at_0_5.confusion_matrix.true_positives, m05.tp);

    // The curves artifact is what curves_path names; the model record is listed and active.
    const curves = await call(handler, "GET", `/models/${modelId}/artifacts/curves.json`);
    assert.equal(curves.status, 200);
    assert.equal(curves.json.train_loss.length, chart.train_loss.length);
    const models = await call(handler, "GET", "/models");
    assert.equal(models.json.active_model_id, modelId);
    const model = await call(handler, "GET", `/models/${modelId}`);
    assert.equal(model.status, 200);
    assert.equal(model.json.artifacts.curves, result.curves_path);
    assert.equal((await call(handler, "GET", `/models/${modelId}/artifacts/x.pkl`)).status, 404);
    assert.equal((await call(handler, "GET", `/models/nope/artifacts/model.onnx`)).status, 404);
    const task = await call(handler, "GET", `/tasks/${taskId}`);
    assert.equal(task.status, 200);
    assert.equal(task.json.status, "SUCCESS");
    // The SSE stream of a finished task sends its final record and ends.
    const events = await call(handler, "GET", `/tasks/${taskId}/events`);
    assert.equal(events.status, 200);
    const last = events.text.trim().split("\n").filter((l) => l.startsWith("data: ")).at(-1);
    assert.equal(JSON.parse(last!.slice(6)).status, "SUCCESS");

    // Both exported models reproduce the test-set probabilities.
    const activeSplit = await getActiveSplit(services.kv);
    assert.ok(activeSplit);
    const testSet = await loadSplitSet(services, activeSplit, "test");
    assert.deepEqual(Array.from(testSet.ids), ids);
    const nf = testSet.columns.length;
    const rowMajor = new Float32Array(testSet.nRows * nf);
    for (let j = 0; j < nf; j++) {
      const c = testSet.columns[j];
      for (let i = 0; i < testSet.nRows; i++) rowMajor[i * nf + j] = c[i];
    }
    const onnx = await handler(
      new Request(`http://localhost/models/${modelId}/artifacts/model.onnx`),
    );
    assert.equal(onnx.status, 200);
    const scorer = await OnnxScorer.create(new Uint8Array(await onnx.arrayBuffer()));
    try {
      const p = await scorer.scoreBatch(rowMajor, testSet.nRows);
      let maxDiff = 0;
      for (let i = 0; i < n; i++) maxDiff = Math.max(maxDiff, Math.abs(p[i] - probabilities[i]));
      assert.ok(maxDiff <= 1e-6, `ONNX differs by ${maxDiff}`);
    } finally {
      await scorer.release();
    }
    const xgb = await call(handler, "GET", `/models/${modelId}/artifacts/model.xgb.json`);
    const reloaded = fromXgboostJson(xgb.text);
    const p2 = predictProbaColumns(reloaded, testSet.columns, testSet.nRows);
    let maxDiff2 = 0;
    for (let i = 0; i < n; i++) maxDiff2 = Math.max(maxDiff2, Math.abs(p2[i] - probabilities[i]));
    assert.ok(maxDiff2 <= 1e-6, `XGBoost JSON differs by ${maxDiff2}`);

    // One class in the training window (day 1 has no failures) → FAILURE with a reason, HTTP 200.
    const split2 = await call(
      handler,
      "POST",
      "/process/split-data",
      splitBody(["2025-01-01", "2025-01-01"], ["2025-01-02", "2025-01-02"], [
        "2025-01-03",
        "2025-01-03",
      ]),
      { "content-type": "application/json" },
    );
    assert.equal(split2.status, 200, split2.text);
    const start2 = await call(handler, "POST", "/process/train/start");
    assert.equal(start2.status, 200);
    const failed = (await pollTrain(handler, start2.json.task_id)).final;
    assert.equal(failed.json.status, "FAILURE");
    assert.equal(failed.json.result, null);
    assert.match(failed.json.progress.status, /only one class/);
    // The failed run left the previous model active.
    assert.equal((await call(handler, "GET", "/models")).json.active_model_id, modelId);
  });
});

Deno.test("e2e: training without a split fails with a reason; unknown ids are 404", async () => {
  await withTestServices(async (services) => {
    const handler = await setup(services);
    const start = await call(handler, "POST", "/process/train/start");
    assert.equal(start.status, 200, start.text);
    const { final } = await pollTrain(handler, start.json.task_id, 10_000);
    assert.equal(final.status, 200);
    assert.equal(final.json.status, "FAILURE");
    assert.equal(final.json.result, null);
    assert.match(final.json.progress.status, /split/i);

    const unknown = await call(handler, "GET", `/process/train/status/${crypto.randomUUID()}`);
    assert.equal(unknown.status, 404);
    assertShape(unknown.json, obj({ detail: "string" }), "404 body");
    assert.equal((await call(handler, "GET", `/tasks/${crypto.randomUUID()}`)).status, 404);
    assert.equal((await call(handler, "GET", "/models/active")).status, 404);
  });
});

Deno.test("e2e: a training can be stopped → REVOKED, no model stored", async () => {
  await withTestServices(async (services) => {
    const handler = await setup(services);
    const DAY = 86_400_000, T0 = Date.UTC(2025, 0, 1);
    await installSyntheticDataset(services, { rows: 20_000, features: 20, cleanDays: [0] });
    await createSplit(services, {
      train: { start_ms: T0, end_ms: T0 + 4 * DAY - 1 },
      test: { start_ms: T0 + 4 * DAY, end_ms: T0 + 5 * DAY - 1 },
      simulation: { start_ms: T0 + 5 * DAY, end_ms: T0 + 7 * DAY - 1 },
    });
    const start = await call(
      handler,
      "POST",
      "/process/train/start",
      JSON.stringify({ n_estimators: 500, early_stopping_rounds: 0, n_threads: 2 }),
      { "content-type": "application/json" },
    );
    assert.equal(start.status, 200, start.text);
    const id = start.json.task_id as string;
    // Stop once boosting is under way.
    for (let i = 0;; i++) {
      const s = await call(handler, "GET", `/process/train/status/${id}`);
      if (s.json.progress?.round !== undefined || s.json.status === "SUCCESS") break;
      assert.ok(i < 600, "training did not start boosting");
      await sleep(50);
    }
    const stop = await call(handler, "POST", `/process/train/stop/${id}`);
    assert.equal(stop.status, 200, stop.text);
    assert.deepEqual(stop.json, { task_id: id, message: "Stop signal sent to training task." });
    const done = await services.tasks.waitFor(id, { timeoutMs: 10_000 });
    assert.equal(done.state, "REVOKED");
    assert.equal((await call(handler, "GET", "/models")).json.models.length, 0);
    assert.equal((await call(handler, "POST", "/process/train/stop/nope")).status, 404);
  });
});
