/**
 * Does starting a worker stall the main thread, and does the worker host (`lib/worker/host.ts`)
 * remove the stall? Side by side in one process: rounds alternate between `WorkerClient.spawn`
 * creating the worker on this thread ("direct") and through the host ("host"); each round spawns
 * `--spawns` workers (`--gap` ms apart), makes one call and terminates each, while a 5 ms timer
 * measures this thread's event-loop lag. `--load N` keeps N busy workers running meanwhile (a
 * training's CPU load on this 2-core machine).
 *
 * ```sh
 * deno run -A bench/worker_spawn.ts [--spawns 10] [--gap 300] [--rounds 2] [--load 0]
 * ```
 *
 * Prints per mode: the time `spawn` held the thread (p50/max), spawn→first result (p50/max),
 * and the event-loop lag p99/max with every stall over 50 ms.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { WorkerClient } from "../lib/worker/client.ts";
import { startWorkerHost, stopWorkerHost } from "../lib/worker/host.ts";
import type { TestRequest } from "../lib/worker/testdata/test_worker.ts";
import { formatStageLag, LagProbe, type StageLag } from "./harness.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    spawns: { type: "string", default: "10" },
    gap: { type: "string", default: "300" },
    rounds: { type: "string", default: "2" },
    load: { type: "string", default: "0" },
  },
});
const SPAWNS = Number(values.spawns), GAP = Number(values.gap), ROUNDS = Number(values.rounds);
const WORKER = new URL("../lib/worker/testdata/test_worker.ts", import.meta.url);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
};

// Background CPU load, started before the probe (their own start is not measured).
const busy = Array.from({ length: Number(values.load) }, () => WorkerClient.spawn(WORKER));
for (const b of busy) b.call<TestRequest, unknown>({ mode: "busy", ms: 3_600_000 }).catch(() => {});
await sleep(1000);

const results: Record<"direct" | "host", { hold: number[]; first: number[]; lag: StageLag[] }> = {
  direct: { hold: [], first: [], lag: [] },
  host: { hold: [], first: [], lag: [] },
};
for (let round = 0; round < ROUNDS; round++) {
  for (const mode of ["direct", "host"] as const) {
    if (mode === "host") {
      startWorkerHost();
      await sleep(2500); // the host's own start (one blocking new Worker) and its warm pool
    }
    const probe = new LagProbe();
    probe.stage(mode);
    const r = results[mode];
    for (let i = 0; i < SPAWNS; i++) {
      const t0 = performance.now();
      const client = WorkerClient.spawn(WORKER, { name: `spawn-${i}` });
      r.hold.push(performance.now() - t0);
      await client.call<TestRequest, number>({ mode: "echo", value: i });
      r.first.push(performance.now() - t0);
      client.terminate();
      await sleep(GAP);
    }
    r.lag.push(...probe.stop());
    if (mode === "host") stopWorkerHost();
  }
}
for (const b of busy) b.terminate();

console.log(
  `# worker spawn: ${ROUNDS} rounds × ${SPAWNS} spawns ${GAP} ms apart, ${values.load} busy ` +
    `workers, load average ${Deno.loadavg().map((x) => x.toFixed(2)).join(" ")}`,
);
for (const mode of ["direct", "host"] as const) {
  const r = results[mode];
  console.log(
    `${mode.padEnd(6)} spawn held the thread p50 ${pct(r.hold, 0.5).toFixed(1)} ms, max ` +
      `${Math.max(...r.hold).toFixed(1)} ms | spawn → first result p50 ` +
      `${pct(r.first, 0.5).toFixed(1)} ms, max ${Math.max(...r.first).toFixed(1)} ms`,
  );
  for (const lag of r.lag) console.log(`       ${formatStageLag(lag)}`);
}
