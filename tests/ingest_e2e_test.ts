/**
 * End to end through the HTTP handler: uploads as the .NET backend sends them, feature
 * selection in the background, the dataset endpoints, and the date split.
 */
import assert from "node:assert/strict";
import { createApp } from "../lib/app.ts";
import { withTestServices } from "../lib/testing.ts";
import type { Services } from "../lib/services.ts";
import { registerIngestTasks, selectFeatures } from "../lib/pipeline/ingest/mod.ts";
import { SELECT_FEATURES_KIND } from "../lib/pipeline/ingest/ingest.ts";
import { clearTimeIndexCache } from "../lib/pipeline/split/split.ts";
import { dotnetBody, dotnetSplitBody, dotnetUpload, generateCsv } from "./ingest_fixtures.ts";

const DATA = new URL("../../shared/data/", import.meta.url);
const NUMERIC = new URL("bosch_numeric_700_ts.csv", DATA);
const WIDE = new URL("bosch_wide_50_ts.csv", DATA);

type Handler = (req: Request) => Promise<Response>;

async function handlerOf(services: Services): Promise<Handler> {
  return (await createApp(services)).handler() as Handler;
}

// deno-lint-ignore no-explicit-any
async function json(res: Response): Promise<any> {
  return await res.json();
}

/** Upload, expect 202, wait for the selection task; returns the dataset record via GET. */
async function uploadReady(h: Handler, services: Services, req: Request) {
  const res = await h(req);
  const body = await json(res);
  assert.equal(res.status, 202, JSON.stringify(body));
  assert.equal(
    body.message,
    "Dataset uploaded successfully. Feature selection running in background.",
  );
  const task = await services.tasks.waitFor(body.task_id, { timeoutMs: 300_000 });
  assert.equal(task.state, "SUCCESS", task.error ?? "");
  const rec = await json(await h(new Request(`http://localhost/dataset/${body.dataset_id}`)));
  return { accepted: body, rec };
}

async function activeId(h: Handler): Promise<string | null> {
  const res = await h(new Request("http://localhost/dataset"));
  if (res.status === 404) {
    await res.body?.cancel();
    return null;
  }
  return (await json(res)).id;
}

Deno.test("e2e: .NET-shaped upload of bosch_numeric_700 goes READY with a ranked feature list", () =>
  withTestServices(async (services) => {
    registerIngestTasks(services);
    const h = await handlerOf(services);
    const csv = await Deno.readFile(NUMERIC);
    const { accepted, rec } = await uploadReady(
      h,
      services,
      dotnetUpload(csv, { filename: "bosch_numeric_700_ts.csv" }),
    );
    assert.equal(accepted.dataset_path, `datasets/${accepted.dataset_id}/source.csv`);
    assert.equal(rec.state, "READY");
    assert.equal(rec.active, true);
    assert.equal(rec.filename, "bosch_numeric_700_ts.csv");
    assert.equal(rec.profile.rows, 700);
    assert.equal(rec.profile.timestamp_column, "Timestamp");
    assert.deepEqual(rec.profile.class_counts, { "0": 697, "1": 3 });
    assert.ok(rec.features.length > 0 && rec.features.length <= 100);
    for (const f of rec.features) {
      assert.equal(typeof f.name, "string");
      assert.ok(f.importance >= 0);
    }
    assert.ok(rec.features[0].importance > 0, "the top feature has a gain");
    const imps = rec.features.map((f: { importance: number }) => f.importance);
    assert.deepEqual(imps, [...imps].sort((a, b) => b - a), "ranked by gain");
    // The listing, the active alias and the profile endpoint agree.
    const list = await json(await h(new Request("http://localhost/datasets")));
    assert.equal(list.datasets.length, 1);
    assert.equal(list.active_id, rec.id);
    assert.equal((await json(await h(new Request("http://localhost/dataset/active")))).id, rec.id);
    const prof = await json(await h(new Request(`http://localhost/dataset/${rec.id}/profile`)));
    assert.equal(prof.rows, 700);
    assert.equal(Object.keys(prof.missingShare).length, 968);
    const wrongMethod = await h(new Request("http://localhost/dataset/store"));
    assert.equal(wrongMethod.status, 405);
    await wrongMethod.body?.cancel();
    const doc = await json(await h(new Request("http://localhost/openapi.json")));
    for (const p of ["/dataset", "/datasets", "/dataset/{id}", "/dataset/{id}/profile", "/split"]) {
      assert.ok(p in doc.paths, `${p} is documented`);
    }
    const missing = await h(new Request("http://localhost/dataset/nope"));
    assert.equal(missing.status, 404);
    assert.match((await json(missing)).detail, /Unknown dataset/);
  }));

