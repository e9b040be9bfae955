import assert from "node:assert/strict";
import { createApp } from "../../app.ts";
import { withTestServices } from "../../testing.ts";
import { registerPipelineTasks } from "../mod.ts";
import { boschCsv, boschFixture } from "../../../tests/bosch_fixture.ts";
import { getDataset } from "./datasets.ts";

function upload(csv: string): Request {
  const boundary = crypto.randomUUID();
  const body = new TextEncoder().encode(
    `--${boundary}\r\nContent-Type: text/csv\r\n` +
      `Content-Disposition: form-data; name="file"; filename="d.csv"\r\n\r\n${csv}` +
      `\r\n--${boundary}--\r\n`,
  );
  return new Request("http://localhost/dataset/store", {
    method: "POST",
    body,
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  });
}

Deno.test("ROLE=api upload: 202 once stored; the task validates → READY, or FAILED with the reason", () =>
  withTestServices(async (services) => {
    registerPipelineTasks(services);
    const handler = (await createApp(services)).handler();
    const good = await handler(upload(boschCsv(boschFixture({ rows: 600, features: 10 }))));
    assert.equal(good.status, 202);
    const accepted = await good.json();
    const right = await services.tasks.waitFor(accepted.task_id, { timeoutMs: 30_000 });
    assert.equal(right.state, "SUCCESS", right.error ?? "");
    const ready = await getDataset(services.kv, accepted.dataset_id);
    assert.equal(ready?.state, "READY");
    assert.equal(ready?.profile?.rows, 600);

    // One class only: a 422 in ROLE=all; here 202, then FAILED with the same reason.
    const oneClass = "Id,synthetic_timestamp,F1,Response\n" +
      Array.from(
        { length: 50 },
        (_, i) => `${i},2025-01-01 00:00:${String(i).padStart(2, "0")},${i},0`,
      )
        .join("\n") +
      "\n";
    const bad = await handler(upload(oneClass));
    assert.equal(bad.status, 202);
    const badAccepted = await bad.json();
    const failed = await services.tasks.waitFor(badAccepted.task_id, { timeoutMs: 30_000 });
    assert.equal(failed.state, "FAILURE");
    const rec = await getDataset(services.kv, badAccepted.dataset_id);
    assert.equal(rec?.state, "FAILED");
    assert.match(rec?.error ?? "", /only 0 \(pass\) values/);
    assert.equal(failed.error, rec?.error);
    assert.deepEqual(await services.storage.list(`datasets/${badAccepted.dataset_id}/`), []);

    // A bad header is still refused while streaming (no record needed).
    const noResponse = await handler(upload("Id,F1\n1,2\n"));
    assert.equal(noResponse.status, 422);
    await noResponse.body?.cancel();
  }, { role: "api" }));
