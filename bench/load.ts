/**
 * Load during a training (issue 13): 200 status pollers at 2 Hz and 50 SSE subscribers to the
 * task's events, on loopback, from a Worker thread, while the server runs in this process's
 * main thread with an event-loop lag probe (a 5 ms timer: how late it fires). Bounded: the
 * training is capped (`--max-seconds`, default 180) and the clients stop when it ends.
 *
 * Every stage is probed (issue 16: no stall over 50 ms, status p99 ≤ 50 ms throughout): upload,
 * feature selection, split, training and a `--sim-seconds` simulation, each with the server's
 * event-loop lag (p99 / max / stalls over 50 ms with their time in the stage) and the latency of
 * one status poller every 50 ms from another Worker. `--worker-host off` starts workers on the
 * main thread instead of through the worker host (`lib/worker/host.ts`, as `main.ts` does).
 *
 * ```sh
 * deno run -A bench/load.ts [--rows 30000] [--features 60] [--trees 300] [--pollers 200]
 *   [--subscribers 50] [--max-seconds 180] [--sim-seconds 10] [--worker-host on|off]
 * ```
 *
 * Prints: errors, status latency p50 / p99 / max, SSE events received, event-loop lag p99 / max,
 * and each stall over 30 ms with its time after the start request (to place it in the training);
 * then one line of status latency and one of event-loop lag per stage.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { createApp } from "../lib/app.ts";
import { createLogger } from "../lib/api/logging.ts";
import { withTestServices } from "../lib/testing.ts";
import { registerPipelineTasks } from "../lib/pipeline/mod.ts";
import { boschCsv, boschFixture } from "../tests/bosch_fixture.ts";
import { startWorkerHost, stopWorkerHost } from "../lib/worker/host.ts";
import { DOTNET_SPLIT_BODY, formatStageLag, LagProbe, quantile } from "./harness.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    rows: { type: "string", default: "30000" },
    features: { type: "string", default: "60" },
    trees: { type: "string", default: "300" },
    pollers: { type: "string", default: "200" },
    subscribers: { type: "string", default: "50" },
    "max-seconds": { type: "string", default: "180" },
    "sim-seconds": { type: "string", default: "10" },
    "worker-host": { type: "string", default: "on" },
  },
});
const rows = Number(values.rows);
const maxMs = Number(values["max-seconds"]) * 1000;

async function waitFor<T>(what: string, fn: () => Promise<T | null>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// One status request every 50 ms, from its own thread: [absolute time, ms, status] per answer.
const POLLER = `
let url = null, stop = false; const samples = [];
self.onmessage = async (e) => {
  if (e.data.stop) { stop = true; return; }
  url = e.data.url;
  while (!stop) {
    const t0 = performance.now();
    const res = await fetch(url);
    await res.arrayBuffer();
    samples.push([performance.timeOrigin + t0, performance.now() - t0, res.status]);
    await new Promise((r) => setTimeout(r, Math.max(0, 50 - (performance.now() - t0))));
  }
  self.postMessage(samples);
};`;
const now = () => performance.timeOrigin + performance.now();

const useHost = values["worker-host"] !== "off";
if (useHost) startWorkerHost();
await withTestServices(async (services) => {
  registerPipelineTasks(services);
  const app = await createApp(services, { logger: createLogger("warn") });
  const stop = new AbortController();
  const server = await app.listen({
    hostname: "127.0.0.1",
    port: 0,
    signal: stop.signal,
    onListen: () => {},
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  try {
    // Data (built before the probe starts: its synchronous build is the client's, not the
    // server's), uploaded as .NET does; then feature selection and the split by date.
    const csv = boschCsv(boschFixture({ rows, features: Number(values.features), seed: 7 }));
    const boundary = crypto.randomUUID();
    const body = new TextEncoder().encode(
      `--${boundary}\r\nContent-Type: text/csv\r\nContent-Disposition: form-data; ` +
        `name="file"; filename="load.csv"\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
    );
    // A finished task (no split yet → FAILURE) gives a status URL to poll through every stage.
    const first = await (await fetch(`${base}/process/train/start`, { method: "POST" })).json();
    await services.tasks.waitFor(first.task_id, { timeoutMs: 30_000 });
    // Both client threads start before the probe: `new Worker` blocks this (the server's) thread.
    const worker = new Worker(new URL("./load_clients.ts", import.meta.url), { type: "module" });
    const poller = new Worker(
      URL.createObjectURL(new Blob([POLLER], { type: "application/javascript" })),
      { type: "module" },
    );
    poller.postMessage({ url: `${base}/process/train/status/${first.task_id}` });
    const stageLag = new LagProbe();
    const stages: [string, number][] = [];
    const stage = (name: string) => {
      stageLag.stage(name);
      stages.push([name, now()]);
    };
    await new Promise((r) => setTimeout(r, 1000));

    stage("upload");
    const up = await fetch(`${base}/dataset/store`, {
      method: "POST",
      headers: { "content-type": `multipart/form-data; boundary="${boundary}"` },
      body,
    });
    const { dataset_id } = await up.json();
    stage("feature selection");
    await waitFor("dataset READY", async () => {
      const ds = await (await fetch(`${base}/dataset/${dataset_id}`)).json();
      if (ds.state === "FAILED") throw new Error(ds.error);
      return ds.state === "READY" ? true : null;
    }, 300_000);
    stage("split");
    const split = await fetch(`${base}/process/split-data`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: DOTNET_SPLIT_BODY,
    });
    if (split.status !== 200) throw new Error(`split ${split.status}: ${await split.text()}`);
    await split.body?.cancel();
    await new Promise((r) => setTimeout(r, 300));
    stage("training");

    // Probe + clients, then the training.
    const lags: number[] = [];
    /** Stalls over 30 ms: when (s after the start request) and how long, to place them. */
    const stalls: string[] = [];
    const probeStart = performance.now();
    let last = probeStart;
    const probe = setInterval(() => {
      const now = performance.now();
      const lag = Math.max(0, now - last - 5);
      lags.push(lag);
      if (lag > 30) {
        stalls.push(`${((now - probeStart) / 1000).toFixed(1)} s: ${lag.toFixed(0)} ms`);
      }
      last = now;
    }, 5);
    const start = await fetch(`${base}/process/train/start`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        n_estimators: Number(values.trees),
        max_depth: 8,
        early_stopping_rounds: 0,
      }),
    });
    const started = await start.json();
    const task_id = started.task_id;
    if (!task_id) throw new Error(`train start ${start.status}: ${JSON.stringify(started)}`);
    const t0 = performance.now();
    const result = await new Promise<{
      latencies: number[];
      firstLatencies: number[];
      errors: number;
      errorSamples: string[];
      events: number;
      sseOpen: number;
      final: boolean;
    }>((resolve, reject) => {
      worker.onmessage = (e) => resolve(e.data);
      worker.onerror = (e) => reject(e.error ?? new Error(e.message));
      worker.postMessage({
        base,
        taskId: task_id,
        pollers: Number(values.pollers),
        hz: 2,
        subscribers: Number(values.subscribers),
        maxMs,
      });
    });
    worker.terminate();
    clearInterval(probe);
    const seconds = (performance.now() - t0) / 1000;
    const status = await (await fetch(`${base}/process/train/status/${task_id}`)).json();
    const lat = result.latencies.sort((a, b) => a - b);
    lags.sort((a, b) => a - b);
    console.log(
      `load: ${values.pollers} pollers @ 2 Hz + ${values.subscribers} SSE (open ${result.sseOpen})` +
        ` during a training of ${rows} rows × ${values.features} features, ${values.trees} trees` +
        ` (${status.status}, ${seconds.toFixed(1)} s${result.final ? "" : ", capped"})`,
    );
    console.log(
      `  errors ${result.errors}${result.errorSamples.length ? ` (${result.errorSamples})` : ""}` +
        ` | status requests ${lat.length}: p50 ${quantile(lat, 0.5).toFixed(1)} ms, p99 ` +
        `${quantile(lat, 0.99).toFixed(1)} ms, max ${lat.at(-1)?.toFixed(1)} ms` +
        ` (first request per poller, connection setup: max ` +
        `${Math.max(...result.firstLatencies).toFixed(1)} ms)` +
        ` | SSE events ${result.events}` +
        ` | server event-loop lag p99 ${quantile(lags, 0.99).toFixed(1)} ms, max ` +
        `${lags.at(-1)?.toFixed(1)} ms`,
    );
    console.log(`  stalls > 30 ms: ${stalls.join(", ") || "none"}`);
    console.log(`  load average: ${Deno.loadavg().map((x) => x.toFixed(2)).join(" ")}`);

    // Simulation: a short warmup, then rows at 100 per second for --sim-seconds, then a stop.
    if (status.status === "SUCCESS") {
      stage("simulation");
      const sim = await (await fetch(`${base}/simulation/start`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ warmup_seconds: 1, rows_per_second: 100 }),
      })).json();
      if (!sim.task_id) throw new Error(`simulation start: ${JSON.stringify(sim)}`);
      await new Promise((r) => setTimeout(r, Number(values["sim-seconds"]) * 1000));
      await (await fetch(`${base}/simulation/stop/${sim.task_id}`, { method: "POST" })).body
        ?.cancel();
      await services.tasks.waitFor(sim.task_id, { timeoutMs: 30_000 });
    }
    stage("end");
    const lagByStage = stageLag.stop();
    poller.postMessage({ stop: true });
    const samples: [number, number, number][] = await new Promise((resolve) => {
      poller.onmessage = (e) => resolve(e.data);
    });
    poller.terminate();
    console.log(
      `per stage (worker host ${useHost ? "on" : "off"}; status: one poller every 50 ms):`,
    );
    for (let i = 0; i + 1 < stages.length; i++) {
      const [name, from] = stages[i];
      const to = stages[i + 1][1];
      const xs = samples.filter(([t]) => t >= from && t < to).map(([, ms]) => ms)
        .sort((a, b) => a - b);
      const bad = samples.filter(([t, , code]) => t >= from && t < to && code !== 200).length;
      const lag = lagByStage.find((l) => l.stage === name);
      console.log(
        `  ${name} (${((to - from) / 1000).toFixed(1)} s): status n=${xs.length} p50 ` +
          `${quantile(xs, 0.5).toFixed(1)} ms, p99 ${quantile(xs, 0.99).toFixed(1)} ms, max ` +
          `${xs.at(-1)?.toFixed(1)} ms, non-200 ${bad}`,
      );
      if (lag) console.log(`    ${formatStageLag(lag)}`);
    }
    console.log(`  load average: ${Deno.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  } finally {
    stop.abort();
    await server.finished;
  }
}, { taskMode: "inprocess", logLevel: "warn" });
if (useHost) stopWorkerHost();
