/**
 * Analyst downloads through the app (no server): the active split's sets, a model's test
 * predictions and a run's packets, each as CSV (streamed) and Parquet (read back with polars),
 * and 404s for unknown names.
 */
import assert from "node:assert/strict";
import { createApp } from "../../lib/app.ts";
import { createLogger } from "../../lib/api/logging.ts";
import { loadPolars } from "../../lib/api/table_export.ts";
import { registerPipelineTasks } from "../../lib/pipeline/mod.ts";
import { createSplit } from "../../lib/pipeline/split/mod.ts";
import { startTraining } from "../../lib/pipeline/train/train.ts";
import { installSyntheticDataset } from "../../lib/pipeline/train/testdata/synthetic_dataset.ts";
import { withTestServices } from "../../lib/testing.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);
const win = (d0: number, d1: number) => ({ start_ms: T0 + d0 * DAY, end_ms: T0 + d1 * DAY - 1 });

Deno.test("downloads: split sets, test predictions and packets as CSV and Parquet", async () => {
  await withTestServices(async (services) => {
    registerPipelineTasks(services);
    await installSyntheticDataset(services, { rows: 2000, features: 6, cleanDays: [0] });
    const { split } = await createSplit(services, {
      train: win(0, 4),
      test: win(4, 5),
      simulation: win(5, 7),
    });
    const handler = (await createApp(services, { logger: createLogger("error") })).handler();
    const get = (path: string) => handler(new Request(`http://localhost${path}`));
    const pl = await loadPolars();
    const readParquet = async (res: Response) => {
      const path = await Deno.makeTempFile({ suffix: ".parquet" });
      try {
        await Deno.writeFile(path, new Uint8Array(await res.arrayBuffer()));
        return pl.readParquet(path);
      } finally {
        await Deno.remove(path);
      }
    };

    // The split's test set.
    const csv = await get("/downloads/split/test.csv");
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get("content-disposition") ?? "", /split-.*-test\.csv/);
    const lines = (await csv.text()).trimEnd().split("\n");
    assert.equal(lines.length, split.rows.test + 1);
    assert.match(lines[0], /^Id,timestamp,Response,/);
    const pq = await get("/downloads/split/train.parquet");
    assert.equal(pq.status, 200);
    assert.equal(pq.headers.get("content-type"), "application/vnd.apache.parquet");
    const frame = await readParquet(pq);
    assert.equal(frame.height, split.rows.train);
    assert.deepEqual(frame.columns.slice(0, 3), ["Id", "timestamp", "Response"]);
    assert.equal((await get("/downloads/split/other.csv")).status, 404);

    // A model's test predictions.
    const task = await startTraining(services, { n_estimators: 20 });
    const done = await services.tasks.waitFor(task.id, { timeoutMs: 60_000 });
    assert.equal(done.state, "SUCCESS", done.error ?? "");
    const preds = await get("/downloads/models/active/predictions.csv");
    assert.equal(preds.status, 200);
    const predLines = (await preds.text()).trimEnd().split("\n");
    assert.equal(predLines[0], "Id,Response,p_fail,predicted");
    assert.equal(predLines.length, split.rows.test + 1);
    const predFrame = await readParquet(await get("/downloads/models/active/predictions.parquet"));
    assert.equal(predFrame.height, split.rows.test);
    assert.equal((await get("/downloads/models/nope/predictions.csv")).status, 404);

    // A fast run's packets.
    const start = await handler(
      new Request("http://localhost/simulation/start", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ rows_per_second: 1000, warmup_seconds: 0 }),
      }),
    );
    assert.equal(start.status, 200, await start.clone().text());
    const { task_id } = await start.json();
    const sim = await services.tasks.waitFor(task_id, { timeoutMs: 60_000 });
    assert.equal(sim.state, "SUCCESS", sim.error ?? "");
    const packets = await get(`/downloads/simulation/${task_id}/packets.csv`);
    const packetLines = (await packets.text()).trimEnd().split("\n");
    assert.match(packetLines[0], /^row_index,timestamp,sample_id,prediction,confidence,/);
    assert.equal(packetLines.length, split.rows.simulation + 1);
    const packetFrame = await readParquet(
      await get(`/downloads/simulation/${task_id}/packets.parquet`),
    );
    assert.equal(packetFrame.height, split.rows.simulation);
    assert.equal((await get(`/downloads/simulation/${task_id}/x.csv`)).status, 404);
    assert.equal((await get("/downloads/simulation/nope/packets.csv")).status, 404);
  });
});
