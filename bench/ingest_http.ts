/**
 * Ingest through HTTP, as the .NET backend does it: the real service (`deno task start`'s
 * command: default role, local KV file and storage folder) in a subprocess, the file posted by `curl -F` (multipart
 * with a Content-Length, streamed from disk), then `GET /tasks/{id}` polled every 100 ms until
 * feature selection has made the dataset READY.
 *
 * Per file it prints: upload → 202 and 202 → READY wall times, the server's peak RSS during the
 * upload and during feature selection (Linux `VmHWM`, reset in between through
 * `/proc/<pid>/clear_refs`), the latency of `GET /datasets` polled every 100 ms during the
 * upload, and of the task status requests while selection runs. The reference, measured in the same run on the same file: the same `curl` upload into a
 * minimal Deno server that only pipes the body to a file ("stores only", what the old service
 * did before answering) — the ratio is upload → 202 over that.
 *
 * Targets (issue 16): upload → READY ≤ 15 s at Bosch scale, upload RSS ≤ 200 MB at every size.
 *
 * ```sh
 * deno run -A bench/ingest_http.ts [--files a.csv,b.csv] [--repeat 1]
 * ```
 * Default files: `bench/.data/bosch_{0.25,1}gb.csv` and the full 1,183,747-row file, generated
 * by `bench/gen_bosch.ts` when missing.
 *
 * @module
 */
import { generateBoschCsv } from "./gen_bosch.ts";
import { arg, peakRssMb, quantile, resetPeakRss } from "./harness.ts";
import { startTaskArgs } from "./start_task.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const DATA = `${ROOT}bench/.data/`;

/** The default files: 0.25 GB, 1 GB and Bosch's full row count. */
async function defaultFiles(): Promise<string[]> {
  await Deno.mkdir(DATA, { recursive: true });
  const specs = [
    { path: `${DATA}bosch_0.25gb.csv`, bytes: Math.round(0.25 * 2 ** 30) },
    { path: `${DATA}bosch_1gb.csv`, bytes: 2 ** 30 },
    { path: `${DATA}bosch_1183747rows.csv`, rows: 1_183_747 },
  ];
  for (const s of specs) {
    try {
      await Deno.stat(s.path);
    } catch {
      console.log(`generating ${s.path} ...`);
      await generateBoschCsv({ ...s, seed: 1 });
    }
  }
  return specs.map((s) => s.path);
}

/**
 * `sync`: write out what earlier phases left dirty in the page cache (the reference's 2.7 GB
 * file, the previous run's upload), so a phase's writes and fsyncs do not queue behind them.
 */
async function flushDirtyPages(): Promise<void> {
  await new Deno.Command("sync").output();
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Peak RSS of `pid` since the last reset, MB; then reset it. */
function takePeakRssMb(pid: number): number {
  const mb = peakRssMb(pid);
  resetPeakRss(pid);
  return mb;
}

async function waitUp(url: string, child: Deno.ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url);
      await r.body?.cancel();
      if (r.ok) return;
    } catch { /* not yet listening */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`server at ${url} did not come up`);
}

