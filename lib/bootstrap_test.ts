import assert from "node:assert/strict";
import { join } from "node:path";
import { blobRoot, openServices } from "./bootstrap.ts";
import { testConfig, withTestServices } from "./testing.ts";

Deno.test("withTestServices: working services, everything removed afterwards", async () => {
  let dir = "";
  await withTestServices(async (s) => {
    dir = s.config.dataDir;
    assert.equal(s.config.kvPath, ":memory:");
    assert.equal(s.config.taskMode, "inprocess");
    await s.kv.set(["x"], 1);
    await s.storage.put("datasets/a/source.csv", new TextEncoder().encode("Id,Response\n"));
    assert.equal((await s.storage.stat("datasets/a/source.csv"))?.size, 12);
    assert.equal(s.storage.localPath("a/b"), join(blobRoot(dir), "a/b"));
    s.tasks.register({ kind: "t", run: () => Promise.resolve({ ok: 1 }) });
    const rec = await s.tasks.submit("t", {});
    assert.equal((await s.tasks.waitFor(rec.id, { timeoutMs: 5000 })).state, "SUCCESS");
  });
  await assert.rejects(() => Deno.stat(dir), Deno.errors.NotFound);
});

Deno.test("withTestServices: queue mode and a file KV, closed even when fn throws", async () => {
  await assert.rejects(
    () =>
      withTestServices(async (s) => {
        s.tasks.register({ kind: "t", run: () => Promise.resolve({}) });
        const rec = await s.tasks.submit("t", {});
        assert.equal((await s.tasks.waitFor(rec.id, { timeoutMs: 5000 })).state, "SUCCESS");
        throw new Error("test body failed");
      }, { taskMode: "queue" }),
    /test body failed/,
  );
  const dir = await Deno.makeTempDir();
  try {
    const config = testConfig({ dataDir: dir, kvPath: join(dir, "db", "kv.sqlite3") });
    const s = await openServices(config);
    await s.kv.set(["persisted"], true);
    await s.close();
    await s.close(); // idempotent
    const again = await openServices(config);
    assert.equal(await again.kv.get(["persisted"]), true);
    // The KV file is not inside the blob root: blob listings never see it.
    assert.deepEqual(await again.storage.list(""), []);
    await again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
