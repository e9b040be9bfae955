/**
 * Ingest benchmark on a generated Bosch-shaped CSV (≥ 1 GB by default).
 *
 * Measures, each in its own subprocess so peak RSS (`VmHWM`) belongs to that phase only:
 * - `cat file > /dev/null` MB/s (warm page cache) — the I/O reference;
 * - profile pass (`profileCsv`: validation, counts, text detection, sample) MB/s, in-thread and
 *   via `profileInWorker`;
 * - the scanner's record kernels, WebAssembly SIMD against the JS fallback (`kernels`): the count
 *   scan of the profile pass and a select-scan of 100 columns with number parsing (the
 *   column-table access pattern), MB/s and the ratio;
 * - column-table build (`buildColumnTableInWorker`, top-100 columns incl. the signal ones);
 * - upload: `receiveCsvUpload` behind a local `Deno.serve` fed by a streaming multipart fetch vs
 *   a raw body piped to a file in the same run (ratio; target ≥ 0.7×), with server peak RSS
 *   (target ≤ 150 MB).
 * Figures are printed with ratios against the references measured in the same run.
 *
 * Usage: `deno run -A bench/ingest.ts [--gb 1] [--file path] [--only profile,kernels,table,upload]`
 *
 * Hook for the pipeline helper: phases are entries of `PHASES`; to time feature selection add a
 * `select` phase (e.g. from `bench/ingest_select.ts`, loaded below when present) — it receives
 * the CSV path and returns figures to print.
 *
 * @module
 */
import process from "node:process";
import { buildColumnTableInWorker } from "../lib/data/column_table_worker.ts";
import { scanCsv } from "../lib/data/csv_scanner.ts";
import { receiveCsvUpload } from "../lib/api/multipart_upload.ts";
import { profileCsv } from "../lib/data/profile.ts";
import { profileInWorker } from "../lib/data/profile_worker.ts";
import { LocalBlobStore } from "../lib/storage/local_store.ts";
import { ensureBoschCsv } from "./gen_bosch.ts";
import { arg, type Figures, peakRssMb, runPhase as runPhaseOf } from "./harness.ts";

/** Run one of this file's phases in a subprocess. */
const runPhase = (name: string, path: string) => runPhaseOf(import.meta.url, name, path);

/** A phase runs in a fresh subprocess: `run(csvPath)` → figures. */
export type Phase = (csvPath: string) => Promise<Figures>;

const MB = 1e6;

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; cpu: number }> {
  const c0 = cpuMs();
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0, cpu: cpuMs() - c0 };
}

async function fileSize(path: string) {
  return (await Deno.stat(path)).size;
}

