/**
 * The behaviour every `BlobStore` backend must show, as one suite of test steps run against
 * each backend (local files in `blob_store_contract_test.ts`, an S3 server there too).
 *
 * @example
 * ```ts
 * Deno.test("my store", async (t) => {
 *   await runBlobStoreContract(t, () => MyStore.open(...));
 * });
 * ```
 *
 * @module
 */
import assert from "node:assert/strict";
import type { BlobStore } from "./blob_store.ts";
import { BlobNotFoundError, InvalidKeyError } from "./keys.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** How a suite gets a fresh, empty store for one step (and disposes of it). */
export type StoreFactory = () => Promise<{ store: BlobStore; dispose(): Promise<void> }>;

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const text = async (s: ReadableStream<Uint8Array>) => dec.decode(await readAll(s));

/** A body of `parts` (text), erroring "client went away" after `failAfter` of them. */
export function chunks(
  parts: string[],
  opts: { failAfter?: number } = {},
): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(c) {
      if (opts.failAfter !== undefined && i === opts.failAfter) {
        c.error(new Error("client went away"));
        return;
      }
      if (i >= parts.length) c.close();
      else c.enqueue(enc.encode(parts[i++]));
    },
  });
}

/**
 * A body that never ends by itself (a stalled upload): "chunk" every 5 ms; `ctl` is aborted with
 * "request aborted" when the fourth is asked for.
 */
export function abortedMidStream(ctl: AbortController): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      if (sent++ === 3) ctl.abort(new Error("request aborted"));
      await new Promise((r) => setTimeout(r, 5));
      c.enqueue(enc.encode("chunk"));
    },
  });
}

/** `count` chunks of `size` pseudo-random bytes (deterministic), erroring after `failAfter`. */
function binaryChunks(
  count: number,
  size: number,
  opts: { failAfter?: number } = {},
): { stream: ReadableStream<Uint8Array>; bytes: Uint8Array } {
  const bytes = new Uint8Array(count * size);
  let x = 12345;
  for (let i = 0; i < bytes.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  let i = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (opts.failAfter !== undefined && i === opts.failAfter) {
        c.error(new Error("client went away"));
      } else if (i >= count) c.close();
      else c.enqueue(bytes.slice(i * size, ++i * size));
    },
  });
  return { stream, bytes };
}

/**
 * Run the contract as steps of `t`. `bigChunks` × 1 MiB is written as one multi-part stream
 * (choose it above the backend's part size).
 */
