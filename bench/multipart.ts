/**
 * Upload parsing throughput: our multipart reader (`lib/api/multipart_file.ts`, what
 * `receiveCsvUpload` uses) and npm `busboy` on a .NET-shaped upload, against a reference that
 * only drains the same source.
 *
 * History: this bench first compared an earlier in-house parser with busboy 1.6.0 (ratio
 * 0.93–0.99× throughput, 1.2–1.3× RSS: no clear win, so busboy replaced it). Once the upload was
 * bound by the server thread (2026-12-04), the pull-based reader (Horspool delimiter search, no
 * Node stream emulation) was measured here before it replaced busboy: 1024 MiB, 3 reps,
 * medians — drain 2814 MiB/s 0.44 s CPU, busboy 1267 MiB/s 0.95 s, reader 1856 MiB/s 0.62 s,
 * the whole `upload` path 1716 MiB/s 0.70 s; reader/busboy 1.47× throughput, 0.65× CPU (the
 * parser's own CPU over the drain: 0.18 vs 0.51 s per GiB); peak RSS equal (153–155 MiB).
 *
 * Body: `multipart/form-data; boundary="<guid>"` (quoted, as .NET's MultipartFormDataContent
 * sends it) with one part `file` (`Content-Type: text/csv`) holding ~N MiB of Bosch-like CSV
 * (a header line, then a generated 4 MiB block of lines, repeated). The source is an in-memory
 * `ReadableStream<Uint8Array>` producing fresh 64 KiB chunks (like a socket; no file I/O), cut
 * without regard to part boundaries. Variants, each in its own subprocess so VmHWM is per
 * variant, alternating over 3 reps (median reported):
 * - `drain`  — only read the source stream (reference: cost of producing the bytes),
 * - `busboy` — `Readable.fromWeb(stream).pipe(busboy(...))`, counting the file stream's bytes,
 * - `reader` — `openMultipartFile` over the stream's reader, counting the file's bytes,
 * - `upload` — the real path: `receiveCsvUpload` (reader + header check + the stream handed
 *   to the store) into a store whose `put` only counts bytes.
 * CPU = utime+stime delta of /proc/self/stat (whole process, incl. GC threads).
 *
 * Usage: `deno run -A bench/multipart.ts [--mb 1024] [--reps 3]`
 *
 * @module
 */
import busboy from "busboy";
import { Readable } from "node:stream";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import type { BlobStore } from "../lib/storage/blob_store.ts";
import { boundaryOf, receiveCsvUpload } from "../lib/api/multipart_upload.ts";
import { openMultipartFile } from "../lib/api/multipart_file.ts";

const CHUNK = 64 * 1024;
const BLOCK = 4 * 1024 * 1024;
const CLK_TCK = 100; // Linux USER_HZ; /proc/<pid>/stat times are in these ticks.
const VARIANTS = ["drain", "busboy", "reader", "upload"] as const;
type Variant = typeof VARIANTS[number];

/** What one child run measured. */
interface RunResult {
  variant: Variant;
  bodyBytes: number;
  totalBytes: number;
  seconds: number;
  cpuSeconds: number;
  rssBaseMiB: number;
  peakRssMiB: number;
}

function arg(name: string, dflt: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < Deno.args.length ? Deno.args[i + 1] : dflt;
}

function cpuSeconds(): number {
  const s = Deno.readTextFileSync("/proc/self/stat");
  const f = s.slice(s.lastIndexOf(")") + 2).split(" "); // f[0] is field 3 (state)
  return (Number(f[11]) + Number(f[12])) / CLK_TCK; // fields 14 utime, 15 stime
}

function statusMiB(key: "VmHWM" | "VmRSS"): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(
    Deno.readTextFileSync("/proc/self/status"),
  );
  return m ? Number(m[1]) / 1024 : NaN;
}

/** The CSV header line matching `csvBlock`'s columns. */
const CSV_HEADER = "synthetic_timestamp,Id," +
  Array.from({ length: 60 }, (_, f) => `L0_S0_F${f}`).join(",") + ",Response\r\n";

/** Bosch-like CSV lines (timestamp, Id, 60 sparse 3-decimal features, Response), ≥ 4 MiB. */
function csvBlock(): Uint8Array {
  let seed = 12345;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 4294967296;
  };
  const lines: string[] = [];
  let len = 0, id = 1;
  const t0 = Date.UTC(2025, 0, 1);
  while (len < BLOCK) {
    const cells = [new Date(t0 + id * 1000).toISOString(), String(id)];
    for (let f = 0; f < 60; f++) cells.push(rnd() < 0.8 ? "" : (rnd() * 0.6 - 0.3).toFixed(3));
    cells.push(rnd() < 0.006 ? "1" : "0");
    const line = cells.join(",") + "\r\n";
    lines.push(line);
    len += line.length;
    id++;
  }
  return new TextEncoder().encode(lines.join("")).subarray(0, BLOCK);
}

