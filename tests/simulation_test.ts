/**
 * The simulation (CONTRACT.md §4) through the app's handler: packet fields and JSON types, time
 * order, nulls for empty cells, the decision rule, probabilities equal to the TS predictor's,
 * the packet cursor, the SSE stream (every packet once, in order, resumable), stop → REVOKED
 * within a second, resume after a restart (file-backed KV), and the start errors. Issue 12's
 * extras: `p_fail` and the TreeSHAP `explanation` on every packet (additive, equal to the
 * explainer's), and the fail log (every Fail packet, newest first, cursor, CSV, kept across a
 * restart).
 *
 * Simulations here run with warmup 0 and 100–200 rows/s so the file stays fast.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createApp } from "../lib/app.ts";
import { openServices } from "../lib/bootstrap.ts";
import { registerPipelineTasks } from "../lib/pipeline/mod.ts";
import { testConfig, withTestServices } from "../lib/testing.ts";
import type { Services } from "../lib/services.ts";
import { loadSplitSet } from "../lib/pipeline/split/split.ts";
import { logit, predictProba, TreeExplainer } from "../lib/ml/mod.ts";
import { SimulationPacketSchema } from "../lib/api/contract.ts";
import {
  FailurePageSchema,
  SimulationSummarySchema,
  SplitDriftSchema,
} from "../lib/api/schemas.ts";
import { binEdges, countBins, driftReport } from "../lib/pipeline/split/drift.ts";
import { getSplitDrift } from "../lib/pipeline/split/split_drift.ts";
import { getSimulationSummary } from "../lib/pipeline/simulation/mod.ts";
import { FAILURE_CSV_COLUMNS } from "../lib/pipeline/simulation/failures.ts";
import { readPacketRecords, type SimPacket } from "../lib/pipeline/simulation/packets.ts";
import { INIT_MESSAGE, warmupMessage } from "../lib/pipeline/simulation/simulate.ts";
import { saveModel } from "../lib/pipeline/train/models.ts";
import { seedSimulation } from "./simulation_fixture.ts";
import { arr, assertShape, obj, oneOf, rec, type Shape } from "./shape.ts";

type Handler = (req: Request) => Promise<Response>;

// deno-lint-ignore no-explicit-any
type Json = any;

async function call(
  handler: Handler,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Json; text: string }> {
  const init: RequestInit = { method, headers };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    // JSON routes accept only application/json (issue 13: no text/plain cross-site writes).
    init.headers = { "content-type": "application/json", ...headers };
  }
  const res = await handler(new Request(`http://localhost${path}`, init));
  const text = await res.text();
  let json: Json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch { /* not JSON */ }
  return { status: res.status, json, text };
}

async function setup(services: Services): Promise<Handler> {
  registerPipelineTasks(services);
  return (await createApp(services)).handler() as Handler;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The row explanation (issue 12): margin, bias, top contributions. */
const EXPLANATION: Shape = obj({
  margin: "number",
  bias: "number",
  top: arr(obj({ feature: "string", value: oneOf("number", "null"), contribution: "number" })),
});

/** The contract packet plus issue 12's extra keys, exactly (no other fields). */
const PACKET: Shape = obj({
  current_row_index: "int",
  total_rows: "int",
  quality_score: "number",
  live_prediction: obj({
    timestamp: "string",
    sample_id: "string",
    prediction: "string",
    confidence: "number",
    top_features: rec(oneOf("number", "null")),
  }),
  live_stats: obj({
    total_predictions: "int",
    pass_count: "int",
    fail_count: "int",
    average_confidence: "number",
  }),
  p_fail: "number",
  explanation: EXPLANATION,
});

/** One fail-log entry. */
const FAILURE: Shape = obj({
  row: "int",
  sample_id: "string",
  timestamp: "string",
  p_fail: "number",
  response: oneOf("int", "null"),
  explanation: EXPLANATION,
});

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') field += '"', i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), field = "";
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field), rows.push(row), row = [], field = "";
    } else field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

