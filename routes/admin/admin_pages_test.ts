/**
 * The admin pages through the real app (no server): empty states on a fresh service, then the
 * pages with a dataset, a split and a model stored in KV, and the island bundles they load.
 */
import assert from "node:assert/strict";
import { createApp } from "../../lib/app.ts";
import { withTestServices } from "../../lib/testing.ts";
import type { Services } from "../../lib/services.ts";
import { saveModel } from "../../lib/pipeline/train/models.ts";
import {
  fixtureDataset,
  fixtureModel,
  fixtureSplit,
  fixtureTrainResult,
} from "../../lib/ui/fixtures.ts";

type Handler = (req: Request) => Promise<Response>;

async function get(handler: Handler, path: string): Promise<{ status: number; html: string }> {
  const res = await handler(new Request(`http://localhost${path}`));
  return { status: res.status, html: await res.text() };
}

const text = (html: string) =>
  html.replace(/<script[\s\S]*?<\/script>/g, " ").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

async function seed(services: Services): Promise<void> {
  const { kv, storage } = services;
  const ds = fixtureDataset();
  await kv.set(["datasets", ds.id], ds);
  await kv.set(["active", "dataset"], ds.id);
  const split = fixtureSplit();
  await kv.set(["splits", split.id], split);
  await kv.set(["active", "split"], split.id);
  const model = fixtureModel();
  await saveModel(kv, model);
  await storage.put(
    model.artifacts.curves,
    new TextEncoder().encode(JSON.stringify(fixtureTrainResult().training_chart)),
  );
  // A newer upload that failed: the datasets page must say so, the old one stays active.
  await kv.set(["datasets", "ds-0002"], {
    ...fixtureDataset({
      id: "ds-0002",
      filename: "broken.csv",
      created_at: "2025-03-01T00:00:00Z",
    }),
    state: "FAILED",
    error: "Line 12, column L0_S0_F3: not a number",
    profile: null,
    features: null,
    task_id: null,
  });
}

Deno.test("admin pages: empty states on a fresh service", () =>
  withTestServices(async (services) => {
    const handler = (await createApp(services)).handler() as Handler;

    const ds = await get(handler, "/admin/datasets");
    assert.equal(ds.status, 200);
    assert.match(text(ds.html), /Upload a dataset/);
    assert.match(text(ds.html), /No dataset yet/);
    assert.match(text(ds.html), /Nothing has been uploaded yet/);
    assert.match(ds.html, /<!--frsh:island:DatasetUpload:0-->/);
    assert.match(ds.html, /<!--frsh:island:DatasetOverview:1-->/);

    const tr = await get(handler, "/admin/training");
    assert.equal(tr.status, 200);
    assert.match(text(tr.html), /No dataset has been uploaded yet/);
    assert.match(text(tr.html), /No model yet/);
    assert.match(text(tr.html), /No model has been trained yet/);
    assert.match(tr.html, /<button type="submit" class="qc-button" disabled>Start training/);

    const sim = await get(handler, "/admin/simulation");
    assert.equal(sim.status, 200);
    assert.match(text(sim.html), /No trained model yet/);

    // Every island bundle the pages reference is served.
    const urls = new Set<string>();
    for (const html of [ds.html, tr.html, sim.html]) {
      for (const m of html.matchAll(/"(\/_fresh\/js\/[0-9a-f]+\/[\w.-]+\.js)"/g)) urls.add(m[1]);
    }
    assert.ok(urls.size >= 7, `bundles: ${[...urls].join(", ")}`);
    for (const url of urls) {
      const res = await handler(new Request(`http://localhost${url}`));
      assert.equal(res.status, 200, url);
      assert.match(res.headers.get("content-type") ?? "", /javascript/);
      await res.body?.cancel();
    }
  }));

