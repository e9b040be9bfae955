import assert from "node:assert/strict";
import { withTestServices } from "../../testing.ts";
import { generateCsv } from "../../../tests/ingest_fixtures.ts";
import { getActiveDataset, getDataset, listDatasets } from "./datasets.ts";
import { registerIngestTasks } from "./mod.ts";
import { type CsvSource, ingestCsv, IngestError, summarize, UPLOAD_MESSAGE } from "./ingest.ts";
import type { DatasetProfile } from "../../data/profile.ts";
import { clearTimeIndexCache, createSplit, getActiveSplit, loadSplitSet } from "../split/mod.ts";

/** A CSV as the pipeline takes it (the HTTP side is tested in lib/api/multipart_upload_test.ts). */
function csvSource(csv: string, filename: string | null = null): CsvSource {
  const bytes = new TextEncoder().encode(csv);
  return { body: ReadableStream.from([bytes]), filename, sizeHint: bytes.length };
}

Deno.test("ingest → feature selection → READY, active, split and load a set", () =>
  withTestServices(async (services) => {
    registerIngestTasks(services);
    clearTimeIndexCache();
    const gen = generateCsv({ days: 5, rowsPerDay: 60, features: 10 });
    const accepted = await ingestCsv(services, csvSource(gen.csv, "gen.csv"));
    assert.equal(accepted.message, UPLOAD_MESSAGE);
    assert.equal(accepted.dataset_path, `datasets/${accepted.dataset_id}/source.csv`);
    const task = await services.tasks.waitFor(accepted.task_id, { timeoutMs: 300_000 });
    assert.equal(task.state, "SUCCESS", task.error ?? "");
    const rec = (await getDataset(services.kv, accepted.dataset_id))!;
    assert.equal(rec.state, "READY");
    assert.equal(rec.filename, "gen.csv");
    assert.equal(rec.task_id, accepted.task_id);
    assert.equal(rec.profile?.rows, 300);
    assert.equal(rec.features?.length, 10);
    // The two signal features must be ranked first.
    assert.deepEqual(
      rec.features!.slice(0, 2).map((f) => f.name).sort(),
      gen.featureNames.slice(0, 2).sort(),
    );
    assert.equal((await getActiveDataset(services.kv))?.id, rec.id);

    const day = 86_400_000, t0 = Date.UTC(2025, 0, 1);
    const { split, response } = await createSplit(services, {
      train: { start_ms: t0, end_ms: t0 + 3 * day - 1 },
      test: { start_ms: t0 + 3 * day, end_ms: t0 + 4 * day - 1 },
      simulation: { start_ms: t0 + 4 * day, end_ms: t0 + 5 * day - 1 },
    });
    assert.deepEqual(
      [response.train_set_rows, response.test_set_rows, response.simulation_set_rows],
      [180, 60, 60],
    );
    assert.equal((await getActiveSplit(services.kv))?.id, split.id);
    const sim = await loadSplitSet(services, split, "simulation");
    assert.equal(sim.nRows, 60);
    assert.equal(sim.columns.length, 10);
    assert.deepEqual(Array.from(sim.labels), gen.labels.slice(240));
    for (let i = 1; i < sim.nRows; i++) assert.ok(sim.timestamps[i] >= sim.timestamps[i - 1]);
    const two = await loadSplitSet(services, split, "test", [gen.featureNames[1]]);
    assert.deepEqual(two.featureNames, [gen.featureNames[1]]);
    assert.equal(two.columns.length, 1);
  }));

Deno.test("ingest: sampled split (fraction 0.5) is seeded and consistent with loadSplitSet", () =>
  withTestServices(async (services) => {
    registerIngestTasks(services);
    clearTimeIndexCache();
    const gen = generateCsv({ days: 4, rowsPerDay: 100, features: 6 });
    const accepted = await ingestCsv(services, csvSource(gen.csv));
    await services.tasks.waitFor(accepted.task_id, { timeoutMs: 300_000 });
    const day = 86_400_000, t0 = Date.UTC(2025, 0, 1);
    const windows = {
      train: { start_ms: t0, end_ms: t0 + 2 * day - 1 },
      test: { start_ms: t0 + 2 * day, end_ms: t0 + 3 * day - 1 },
      simulation: { start_ms: t0 + 3 * day, end_ms: t0 + 4 * day - 1 },
    };
    const a = await createSplit(services, windows);
    const b = await createSplit(services, windows);
    assert.deepEqual(a.split.rows, b.split.rows);
    const total = a.split.rows.train + a.split.rows.test + a.split.rows.simulation;
    assert.ok(total > 120 && total < 280, `sampled ${total} of 400`);
    const dist = Object.values(a.response.daily_distribution).reduce((x, y) => x + y, 0);
    assert.equal(dist, total);
    const train = await loadSplitSet(services, a.split, "train");
    assert.equal(train.nRows, a.split.rows.train);
  }, { splitSampleFraction: 0.5 }));

Deno.test("ingest: bad rows → 422 naming the line, record FAILED, no blobs, active unchanged", () =>
  withTestServices(async (services) => {
    registerIngestTasks(services);
    const gen = generateCsv({ days: 1, rowsPerDay: 20, features: 4 });
    const lines = gen.csv.trimEnd().split("\n");
    lines[7] = lines[7].replace(/,0$/, ",2").replace(/,1$/, ",2");
    await assert.rejects(
      ingestCsv(services, csvSource(lines.join("\n") + "\n")),
      (e: unknown) => e instanceof IngestError && e.status === 422 && /Line 8/.test(e.detail),
    );
    const [rec] = await listDatasets(services.kv);
    assert.equal(rec.state, "FAILED");
    assert.match(rec.error ?? "", /Response/);
    assert.deepEqual(await services.storage.list(`datasets/${rec.id}/`), []);
    assert.equal(await getActiveDataset(services.kv), null);
  }));

Deno.test("ingest: a file with one class is refused (a model needs both)", () =>
  withTestServices(async (services) => {
    registerIngestTasks(services);
    const csv = "synthetic_timestamp,Id,F1,Response\n2025-01-01 00:00:00,1,0.5,0\n" +
      "2025-01-01 00:00:01,2,,0\n";
    await assert.rejects(
      ingestCsv(services, csvSource(csv)),
      (e: unknown) => e instanceof IngestError && e.status === 422 && /both/.test(e.detail),
    );
  }));

Deno.test("summarize: keeps the KV record small for files with very many text columns / days", () => {
  const textColumns = Array.from({ length: 5000 }, (_, i) => ({
    name: `L9_S99_F${100000 + i}`,
    count: 1,
    example: "T1",
  }));
  const rowsPerDay: Record<string, number> = {};
  for (let d = 0; d < 4000; d++) {
    rowsPerDay[new Date(Date.UTC(2000, 0, 1) + d * 86_400_000).toISOString().slice(0, 10)] = 9;
  }
  const s = summarize({
    rows: 36_000,
    columns: 5003,
    timestampColumn: "Timestamp",
    firstTimestamp: null,
    lastTimestamp: null,
    rowsPerDay,
    classCounts: { "0": 1, "1": 1 },
    textColumns,
    timeOrdered: true,
  } as unknown as DatasetProfile);
  assert.equal(s.text_columns.length, 200);
  assert.equal(s.text_column_count, 5000);
  assert.equal(s.rows_per_day_truncated, true);
  assert.ok(JSON.stringify(s).length < 40_000);
});
