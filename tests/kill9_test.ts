/**
 * Issue 13: kill -9 of the server (a subprocess on the same data dir) during an upload, feature
 * selection, a training and a simulation. After a restart nothing is half-visible: no partial
 * dataset, no temp files, every task reaches a final state (or is resumed) within a deadline,
 * and the service answers. Each phase is bounded in time.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { dotnetBody, dotnetSplitBody, generateCsv } from "./ingest_fixtures.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FINAL = ["SUCCESS", "FAILURE", "REVOKED"];

interface Server {
  base: string;
  child: Deno.ChildProcess;
  log: () => string;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

async function startServer(dataDir: string): Promise<Server> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts"],
    cwd: ROOT,
    env: {
      PORT: "0",
      LISTEN_HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      TASK_MODE: "inprocess",
      LOG_LEVEL: "info",
      SIMULATION_WARMUP_SECONDS: "0",
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const pump = async (s: ReadableStream<Uint8Array>) => {
    const d = new TextDecoder();
    for await (const b of s) text += d.decode(b, { stream: true });
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]);
  const deadline = Date.now() + 60_000;
  let port: string | undefined;
  while (!(port = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(text)?.[1])) {
    assert.ok(Date.now() < deadline, `server did not start:\n${text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const server: Server = {
    base: `http://127.0.0.1:${port}`,
    child,
    log: () => text,
    async kill9() {
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
      await child.status;
      await pumps;
    },
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* gone */ }
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* gone */ }
      }, 15_000);
      await child.status;
      clearTimeout(timer);
      await pumps;
    },
  };
  return server;
}

// deno-lint-ignore no-explicit-any
async function getJson(base: string, path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(base + path);
  return { status: res.status, body: await res.json() };
}

async function until<T>(what: string, fn: () => Promise<T | null>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== null) return v;
    assert.ok(Date.now() < deadline, `${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function upload(base: string, csv: string): Promise<{ dataset_id: string; task_id: string }> {
  const { body, contentType } = dotnetBody(csv);
  const res = await fetch(`${base}/dataset/store`, {
    method: "POST",
    headers: { "content-type": contentType },
    body,
  });
  assert.equal(res.status, 202);
  return await res.json();
}

async function tmpFiles(dataDir: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const e of Deno.readDir(join(dataDir, "blobs", ".tmp"))) out.push(e.name);
  } catch { /* none */ }
  return out;
}

async function withServerDir(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "qc-kill9-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

Deno.test("kill -9 during an upload: after restart no dataset, no temp file", () =>
  withServerDir(async (dir) => {
    const s1 = await startServer(dir);
    const { body, contentType } = dotnetBody(generateCsv({ features: 6, days: 7 }).csv);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent >= body.length / 2) return new Promise(() => {}); // stall halfway
        c.enqueue(body.subarray(sent, sent + 4096));
        sent += 4096;
      },
    });
    const pending = fetch(`${s1.base}/dataset/store`, {
      method: "POST",
      headers: { "content-type": contentType, "content-length": String(body.length) },
      body: stream,
    }).catch(() => null);
    await until("upload half sent", () => Promise.resolve(sent >= body.length / 2 ? true : null));
    await new Promise((r) => setTimeout(r, 300));
    await s1.kill9();
    await pending;
    const s2 = await startServer(dir);
    try {
      const ds = await getJson(s2.base, "/dataset");
      assert.equal(ds.status, 404, JSON.stringify(ds.body));
      assert.deepEqual(await tmpFiles(dir), []);
      assert.equal((await getJson(s2.base, "/health")).status, 200);
    } finally {
      await s2.stop();
    }
  }));

Deno.test("kill -9 during feature selection, training and simulation: final states after restart", () =>
  withServerDir(async (dir) => {
    const csv = generateCsv({ features: 30, days: 7, rowsPerDay: 600 }).csv;
    let trainId = "";
    // 1. Feature selection.
    let s = await startServer(dir);
    const first = await upload(s.base, csv);
    await s.kill9();
    s = await startServer(dir);
    try {
      const sel = await until("selection final", async () => {
        const t = (await getJson(s.base, `/tasks/${first.task_id}`)).body;
        return FINAL.includes(t.status) ? t : null;
      });
      // Either it was re-run to SUCCESS or ended FAILURE with a reason: never stuck.
      if (sel.status !== "SUCCESS") assert.ok(sel.error ?? sel.result, JSON.stringify(sel));
      let dsId = first.dataset_id;
      if (sel.status !== "SUCCESS") {
        const again = await upload(s.base, csv);
        dsId = again.dataset_id;
        await until("selection", async () => {
          const t = (await getJson(s.base, `/tasks/${again.task_id}`)).body;
          return t.status === "SUCCESS" ? t : null;
        });
      }
      const ds = await until("dataset READY", async () => {
        const d = (await getJson(s.base, `/dataset/${dsId}`)).body;
        return d.state === "READY" ? d : null;
      });
      assert.equal(ds.id, dsId);
      const split = await fetch(`${s.base}/process/split-data`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(dotnetSplitBody({
          train: ["2025-01-01", "2025-01-04"],
          test: ["2025-01-05", "2025-01-05"],
          simulation: ["2025-01-06", "2025-01-07"],
        })),
      });
      assert.equal(split.status, 200, await split.text());

      // 2. Training: kill once it is training.
      const start = await fetch(`${s.base}/process/train/start`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ n_estimators: 400, max_depth: 8, early_stopping_rounds: 0 }),
      });
      trainId = (await start.json()).task_id;
      await until("training under way", async () => {
        const t = (await getJson(s.base, `/tasks/${trainId}`)).body;
        return t.status === "PROGRESS" ? t : null;
      });
    } finally {
      await s.kill9();
    }
    s = await startServer(dir);
    try {
      const t = await until("training final after restart", async () => {
        const r = (await getJson(s.base, `/process/train/status/${trainId}`)).body;
        return FINAL.includes(r.status) ? r : null;
      });
      assert.ok(t.status === "FAILURE" || t.status === "SUCCESS", JSON.stringify(t));
      // A new training completes (small), so a model exists for the simulation.
      const start = await fetch(`${s.base}/process/train/start`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ n_estimators: 10 }),
      });
      const { task_id } = await start.json();
      await until("small training", async () => {
        const r = (await getJson(s.base, `/process/train/status/${task_id}`)).body;
        assert.notEqual(r.status, "FAILURE", JSON.stringify(r));
        return r.status === "SUCCESS" ? r : null;
      }, 120_000);

      // 3. Simulation: kill while it replays.
      const sim = await (await fetch(`${s.base}/simulation/start`, { method: "POST" })).json();
      assert.ok(sim.task_id, JSON.stringify(sim));
      await until("simulation running", async () => {
        const r = (await getJson(s.base, `/tasks/${sim.task_id}`)).body;
        return r.status === "PROGRESS" ? r : null;
      });
      await s.kill9();
      s = await startServer(dir);
      // Resumable: it continues; stop it so the test is bounded, and it must end final.
      await until("simulation stoppable or final", async () => {
        const r = (await getJson(s.base, `/tasks/${sim.task_id}`)).body;
        if (FINAL.includes(r.status)) return r;
        const stop = await fetch(`${s.base}/simulation/stop/${sim.task_id}`, { method: "POST" });
        await stop.body?.cancel();
        return null;
      });
      assert.deepEqual(await tmpFiles(dir), []);
      assert.equal((await getJson(s.base, "/health")).status, 200);
    } finally {
      await s.stop();
    }
  }));