Deno.test("e2e: the 4,267-column wide file goes READY with text columns excluded and reported", () =>
  withTestServices(async (services) => {
    registerIngestTasks(services);
    const h = await handlerOf(services);
    const csv = await Deno.readFile(WIDE);
    const { rec } = await uploadReady(h, services, dotnetUpload(csv, { filename: "wide.csv" }));
    assert.equal(rec.state, "READY");
    assert.equal(rec.profile.columns, 4267);
    assert.equal(rec.profile.timestamp_column, "synthetic_timestamp");
    // The file has both classes (4 passes, 46 failures): no variant needed.
    assert.ok(rec.profile.class_counts["0"] > 0 && rec.profile.class_counts["1"] > 0);
    const text: string[] = rec.profile.text_columns;
    assert.ok(text.length > 0, "text columns are reported");
    assert.ok(text.includes("L1_S24_F1510"));
    const names = new Set(rec.features.map((f: { name: string }) => f.name));
    for (const t of text) assert.ok(!names.has(t), `text column ${t} must not be a feature`);
    assert.ok(rec.features.length > 0 && rec.features.length <= 100);
  }));

Deno.test("e2e: malformed uploads get their 4xx and leave the active dataset unchanged", () =>
  withTestServices(async (services) => {
    registerIngestTasks(services);
    const h = await handlerOf(services);
    const good = generateCsv({ days: 2, rowsPerDay: 30, features: 5 });
    const { rec } = await uploadReady(h, services, dotnetUpload(good.csv));
    const before = rec.id;
    const blobsBefore = (await services.storage.list("datasets/")).map((b) => b.key);

    const expect = async (req: Request, status: number, detail: RegExp) => {
      const res = await h(req);
      const body = await json(res);
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(typeof body.detail, "string");
      assert.match(body.detail, detail);
      assert.equal(await activeId(h), before);
    };
    const lines = good.csv.trimEnd().split("\n");
    const withLine = (i: number, f: (l: string) => string) =>
      lines.map((l, k) => (k === i ? f(l) : l)).join("\n") + "\n";

    // No Response column → 422 from the header check, before anything is stored.
    const noResponse = good.csv.replace(",Response\n", ",Result\n");
    await expect(dotnetUpload(noResponse), 422, /Response/);
    // A line with an extra field → 422 naming the line.
    await expect(dotnetUpload(withLine(5, (l) => l + ",1.5")), 422, /[Ll]ine 6/);
    // Response = 2 → 422 naming line and column.
    await expect(
      dotnetUpload(withLine(3, (l) => l.replace(/,[01]$/, ",2"))),
      422,
      /Line 4.*Response/,
    );
    // A part under another name → 400.
    await expect(dotnetUpload(good.csv, { partName: "upload" }), 400, /named 'file'/);
    // Not multipart → 415; multipart without a boundary → 400.
    await expect(
      new Request("http://localhost/dataset/store", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      }),
      415,
      /Content-Type/,
    );
    await expect(dotnetUpload(good.csv, { contentType: "multipart/form-data" }), 400, /boundary/);
    // Empty body → 400; an empty file part → 400.
    await expect(
      new Request("http://localhost/dataset/store", {
        method: "POST",
        headers: { "content-type": 'multipart/form-data; boundary="abc"', "content-length": "0" },
        body: new Uint8Array(0),
      }),
      400,
      /empty/,
    );
    await expect(dotnetUpload(""), 400, /empty/);

    // Nothing new was stored; rejected-after-storing uploads left FAILED records only.
    assert.deepEqual((await services.storage.list("datasets/")).map((b) => b.key), blobsBefore);
    const all = (await json(await h(new Request("http://localhost/datasets")))).datasets;
    for (const d of all) if (d.id !== before) assert.equal(d.state, "FAILED");
  }));

