/**
 * The split deployment for real: one `ROLE=api` process and two `ROLE=worker` processes on one
 * KV file (claim dispatch, polled watch) and one S3 server (s3rver), driven over HTTP like the
 * .NET backend: upload → READY → split → train → SUCCESS (each task claimed exactly once), then
 * a second training whose worker is killed with SIGKILL (the other worker settles it as FAILURE
 * with a reason once its heartbeat is stale), then a simulation on the surviving worker whose
 * packets reach the API's SSE stream.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { S3RVER_AVAILABLE, startS3rver } from "../lib/storage/s3_testing.ts";
import type { TaskRecord } from "../lib/tasks/types.ts";
import { boschCsv, boschFixture } from "./bosch_fixture.ts";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

interface Proc {
  name: string;
  port: number;
  child: Deno.ChildProcess;
  log: string[];
}

function spawn(name: string, env: Record<string, string>): Proc {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN],
    env: { ...env, PORT: String(port) },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const log: string[] = [];
  for (const s of [child.stdout, child.stderr]) {
    s.pipeThrough(new TextDecoderStream()).pipeTo(
      new WritableStream({ write: (t) => void log.push(t) }),
    ).catch(() => {});
  }
  return { name, port, child, log };
}

async function until<T>(what: string, ms: number, fn: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function json(res: Response) {
  const text = await res.text();
  try {
    return { status: res.status, json: JSON.parse(text), text };
  } catch {
    return { status: res.status, json: null, text };
  }
}

function multipart(
  csv: string,
): { body: Uint8Array<ArrayBuffer>; headers: Record<string, string> } {
  const boundary = crypto.randomUUID();
  const enc = new TextEncoder();
  const body = enc.encode(
    `--${boundary}\r\nContent-Type: text/csv\r\n` +
      `Content-Disposition: form-data; name="file"; filename="bosch.csv"\r\n\r\n${csv}` +
      `\r\n--${boundary}--\r\n`,
  );
  return {
    body,
    headers: {
      "content-type": `multipart/form-data; boundary="${boundary}"`,
      "content-length": String(body.length),
    },
  };
}

const netDate = (iso: string, end: boolean) =>
  end ? `${iso}T23:59:59.9999999Z` : `${iso}T00:00:00Z`;

Deno.test({
  name: "multi-process: api + 2 workers on one KV file and s3rver (.NET flow, kill -9, SSE)",
  ignore: !S3RVER_AVAILABLE,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const t0 = performance.now();
    const dir = await Deno.makeTempDir({ prefix: "qc-mp-" });
    const s3 = await startS3rver();
    const procs: Proc[] = [];
    const kvPath = join(dir, "kv.sqlite3");
    const base: Record<string, string> = {
      ...s3.env,
      KV_PATH: kvPath,
      STORAGE_URL: "s3://qc-multiprocess/run1",
      LISTEN_HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      TASK_POLL_MS: "200",
      TASK_STALE_MS: "3000",
      TRAIN_THREADS: "1",
      SIMULATION_WARMUP_SECONDS: "0",
      SIMULATION_ROWS_PER_SECOND: "100",
    };
    const kv = await Deno.openKv(kvPath);
    try {
      const api = spawn("api", { ...base, ROLE: "api", DATA_DIR: join(dir, "api") });
      const workers = [1, 2].map((i) =>
        spawn(`worker${i}`, { ...base, ROLE: "worker", DATA_DIR: join(dir, `w${i}`) })
      );
      procs.push(api, ...workers);
      const url = (p: Proc, path: string) => `http://127.0.0.1:${p.port}${path}`;
      for (const p of procs) {
        await until(`${p.name} health`, 60_000, async () => {
          const r = await fetch(url(p, "/health"));
          await r.body?.cancel();
          return r.ok ? true : null;
        });
      }
      // Workers serve nothing but /health.
      const no = await fetch(url(workers[0], "/datasets"));
      assert.equal(no.status, 404);
      await no.body?.cancel();
      const tReady = performance.now();

      // Upload → READY (feature selection runs on a worker).
      const csv = boschCsv(boschFixture({ rows: 3000, features: 30 }));
      const { body, headers } = multipart(csv);
      const up = await json(
        await fetch(url(api, "/dataset/store"), { method: "POST", body, headers }),
      );
      assert.equal(up.status, 202, up.text);
      const datasetId = up.json.dataset_id as string;
      await until("dataset READY", 60_000, async () => {
        const ds = await json(await fetch(url(api, `/dataset/${datasetId}`)));
        assert.notEqual(ds.json?.state, "FAILED", ds.text);
        return ds.json?.state === "READY" ? true : null;
      });

      // Split (synchronous in the api) → train on a worker.
      const split = await json(
        await fetch(url(api, "/process/split-data"), {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            train_start_date: netDate("2025-01-01", false),
            train_end_date: netDate("2025-01-04", true),
            test_start_date: netDate("2025-01-05", false),
            test_end_date: netDate("2025-01-05", true),
            simulation_start_date: netDate("2025-01-06", false),
            simulation_end_date: netDate("2025-01-07", true),
          }),
        }),
      );
      assert.equal(split.status, 200, split.text);
      const status = (id: string) =>
        fetch(url(api, `/process/train/status/${id}`)).then(json).then((r) => r.json);
      const train = await json(await fetch(url(api, "/process/train/start"), { method: "POST" }));
      assert.equal(train.status, 200, train.text);
      const trained = await until("training SUCCESS", 90_000, async () => {
        const s = await status(train.json.task_id);
        assert.notEqual(s.status, "FAILURE", JSON.stringify(s));
        return s.status === "SUCCESS" ? s : null;
      });
      assert.equal(typeof trained.result.model_id, "string");
      const tFlow = performance.now();

      // Every task so far ran exactly once: one claim each (attempts counts claims).
      const tasks: TaskRecord[] = [];
      for await (const e of kv.list<TaskRecord>({ prefix: ["tasks"] })) tasks.push(e.value);
      assert.deepEqual(tasks.map((t) => t.kind).sort(), ["dataset.select_features", "train"]);
      for (const t of tasks) {
        assert.equal(t.state, "SUCCESS", `${t.kind}: ${t.error}`);
        assert.equal(t.attempts, 1, `${t.kind} claimed ${t.attempts} times`);
      }

      // A long training; SIGKILL the worker holding it → the other one settles it.
      const long = await json(
        await fetch(url(api, "/process/train/start"), {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            n_estimators: 500,
            early_stopping_rounds: 0,
            learning_rate: 0.01,
            max_depth: 10,
          }),
        }),
      );
      assert.equal(long.status, 200, long.text);
      const longId = long.json.task_id as string;
      const holder = await until("a worker running the training", 30_000, async () => {
        for (const w of workers) {
          const h = await json(await fetch(url(w, "/health")));
          if ((h.json?.running ?? []).includes(longId)) return w;
        }
        return null;
      });
      const survivor = workers.find((w) => w !== holder)!;
      holder.child.kill("SIGKILL");
      await holder.child.status;
      const tKill = performance.now();
      const settled = await until("the killed training settled", 60_000, async () => {
        const s = await status(longId);
        return s.status === "FAILURE" || s.status === "SUCCESS" ? s : null;
      });
      const tSettled = performance.now();
      assert.equal(settled.status, "FAILURE", JSON.stringify(settled));
      assert.match(settled.progress?.status ?? "", /interrupted/i);

      // A simulation on the surviving worker; its packets reach the api's SSE stream.
      const sim = await json(
        await fetch(url(api, "/simulation/start"), {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ rows_per_second: 400, warmup_seconds: 0 }),
        }),
      );
      assert.equal(sim.status, 200, sim.text);
      const simId = sim.json.task_id as string;
      const ctl = new AbortController();
      const timer = setTimeout(() => ctl.abort(), 60_000);
      const res = await fetch(url(api, `/simulation/${simId}/events`), { signal: ctl.signal });
      assert.equal(res.status, 200);
      const ids: number[] = [];
      let final = null as { status: string } | null;
      let buf = "";
      for await (const chunk of res.body!.pipeThrough(new TextDecoderStream())) {
        buf += chunk;
        let cut;
        while ((cut = buf.indexOf("\n\n")) >= 0) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const dataLine = /^data: (.*)$/m.exec(block)?.[1];
          if (event === "packet") ids.push(JSON.parse(dataLine!).current_row_index);
          if (event === "status") final = JSON.parse(dataLine!);
        }
        if (final) break;
      }
      clearTimeout(timer);
      ctl.abort();
      assert.equal(final?.status, "SUCCESS", JSON.stringify(final));
      assert.equal(ids.length, split.json.simulation_set_rows);
      assert.deepEqual(ids, ids.map((_, i) => i), "every packet once, in order");
      const simRec = (await kv.get<TaskRecord>(["tasks", simId])).value!;
      assert.equal(simRec.attempts, 1);
      const h = await json(await fetch(url(survivor, "/health")));
      assert.equal(h.status, 200);
      console.log(
        `multi-process e2e: start ${((tReady - t0) / 1000).toFixed(1)} s, upload→trained ` +
          `${((tFlow - tReady) / 1000).toFixed(1)} s, kill→settled ` +
          `${((tSettled - tKill) / 1000).toFixed(1)} s, simulation of ${ids.length} rows via ` +
          `SSE ${((performance.now() - tSettled) / 1000).toFixed(1)} s, total ` +
          `${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
    } catch (err) {
      for (const p of procs) console.error(`--- ${p.name} log:\n${p.log.join("").slice(-4000)}`);
      throw err;
    } finally {
      for (const p of procs) {
        try {
          p.child.kill("SIGKILL");
        } catch { /* already gone */ }
        await p.child.status;
      }
      kv.close();
      await s3.stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
