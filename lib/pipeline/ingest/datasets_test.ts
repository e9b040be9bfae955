import assert from "node:assert/strict";
import { withTestServices } from "../../testing.ts";
import {
  activateDataset,
  type DatasetRecord,
  getActiveDataset,
  getDataset,
  INTERRUPTED_UPLOAD,
  listDatasets,
  putDataset,
  reconcileDataset,
  recoverInterruptedUploads,
} from "./datasets.ts";

function record(id: string, created: string, over: Partial<DatasetRecord> = {}): DatasetRecord {
  return {
    id,
    filename: `${id}.csv`,
    state: "READY",
    error: null,
    bytes: 1,
    created_at: created,
    updated_at: created,
    task_id: null,
    profile: null,
    features: [{ name: "f", importance: 1 }],
    table_prefix: `datasets/${id}/table/`,
    source_key: `datasets/${id}/source.csv`,
    profile_key: null,
    sample_key: null,
    ...over,
  };
}

Deno.test("activateDataset: an older dataset finishing late does not replace a newer active one", () =>
  withTestServices(async ({ kv }) => {
    const older = record("a", "2025-01-01T00:00:00.000Z");
    const newer = record("b", "2025-01-02T00:00:00.000Z");
    await putDataset(kv, older);
    await putDataset(kv, newer);
    assert.equal(await activateDataset(kv, newer), true);
    assert.equal(await activateDataset(kv, older), false);
    assert.equal((await getActiveDataset(kv))?.id, "b");
    assert.deepEqual((await listDatasets(kv)).map((d) => d.id), ["b", "a"]);
  }));

Deno.test("reconcile: a selection task that ended without a verdict → FAILED with its reason", () =>
  withTestServices(async (services) => {
    const { kv, tasks } = services;
    tasks.register({
      kind: "boom",
      run: () => Promise.reject(new Error("worker crashed")),
    });
    const t = await tasks.submit("boom", {});
    await tasks.waitFor(t.id, { timeoutMs: 10_000 });
    await putDataset(
      kv,
      record("c", new Date().toISOString(), {
        state: "SELECTING_FEATURES",
        task_id: t.id,
        features: null,
      }),
    );
    const rec = await reconcileDataset(kv, tasks, (await getDataset(kv, "c"))!);
    assert.equal(rec.state, "FAILED");
    assert.match(rec.error ?? "", /worker crashed/);
    assert.equal((await getDataset(kv, "c"))?.state, "FAILED");
  }));

Deno.test("recoverInterruptedUploads: PROFILING records left by a restart fail and lose their blobs", () =>
  withTestServices(async ({ kv, storage }) => {
    await putDataset(kv, record("p", new Date().toISOString(), { state: "PROFILING" }));
    await putDataset(kv, record("r", new Date().toISOString()));
    await storage.put("datasets/p/source.csv", new TextEncoder().encode("x"));
    assert.equal(await recoverInterruptedUploads(kv, storage), 1);
    const p = await getDataset(kv, "p");
    assert.equal(p?.state, "FAILED");
    assert.equal(p?.error, INTERRUPTED_UPLOAD);
    assert.deepEqual(await storage.list("datasets/p/"), []);
    assert.equal((await getDataset(kv, "r"))?.state, "READY");
  }));
