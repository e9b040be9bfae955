import assert from "node:assert/strict";
import { join } from "node:path";
import { KvStore } from "./kv.ts";

Deno.test("KvStore: get/set/delete/getEntry", async () => {
  const kv = await KvStore.open(":memory:");
  try {
    assert.equal(await kv.get(["a"]), null);
    await kv.set(["a"], { n: 1 });
    assert.deepEqual(await kv.get<{ n: number }>(["a"]), { n: 1 });
    const e = await kv.getEntry<{ n: number }>(["a"]);
    assert.ok(e.versionstamp);
    await kv.delete(["a"]);
    assert.equal(await kv.get(["a"]), null);
  } finally {
    kv.close();
  }
});

Deno.test("KvStore: list with prefix, limit, reverse, start, end", async () => {
  const kv = await KvStore.open(":memory:");
  try {
    for (let i = 0; i < 5; i++) await kv.set(["x", i], i);
    await kv.set(["y", 0], "other");
    const all = await kv.list<number>(["x"]);
    assert.deepEqual(all.map((e) => e.value), [0, 1, 2, 3, 4]);
    assert.deepEqual(all[0].key, ["x", 0]);
    assert.deepEqual((await kv.list<number>(["x"], { limit: 2 })).map((e) => e.value), [0, 1]);
    assert.deepEqual(
      (await kv.list<number>(["x"], { reverse: true, limit: 2 })).map((e) => e.value),
      [4, 3],
    );
    assert.deepEqual((await kv.list<number>(["x"], { start: ["x", 3] })).map((e) => e.value), [
      3,
      4,
    ]);
    assert.deepEqual((await kv.list<number>(["x"], { end: ["x", 2] })).map((e) => e.value), [
      0,
      1,
    ]);
    assert.deepEqual(
      (await kv.list<number>(["x"], { start: ["x", 1], end: ["x", 3] })).map((e) => e.value),
      [1, 2],
    );
  } finally {
    kv.close();
  }
});

Deno.test("KvStore: update is atomic under concurrency", async () => {
  const kv = await KvStore.open(":memory:");
  try {
    await Promise.all(
      Array.from({ length: 40 }, () => kv.update<number>(["counter"], (c) => (c ?? 0) + 1)),
    );
    assert.equal(await kv.get<number>(["counter"]), 40);
    // Returning null deletes.
    assert.equal(await kv.update<number>(["counter"], () => null), null);
    assert.equal(await kv.get(["counter"]), null);
  } finally {
    kv.close();
  }
});

Deno.test("KvStore: expireIn is accepted by set and update", async () => {
  const kv = await KvStore.open(":memory:");
  try {
    await kv.set(["e"], 1, { expireIn: 60_000 });
    await kv.update<number>(["e"], (c) => (c ?? 0) + 1, { expireIn: 60_000 });
    assert.equal(await kv.get(["e"]), 2);
  } finally {
    kv.close();
  }
});

Deno.test("KvStore: file-backed store creates its directory and persists", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "nested", "deeper", "kv.sqlite3");
    let kv = await KvStore.open(path);
    await kv.set(["persist"], "yes");
    kv.close();
    kv.close(); // idempotent
    assert.equal(kv.closed, true);
    kv = await KvStore.open(path);
    assert.equal(await kv.get(["persist"]), "yes");
    kv.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