/** The upload: content type + a stream of 64 KiB chunks of head + body + tail. */
function makeUpload(bodyBytes: number): {
  contentType: string;
  stream: ReadableStream<Uint8Array>;
  totalBytes: number;
} {
  const guid = crypto.randomUUID();
  const enc = new TextEncoder();
  const head = enc.encode(
    `--${guid}\r\nContent-Type: text/csv\r\n` +
      `Content-Disposition: form-data; name=file; filename=train_numeric.csv; ` +
      `filename*=utf-8''train_numeric.csv\r\n\r\n`,
  );
  const tail = enc.encode(`\r\n--${guid}--\r\n`);
  const block = csvBlock();
  const csvHead = enc.encode(CSV_HEADER);
  const total = head.length + bodyBytes + tail.length;
  let pos = 0;
  const copy = (dst: Uint8Array, at: number, from: number, n: number) => {
    // Copy virtual bytes [from, from+n) of head|body|tail into dst[at..).
    while (n > 0) {
      let src: Uint8Array, off: number, avail: number;
      if (from < head.length) {
        src = head, off = from, avail = head.length - from;
      } else if (from < head.length + bodyBytes) {
        const b = from - head.length;
        if (b < csvHead.length) {
          src = csvHead, off = b, avail = Math.min(csvHead.length - b, bodyBytes - b);
        } else {
          const k = b - csvHead.length;
          src = block, off = k % BLOCK, avail = Math.min(BLOCK - off, bodyBytes - b);
        }
      } else {
        src = tail, off = from - head.length - bodyBytes, avail = tail.length - off;
      }
      const k = Math.min(avail, n);
      dst.set(src.subarray(off, off + k), at);
      at += k, from += k, n -= k;
    }
  };
  const stream = new ReadableStream<Uint8Array>({
    pull(ctrl) {
      if (pos >= total) return ctrl.close();
      const n = Math.min(CHUNK, total - pos);
      const chunk = new Uint8Array(n);
      copy(chunk, 0, pos, n);
      pos += n;
      ctrl.enqueue(chunk);
    },
  }, { highWaterMark: 1 });
  return {
    contentType: `multipart/form-data; boundary="${guid}"`,
    stream,
    totalBytes: total,
  };
}

/** A store that only counts what `put` receives (no disk: measures the parsing path). */
const countingStore = {
  async put(_key: string, body: ReadableStream<Uint8Array> | Uint8Array): Promise<number> {
    if (body instanceof Uint8Array) return body.length;
    let n = 0;
    for await (const c of body) n += c.length;
    return n;
  },
} as unknown as BlobStore;

async function runUpload(
  ct: string,
  stream: ReadableStream<Uint8Array>,
  bodyBytes: number,
): Promise<number> {
  const req = new Request("http://localhost/dataset/store", {
    method: "POST",
    headers: { "content-type": ct },
    body: stream,
  });
  const r = await receiveCsvUpload(req, countingStore, "bench.csv", { maxBytes: bodyBytes });
  if (r.filename !== "train_numeric.csv") throw new Error("bad part");
  return r.bytes;
}

function runBusboy(ct: string, stream: ReadableStream<Uint8Array>): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0;
    const bb = busboy({ headers: { "content-type": ct } });
    bb.on("file", (name, file, info) => {
      if (name !== "file" || info.mimeType !== "text/csv") reject(new Error("bad part"));
      file.on("data", (d: Uint8Array) => n += d.length);
    });
    bb.on("error", reject);
    bb.on("close", () => resolve(n));
    const src = Readable.fromWeb(stream as unknown as NodeWebReadableStream<Uint8Array>);
    src.on("error", reject);
    src.pipe(bb);
  });
}

async function runReader(ct: string, stream: ReadableStream<Uint8Array>): Promise<number> {
  const reader = stream.getReader();
  const file = await openMultipartFile({
    read: async () => {
      const r = await reader.read();
      return r.done ? null : r.value;
    },
    cancel: (reason) => reader.cancel(reason),
  }, boundaryOf(ct)!);
  if (file.filename !== "train_numeric.csv" || file.contentType !== "text/csv") {
    throw new Error("bad part");
  }
  let n = 0;
  for (let c = await file.pull(); c !== null; c = await file.pull()) n += c.length;
  return n;
}

async function runDrain(stream: ReadableStream<Uint8Array>): Promise<number> {
  const reader = stream.getReader();
  let n = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) n += r.value.length;
  return n;
}