/** `curl -F file=@path` to `url`: status, body and wall seconds. */
async function curlUpload(url: string, path: string) {
  const t0 = performance.now();
  const out = await new Deno.Command("curl", {
    args: ["-sS", "-o", "-", "-w", "\n%{http_code}", "-F", `file=@${path};type=text/csv`, url],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const s = (performance.now() - t0) / 1000;
  const text = new TextDecoder().decode(out.stdout);
  const nl = text.lastIndexOf("\n");
  return { status: Number(text.slice(nl + 1)), body: text.slice(0, nl), s };
}

/** The "stores only" reference server: pipes the request body to a file, answers 202. */
const STORE_ONLY_SERVER = `
const [port, path] = Deno.args;
Deno.serve({ hostname: "127.0.0.1", port: Number(port), onListen() {} }, async (req) => {
  if (req.method !== "POST") return new Response("ok");
  const f = await Deno.open(path, { write: true, create: true, truncate: true });
  await req.body.pipeTo(f.writable);
  return new Response("{}", { status: 202 });
});`;

async function storeOnly(path: string): Promise<{ s: number; rssMb: number }> {
  const dir = await Deno.makeTempDir({ prefix: "qc-store-only-" });
  const script = `${dir}/server.ts`;
  await Deno.writeTextFile(script, STORE_ONLY_SERVER);
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, String(port), `${dir}/upload.bin`],
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  try {
    await waitUp(`http://127.0.0.1:${port}/`, child);
    takePeakRssMb(child.pid);
    const up = await curlUpload(`http://127.0.0.1:${port}/`, path);
    if (up.status !== 202) throw new Error(`store-only upload: ${up.status}`);
    return { s: up.s, rssMb: takePeakRssMb(child.pid) };
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

async function ingestThroughService(path: string) {
  const dir = await Deno.makeTempDir({ prefix: "qc-ingest-http-" });
  const port = freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = new Deno.Command(Deno.execPath(), {
    args: await startTaskArgs(),
    cwd: ROOT,
    env: {
      PORT: String(port),
      LISTEN_HOST: "127.0.0.1",
      DATA_DIR: `${dir}/storage`,
      KV_PATH: `${dir}/kv.sqlite3`,
      LOG_LEVEL: "warn",
    },
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  try {
    await waitUp(`${base}/health`, child);
    const idleRssMb = takePeakRssMb(child.pid);
    // While the upload streams: the datasets list every 100 ms (what the console polls).
    const uploadLatencies: number[] = [];
    let uploading = true;
    const poller = (async () => {
      while (uploading) {
        const q0 = performance.now();
        await (await fetch(`${base}/datasets`)).body?.cancel();
        uploadLatencies.push(performance.now() - q0);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const up = await curlUpload(`${base}/dataset/store`, path);
    uploading = false;
    await poller;
    uploadLatencies.sort((a, b) => a - b);
    const uploadRssMb = takePeakRssMb(child.pid);
    if (up.status !== 202) throw new Error(`upload answered ${up.status}: ${up.body}`);
    const taskId = JSON.parse(up.body).task_id as string;
    const t202 = performance.now();
    const latencies: number[] = [];
    let state = "";
    let task: Record<string, unknown> = {};
    const deadline = Date.now() + 600_000;
    while (Date.now() < deadline) {
      const q0 = performance.now();
      const r = await fetch(`${base}/tasks/${taskId}`);
      task = await r.json();
      latencies.push(performance.now() - q0);
      state = String(task.state ?? task.status);
      if (["SUCCESS", "FAILURE", "REVOKED"].includes(state)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const readyS = (performance.now() - t202) / 1000;
    if (state !== "SUCCESS") throw new Error(`selection ended ${state}: ${JSON.stringify(task)}`);
    const selectRssMb = takePeakRssMb(child.pid);
    latencies.sort((a, b) => a - b);
    return {
      uploadS: up.s,
      readyS,
      totalS: up.s + readyS,
      idleRssMb,
      uploadRssMb,
      selectRssMb,
      uploadP99: quantile(uploadLatencies, 0.99),
      uploadMax: uploadLatencies[uploadLatencies.length - 1],
      statusP50: quantile(latencies, 0.5),
      statusP99: quantile(latencies, 0.99),
      statusMax: latencies[latencies.length - 1],
    };
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  const files = arg("files")?.split(",") ?? await defaultFiles();
  const repeat = Number(arg("repeat") ?? "1");
  const f1 = (v: number) => v.toFixed(1);
  console.log(
    "| file | MB | store-only s | upload→202 s | ×store-only | 202→READY s | upload→READY s " +
      "| RSS idle / upload / selection MB | store-only RSS MB | requests during upload p99/max ms " +
      "| status during selection p50/p99/max ms | load |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (let i = 0; i < repeat; i++) {
    for (const path of files) {
      const mb = (await Deno.stat(path)).size / 1e6;
      await flushDirtyPages();
      const ref = await storeOnly(path);
      await flushDirtyPages();
      const r = await ingestThroughService(path);
      console.log(
        `| ${path.split("/").pop()} | ${mb.toFixed(0)} | ${f1(ref.s)} | ${f1(r.uploadS)} | ` +
          `${(r.uploadS / ref.s).toFixed(2)} | ${f1(r.readyS)} | ${f1(r.totalS)} | ` +
          `${r.idleRssMb.toFixed(0)} / ${r.uploadRssMb.toFixed(0)} / ${
            r.selectRssMb.toFixed(0)
          } | ` +
          `${ref.rssMb.toFixed(0)} | ${f1(r.uploadP99)} / ${f1(r.uploadMax)} | ` +
          `${f1(r.statusP50)} / ${f1(r.statusP99)} / ${f1(r.statusMax)} | ` +
          `${Deno.loadavg()[0].toFixed(1)} |`,
      );
    }
  }
}
