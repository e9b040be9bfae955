import assert from "node:assert/strict";
import { DIRECT_READ_MIN_BYTES, openByteReader, openFileRange } from "./byte_source.ts";

async function drain(r: { read(b: Uint8Array): Promise<number | null>; close(): void }) {
  const parts: Uint8Array[] = [];
  const buf = new Uint8Array(3 << 20);
  for (let n; (n = await r.read(buf)) !== null;) parts.push(buf.slice(0, n));
  r.close();
  const out = new Uint8Array(parts.reduce((t, p) => t + p.length, 0));
  let off = 0;
  for (const p of parts) out.set(p, (off += p.length) - p.length);
  return out;
}

// Files from DIRECT_READ_MIN_BYTES up are read past the page cache where the system allows it
// (lib/storage/direct_io.ts); small ones as usual. Both must give the same bytes.
Deno.test("openFileRange / openByteReader: large and small files read the same bytes", async () => {
  const path = await Deno.makeTempFile({ dir: ".", prefix: ".byte-source-test-" });
  try {
    const size = DIRECT_READ_MIN_BYTES + 5_000;
    const data = new Uint8Array(size);
    for (let i = 0; i < size; i += 4096) data[i] = (i >>> 12) & 255;
    data[size - 1] = 7;
    await Deno.writeFile(path, data);
    const all = await openByteReader(path);
    assert.equal(all.size, size);
    assert.deepEqual(await drain(all), data);
    const range = await openFileRange(path, 4_097, size - 3);
    assert.equal(range.size, size - 3 - 4_097);
    assert.deepEqual(await drain(range), data.subarray(4_097, size - 3));
    // Below the threshold: the ordinary reader.
    const small = await openFileRange(path, 10, 100_010);
    assert.deepEqual(await drain(small), data.subarray(10, 100_010));
  } finally {
    await Deno.remove(path);
  }
});