Deno.test("e2e: oversize upload → 413 and an aborted upload leaves no blob", () =>
  withTestServices(async (services) => {
    registerIngestTasks(services);
    const h = await handlerOf(services);
    const big = generateCsv({ days: 3, rowsPerDay: 200, features: 8 });
    const res = await h(dotnetUpload(big.csv));
    assert.equal(res.status, 413);
    assert.match((await json(res)).detail, /larger than/);

    // A body that fails midway (client gone), streamed without a Content-Length check.
    const { body, contentType } = dotnetBody(big.csv.slice(0, 2000));
    let sent = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (!sent) {
          sent = true;
          c.enqueue(body.subarray(0, 1500));
        } else c.error(new Error("connection reset"));
      },
    });
    const aborted = await h(
      new Request("http://localhost/dataset/store", {
        method: "POST",
        headers: { "content-type": contentType },
        body: stream,
      }),
    );
    assert.equal(aborted.status, 400);
    await aborted.body?.cancel();
    assert.deepEqual(await services.storage.list("datasets/"), []);
    assert.deepEqual([...Deno.readDirSync(`${services.config.dataDir}/blobs/.tmp`)], []);
    assert.equal(await activeId(h), null);
  }, { maxUploadBytes: 20_000 }));

Deno.test("e2e: split with .NET dates returns independently recomputed counts and days", () =>
  withTestServices(async (services) => {
    registerIngestTasks(services);
    clearTimeIndexCache();
    const h = await handlerOf(services);
    const post = (body: unknown) =>
      h(
        new Request("http://localhost/process/split-data", {
          method: "POST",
          headers: { "content-type": "application/json; charset=utf-8" },
          body: JSON.stringify(body),
        }),
      );

    // No dataset → 404.
    const none = await post(dotnetSplitBody({
      train: ["2025-01-01", "2025-01-02"],
      test: ["2025-01-03", "2025-01-03"],
      simulation: ["2025-01-04", "2025-01-04"],
    }));
    assert.equal(none.status, 404);
    assert.match((await json(none)).detail, /No dataset/);

    // Out-of-order rows and a missing day (every 4th): the table sorts, days stay omitted.
    const gen = generateCsv({ days: 9, rowsPerDay: 48, features: 6, skipEveryNthDay: 4 });
    const lines = gen.csv.trimEnd().split("\n");
    const shuffled = [lines[0], ...lines.slice(1).reverse()].join("\n") + "\n";
    await uploadReady(h, services, dotnetUpload(shuffled));

    const body = dotnetSplitBody({
      train: ["2025-01-01", "2025-01-04"],
      test: ["2025-01-05", "2025-01-06"],
      simulation: ["2025-01-07", "2025-01-09"],
    });
    body.train_start_date = "2025-01-01T00:00:00"; // no zone = UTC
    const res = await post(body);
    const out = await json(res);
    assert.equal(res.status, 200, JSON.stringify(out));
    assert.equal(out.message, "Data successfully sampled, split, and saved.");
    const count = (a: string, b: string) =>
      gen.timestamps.filter((t) =>
        t >= Date.parse(`${a}T00:00:00Z`) && t <= Date.parse(`${b}T23:59:59.999Z`)
      ).length;
    assert.equal(out.train_set_rows, count("2025-01-01", "2025-01-04"));
    assert.equal(out.test_set_rows, count("2025-01-05", "2025-01-06"));
    assert.equal(out.simulation_set_rows, count("2025-01-07", "2025-01-09"));
    assert.equal(out.train_set_rows, 3 * 48); // day 4 is skipped
    const days: Record<string, number> = {};
    for (const t of gen.timestamps) {
      const d = new Date(t).toISOString().slice(0, 10);
      days[d] = (days[d] ?? 0) + 1;
    }
    assert.deepEqual(out.daily_distribution, days);
    assert.deepEqual(Object.keys(out.daily_distribution), Object.keys(days).sort());
    assert.ok(!("2025-01-04" in out.daily_distribution));
    for (const k of ["train_set_path", "test_set_path", "simulation_set_path"]) {
      assert.ok(await services.storage.stat(out[k]), `${k} names a stored key`);
    }
    const split = await json(await h(new Request("http://localhost/split")));
    assert.deepEqual(split.rows, {
      train: out.train_set_rows,
      test: out.test_set_rows,
      simulation: out.simulation_set_rows,
    });

    // Date errors → 422 in FastAPI's shape.
    const missing = { ...body } as Record<string, string>;
    delete missing.train_start_date;
    const r1 = await post(missing);
    assert.equal(r1.status, 422);
    assert.deepEqual(await json(r1), {
      detail: [{ loc: ["body", "train_start_date"], msg: "Field required", type: "missing" }],
    });
    const r2 = await post({ ...body, test_end_date: "next tuesday" });
    assert.equal(r2.status, 422);
    assert.deepEqual((await json(r2)).detail[0].loc, ["body", "test_end_date"]);
    const r3 = await post({ ...body, test_start_date: "2025-01-07T00:00:00Z" });
    assert.equal(r3.status, 422);
    assert.match((await json(r3)).detail[0].msg, /test_start_date must not be after/);
    const r4 = await post({ ...body, test_start_date: "2025-01-04T12:00:00Z" });
    assert.equal(r4.status, 422);
    assert.match((await json(r4)).detail[0].msg, /train and test date ranges overlap/);
    const r5 = await h(
      new Request("http://localhost/process/split-data", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{not json",
      }),
    );
    assert.equal(r5.status, 422);
    await r5.body?.cancel();
  }));

