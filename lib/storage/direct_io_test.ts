import assert from "node:assert/strict";
import { join } from "node:path";
import { DIRECT_ALIGN, DirectFileWriter, directIoAvailable, openDirectRange } from "./direct_io.ts";
import { Rng } from "../random/mod.ts";

const available = directIoAvailable();

/** Deterministic bytes. */
function bytesOf(n: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.nextU32() & 255;
  return out;
}

/** Write `data` through a DirectFileWriter in chunks of random sizes (1 byte … 300 KB). */
async function writeDirect(path: string, data: Uint8Array, seed: number): Promise<number> {
  const out = DirectFileWriter.create(path);
  assert.ok(out, "direct writing refused by the test filesystem");
  const rng = new Rng(seed);
  for (let off = 0; off < data.length;) {
    const n = Math.min(data.length - off, 1 + Math.floor(rng.next() * 300_000));
    // A copy the writer must not keep: overwritten right after write() returns.
    const chunk = data.slice(off, off + n);
    await out.write(chunk);
    chunk.fill(0xee);
    off += n;
  }
  return await out.finish({ sync: true });
}

/** Run `fn` in a fresh folder under the working directory (a real disk; /tmp may be tmpfs). */
async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ dir: ".", prefix: ".direct-io-test-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function readAll(path: string, start: number, end: number, into = 777_777) {
  const r = await openDirectRange(path, start, end);
  assert.ok(r, "direct reading refused by the test filesystem");
  const parts: Uint8Array[] = [];
  const buf = new Uint8Array(into);
  for (let n; (n = await r.read(buf)) !== null;) parts.push(buf.slice(0, n));
  r.close();
  r.close(); // idempotent
  const out = new Uint8Array(parts.reduce((t, p) => t + p.length, 0));
  let off = 0;
  for (const p of parts) out.set(p, (off += p.length) - p.length);
  return { bytes: out, size: r.size };
}

Deno.test({
  name: "DirectFileWriter: files of every tail length read back byte for byte",
  ignore: !available,
  fn: () =>
    withTempDir(async (dir) => {
      const sizes = [0, 1, DIRECT_ALIGN - 1, DIRECT_ALIGN, DIRECT_ALIGN + 1, 3 * 524_288 + 17];
      for (const [i, size] of sizes.entries()) {
        const path = join(dir, `f${i}`);
        const data = bytesOf(size, i + 1);
        assert.equal(await writeDirect(path, data, i + 7), size);
        assert.equal((await Deno.stat(path)).size, size);
        assert.deepEqual(await Deno.readFile(path), data);
      }
    }),
});

Deno.test({
  name: "openDirectRange: any range, aligned or not, clamped to the file",
  ignore: !available,
  fn: () =>
    withTempDir(async (dir) => {
      const path = join(dir, "data.bin");
      const size = 9 * 1024 * 1024 + 12_345; // more than two read blocks, unaligned end
      const data = bytesOf(size, 42);
      await writeDirect(path, data, 3);
      const ranges: [number, number][] = [
        [0, size],
        [1, 100],
        [DIRECT_ALIGN - 1, DIRECT_ALIGN + 1],
        [4 << 20, (8 << 20) + 1],
        [3_000_001, size],
        [size - 5, size + 100],
        [size + 10, size + 20],
        [500, 500],
      ];
      for (const [start, end] of ranges) {
        const want = data.subarray(Math.min(start, size), Math.min(end, size));
        const { bytes, size: n } = await readAll(path, start, end);
        assert.equal(n, want.length, `size of [${start}, ${end})`);
        assert.deepEqual(bytes, want, `bytes of [${start}, ${end})`);
      }
      // Small reads (the caller's buffer smaller than a block) see the same bytes.
      assert.deepEqual((await readAll(path, 123, 2_000_000, 4099)).bytes, data.subarray(123, 2e6));
    }),
});

Deno.test({
  name: "DirectFileWriter: refuses an existing file and a missing folder (no file left behind)",
  ignore: !available,
  fn: () =>
    withTempDir(async (dir) => {
      const path = join(dir, "exists");
      await Deno.writeTextFile(path, "keep");
      assert.equal(DirectFileWriter.create(path), null);
      assert.equal(await Deno.readTextFile(path), "keep");
      assert.equal(DirectFileWriter.create(join(dir, "no", "such", "dir")), null);
      // A writer given up on closes its file; the caller removes it.
      const out = DirectFileWriter.create(join(dir, "partial"))!;
      await out.write(bytesOf(700_000, 5));
      await out.abort();
      assert.ok((await Deno.stat(join(dir, "partial"))).size <= 700_000);
    }),
});
