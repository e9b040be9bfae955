/**
 * Simulation pacing under load: 60 intervals at the real pace (1 row/s) while a training runs at
 * the same time (`trainInWorker`, 2 threads, synthetic 200k × 50, running through the whole replay), so both cores are busy.
 *
 * Figures: inter-packet gaps measured (a) where the packet is produced (`emitted_at` of the stored
 * records) and (b) where an SSE client receives it (`GET /simulation/{id}/events` over a real
 * HTTP server on localhost): mean, p50, p99 and max |gap − 1000 ms|, and the drift of the last
 * packet from its schedule. Target: p99 |gap − 1000| ≤ 50 ms.
 *
 * Reference measured in the same run, same load: a naive loop doing equivalent work (a KV
 * write) followed by `setTimeout(1000)` — the "sleep(1) after the work" pattern — whose error
 * accumulates; the ratio of the drifts shows what clock scheduling buys.
 *
 * Run: `deno run -A bench/simulation_pacing.ts` (about 75 s).
 */
import { createApp } from "../lib/app.ts";
import { openServices } from "../lib/bootstrap.ts";
import { testConfig } from "../lib/testing.ts";
import { registerPipelineTasks } from "../lib/pipeline/mod.ts";
import { readPacketRecords, type SimPacketRecord } from "../lib/pipeline/simulation/mod.ts";
import { announcePacket } from "../lib/pipeline/simulation/packet_bus.ts";
import { sseResponse } from "../lib/api/sse.ts";
import { simulationEvents } from "../lib/api/simulation_stream.ts";
import { makeClassification, trainInWorker } from "../lib/ml/mod.ts";
import { seedSimulation } from "../tests/simulation_fixture.ts";

const INTERVALS = Number(Deno.env.get("SIM_BENCH_INTERVALS") ?? 60);
const RATE = 1;
const PERIOD = 1000 / RATE;

function stats(gaps: number[]) {
  const dev = gaps.map((g) => Math.abs(g - PERIOD)).sort((a, b) => a - b);
  const sorted = [...gaps].sort((a, b) => a - b);
  const q = (a: number[], p: number) => a[Math.min(a.length - 1, Math.floor(p * a.length))];
  return {
    n: gaps.length,
    mean: gaps.reduce((s, g) => s + g, 0) / gaps.length,
    p50: q(sorted, 0.5),
    p99: q(sorted, 0.99),
    devP50: q(dev, 0.5),
    devP99: q(dev, 0.99),
    devMax: dev[dev.length - 1],
  };
}

function fmt(name: string, s: ReturnType<typeof stats>, drift: number): string {
  const f = (x: number) => x.toFixed(1).padStart(7);
  return `${name.padEnd(26)} n=${s.n}  mean ${f(s.mean)}  p50 ${f(s.p50)}  p99 ${f(s.p99)}  ` +
    `|dev| p50 ${f(s.devP50)}  p99 ${f(s.devP99)}  max ${f(s.devMax)}  drift ${f(drift)} ms`;
}

const t0 = performance.now();
/** Phase timestamps on stderr: shows where the wall time goes (setup vs replay vs teardown). */
const phase = (name: string) =>
  console.error(`[${((performance.now() - t0) / 1000).toFixed(1)} s] ${name}`);
const dir = await Deno.makeTempDir({ prefix: "qc-sim-bench-" });
const services = await openServices(testConfig({ dataDir: dir, kvPath: `${dir}/kv.sqlite3` }));
registerPipelineTasks(services);
// SIM_BENCH_ANNOUNCE=1: stand-in for `announcePacket` after `writePacket`'s commit in simulate.ts
// (the proposed hook), by wrapping the KV's atomic commits that store a packet.
if (Deno.env.get("SIM_BENCH_ANNOUNCE") === "1") {
  const raw = services.kv.raw;
  const atomic = raw.atomic.bind(raw);
  raw.atomic = () => {
    const op = atomic();
    const packets: [string, SimPacketRecord][] = [];
    const set = op.set.bind(op);
    op.set = (key, value, options) => {
      if (key[0] === "sim_packets") packets.push([String(key[1]), value as SimPacketRecord]);
      set(key, value, options);
      return op;
    };
    const commit = op.commit.bind(op);
    op.commit = async () => {
      const res = await commit();
      if (res.ok) { for (const [taskId, r] of packets) announcePacket(taskId, r); }
      return res;
    };
    return op;
  };
}
const app = await createApp(services);
const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.handler());
const base = `http://127.0.0.1:${server.addr.port}`;