export async function runBlobStoreContract(
  t: Deno.TestContext,
  open: StoreFactory,
  opts: { bigChunks?: number } = {},
): Promise<void> {
  const step = (name: string, fn: (s: BlobStore) => Promise<void>) =>
    t.step(name, async () => {
      const { store, dispose } = await open();
      try {
        await fn(store);
      } finally {
        await dispose();
      }
    });

  await step("put stream / bytes, get, getBytes, stat, overwrite", async (s) => {
    assert.equal(await s.put("d/1/source.csv", chunks(["a,b\n", "1,2\n"])), 8);
    assert.equal(await s.put("d/1/meta.json", enc.encode('{"x":1}')), 7);
    assert.equal(await text(await s.get("d/1/source.csv")), "a,b\n1,2\n");
    assert.equal(dec.decode(await s.getBytes("d/1/meta.json")), '{"x":1}');
    const st = await s.stat("d/1/source.csv");
    assert.equal(st?.size, 8);
    assert.equal(st?.key, "d/1/source.csv");
    assert.ok((st?.mtime ?? 0) > 0);
    assert.equal(await s.stat("d/1/nope"), null);
    assert.equal(await s.stat("d/1"), null, "a prefix is not a blob");
    await assert.rejects(() => s.get("nope"), BlobNotFoundError);
    await assert.rejects(() => s.get("nope", { start: 2, end: 2 }), BlobNotFoundError);
    await assert.rejects(() => s.getBytes("nope"), BlobNotFoundError);
    await assert.rejects(() => s.get("d/1"), BlobNotFoundError);
    await s.put("d/1/meta.json", enc.encode("{}"));
    assert.equal(dec.decode(await s.getBytes("d/1/meta.json")), "{}");
    assert.equal(await s.put("d/1/empty", new Uint8Array(0)), 0);
    assert.equal((await s.getBytes("d/1/empty")).length, 0);
    // Shared: the same bytes, in memory workers can read without a copy.
    const shared = await s.getBytes("d/1/meta.json", { shared: true });
    assert.ok(shared.buffer instanceof SharedArrayBuffer);
    assert.equal(dec.decode(shared.slice()), "{}");
    assert.equal((await s.stat("d/1/empty"))?.size, 0);
  });

  await step("byte ranges", async (s) => {
    await s.put("r.bin", enc.encode("0123456789"));
    assert.equal(await text(await s.get("r.bin", { start: 2, end: 5 })), "234");
    assert.equal(await text(await s.get("r.bin", { start: 7 })), "789");
    assert.equal(await text(await s.get("r.bin", { end: 3 })), "012");
    assert.equal(await text(await s.get("r.bin", { start: 8, end: 100 })), "89");
    assert.equal(await text(await s.get("r.bin", { start: 4, end: 4 })), "");
    assert.equal(await text(await s.get("r.bin", { start: 50 })), "");
    await assert.rejects(() => s.get("r.bin", { start: 5, end: 2 }), RangeError);
    await assert.rejects(() => s.get("r.bin", { start: -1 }), RangeError);
    const stream = await s.get("r.bin");
    await stream.cancel();
    const big = new Uint8Array(1_000_000).map((_, i) => i % 251);
    await s.put("big.bin", big);
    const part = await readAll(await s.get("big.bin", { start: 300_000, end: 900_001 }));
    assert.equal(part.length, 600_001);
    assert.deepEqual(part, big.subarray(300_000, 900_001));
  });

  await step("a multi-part stream round-trips; ranges across part boundaries", async (s) => {
    const n = opts.bigChunks ?? 3;
    const { stream, bytes } = binaryChunks(n, 2 ** 20);
    assert.equal(await s.put("big/stream.bin", stream), bytes.length);
    assert.equal((await s.stat("big/stream.bin"))?.size, bytes.length);
    const mid = bytes.length >> 1;
    const got = await readAll(await s.get("big/stream.bin", { start: mid - 1000, end: mid + 7 }));
    assert.deepEqual(got, bytes.subarray(mid - 1000, mid + 7));
    assert.deepEqual(await s.getBytes("big/stream.bin"), bytes);
    // The same with the hint of a large upload (a local store writes it past the page cache).
    const again = binaryChunks(n, 2 ** 20 + 3);
    assert.equal(
      await s.put("big/upload.bin", again.stream, { uncached: true }),
      again.bytes.length,
    );
    assert.deepEqual(await s.getBytes("big/upload.bin"), again.bytes);
  });

  await step("a failing stream leaves no blob (also after several parts)", async (s) => {
    await assert.rejects(
      () => s.put("d/x.csv", chunks(["a", "b", "c"], { failAfter: 2 })),
      /client went away/,
    );
    assert.equal(await s.stat("d/x.csv"), null);
    const n = opts.bigChunks ?? 3;
    const { stream } = binaryChunks(n, 2 ** 20, { failAfter: n - 1 });
    await assert.rejects(() => s.put("d/big.bin", stream), /client went away/);
    assert.equal(await s.stat("d/big.bin"), null);
    assert.deepEqual(await s.list("d/"), []);
  });

  await step("an aborted signal mid-stream leaves nothing behind", async (s) => {
    const ctl = new AbortController();
    const body = abortedMidStream(ctl);
    await assert.rejects(() => s.put("d/y.csv", body, { signal: ctl.signal }), /request aborted/);
    assert.equal(await s.stat("d/y.csv"), null);
    await assert.rejects(() => s.put("d/z.csv", enc.encode("x"), { signal: ctl.signal }));
    assert.equal(await s.stat("d/z.csv"), null);
  });

  await step("a hanging stream is ended by abort", async (s) => {
    const ctl = new AbortController();
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(enc.encode("first"));
      },
    });
    const p = s.put("d/hang.csv", body, { signal: ctl.signal });
    setTimeout(() => ctl.abort(new Error("timeout")), 20);
    await assert.rejects(() => p, /timeout/);
    assert.equal(await s.stat("d/hang.csv"), null);
  });

  await step("traversal attempts are rejected everywhere", async (s) => {
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
  });

  await step("list, delete, deletePrefix", async (s) => {
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
    await s.delete("m/1/x");
    assert.equal(await s.stat("m/1/x"), null);
    await s.deletePrefix("d/1/");
    assert.deepEqual((await s.list("d/")).map((b) => b.key), ["d/10/a.csv", "d/2/a.csv"]);
    await s.deletePrefix("d/1");
    assert.deepEqual((await s.list("d/")).map((b) => b.key), ["d/2/a.csv"]);
    await s.deletePrefix("zzz/");
  });
}