/** The phases. Each runs alone in a subprocess (`--phase name`). */
export const PHASES: Record<string, Phase> = {
  async cat(path) {
    const size = await fileSize(path);
    await new Deno.Command("cat", { args: [path], stdout: "null" }).output(); // warm the cache
    const t0 = performance.now();
    await new Deno.Command("sh", { args: ["-c", `cat '${path}' > /dev/null`] }).output();
    const ms = performance.now() - t0;
    return { ms, mbps: size / MB / (ms / 1000) };
  },
  async profile(path) {
    const size = await fileSize(path);
    const r = await timed(() => profileCsv(path));
    return {
      ms: r.ms,
      cpuMs: r.cpu,
      mbps: size / MB / (r.ms / 1000),
      cpuMbps: size / MB / (r.cpu / 1000),
      rows: r.value.profile.rows,
      sampleRows: r.value.sample.nRows,
    };
  },
  async profileWorker(path) {
    const size = await fileSize(path);
    const r = await timed(() => profileInWorker(path));
    return { ms: r.ms, mbps: size / MB / (r.ms / 1000), sampleRows: r.value.sample.nRows };
  },
  select100: (path) => select100(path, "wasm"),
  select100Js: (path) => select100(path, "js"),
  count: (path) => countScan(path, "wasm"),
  countJs: (path) => countScan(path, "js"),
  async table(path) {
    const dir = await Deno.makeTempDir({ prefix: "ingest_table_" });
    try {
      const store = await LocalBlobStore.open(dir);
      const header = (await readFirstLine(path)).split(",");
      const signal = await readSignal(path);
      const feats = header.filter((n) => /^L\d+_S\d+_F\d+$/.test(n));
      const cols = [...signal, ...feats.filter((n) => !signal.includes(n))].slice(0, 100);
      let rowsHint: number | undefined;
      try {
        rowsHint = JSON.parse(await Deno.readTextFile(path.replace(/\.csv$/, ".signal.json"))).rows;
      } catch { /* unknown */ }
      const r = await timed(() => buildColumnTableInWorker(path, cols, store, "t", { rowsHint }));
      const size = await fileSize(path);
      return {
        ms: r.ms,
        mbps: size / MB / (r.ms / 1000),
        rows: r.value.rows,
        columns: r.value.columns.length,
      };
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
  uploadServerMultipart: () => serveUpload("multipart"),
  uploadServerRaw: () => serveUpload("raw"),
};

/** Select-scan of 100 columns with number parsing (the column-table access pattern). */
async function select100(path: string, kernels: "wasm" | "js"): Promise<Figures> {
  const size = await fileSize(path);
  let sum = 0;
  const r = await timed(() =>
    scanCsv(path, {
      kernels,
      onHeader: (names) => ({
        columns: Array.from(
          { length: 100 },
          (_, i) => 2 + Math.floor(i * (names.length - 3) / 100),
        ),
      }),
      onRow(row) {
        for (let k = 0; k < 100; k++) {
          const v = row.number(k);
          if (v === v) sum += v;
        }
      },
    })
  );
  return {
    ms: r.ms,
    cpuMs: r.cpu,
    mbps: size / MB / (r.ms / 1000),
    cpuMbps: size / MB / (r.cpu / 1000),
    check: sum.toFixed(0),
  };
}

/** The profile pass's scan alone: every field counted, the three role columns located. */
async function countScan(path: string, kernels: "wasm" | "js"): Promise<Figures> {
  const size = await fileSize(path);
  let check = 0;
  const r = await timed(() =>
    scanCsv(path, {
      kernels,
      onHeader: (names) => ({ columns: [0, 1, names.length - 1], countFields: true }),
      onRow(row) {
        check += row.fieldEnd[2] - row.fieldStart[2];
      },
    })
  );
  const nonEmpty = r.value.nonEmpty!.reduce((a, b) => a + b, 0);
  return {
    ms: r.ms,
    cpuMs: r.cpu,
    mbps: size / MB / (r.ms / 1000),
    cpuMbps: size / MB / (r.cpu / 1000),
    check: `${check}/${nonEmpty}`,
  };
}

async function readFirstLine(path: string): Promise<string> {
  const f = await Deno.open(path);
  try {
    const b = new Uint8Array(1 << 20);
    const n = (await f.read(b)) ?? 0;
    const s = new TextDecoder().decode(b.subarray(0, n));
    return s.slice(0, s.indexOf("\n")).replace(/\r$/, "");
  } finally {
    f.close();
  }
}

async function readSignal(path: string): Promise<string[]> {
  try {
    return JSON.parse(await Deno.readTextFile(path.replace(/\.csv$/, ".signal.json")))
      .signalFeatures;
  } catch {
    return [];
  }
}

/**
 * Server subprocess for the upload phases: prints its port, accepts ONE upload (multipart →
 * receiveCsvUpload; raw → pipe to a file), prints figures as JSON and exits.
 */
async function serveUpload(mode: "multipart" | "raw"): Promise<Figures> {
  const dir = await Deno.makeTempDir({ prefix: "ingest_upload_" });
  const store = await LocalBlobStore.open(dir);
  let rssMax = 0;
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, Deno.memoryUsage().rss)), 50);
  const done = Promise.withResolvers<Figures>();
  const server = Deno.serve({
    port: 0,
    hostname: "127.0.0.1",
    onListen: ({ port }) => console.log(`PORT ${port}`),
  }, async (req) => {
    const t0 = performance.now();
    try {
      let bytes: number;
      if (mode === "multipart") {
        bytes = (await receiveCsvUpload(req, store, "datasets/x/source.csv", { maxBytes: 2 ** 40 }))
          .bytes;
      } else {
        // Same durability as BlobStore.put (data synced before it counts as stored).
        const file = await Deno.open(`${dir}/raw.csv`, {
          write: true,
          create: true,
          truncate: true,
        });
        bytes = 0;
        for await (const chunk of req.body!) {
          let off = 0;
          while (off < chunk.length) off += await file.write(chunk.subarray(off));
          bytes += chunk.length;
        }
        await file.syncData();
        file.close();
      }
      const ms = performance.now() - t0;
      done.resolve({ ms, bytes, mbps: bytes / MB / (ms / 1000) });
      return new Response("ok", { status: 202 });
    } catch (e) {
      done.resolve({ error: String(e) });
      return new Response(String(e), { status: 500 });
    }
  });
  const figures = await done.promise;
  clearInterval(sampler);
  await server.shutdown(); // graceful: the 202 reaches the client first
  await Deno.remove(dir, { recursive: true });
  return { ...figures, serverRssMaxMb: rssMax / 2 ** 20 };
}