/**
 * Reference stream: the previous design (wake on each task-record change via `tasks.watch`, then
 * read the new packets with a cursor `list`), to compare with the route in the same run.
 */
async function* legacyEvents(taskId: string, signal: AbortSignal) {
  let cursor = -1;
  const drain = async function* () {
    const page = await readPacketRecords(services.kv, taskId, { after: cursor, limit: 500 });
    for (const r of page.records) yield r;
    cursor = page.nextAfter;
  };
  for await (const _rec of services.tasks.watch(taskId, signal)) yield* drain();
  yield* drain();
}
const legacyServer = Deno.serve(
  { port: 0, hostname: "127.0.0.1", onListen() {} },
  (req) =>
    sseResponse((s) => legacyEvents(new URL(req.url).pathname.slice(1), s), {
      event: "packet",
      id: (r) => r.seq,
      map: (r) => r.packet,
      signal: req.signal,
    }),
);
const legacyBase = `http://127.0.0.1:${legacyServer.addr.port}`;

try {
  await seedSimulation(services, { simRows: INTERVALS + 1 });
  phase("seeded");

  // Load: training in a worker with 2 threads.
  const trainData = makeClassification({ nRows: 200_000, nFeatures: 50, seed: 3 });
  const stopTraining = new AbortController();
  let rounds = 0, trainings = 0;
  // One long training (more rounds than the replay lasts) rather than back-to-back short ones, so
  // the abort at the end never lands on a worker that is still starting up.
  const training = (async () => {
    while (!stopTraining.signal.aborted) {
      try {
        await trainInWorker(trainData, { n_estimators: 2000, max_depth: 6, n_threads: 2 }, {
          signal: stopTraining.signal,
          onRound: () => void rounds++,
        });
        trainings++;
      } catch (err) {
        if (!stopTraining.signal.aborted) throw err;
      }
    }
  })();
  await new Promise((r) => setTimeout(r, 3000)); // let the training reach its rounds

  const res = await fetch(`${base}/simulation/start`, {
    method: "POST",
    body: JSON.stringify({ rows_per_second: RATE, warmup_seconds: 2 }),
  });
  const { task_id: id } = await res.json();
  phase("simulation started");

  // Reference: the naive "work, then sleep one period" loop, under the same load.
  const naive: number[] = [];
  const kvSetMs: number[] = []; // how long one KV commit takes under this load
  const naiveLoop = (async () => {
    for (let i = 0; i <= INTERVALS; i++) {
      naive.push(performance.now());
      const t = performance.now();
      await services.kv.set(["bench_naive", i], { i, at: Date.now() }, { expireIn: 60_000 });
      kvSetMs.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, PERIOD));
    }
  })();

  // SSE clients over HTTP: arrival time of each packet, from the real route and, at the same
  // time and under the same load, from the legacy stream served by a second server.
  const wallById = new Map<number, number>(); // route client: wall-clock arrival per packet id
  const readArrivals = async (url: string, byId?: Map<number, number>) => {
    const arrivals: number[] = [];
    const sse = await fetch(url);
    const reader = sse.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buf = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buf += value;
      let k: number;
      while ((k = buf.indexOf("\n\n")) >= 0) {
        const block = buf.slice(0, k);
        buf = buf.slice(k + 2);
        if (!block.includes("event: packet")) continue;
        arrivals.push(performance.now());
        byId?.set(Number(/^id: (\d+)/m.exec(block)?.[1]), Date.now());
      }
    }
    return arrivals;
  };
  // And the stream's own generator without HTTP: when the KV watch hands each packet over.
  const yieldById = new Map<number, number>();
  const direct = (async () => {
    const ctl = new AbortController();
    for await (const e of simulationEvents(services, id, -1, ctl.signal)) {
      if (e.event === "packet") yieldById.set(e.id, Date.now());
    }
  })();
  const [arrivals, legacyArrivals] = await Promise.all([
    readArrivals(`${base}/simulation/${id}/events`, wallById),
    readArrivals(`${legacyBase}/${id}`),
    direct,
  ]);
  phase("SSE stream ended");
  await naiveLoop;
  stopTraining.abort();
  await training;
  phase("training stopped");

  const { records } = await readPacketRecords(services.kv, id, { limit: 1000 });
  const emitted = records.map((r) => r.emitted_at);
  const gaps = (t: number[]) => t.slice(1).map((x, i) => x - t[i]);
  const driftOf = (t: number[]) => t[t.length - 1] - t[0] - (t.length - 1) * PERIOD;

  const sEmit = stats(gaps(emitted));
  const sSse = stats(gaps(arrivals));
  const sLegacy = stats(gaps(legacyArrivals));
  const sNaive = stats(gaps(naive));
  // Latency from emission (emitted_at) to the watch handing the packet over, and to the client.
  const lat = (m: Map<number, number>) => {
    const l = records.filter((r) => m.has(r.seq)).map((r) => m.get(r.seq)! - r.emitted_at);
    l.sort((a, b) => a - b);
    return `p50 ${l[Math.floor(l.length / 2)]} p99 ${l[Math.floor(0.99 * l.length)]} max ${
      l.at(-1)
    }`;
  };
  const load = Deno.loadavg().map((x) => x.toFixed(1)).join(" ");
  console.log(
    `simulation pacing: ${INTERVALS} intervals at ${RATE} row/s, training in a worker; ` +
      `in-process announce: ${Deno.env.get("SIM_BENCH_ANNOUNCE") === "1" ? "on" : "off"}`,
  );
  console.log(`machine: ${navigator.hardwareConcurrency} cores, load average ${load} (1/5/15 min)`);
  console.log(
    `load: ${rounds} boosting rounds (${trainings} full trainings) of 200k × 50 during the run`,
  );
  console.log(fmt("packets (emitted_at)", sEmit, driftOf(emitted)));
  console.log(fmt("SSE client arrivals", sSse, driftOf(arrivals)));
  console.log(fmt("SSE legacy (record watch)", sLegacy, driftOf(legacyArrivals)));
  console.log(`latency emitted → stream yield (no HTTP): ${lat(yieldById)} ms`);
  console.log(`latency emitted → SSE client (HTTP):     ${lat(wallById)} ms`);
  const ks = [...kvSetMs].sort((a, b) => a - b);
  console.log(
    `one KV set under load: p50 ${ks[Math.floor(ks.length / 2)].toFixed(1)} p99 ${
      ks[Math.floor(0.99 * ks.length)].toFixed(1)
    } max ${ks.at(-1)!.toFixed(1)} ms`,
  );
  console.log(fmt("reference: sleep(1 s) loop", sNaive, driftOf(naive)));
  console.log(
    `ratio drift naive / paced: ${
      (driftOf(naive) / Math.max(1, Math.abs(driftOf(emitted)))).toFixed(1)
    }×; ` +
      `p99 |dev| paced ${sEmit.devP99.toFixed(1)} ms (target ≤ 50): ${
        sEmit.devP99 <= 50 ? "OK" : "MISSED"
      }; ` +
      `SSE ${sSse.devP99.toFixed(1)} ms: ${sSse.devP99 <= 50 ? "OK" : "MISSED"}; ` +
      `ratio SSE p99 |dev| legacy / route: ${
        (sLegacy.devP99 / Math.max(1, sSse.devP99)).toFixed(1)
      }×`,
  );
} finally {
  phase("teardown");
  await server.shutdown();
  await legacyServer.shutdown();
  await services.close();
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}
// Exit explicitly: an aborted `trainInWorker` with n_threads > 1 leaves its nested histogram
// workers running (reported to ml-core), which otherwise keeps this process busy for minutes.
Deno.exit(0);
