/**
 * Upload throughput and memory through the S3 backend: `S3BlobStore.put` of a generated stream
 * of `--mb` MiB (default 1024) into s3rver running in a separate process (so the server's own
 * memory and CPU do not count against the uploader's peak RSS).
 *
 * Usage: `deno run -A bench/s3_upload.ts [--mb 1024] [--part-mb 8] [--queue 2] [--http]`
 *
 * Prints `{ mb, seconds, mbPerSecond, peakRssMb, partMb, queue }`. With `--http` the bytes go
 * the whole way instead: a multipart `POST /dataset/store` (a CSV body, as .NET sends it) to a
 * `ROLE=api` server process (`deno task start`'s command, `STORAGE_URL` on the s3rver); `seconds` is the time to
 * the 202 and `peakRssMb` the api process's peak (its `VmHWM`).
 *
 * @module
 */
import { S3BlobStore } from "../lib/storage/s3_store.ts";
import { startS3rver } from "../lib/storage/s3_testing.ts";
import { arg, peakRssMb } from "./harness.ts";
import { startTaskArgs } from "./start_task.ts";

if (Deno.args.includes("--server")) {
  // Child: run s3rver until killed.
  const s3 = await startS3rver();
  console.log(JSON.stringify({ endpoint: s3.endpoint }));
  await new Promise(() => {});
}

const mb = Number(arg("mb") ?? 1024);
const http = Deno.args.includes("--http");
const partMb = Number(arg("part-mb") ?? 8);
const queue = Number(arg("queue") ?? 2);

const server = new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", new URL(import.meta.url).pathname, "--server"],
  stdout: "piped",
  stderr: "inherit",
}).spawn();
try {
  const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let line = "";
  while (!line.includes("\n")) {
    const { done, value } = await reader.read();
    if (done) throw new Error("s3rver child ended");
    line += value;
  }
  reader.releaseLock();
  const { endpoint } = JSON.parse(line.trim());
  if (http) console.log(JSON.stringify(await overHttp(endpoint)));
  else console.log(JSON.stringify(await direct(endpoint)));
} finally {
  server.kill("SIGKILL");
  await server.status;
}

/** CSV-like bytes, 1 MiB per chunk, each chunk a fresh buffer (as a request body would give). */
function csvBody(head: Uint8Array = new Uint8Array(0), tail = new Uint8Array(0)) {
  const row = new TextEncoder().encode("42,2025-01-01 00:00:00,-0.052,0.113,0\n");
  let sent = 0;
  let last = false;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (last) return c.close();
      if (sent >= mb) {
        last = true;
        return c.enqueue(tail);
      }
      const chunk = new Uint8Array(2 ** 20);
      let o = 0;
      if (sent === 0) {
        chunk.set(head);
        o = head.length;
      }
      for (; o < chunk.length; o += row.length) chunk.set(row.subarray(0, chunk.length - o), o);
      chunk[chunk.length - 1] = 10; // end on a line break
      sent++;
      c.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
}

async function direct(endpoint: string) {
  const store = await S3BlobStore.open({
    bucket: "bench",
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    partSize: partMb * 2 ** 20,
    queueSize: queue,
  });
  const t0 = performance.now();
  const bytes = await store.put("bench/upload.csv", csvBody());
  const seconds = (performance.now() - t0) / 1000;
  const st = await store.stat("bench/upload.csv");
  if (st?.size !== bytes || bytes !== mb * 2 ** 20) throw new Error(`size mismatch: ${st?.size}`);
  await store.delete("bench/upload.csv");
  store.close();
  return {
    mode: "S3BlobStore.put",
    mb,
    seconds: Number(seconds.toFixed(1)),
    mbPerSecond: Number((mb / seconds).toFixed(1)),
    peakRssMb: Math.round(peakRssMb()),
    partMb,
    queue,
  };
}

async function overHttp(endpoint: string) {
  const dir = await Deno.makeTempDir({ prefix: "s3-bench-" });
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const api = new Deno.Command(Deno.execPath(), {
    args: await startTaskArgs(),
    env: {
      ROLE: "api",
      PORT: String(port),
      LISTEN_HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      DATA_DIR: dir,
      ...(Deno.args.includes("--local") ? {} : { STORAGE_URL: "s3://bench-http/qc" }),
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
      MAX_UPLOAD_BYTES: String(8 * 2 ** 30),
      ...(arg("api-v8-flags") ? { DENO_V8_FLAGS: arg("api-v8-flags")! } : {}),
    },
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => {
        r.body?.cancel();
        return r.ok;
      }).catch(() => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error("api did not start");
      await new Promise((r) => setTimeout(r, 200));
    }
    const enc = new TextEncoder();
    const boundary = crypto.randomUUID();
    const head = enc.encode(
      `--${boundary}\r\nContent-Type: text/csv\r\n` +
        `Content-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n` +
        "Id,synthetic_timestamp,F1,F2,Response\n",
    );
    const tail = enc.encode(`\r\n--${boundary}--\r\n`);
    const t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/dataset/store`, {
      method: "POST",
      body: csvBody(head, tail),
      headers: {
        "content-type": `multipart/form-data; boundary="${boundary}"`,
        "content-length": String(mb * 2 ** 20 + tail.length),
      },
    });
    const text = await res.text();
    const seconds = (performance.now() - t0) / 1000;
    if (res.status !== 202) throw new Error(`upload: ${res.status} ${text}`);
    const hwm = peakRssMb(api.pid);
    return {
      mode: "POST /dataset/store, ROLE=api",
      mb,
      seconds: Number(seconds.toFixed(1)),
      mbPerSecond: Number((mb / seconds).toFixed(1)),
      apiPeakRssMb: Math.round(hwm),
    };
  } finally {
    api.kill("SIGKILL");
    await api.status;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