/** Every failure of a run through the paged JSON API (`limit` per page), newest first. */
async function allFailures(handler: Handler, id: string, limit: number): Promise<Json[]> {
  const out: Json[] = [];
  let before: number | null = null;
  for (let page = 0; page < 1000; page++) {
    const q: string = before === null ? `limit=${limit}` : `limit=${limit}&before=${before}`;
    const res = await call(handler, "GET", `/simulation/${id}/failures?${q}`);
    assert.equal(res.status, 200, res.text);
    assert.ok(res.json.failures.length <= limit);
    out.push(...res.json.failures);
    before = res.json.next_before;
    if (before === null) return out;
  }
  throw new Error("fail log paging did not end");
}

const STATUS: Shape = obj({
  task_id: "string",
  status: "string",
  progress: oneOf("null", obj({}, true)),
  result: oneOf("null", obj({ message: "string" })),
});

const round2 = (x: number) => Math.round(x * 100) / 100;

async function waitFinal(services: Services, id: string, timeoutMs = 60_000) {
  return await services.tasks.waitFor(id, { timeoutMs });
}

/** Wait until at least `n` packets are stored. */
async function waitPackets(services: Services, id: string, n: number, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const { records } = await readPacketRecords(services.kv, id, { after: n - 2, limit: 1 });
    if (records.length) return;
    await sleep(10);
  }
  throw new Error(`fewer than ${n} packets after ${timeoutMs} ms`);
}

/** Parse a complete SSE body into events. */
function parseSse(text: string): { event: string; id: string | null; data: Json }[] {
  const out: { event: string; id: string | null; data: Json }[] = [];
  for (const block of text.split("\n\n")) {
    let event = "message", id: string | null = null;
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event: ")) event = line.slice(7);
      else if (line.startsWith("id: ")) id = line.slice(4);
      else if (line.startsWith("data: ")) data.push(line.slice(6));
    }
    if (data.length) out.push({ event, id, data: JSON.parse(data.join("\n")) });
  }
  return out;
}