/** Client side of an upload phase: stream the file (multipart-framed or raw) to the server. */
async function uploadPhase(path: string, mode: "multipart" | "raw"): Promise<Figures> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL(import.meta.url).pathname,
      "--phase",
      mode === "multipart" ? "uploadServerMultipart" : "uploadServerRaw",
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  let port = 0;
  while (!port) {
    const r = await reader.read();
    if (r.done) throw new Error(`server exited: ${out}`);
    out += r.value;
    const m = /PORT (\d+)/.exec(out);
    if (m) port = Number(m[1]);
  }
  const size = await fileSize(path);
  const boundary = crypto.randomUUID();
  const enc = new TextEncoder();
  const pre = enc.encode(
    `--${boundary}\r\nContent-Type: text/csv\r\nContent-Disposition: form-data; name=file; filename=bosch.csv; filename*=utf-8''bosch.csv\r\n\r\n`,
  );
  const post = enc.encode(`\r\n--${boundary}--\r\n`);
  const type = mode === "raw" ? "text/csv" : `multipart/form-data; boundary="${boundary}"`;
  // The client is curl (a native client streaming a file with Content-Length, like .NET);
  // Deno's fetch with a streaming body was itself the bottleneck here (~80 MB/s).
  let sendPath = path;
  if (mode === "multipart") {
    sendPath = `${path}.multipart`;
    const out = await Deno.open(sendPath, { write: true, create: true, truncate: true });
    await out.write(pre);
    const src = await Deno.open(path);
    await src.readable.pipeTo(out.writable, { preventClose: true });
    await out.write(post);
    out.close();
  }
  const t0 = performance.now();
  let status: number;
  try {
    const res = await new Deno.Command("curl", {
      args: [
        "-s",
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        "-X",
        "POST",
        "-T",
        sendPath,
        "-H",
        `Content-Type: ${type}`,
        "-H",
        "Expect:",
        `http://127.0.0.1:${port}/`,
      ],
      stdout: "piped",
    }).output();
    status = Number(new TextDecoder().decode(res.stdout));
  } finally {
    if (sendPath !== path) await Deno.remove(sendPath);
  }
  const clientMs = performance.now() - t0;
  while (true) {
    const r = await reader.read();
    if (r.done) break;
    out += r.value;
  }
  await child.status;
  const json = JSON.parse(out.slice(out.indexOf("{")));
  if (json.error) throw new Error(`${mode} upload failed: ${json.error}`);
  return { ...json, clientMs, clientMbps: size / MB / (clientMs / 1000), status };
}

const fmt = (v: number | string | undefined, d = 0) =>
  typeof v === "number" ? v.toFixed(d) : String(v);

