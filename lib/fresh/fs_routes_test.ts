import assert from "node:assert/strict";
import { crawlRouteFiles } from "./dev/fs_crawl.ts";
import { classifyRouteFile } from "./fs_routes.ts";
import { FIXTURE_ROOT as ROOT, fixtureApp } from "./testdata/fixture_app.ts";
const req = (path: string, init?: RequestInit) => new Request(`http://localhost${path}`, init);

Deno.test("fs routes: file names map to URL patterns", () => {
  const cases: [string, string, string][] = [
    ["index.ts", "route", "/"],
    ["openapi.json.ts", "route", "/openapi.json"],
    ["process/split-data.ts", "route", "/process/split-data"],
    ["process/train/status/[task_id].ts", "route", "/process/train/status/:task_id"],
    ["files/[...path].ts", "route", "/files/:path*"],
    ["(admin)/settings/index.tsx", "route", "/settings"],
    ["admin/_layout.tsx", "layout", "/admin"],
    ["(g)/_middleware.ts", "middleware", "/"],
    ["_app.tsx", "app", "/"],
    ["models/[id]/_error.tsx", "error", "/models/:id"],
  ];
  for (const [rel, kind, pattern] of cases) {
    const info = classifyRouteFile(rel);
    assert.equal(info?.kind, kind, rel);
    assert.equal(info?.pattern, pattern, rel);
  }
  for (const ignored of ["_helper.ts", "x_test.ts", "a/b.test.tsx", "readme.md", "(_c)/x.tsx"]) {
    assert.equal(classifyRouteFile(ignored), null, ignored);
  }
  assert.throws(() => classifyRouteFile("admin/_app.tsx"), /root/);
  assert.throws(() => classifyRouteFile("[...a]/x.ts"), /last path segment/);
  assert.throws(() => classifyRouteFile("a-[id].ts"), /unsupported segment/);
});

Deno.test("fs routes: crawl skips private folders and helper files", async () => {
  const files = await crawlRouteFiles(`${ROOT}/routes`);
  assert.ok(files.includes("(marketing)/pricing.tsx"));
  assert.ok(files.includes("openapi.json.ts"));
  assert.ok(!files.some((f) => f.includes("_private") || f.includes("_helper")));
});

Deno.test("fs routes: pages, params, rest params, dotted and dashed names", async () => {
  const handler = (await fixtureApp()).handler();

  const home = await handler(req("/"));
  assert.equal(home.status, 200);
  const html = await home.text();
  assert.match(html, /^<!DOCTYPE html><html lang="en"><head><title>fixture<\/title>/);
  assert.match(html, /<h1>Home<\/h1>/);
  assert.doesNotMatch(html, /<script/); // no islands → no JS

  const about = await handler(req("/about?name=%3Cb%3E"));
  assert.equal(about.headers.get("x-page"), "about");
  assert.match(await about.text(), /Hello &lt;b> \(root\)/);

  assert.deepEqual(await (await handler(req("/openapi.json"))).json(), { openapi: "3.1.0" });
  const split = await handler(req("/process/split-data", { method: "POST", body: '{"a":1}' }));
  assert.deepEqual(await split.json(), { got: { a: 1 } });

  assert.deepEqual(await (await handler(req("/items/a%20b"))).json(), {
    id: "a b",
    route: "/items/:id",
  });
  assert.equal(await (await handler(req("/items/new"))).text(), "static wins");
  assert.deepEqual(await (await handler(req("/files/x/y.txt", { method: "PUT" }))).json(), {
    path: "x/y.txt",
    method: "PUT",
  });
  assert.deepEqual(await (await handler(req("/files"))).json(), { path: "", method: "GET" });
});

Deno.test("fs routes: middleware order, groups, layouts, async pages, ctx.render", async () => {
  const handler = (await fixtureApp()).handler();
  const admin = await handler(req("/admin"));
  assert.equal(admin.headers.get("x-trace"), "root,admin");
  assert.match(await admin.text(), /<main class="admin"><p>Admin root>admin<\/p><\/main>/);

  const pricing = await handler(req("/pricing"));
  assert.equal(pricing.headers.get("x-trace"), "root,group");
  assert.match(await pricing.text(), /<div class="marketing"><p>Pricing root>group<\/p>/);

  // The group's middleware does not apply outside the group.
  const about = await handler(req("/about"));
  assert.equal(about.headers.get("x-trace"), "root");
  await about.body?.cancel();

  assert.match(await (await handler(req("/admin/async"))).text(), /<p>async 42<\/p>/);
  const rendered = await handler(req("/admin/render"));
  assert.equal(rendered.status, 201);
  assert.match(await rendered.text(), /<main class="admin"><p>rendered by ctx.render/);
});

Deno.test("fs routes: 404/405/HEAD and _error pages", async () => {
  const handler = (await fixtureApp()).handler();
  // Unknown page path: root middleware and root _error page apply.
  const nf = await handler(req("/nope"));
  assert.equal(nf.status, 404);
  assert.equal(nf.headers.get("x-trace"), "root");
  assert.match(await nf.text(), /<p class="error">Error 404<\/p>/);

  const na = await handler(req("/items/1", { method: "POST" }));
  assert.equal(na.status, 405);
  assert.equal(na.headers.get("allow"), "DELETE, GET, HEAD");
  await na.body?.cancel();

  const head = await handler(req("/about", { method: "HEAD" }));
  assert.equal(head.status, 200);
  assert.equal(head.body, null);

  const errors: unknown[] = [];
  const original = console.error;
  console.error = (...args) => errors.push(args);
  try {
    const boom = await handler(req("/admin/boom"));
    assert.equal(boom.status, 500);
    // The root error page renders with the root's wrappers (_app), not the admin layout.
    assert.match(await boom.text(), /<body><p class="error">Error 500<\/p><\/body>/);
    assert.equal(errors.length, 1); // 5xx caught by an error page are still logged
    // The error page rethrows for /api: the default handler answers with plain text.
    const teapot = await handler(req("/api/teapot"));
    assert.equal(teapot.status, 418);
    assert.equal(await teapot.text(), "I'm a teapot");
  } finally {
    console.error = original;
  }
});

Deno.test("fs routes: private folders and helper files are not routed", async () => {
  const handler = (await fixtureApp()).handler();
  for (const path of ["/helper", "/(_private)/helper", "/_helper"]) {
    const res = await handler(req(path));
    assert.equal(res.status, 404, path);
    await res.body?.cancel();
  }
});
