import assert from "node:assert/strict";
import { forSharedFile, isDatabaseLocked, pollWatch, retryLocked } from "./kv_shared_file.ts";

Deno.test("pollWatch: current value first, then each change; ends when cancelled", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const reader = pollWatch(kv, [["a"], ["b"]], 10).getReader();
    const first = await reader.read();
    assert.deepEqual(first.value?.map((e) => e.value), [null, null]);
    await kv.set(["b"], 2);
    const second = await reader.read();
    assert.deepEqual(second.value?.map((e) => e.value), [null, 2]);
    await reader.cancel();
  } finally {
    kv.close();
  }
});

Deno.test("forSharedFile: atomics, reads and writes pass through; watch polls", async () => {
  const raw = await Deno.openKv(":memory:");
  const kv = forSharedFile(raw, 10);
  try {
    await kv.set(["x"], 1);
    const cur = await kv.get<number>(["x"]);
    assert.equal(cur.value, 1);
    assert.equal((await kv.atomic().check(cur).set(["x"], 2).commit()).ok, true);
    assert.equal((await kv.atomic().check(cur).set(["x"], 3).commit()).ok, false);
    assert.equal((await kv.getMany<number[]>([["x"]]))[0].value, 2);
    const reader = kv.watch([["x"]]).getReader();
    assert.equal((await reader.read()).value?.[0].value, 2);
    await raw.set(["x"], 4); // through the raw handle: the poll still sees it
    assert.equal((await reader.read()).value?.[0].value, 4);
    await reader.cancel();
  } finally {
    raw.close();
  }
});

Deno.test("retryLocked: retries only 'database is locked'", async () => {
  let n = 0;
  assert.equal(
    await retryLocked(() => {
      if (++n < 3) throw new TypeError("database is locked");
      return Promise.resolve("ok");
    }),
    "ok",
  );
  assert.equal(n, 3);
  await assert.rejects(() => retryLocked(() => Promise.reject(new Error("other"))), /other/);
  assert.ok(isDatabaseLocked(new TypeError("database is locked")));
});