if (import.meta.main) {
  const phase = arg("phase");
  if (phase) {
    // Subprocess mode.
    try {
      const extra = await loadExtraPhases();
      const fn = PHASES[phase] ?? extra[phase];
      if (!fn) throw new Error(`unknown phase ${phase}`);
      const figures = await fn(arg("file") ?? "");
      console.log(JSON.stringify({ ...figures, peakRssMb: peakRssMb() }));
      Deno.exit(0);
    } catch (e) {
      console.error(e);
      Deno.exit(1);
    }
  }
  const path = arg("file") ?? await ensureBoschCsv(Number(arg("gb") ?? "1"));
  const only = arg("only")?.split(",");
  const want = (p: string) => !only || only.includes(p);
  const size = await fileSize(path);
  console.log(
    `file: ${path} (${(size / MB).toFixed(0)} MB), ${navigator.hardwareConcurrency} cores`,
  );
  const load = () => Deno.loadavg()[0].toFixed(2);
  const cat = await runPhase("cat", path);
  console.log(`cat > /dev/null        ${fmt(cat.mbps)} MB/s (warm cache)   load ${load()}`);
  if (want("profile")) {
    const p = await runPhase("profile", path);
    console.log(
      `profile pass (thread)  ${fmt(p.mbps)} MB/s  (cpu-time ${fmt(p.cpuMbps)} MB/s)  ${
        fmt((p.ms as number) / 1000, 1)
      } s  ` +
        `peak RSS ${fmt(p.peakRssMb)} MB  rows ${p.rows}  sample ${p.sampleRows}  = ${
          fmt((p.mbps as number) / (cat.mbps as number), 2)
        }× cat   load ${load()}`,
    );
    const w = await runPhase("profileWorker", path);
    console.log(
      `profile pass (worker)  ${fmt(w.mbps)} MB/s  ${fmt((w.ms as number) / 1000, 1)} s  peak RSS ${
        fmt(w.peakRssMb)
      } MB`,
    );
  }
  if (want("kernels")) {
    // The scanner's two record kernels, WebAssembly SIMD against the JS fallback, same file.
    for (
      const [label, wasmPhase, jsPhase] of [
        ["count scan (profile)", "count", "countJs"],
        ["select-scan 100 cols", "select100", "select100Js"],
      ]
    ) {
      const js = await runPhase(jsPhase, path);
      const wasm = await runPhase(wasmPhase, path);
      if (js.check !== wasm.check) throw new Error(`${label}: wasm and js results differ`);
      console.log(
        `${label.padEnd(22)} wasm ${fmt(wasm.mbps)} MB/s (cpu ${fmt(wasm.cpuMbps)})  js ${
          fmt(js.mbps)
        } MB/s (cpu ${fmt(js.cpuMbps)})  = ${
          fmt((wasm.mbps as number) / (js.mbps as number), 2)
        }× js   peak RSS ${fmt(wasm.peakRssMb)} / ${fmt(js.peakRssMb)} MB`,
      );
    }
  }
  if (want("table")) {
    const t = await runPhase("table", path);
    console.log(
      `column table build     ${fmt((t.ms as number) / 1000, 1)} s  (${
        fmt(t.mbps)
      } MB/s)  ${t.rows} rows × ${t.columns} cols  peak RSS ${fmt(t.peakRssMb)} MB`,
    );
  }
  if (want("upload")) {
    const raw = await uploadPhase(path, "raw");
    const mp = await uploadPhase(path, "multipart");
    console.log(
      `upload raw pipe→file   ${fmt(raw.mbps)} MB/s  server peak RSS ${fmt(raw.peakRssMb)} MB`,
    );
    console.log(
      `upload multipart       ${fmt(mp.mbps)} MB/s  server peak RSS ${fmt(mp.peakRssMb)} MB  ` +
        `= ${fmt((mp.mbps as number) / (raw.mbps as number), 2)}× raw (target ≥ 0.7)`,
    );
  }
  for (const [name] of Object.entries(await loadExtraPhases())) {
    if (!want(name)) continue;
    const f = await runPhase(name, path);
    console.log(`${name.padEnd(22)} ${JSON.stringify(f)}`);
  }
}

/** Extra phases from `bench/ingest_select.ts` (pipeline helper), when that file exists. */
async function loadExtraPhases(): Promise<Record<string, Phase>> {
  const url = new URL("./ingest_select.ts", import.meta.url);
  try {
    await Deno.stat(url);
  } catch {
    return {};
  }
  const mod = await import(url.href);
  return (mod.PHASES ?? {}) as Record<string, Phase>;
}
