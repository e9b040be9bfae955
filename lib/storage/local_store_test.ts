import assert from "node:assert/strict";
import { join } from "node:path";
import { BlobNotFoundError, InvalidKeyError, LocalBlobStore } from "./local_store.ts";
import { abortedMidStream, chunks } from "./blob_store_contract.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

async function withStore(fn: (s: LocalBlobStore, root: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "blobs-" });
  try {
    await fn(await LocalBlobStore.open(root), root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return dec.decode(new Uint8Array(await new Response(stream).arrayBuffer()));
}

async function tmpFiles(root: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(join(root, ".tmp")))).map((e) => e.name);
}

Deno.test("LocalBlobStore: put stream / bytes, get, getBytes, stat", () =>
  withStore(async (s) => {
    assert.equal(await s.put("d/1/source.csv", chunks(["a,b\n", "1,2\n"])), 8);
    assert.equal(await s.put("d/1/meta.json", enc.encode('{"x":1}')), 7);
    assert.equal(await readAll(await s.get("d/1/source.csv")), "a,b\n1,2\n");
    assert.equal(dec.decode(await s.getBytes("d/1/meta.json")), '{"x":1}');
    const st = await s.stat("d/1/source.csv");
    assert.equal(st?.size, 8);
    assert.equal(st?.key, "d/1/source.csv");
    assert.equal(await s.stat("d/1/nope"), null);
    assert.equal(await s.stat("d/1"), null, "a directory is not a blob");
    await assert.rejects(() => s.get("nope"), BlobNotFoundError);
    await assert.rejects(() => s.getBytes("nope"), BlobNotFoundError);
    await assert.rejects(() => s.get("d/1"), BlobNotFoundError);
    // Overwrite is atomic too.
    await s.put("d/1/meta.json", enc.encode("{}"));
    assert.equal(dec.decode(await s.getBytes("d/1/meta.json")), "{}");
  }));

Deno.test("LocalBlobStore: byte ranges", () =>
  withStore(async (s) => {
    await s.put("r.bin", enc.encode("0123456789"));
    assert.equal(await readAll(await s.get("r.bin", { start: 2, end: 5 })), "234");
    assert.equal(await readAll(await s.get("r.bin", { start: 7 })), "789");
    assert.equal(await readAll(await s.get("r.bin", { end: 3 })), "012");
    assert.equal(await readAll(await s.get("r.bin", { start: 8, end: 100 })), "89");
    assert.equal(await readAll(await s.get("r.bin", { start: 50 })), "");
    await assert.rejects(() => s.get("r.bin", { start: 5, end: 2 }), RangeError);
    await assert.rejects(() => s.get("r.bin", { start: -1 }), RangeError);
    // A cancelled stream closes its file (the resource sanitizer checks this).
    const stream = await s.get("r.bin");
    await stream.cancel();
    // A large blob streams in several chunks.
    const big = new Uint8Array(1_000_000).map((_, i) => i % 251);
    await s.put("big.bin", big);
    const part = new Uint8Array(
      await new Response(await s.get("big.bin", { start: 300_000, end: 900_001 })).arrayBuffer(),
    );
    assert.equal(part.length, 600_001);
    assert.deepEqual(part, big.subarray(300_000, 900_001));
  }));

