/**
 * Upload throughput and memory through the S3 backend: `S3BlobStore.put` of a generated stream
 * of `--mb` MiB (default 1024) into s3rver running in a separate process (so the server's own
 * memory and CPU do not count against the uploader's peak RSS).
 *
 * Usage: `deno run -A bench/s3_upload.ts [--mb 1024] [--part-mb 8] [--queue 2]`
 *
 * Prints `{ mb, seconds, mbPerSecond, peakRssMb, partMb, queue }`.
 *
 * @module
 */
import { S3BlobStore } from "../lib/storage/s3_store.ts";
import { startS3rver } from "../lib/storage/s3_testing.ts";
import { arg, peakRssMb } from "./harness.ts";

if (Deno.args.includes("--server")) {
  // Child: run s3rver until killed.
  const s3 = await startS3rver();
  console.log(JSON.stringify({ endpoint: s3.endpoint }));
  await new Promise(() => {});
}

const mb = Number(arg("mb") ?? 1024);
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
  const store = await S3BlobStore.open({
    bucket: "bench",
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    partSize: partMb * 2 ** 20,
    queueSize: queue,
  });
  // CSV-like bytes, 1 MiB per chunk, each chunk a fresh buffer (as a request body would give).
  const row = new TextEncoder().encode("1735689600000,42,-0.052,,,0.113,,,,0.004,0\n");
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent >= mb) return c.close();
      const chunk = new Uint8Array(2 ** 20);
      for (let o = 0; o < chunk.length; o += row.length) {
        chunk.set(row.subarray(0, chunk.length - o), o);
      }
      sent++;
      c.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
  const t0 = performance.now();
  const bytes = await store.put("bench/upload.csv", body);
  const seconds = (performance.now() - t0) / 1000;
  const st = await store.stat("bench/upload.csv");
  if (st?.size !== bytes || bytes !== mb * 2 ** 20) throw new Error(`size mismatch: ${st?.size}`);
  await store.delete("bench/upload.csv");
  store.close();
  console.log(JSON.stringify({
    mb,
    seconds: Number(seconds.toFixed(1)),
    mbPerSecond: Number((mb / seconds).toFixed(1)),
    peakRssMb: Math.round(peakRssMb()),
    partMb,
    queue,
  }));
} finally {
  server.kill("SIGKILL");
  await server.status;
}