Deno.test("simulation: contract packets, time order, nulls, threshold rule, predictor parity", () =>
  withTestServices(async (services) => {
    const handler = await setup(services);
    const fx = await seedSimulation(services, { simRows: 40, threshold: 0.35 });

    const start = await call(handler, "POST", "/simulation/start", {
      rows_per_second: 200,
      warmup_seconds: 0.3,
    });
    assert.equal(start.status, 200, start.text);
    assertShape(start.json, obj({ task_id: "string" }), "start body");
    const id: string = start.json.task_id;

    // The progress messages, in order: warmup → initializing → packets.
    const seen: string[] = [];
    for await (const r of services.tasks.watch(id)) {
      const s = r.progress?.status;
      if (typeof s === "string" && seen.at(-1) !== s) seen.push(s);
      if (r.progress && "current_row_index" in r.progress) break;
    }
    assert.equal(seen[0], warmupMessage(0.3));
    assert.ok(seen.every((s) => s === warmupMessage(0.3) || s === INIT_MESSAGE), String(seen));

    await waitFinal(services, id);
    const status = await call(handler, "GET", `/simulation/status/${id}`);
    assert.equal(status.status, 200);
    assertShape(status.json, STATUS, "status body");
    assert.equal(status.json.status, "SUCCESS");
    assert.deepEqual(status.json.result, { message: "Simulation complete. Processed 40 records." });

    const page = await call(handler, "GET", `/simulation/${id}/packets?limit=1000`);
    assert.equal(page.status, 200);
    assert.equal(page.json.task_id, id);
    assert.equal(page.json.status, "SUCCESS");
    assert.equal(page.json.next_after, 39);
    const packets: SimPacket[] = page.json.packets;
    assert.equal(packets.length, 40);

    // The rows, in time order, as the split stores them.
    const set = await loadSplitSet(services, fx.split, "simulation", fx.featureNames);
    const { records } = await readPacketRecords(services.kv, id, { limit: 1000 });
    const top = fx.record.importance.slice(0, 3).map((f) => f.name);
    const explainer = new TreeExplainer(fx.model);
    let sumQ = 0, pass = 0, fail = 0, prevTs = -Infinity;
    for (let i = 0; i < packets.length; i++) {
      const p = packets[i];
      assertShape(p, PACKET, `packet ${i}`);
      assert.equal(p.current_row_index, i);
      assert.equal(p.total_rows, 40);
      const ts = Date.parse(p.live_prediction.timestamp);
      assert.match(p.live_prediction.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.ok(ts > prevTs, "rows in time order");
      prevTs = ts;
      assert.equal(ts, set.timestamps[i]);
      assert.equal(p.live_prediction.sample_id, `SAMPLE_${set.ids[i]}`);
      assert.deepEqual(Object.keys(p.live_prediction.top_features), top);

      // Probability: ONNX session vs the TS predictor on the same row.
      const row = set.columns.map((c) => c[i]);
      const expected = predictProba(fx.model, row);
      assert.ok(
        Math.abs(records[i].p_fail - expected) < 1e-6,
        `row ${i}: ${records[i].p_fail} vs ${expected}`,
      );
      assert.equal(p.quality_score, round2((1 - records[i].p_fail) * 100));
      assert.equal(p.live_prediction.confidence, p.quality_score);
      assert.equal(p.live_prediction.prediction, records[i].p_fail >= 0.35 ? "Fail" : "Pass");
      // Issue 12: p_fail and the explanation, equal to the explainer's and additive.
      assert.equal(p.p_fail, records[i].p_fail);
      // The documented packet schema describes both extra keys.
      const parsed = SimulationPacketSchema.safeParse(p);
      assert.ok(parsed.success, `row ${i}: ${parsed.error?.message}`);
      const ex = p.explanation!;
      const phi = explainer.explain(row);
      assert.ok(Math.abs(ex.bias - explainer.bias) < 1e-12);
      assert.ok(Math.abs(ex.margin - explainer.margin(row)) < 1e-12);
      assert.ok(Math.abs(ex.margin - logit(records[i].p_fail)) < 1e-4, `row ${i} margin`);
      // 5 features and top 5: the listed contributions are all the non-zero ones.
      const listed = ex.top.reduce((a, c) => a + c.contribution, 0);
      assert.ok(Math.abs(ex.bias + listed - ex.margin) < 1e-6, `row ${i} additivity`);
      assert.ok(ex.top.length <= 5);
      for (let k = 0; k < ex.top.length; k++) {
        const { feature, value, contribution } = ex.top[k];
        const j = fx.featureNames.indexOf(feature);
        assert.equal(contribution, phi[j]);
        if (Number.isNaN(row[j])) assert.equal(value, null);
        else assert.ok(Math.fround(value as number) === row[j], `${value} vs ${row[j]}`); // -0 → 0
        if (k > 0) assert.ok(Math.abs(ex.top[k - 1].contribution) >= Math.abs(contribution));
      }
      for (const name of top) {
        const v = set.columns[fx.featureNames.indexOf(name)][i];
        const got = p.live_prediction.top_features[name];
        if (Number.isNaN(v)) assert.equal(got, null);
        else assert.equal(Math.fround(got as number), v);
      }
      sumQ += p.quality_score;
      if (p.live_prediction.prediction === "Pass") pass++;
      else fail++;
      assert.deepEqual(p.live_stats, {
        total_predictions: i + 1,
        pass_count: pass,
        fail_count: fail,
        average_confidence: round2(sumQ / (i + 1)),
      });
    }
    // The first simulation row has every cell empty → every top feature is null.
    assert.deepEqual(Object.values(packets[0].live_prediction.top_features), [null, null, null]);
    assert.ok(fail > 0 && pass > 0, "both classes predicted");

    // Cursor paging.
    const p2 = await call(handler, "GET", `/simulation/${id}/packets?after=9&limit=5`);
    assert.deepEqual(p2.json.packets.map((p: SimPacket) => p.current_row_index), [
      10,
      11,
      12,
      13,
      14,
    ]);
    assert.equal(p2.json.next_after, 14);
    const end = await call(handler, "GET", `/simulation/${id}/packets?after=39`);
    assert.deepEqual(end.json.packets, []);
    assert.equal(end.json.next_after, 39);
    assert.equal((await call(handler, "GET", `/simulation/${id}/packets?limit=0`)).status, 422);
    assert.equal((await call(handler, "GET", `/simulation/${id}/packets?after=x`)).status, 422);

    // Summary: counts and confusion matrix against the true Response.
    const summary = await call(handler, "GET", `/simulation/${id}/summary`);
    assert.equal(summary.status, 200);
    const s = summary.json;
    assert.equal(s.status, "SUCCESS");
    assert.equal(s.final, true);
    assert.equal(s.processed, 40);
    assert.equal(s.pass_count, pass);
    assert.equal(s.fail_count, fail);
    assert.equal(s.threshold, 0.35);
    assert.equal(s.average_confidence, packets[39].live_stats.average_confidence);
    // Drift (issue 12): GET /split/drift = the simulation window against the training window's
    // decile bins, recomputed here from the loaded sets; the final summary's drift covers the
    // same 40 replayed rows, so it lists the same values (under 100 rows: "insufficient").
    const train = await loadSplitSet(services, fx.split, "train", fx.featureNames);
    const bins = fx.featureNames.map((feature, j) => {
      const edges = binEdges(train.columns[j]);
      return { feature, edges, reference: countBins(train.columns[j], edges) };
    });
    const expectedDrift = driftReport(bins, bins.map((b, j) => countBins(set.columns[j], b.edges)));
    const splitDrift = await call(handler, "GET", "/split/drift");
    assert.equal(splitDrift.status, 200, splitDrift.text);
    assert.ok(SplitDriftSchema.safeParse(splitDrift.json).success, splitDrift.text);
    assert.equal(splitDrift.json.split_id, fx.split.id);
    assert.deepEqual(splitDrift.json.features, expectedDrift.features);
    assert.equal(splitDrift.json.reference_rows, 300);
    assert.equal(splitDrift.json.compared_rows, 40);
    assert.equal(splitDrift.json.status, "insufficient");
    assert.deepEqual(s.drift, expectedDrift);
    assert.ok(SimulationSummarySchema.safeParse(s).success);

    const cm = { true_positives: 0, false_positives: 0, true_negatives: 0, false_negatives: 0 };
    packets.forEach((p, i) => {
      const f = p.live_prediction.prediction === "Fail", y = set.labels[i] === 1;
      if (f && y) cm.true_positives++;
      else if (f) cm.false_positives++;
      else if (y) cm.false_negatives++;
      else cm.true_negatives++;
    });
    assert.deepEqual(s.confusion_matrix, cm);

    // The fail log: every Fail packet, newest first, with its explanation.
    const fails = packets.filter((p) => p.live_prediction.prediction === "Fail");
    const log = await call(handler, "GET", `/simulation/${id}/failures`);
    assert.equal(log.status, 200, log.text);
    assert.ok(FailurePageSchema.safeParse(log.json).success, "fail log matches its schema");
    assertShape(
      log.json,
      obj({
        task_id: "string",
        status: "string",
        fail_count: "int",
        failures: arr(FAILURE),
        next_before: "null",
      }),
    );
    assert.equal(log.json.fail_count, fail);
    assert.deepEqual(
      log.json.failures.map((f: Json) => f.row),
      fails.map((p) => p.current_row_index).reverse(),
    );
    for (const f of log.json.failures) {
      const p = packets[f.row];
      assert.equal(f.sample_id, p.live_prediction.sample_id);
      assert.equal(f.timestamp, p.live_prediction.timestamp);
      assert.equal(f.p_fail, p.p_fail);
      assert.equal(f.response, set.labels[f.row]);
      assert.deepEqual(f.explanation, p.explanation);
    }
    // Cursor paging (2 per page) gives the same list; `before` is exclusive.
    assert.deepEqual(await allFailures(handler, id, 2), log.json.failures);
    const older = log.json.failures[1].row;
    const olderPage = await call(
      handler,
      "GET",
      `/simulation/${id}/failures?before=${older}&limit=1`,
    );
    assert.deepEqual(olderPage.json.failures, [log.json.failures[2]]);
    for (const bad of ["before=-1", "before=x", "limit=0", "limit=1001", "format=xml"]) {
      assert.equal((await call(handler, "GET", `/simulation/${id}/failures?${bad}`)).status, 422);
    }
    assert.equal((await call(handler, "GET", "/simulation/unknown/failures")).status, 404);
    assert.equal(
      (await call(handler, "GET", "/simulation/unknown/failures?format=csv")).status,
      404,
    );

    // CSV download: header + one line per failure, newest first, numbers round-trip.
    const csvRes = await handler(
      new Request(`http://localhost/simulation/${id}/failures?format=csv`),
    );
    assert.equal(csvRes.status, 200);
    assert.match(csvRes.headers.get("content-type") ?? "", /^text\/csv/);
    assert.match(
      csvRes.headers.get("content-disposition") ?? "",
      /^attachment; filename="simulation_[\w-]+_failures\.csv"$/,
    );
    const csv = parseCsv(await csvRes.text());
    assert.deepEqual(csv[0], [...FAILURE_CSV_COLUMNS]);
    assert.equal(csv.length, fails.length + 1);
    csv.slice(1).forEach((line, k) => {
      const f = log.json.failures[k];
      assert.equal(line.length, FAILURE_CSV_COLUMNS.length);
      assert.deepEqual(line.slice(0, 7), [
        String(f.row),
        f.sample_id,
        f.timestamp,
        String(f.p_fail),
        f.response === null ? "" : String(f.response),
        String(f.explanation.margin),
        String(f.explanation.bias),
      ]);
      f.explanation.top.forEach((c: Json, j: number) => {
        assert.deepEqual(line.slice(7 + 3 * j, 10 + 3 * j), [
          c.feature,
          c.value === null ? "" : String(c.value),
          String(c.contribution),
        ]);
      });
    });
  }));

Deno.test("simulation: SSE delivers every packet once, in order, then the status; resumes", () =>
  withTestServices(async (services) => {
    const handler = await setup(services);
    await seedSimulation(services, { simRows: 30 });
    const start = await call(handler, "POST", "/simulation/start", {
      rows_per_second: 100,
      warmup_seconds: 0,
    });
    const id: string = start.json.task_id;

    // Connect while the replay runs; the stream ends by itself after the status event.
    const res = await handler(new Request(`http://localhost/simulation/${id}/events`));
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
    const events = parseSse(await res.text());
    const packets = events.filter((e) => e.event === "packet");
    assert.deepEqual(packets.map((e) => Number(e.id)), Array.from({ length: 30 }, (_, i) => i));
    assert.deepEqual(
      packets.map((e) => e.data.current_row_index),
      packets.map((e) => Number(e.id)),
    );
    const stored = await readPacketRecords(services.kv, id, { limit: 1000 });
    assert.deepEqual(packets.map((e) => e.data), stored.records.map((r) => r.packet));
    const last = events.at(-1)!;
    assert.equal(last.event, "status");
    assert.equal(last.data.status, "SUCCESS");
    assert.deepEqual(last.data.result, { message: "Simulation complete. Processed 30 records." });

    // Reconnect with Last-Event-ID (as EventSource does) or ?after=.
    for (
      const init of [
        { headers: { "last-event-id": "24" } },
        { path: "?after=24" },
      ] as { headers?: Record<string, string>; path?: string }[]
    ) {
      const again = await handler(
        new Request(`http://localhost/simulation/${id}/events${init.path ?? ""}`, {
          headers: init.headers,
        }),
      );
      const ev = parseSse(await again.text());
      assert.deepEqual(ev.map((e) => `${e.event}:${e.id}`), [
        "packet:25",
        "packet:26",
        "packet:27",
        "packet:28",
        "packet:29",
        "status:29",
      ]);
    }
    const bad = await handler(new Request(`http://localhost/simulation/${id}/events?after=-5`));
    assert.equal(bad.status, 422);
    await bad.body?.cancel();
    const unknown = await handler(new Request(`http://localhost/simulation/nope/events`));
    assert.equal(unknown.status, 404);
    await unknown.body?.cancel();
  }));

Deno.test("simulation: stop → REVOKED within a second; second start → 409; errors", () =>
  withTestServices(async (services) => {
    const handler = await setup(services);

    const none = await call(handler, "POST", "/simulation/start");
    assert.equal(none.status, 404, none.text);
    assert.equal(typeof none.json.detail, "string");

    const fx = await seedSimulation(services, { simRows: 50 });
    // A model whose dataset has no split → 409 (nothing to replay); then the fixture's again.
    await saveModel(services.kv, {
      ...fx.record,
      id: "orphan",
      dataset_id: "gone",
      split_id: "gone",
    });
    const orphan = await call(handler, "POST", "/simulation/start");
    assert.equal(orphan.status, 409, orphan.text);
    assert.match(orphan.json.detail, /No split/);
    await saveModel(services.kv, fx.record);

    const bad = await call(handler, "POST", "/simulation/start", { rows_per_second: 0 });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.json.detail[0].loc, ["body", "rows_per_second"]);
    assert.equal((await call(handler, "POST", "/simulation/start", "{oops")).status, 422);
    assert.equal((await call(handler, "POST", "/simulation/start", { model_id: "x" })).status, 404);

    // The .NET call: no body, config defaults → warmup message first.
    const slow = await call(handler, "POST", "/simulation/start");
    assert.equal(slow.status, 200, slow.text);
    const id: string = slow.json.task_id;
    await sleep(50);
    const warm = await call(handler, "GET", `/simulation/status/${id}`);
    assert.deepEqual(warm.json, {
      task_id: id,
      status: "PROGRESS",
      progress: { status: "Initializing simulation... Warmup period of 10 seconds." },
      result: null,
    });

    const dup = await call(handler, "POST", "/simulation/start", { warmup_seconds: 0 });
    assert.equal(dup.status, 409);
    assert.equal(dup.json.task_id, id);

    const t0 = performance.now();
    const stop = await call(handler, "POST", `/simulation/stop/${id}`);
    assert.equal(stop.status, 200);
    assert.deepEqual(stop.json, { task_id: id, message: "Stop signal sent to simulation task." });
    const done = await waitFinal(services, id, 5000);
    const elapsed = performance.now() - t0;
    assert.equal(done.state, "REVOKED");
    assert.ok(elapsed < 1000, `revoked after ${elapsed} ms`);

    // Stop while replaying (at 2 rows/s the pacer is waiting most of the time).
    const run = await call(handler, "POST", "/simulation/start", {
      rows_per_second: 2,
      warmup_seconds: 0,
    });
    const id2: string = run.json.task_id;
    await waitPackets(services, id2, 2);
    const t1 = performance.now();
    assert.equal((await call(handler, "POST", `/simulation/stop/${id2}`)).status, 200);
    await waitFinal(services, id2, 5000);
    assert.ok(performance.now() - t1 < 1000, `revoked after ${performance.now() - t1} ms`);
    const st = await call(handler, "GET", `/simulation/status/${id2}`);
    assert.equal(st.json.status, "REVOKED");
    assert.deepEqual(st.json.result, { message: "Simulation was stopped by the user." });
    assertShape(st.json, STATUS);
    const summary = await call(handler, "GET", `/simulation/${id2}/summary`);
    assert.equal(summary.json.status, "REVOKED");
    assert.equal(summary.json.final, true);
    assert.ok(summary.json.processed >= 2 && summary.json.processed < 50);

    // Stopping again is harmless; unknown ids are 404.
    assert.equal((await call(handler, "POST", `/simulation/stop/${id2}`)).status, 200);
    assert.equal((await call(handler, "POST", "/simulation/stop/unknown")).status, 404);
    assert.equal((await call(handler, "GET", "/simulation/status/unknown")).status, 404);
    assert.equal((await call(handler, "GET", "/simulation/unknown/summary")).status, 404);
    assert.equal((await call(handler, "GET", "/simulation/unknown/packets")).status, 404);
  }));

