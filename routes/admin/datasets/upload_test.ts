/**
 * The upload form's no-JavaScript path: a plain multipart POST to `/admin/datasets/upload`
 * answers with an HTML page — accepted (and the dataset processing), or refused with the API's
 * reason (a PNG is "not a CSV file") — and needs the admin login when one is configured and a
 * same-origin post (the CSRF guard accepts multipart/form-data on this path).
 */
import assert from "node:assert/strict";
import { createApp } from "../../../lib/app.ts";
import { createLogger } from "../../../lib/api/logging.ts";
import { registerPipelineTasks } from "../../../lib/pipeline/mod.ts";
import { withTestServices } from "../../../lib/testing.ts";
import { generateCsv } from "../../../tests/ingest_fixtures.ts";

function formPost(bytes: Uint8Array | string, filename: string, headers: HeadersInit = {}) {
  const form = new FormData();
  form.append("file", new Blob([bytes as BlobPart], { type: "text/csv" }), filename);
  return new Request("http://localhost/admin/datasets/upload", {
    method: "POST",
    body: form,
    headers: { accept: "text/html", ...headers },
  });
}

const text = (html: string) =>
  html.replace(/<script[\s\S]*?<\/script>/g, " ").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

Deno.test("no-JS upload: a CSV is accepted with an HTML page; a PNG is refused as not a CSV", async () => {
  await withTestServices(async (services) => {
    registerPipelineTasks(services);
    const handler = (await createApp(services, { logger: createLogger("error") })).handler();

    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const refused = await handler(formPost(png, "screenshot.png"));
    assert.equal(refused.status, 415);
    assert.match(refused.headers.get("content-type") ?? "", /text\/html/);
    const refusedText = text(await refused.text());
    assert.match(refusedText, /Upload refused \(HTTP 415\)/);
    assert.match(refusedText, /not a CSV file \(it looks like a PNG image\)/);

    const ok = await handler(formPost(generateCsv({ days: 3 }).csv, "line.csv"));
    assert.equal(ok.status, 202);
    const okText = text(await ok.text());
    assert.match(okText, /Upload accepted \(HTTP 202\)/);
    assert.match(okText, /Back to Datasets/);
    // Let feature selection finish before the services close.
    for (const t of await services.tasks.list()) await services.tasks.waitFor(t.id);

    const back = await handler(new Request("http://localhost/admin/datasets/upload"));
    assert.equal(back.status, 303);
    assert.equal(back.headers.get("location"), "/admin/datasets");
  });
});

Deno.test("no-JS upload: needs the admin login when configured; cross-origin posts are refused", async () => {
  await withTestServices(async (services) => {
    registerPipelineTasks(services);
    const handler = (await createApp(services, { logger: createLogger("error") })).handler();
    const csv = generateCsv({ days: 2 }).csv;
    const denied = await handler(formPost(csv, "line.csv"));
    assert.equal(denied.status, 401);
    await denied.body?.cancel();
    // The raw token as a cookie is no credential; the signed session of the login form is.
    const rawToken = await handler(formPost(csv, "line.csv", { cookie: "api_token=s3cret" }));
    assert.equal(rawToken.status, 401);
    await rawToken.body?.cancel();
    const login = await handler(
      new Request("http://localhost/admin/login", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ password: "s3cret", next: "/admin/datasets" }).toString(),
      }),
    );
    assert.equal(login.status, 303);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
    await login.body?.cancel();

    const crossSite = await handler(
      formPost(csv, "line.csv", { cookie, origin: "https://evil.example" }),
    );
    assert.equal(crossSite.status, 403);
    await crossSite.body?.cancel();
    // The browser's same-origin form post (Origin of the page) passes the CSRF guard.
    const allowed = await handler(
      formPost(csv, "line.csv", {
        cookie,
        origin: "http://localhost",
        "sec-fetch-site": "same-origin",
      }),
    );
    assert.equal(allowed.status, 202);
    await allowed.body?.cancel();
    // Chromium's form post under `Referrer-Policy: no-referrer`: `Origin: null`, same-origin.
    const nullOrigin = await handler(
      formPost(csv, "line.csv", { cookie, origin: "null", "sec-fetch-site": "same-origin" }),
    );
    assert.equal(nullOrigin.status, 202);
    await nullOrigin.body?.cancel();
    const nullCross = await handler(formPost(csv, "line.csv", { cookie, origin: "null" }));
    assert.equal(nullCross.status, 403);
    await nullCross.body?.cancel();
    for (const t of await services.tasks.list()) await services.tasks.waitFor(t.id);
  }, { apiToken: "s3cret" });
});