// Every streamed put also with `uncached` (written past the page cache where possible).
for (const uncached of [false, true]) {
  const mode = uncached ? " (uncached)" : "";

  Deno.test(`LocalBlobStore: a failing stream leaves no blob and no temp file${mode}`, () =>
    withStore(async (s, root) => {
      await assert.rejects(
        () => s.put("d/x.csv", chunks(["a", "b", "c"], { failAfter: 2 }), { uncached }),
        /client went away/,
      );
      assert.equal(await s.stat("d/x.csv"), null);
      assert.deepEqual(await tmpFiles(root), []);
    }));

  Deno.test(`LocalBlobStore: an aborted signal mid-stream leaves nothing behind${mode}`, () =>
    withStore(async (s, root) => {
      const ctl = new AbortController();
      const body = abortedMidStream(ctl);
      await assert.rejects(
        () => s.put("d/y.csv", body, { signal: ctl.signal, uncached }),
        /request aborted/,
      );
      assert.equal(await s.stat("d/y.csv"), null);
      assert.deepEqual(await tmpFiles(root), []);
      // Already-aborted signal: nothing is even created.
      await assert.rejects(() => s.put("d/z.csv", enc.encode("x"), { signal: ctl.signal }));
      assert.equal(await s.stat("d/z.csv"), null);
      assert.deepEqual(await tmpFiles(root), []);
    }));

  Deno.test(`LocalBlobStore: a hanging stream is ended by abort (no pending read left)${mode}`, () =>
    withStore(async (s, root) => {
      const ctl = new AbortController();
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(enc.encode("first"));
        },
        // Never enqueues again: the read after the first chunk hangs until the abort.
      });
      const p = s.put("d/hang.csv", body, { signal: ctl.signal, uncached });
      setTimeout(() => ctl.abort(new Error("timeout")), 20);
      await assert.rejects(() => p, /timeout/);
      assert.equal(await s.stat("d/hang.csv"), null);
      assert.deepEqual(await tmpFiles(root), []);
    }));
}

Deno.test("LocalBlobStore: traversal attempts are rejected everywhere", () =>
  withStore(async (s) => {
    for (const key of ["../escape", "/etc/passwd", "a/../../b", "a\\b", "a//b", "", "a\u0000"]) {
      await assert.rejects(() => s.put(key, enc.encode("x")), InvalidKeyError);
      await assert.rejects(() => s.get(key), InvalidKeyError);
      await assert.rejects(() => s.getBytes(key), InvalidKeyError);
      await assert.rejects(() => s.stat(key), InvalidKeyError);
      await assert.rejects(() => s.delete(key), InvalidKeyError);
      assert.throws(() => s.localPath(key), InvalidKeyError);
    }
    await assert.rejects(() => s.list("../"), InvalidKeyError);
    await assert.rejects(() => s.deletePrefix("../"), InvalidKeyError);
    await assert.rejects(() => s.deletePrefix(""), InvalidKeyError);
    await assert.rejects(() => s.put(".tmp/sneaky", enc.encode("x")), InvalidKeyError);
  }));

Deno.test("LocalBlobStore: list, delete, deletePrefix", () =>
  withStore(async (s, root) => {
    for (const k of ["d/1/a.csv", "d/1/t/b.bin", "d/2/a.csv", "d/10/a.csv", "m/1/x"]) {
      await s.put(k, enc.encode(k));
    }
    assert.deepEqual((await s.list("")).map((b) => b.key), [
      "d/1/a.csv",
      "d/1/t/b.bin",
      "d/10/a.csv",
      "d/2/a.csv",
      "m/1/x",
    ]);
    assert.deepEqual((await s.list("d/1/")).map((b) => b.key), ["d/1/a.csv", "d/1/t/b.bin"]);
    assert.deepEqual((await s.list("d/1")).map((b) => b.key), [
      "d/1/a.csv",
      "d/1/t/b.bin",
      "d/10/a.csv",
    ]);
    assert.deepEqual(await s.list("nothing/"), []);
    assert.equal((await s.list("m/1/x"))[0].size, 5);
    await s.delete("m/1/x");
    await s.delete("m/1/x"); // absent: no error
    assert.equal(await s.stat("m/1/x"), null);
    await s.deletePrefix("d/1/");
    assert.deepEqual((await s.list("d/")).map((b) => b.key), ["d/10/a.csv", "d/2/a.csv"]);
    await s.deletePrefix("d/1"); // string prefix: also matches d/10
    assert.deepEqual((await s.list("d/")).map((b) => b.key), ["d/2/a.csv"]);
    await s.deletePrefix("zzz/"); // absent: no error
    assert.equal(s.localPath("d/2/a.csv"), join(root, "d/2/a.csv"));
  }));

Deno.test("LocalBlobStore: open sweeps stale temp files", async () => {
  const root = await Deno.makeTempDir({ prefix: "blobs-" });
  try {
    await Deno.mkdir(join(root, ".tmp"), { recursive: true });
    await Deno.writeTextFile(join(root, ".tmp", "left-by-crash"), "partial");
    const s = await LocalBlobStore.open(root);
    assert.deepEqual(await tmpFiles(root), []);
    assert.deepEqual(await s.list(""), []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