Deno.test("admin pages: dataset, split and model from KV", () =>
  withTestServices(async (services) => {
    await seed(services);
    const handler = (await createApp(services)).handler() as Handler;

    const ds = text((await get(handler, "/admin/datasets")).html);
    assert.match(ds, /Active dataset Ready bosch_small\.csv/);
    assert.match(ds, /Rows 10,450/);
    assert.match(ds, /broken\.csv Failed/);
    assert.match(ds, /Processing failed Line 12, column L0_S0_F3: not a number/);

    const trHtml = (await get(handler, "/admin/training")).html;
    const tr = text(trHtml);
    assert.match(trHtml, /name="train_start_date" value="2025-01-01T00:00:00"/);
    assert.match(trHtml, /name="simulation_end_date" value="2025-01-10T23:59:59"/);
    assert.match(tr, /Training rows 6,150 Test rows 2,130 Simulation rows 2,170/);
    assert.match(tr, /Recall 40\.00 %/);
    assert.match(tr, /Loss per round/);
    assert.match(trHtml, /data-cell="True positives"><span class="qc-cm-count">4</);
    assert.match(trHtml, /href="\/models\/model-0001-cccc\/artifacts\/model\.xgb\.json"/);
    assert.match(trHtml, /<button type="submit" class="qc-button">Start training/);

    const sim = await get(handler, "/admin/simulation");
    assert.match(text(sim.html), /2,170 rows to replay/);
    assert.match(text(sim.html), /No simulation has run yet/);
    assert.match(sim.html, /<button type="submit" class="qc-button">Start simulation/);
    assert.doesNotMatch(text(sim.html), /Split changed since training/);
    assert.doesNotMatch(tr, /The active split is not this model's/);

    // A new split of the same dataset: both pages warn that the model used another one.
    const newer = fixtureSplit({ id: "split-0002" });
    await services.kv.set(["splits", newer.id], newer);
    await services.kv.set(["active", "split"], newer.id);
    const tr2 = text((await get(handler, "/admin/training")).html);
    assert.match(tr2, /The active split is not this model's/);
    assert.match(tr2, /Dataset · split/);
    const sim2 = text((await get(handler, "/admin/simulation")).html);
    assert.match(sim2, /Split changed since training The active split \(split-00\) is not/);
  }));

Deno.test("admin pages: two models compared side by side; unknown id named; linked", () =>
  withTestServices(async (services) => {
    await seed(services);
    const a = fixtureModel();
    const b = {
      ...fixtureModel(),
      id: "model-b",
      created_at: "2025-03-02T00:00:00Z",
      metrics: {
        ...a.metrics,
        f1_score: a.metrics.f1_score + 0.1,
        confusion_matrix: {
          true_positives: 7,
          false_positives: 2,
          true_negatives: 557,
          false_negatives: 3,
        },
      },
    };
    await saveModel(services.kv, b);
    const handler = (await createApp(services)).handler() as Handler;

    const training = await get(handler, "/admin/training");
    assert.match(training.html, /href="\/admin\/models\/compare\?a=[^"&]+&amp;b=[^"]+"/);

    const page = await get(handler, `/admin/models/compare?a=${a.id}&b=model-b`);
    assert.equal(page.status, 200);
    const t = text(page.html);
    assert.match(t, /Figures \(test set\)/);
    assert.match(t, /Failures caught 4 of 10 7 of 10 \+3/);
    assert.match(t, /False alarms per 1,000 parts 5\.3 3\.5 −1\.8/);
    assert.match(t, /Confusion matrices/);
    assert.equal(page.html.match(/<table class="qc-cm"/g)?.length, 2);
    assert.equal(page.html.match(/<polyline/g)?.length, 4);
    assert.match(t, /Feature importance/);

    const unknown = await get(handler, `/admin/models/compare?a=${a.id}&b=nope`);
    assert.equal(unknown.status, 200);
    assert.match(text(unknown.html), /Unknown model: nope/);
    const empty = await get(handler, "/admin/models/compare");
    assert.match(text(empty.html), /Pick two models to compare/);
  }));
