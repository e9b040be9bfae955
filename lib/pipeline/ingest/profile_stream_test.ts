import assert from "node:assert/strict";
import { profileCsv } from "../../data/profile.ts";
import { sampleColumns } from "../../data/row_sample.ts";
import { CsvValidationError } from "../../data/csv_header.ts";
import { withTestServices } from "../../testing.ts";
import { generateCsv } from "../../../tests/ingest_fixtures.ts";
import { MAX_INFLIGHT_BYTES, ProfilerFailure, StreamingProfiler } from "./profile_stream.ts";

function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let off = 0;
  return new ReadableStream({
    pull(c) {
      if (off >= bytes.length) return c.close();
      c.enqueue(bytes.subarray(off, off + size));
      off += size;
    },
  });
}

for (const batchBytes of [undefined, 512]) {
  Deno.test(`StreamingProfiler: same profile as a pass over the stored file, blob intact (batch ${batchBytes ?? "default"})`, () =>
    withTestServices(async ({ storage }) => {
      const bytes = new TextEncoder().encode(generateCsv({ days: 3, rowsPerDay: 200 }).csv);
      // 512-byte batches: the ring's buffers go to the worker and come back dozens of times.
      if (batchBytes) assert.ok(bytes.length > 20 * batchBytes);
      const profiler = new StreamingProfiler({ seed: 1 }, batchBytes);
      const n = await profiler.wrapStore(storage).put("x/source.csv", chunked(bytes, 997));
      assert.equal(n, bytes.length);
      assert.deepEqual(await storage.getBytes("x/source.csv"), bytes);
      const streamed = await profiler.finish();
      const direct = await profileCsv(bytes, { seed: 1 });
      assert.deepEqual(
        { ...streamed.profile, scanMs: 0 },
        { ...direct.profile, scanMs: 0 },
      );
      assert.deepEqual(streamed.sample.labels, direct.sample.labels);
      assert.deepEqual(sampleColumns(streamed.sample), sampleColumns(direct.sample));
      assert.equal(profiler.bytesFed, bytes.length);
    }));
}

Deno.test("StreamingProfiler: a bad row is reported after the upload completes", () =>
  withTestServices(async ({ storage }) => {
    const lines = generateCsv({ days: 1, rowsPerDay: 50 }).csv.trimEnd().split("\n");
    lines[30] = lines[30].replace(/,[01]$/, ",7");
    const bytes = new TextEncoder().encode(lines.join("\n") + "\n");
    const profiler = new StreamingProfiler();
    await profiler.wrapStore(storage).put("y/source.csv", chunked(bytes, 256));
    assert.ok(await storage.stat("y/source.csv"), "the upload itself went through");
    await assert.rejects(
      profiler.finish(),
      (e: unknown) => e instanceof CsvValidationError && e.line === 31,
    );
  }));

Deno.test("StreamingProfiler: abort / no data end as ProfilerFailure; backpressure bound", async () => {
  const p = new StreamingProfiler();
  await p.push(new TextEncoder().encode("synthetic_timestamp,Id,F,Response\n"));
  p.abort();
  await assert.rejects(p.finish(), ProfilerFailure);
  await assert.rejects(new StreamingProfiler().finish(), ProfilerFailure);
  assert.ok(MAX_INFLIGHT_BYTES >= 1 << 20);
});