Deno.test("e2e: split is refused with 409 while the newest upload is still selecting features", () =>
  withTestServices(async (services) => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let gated = 0;
    // The real task body, held at a gate for the second upload.
    services.tasks.register({
      kind: SELECT_FEATURES_KIND,
      resumable: true,
      async run(ctx) {
        if (++gated === 2) await gate;
        // deno-lint-ignore no-explicit-any
        return await selectFeatures(services, ctx as any);
      },
    });
    clearTimeIndexCache();
    const h = await handlerOf(services);
    const gen = generateCsv({ days: 3, rowsPerDay: 30, features: 4 });
    const first = await uploadReady(h, services, dotnetUpload(gen.csv));
    const res = await h(dotnetUpload(gen.csv));
    const second = await json(res);
    assert.equal(res.status, 202);

    const split = () =>
      h(
        new Request("http://localhost/process/split-data", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(dotnetSplitBody({
            train: ["2025-01-01", "2025-01-01"],
            test: ["2025-01-02", "2025-01-02"],
            simulation: ["2025-01-03", "2025-01-03"],
          })),
        }),
      );
    const refused = await split();
    const body = await json(refused);
    assert.equal(refused.status, 409);
    assert.equal(body.task_id, second.task_id);
    assert.equal(body.dataset_id, second.dataset_id);
    assert.equal(body.state, "SELECTING_FEATURES");
    // The old dataset is still the active one, and GET /dataset says a newer one is coming.
    const active = await json(await h(new Request("http://localhost/dataset")));
    assert.equal(active.id, first.rec.id);
    assert.equal(active.newest.id, second.dataset_id);

    release();
    await services.tasks.waitFor(second.task_id, { timeoutMs: 300_000 });
    assert.equal(await activeId(h), second.dataset_id);
    const ok = await split();
    assert.equal(ok.status, 200);
    assert.equal((await json(ok)).train_set_rows, 30);
  }));