async function child(variant: Variant, mb: number): Promise<RunResult> {
  const bodyBytes = mb * 1024 * 1024;
  const up = makeUpload(bodyBytes);
  const rssBaseMiB = statusMiB("VmRSS");
  const cpu0 = cpuSeconds(), t0 = performance.now();
  const n = variant === "upload"
    ? await runUpload(up.contentType, up.stream, bodyBytes)
    : variant === "busboy"
    ? await runBusboy(up.contentType, up.stream)
    : variant === "reader"
    ? await runReader(up.contentType, up.stream)
    : await runDrain(up.stream);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds() - cpu0;
  const expect = variant === "drain" ? up.totalBytes : bodyBytes;
  if (n !== expect) throw new Error(`${variant}: counted ${n} bytes, expected ${expect}`);
  return {
    variant,
    bodyBytes: n,
    totalBytes: up.totalBytes,
    seconds,
    cpuSeconds: cpu,
    rssBaseMiB,
    peakRssMiB: statusMiB("VmHWM"),
  };
}

async function spawn(variant: Variant, mb: number): Promise<RunResult> {
  const config = new URL("../deno.json", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--config",
      config,
      new URL(import.meta.url).pathname,
      "--child",
      variant,
      "--mb",
      String(mb),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`child ${variant} failed (code ${out.code})`);
  const text = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!;
  return JSON.parse(text) as RunResult;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const mb = Number(arg("mb", "1024"));
  const childVariant = arg("child", "");
  if (childVariant) {
    if (!(VARIANTS as readonly string[]).includes(childVariant)) throw new Error("bad --child");
    console.log(JSON.stringify(await child(childVariant as Variant, mb)));
    return;
  }
  const reps = Number(arg("reps", "3"));
  if (!(mb > 0) || !(reps > 0)) throw new Error("--mb and --reps must be positive");
  console.log(`multipart bench: ${mb} MiB CSV body, ${CHUNK / 1024} KiB chunks, ${reps} reps`);
  const runs: Record<Variant, RunResult[]> = { drain: [], busboy: [], reader: [], upload: [] };
  for (let r = 0; r < reps; r++) {
    // Alternate the variants (drain reference first) so drift hits all alike.
    for (const v of VARIANTS) {
      const res = await spawn(v, mb);
      runs[v].push(res);
      console.log(
        `  rep ${r + 1} ${v.padEnd(6)} ${(mb / res.seconds).toFixed(0).padStart(5)} MiB/s  ` +
          `wall ${res.seconds.toFixed(2)} s  cpu ${res.cpuSeconds.toFixed(2)} s  ` +
          `peak RSS ${res.peakRssMiB.toFixed(0)} MiB (base ${res.rssBaseMiB.toFixed(0)})`,
      );
    }
  }
  const bytes = new Set(
    [...runs.busboy, ...runs.reader, ...runs.upload].map((r) => r.bodyBytes),
  );
  if (bytes.size !== 1) throw new Error(`body byte counts differ: ${[...bytes].join(", ")}`);
  const summary = (v: Variant) => ({
    mbps: mb / median(runs[v].map((r) => r.seconds)),
    cpu: median(runs[v].map((r) => r.cpuSeconds)),
    rss: median(runs[v].map((r) => r.peakRssMiB)),
  });
  const s = Object.fromEntries(VARIANTS.map((v) => [v, summary(v)])) as Record<
    Variant,
    ReturnType<typeof summary>
  >;
  console.log(`\nmedians (body bytes identical: ${[...bytes][0]}):`);
  for (const v of VARIANTS) {
    console.log(
      `  ${v.padEnd(6)} ${s[v].mbps.toFixed(0).padStart(5)} MiB/s  cpu ${s[v].cpu.toFixed(2)} s  ` +
        `peak RSS ${s[v].rss.toFixed(0)} MiB`,
    );
  }
  console.log(
    `ratio reader/busboy: throughput ${(s.reader.mbps / s.busboy.mbps).toFixed(2)}x, cpu ${
      (s.reader.cpu / s.busboy.cpu).toFixed(2)
    }x, peak RSS ${(s.reader.rss / s.busboy.rss).toFixed(2)}x`,
  );
  for (const v of ["busboy", "reader", "upload"] as const) {
    console.log(
      `ratio ${v}/drain: throughput ${(s[v].mbps / s.drain.mbps).toFixed(2)}x, ` +
        `cpu ${(s[v].cpu / s.drain.cpu).toFixed(2)}x, peak RSS ${
          (s[v].rss / s.drain.rss).toFixed(2)
        }x`,
    );
  }
  console.log(`load average: ${Deno.loadavg().map((x) => x.toFixed(2)).join(", ")}`);
}

if (import.meta.main) await main();