Deno.test("simulation: a restart resumes from the next row; a lost artifact fails clearly", async () => {
  const dir = await Deno.makeTempDir({ prefix: "qc-sim-restart-" });
  try {
    const config = testConfig({ dataDir: dir, kvPath: join(dir, "kv.sqlite3") });
    // closeTimeoutMs 0: closing aborts the running replay at once, as a crash would cut it off.
    const open = async () => {
      const s = await openServices(config, { tasks: { closeTimeoutMs: 0 } });
      registerPipelineTasks(s);
      return s;
    };
    let services = await open();
    const fx = await seedSimulation(services, { simRows: 60 });
    const handler = await setup2(services);
    const { json } = await call(handler, "POST", "/simulation/start", {
      rows_per_second: 100,
      warmup_seconds: 0,
    });
    const id: string = json.task_id;
    await waitPackets(services, id, 15);
    await services.close();

    services = await open();
    const before = await readPacketRecords(services.kv, id, { limit: 1000 });
    assert.ok(
      before.records.length >= 15 && before.records.length < 60,
      `${before.records.length}`,
    );
    const done = await waitFinal(services, id);
    assert.equal(done.state, "SUCCESS", done.error ?? "");
    assert.ok(done.attempts >= 2, "resumed in a new run");
    assert.deepEqual(done.result, { message: "Simulation complete. Processed 60 records." });
    const { records } = await readPacketRecords(services.kv, id, { limit: 1000 });
    assert.deepEqual(records.map((r) => r.seq), Array.from({ length: 60 }, (_, i) => i));
    assert.deepEqual(
      records.map((r) => r.packet.live_stats.total_predictions),
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
    // Packets written before the restart were kept as they were.
    assert.deepEqual(records.slice(0, before.records.length), before.records);
    // The fail log holds every Fail packet of the run, those before the restart included.
    const failRows = records.filter((r) => r.packet.live_prediction.prediction === "Fail")
      .map((r) => r.seq).reverse();
    assert.ok(failRows.some((row) => row < before.records.length), "a failure before the cut");
    assert.ok(failRows.some((row) => row >= before.records.length), "a failure after it");
    const logged = await allFailures(await setup2(services), id, 7);
    assert.deepEqual(logged.map((f) => f.row), failRows);
    for (const f of logged) assert.deepEqual(f.explanation, records[f.row].packet.explanation);
    // Drift counts survive the restart (kept in the checkpoint): the final summary's drift
    // covers every replayed row, equal to the split-time report over the whole window.
    const summary = await getSimulationSummary(services, id);
    const drift = await getSplitDrift(services, fx.split);
    assert.equal(summary?.drift?.compared_rows, 60);
    assert.deepEqual(summary?.drift?.features, drift.simulation.features);

    // Second run: cut off, then the model artifact disappears → FAILURE with the reason.
    const h2 = await setup2(services);
    const again = await call(h2, "POST", "/simulation/start", {
      rows_per_second: 100,
      warmup_seconds: 0,
    });
    const id2: string = again.json.task_id;
    await waitPackets(services, id2, 5);
    await services.close();
    await Deno.remove(join(dir, "blobs", fx.record.artifacts.onnx));
    services = await open();
    const failed = await waitFinal(services, id2);
    assert.equal(failed.state, "FAILURE");
    assert.match(failed.error ?? "", /ONNX artifact is missing/);
    const st = await call(await setup2(services), "GET", `/simulation/status/${id2}`);
    assert.equal(st.json.status, "FAILURE");
    assert.match(st.json.progress.status, /ONNX artifact is missing/);
    await services.close();
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});

/** The app handler without registering the kinds again (they are registered by `open`). */
async function setup2(services: Services): Promise<Handler> {
  return (await createApp(services)).handler() as Handler;
}
