import assert from "node:assert/strict";
import { App } from "./app.ts";
import { safeJoin, staticFiles } from "./static_files.ts";
import { fixtureApp } from "./testdata/fixture_app.ts";
const req = (path: string, init?: RequestInit) => new Request(`http://localhost${path}`, init);

async function app() {
  return (await fixtureApp({ fsRoutes: false })).get("/api.json", () => Response.json({}));
}

Deno.test("staticFiles: serves files with type, length, ETag; 304 on revalidation", async () => {
  const handler = (await app()).handler();
  const res = await handler(req("/hello.txt"));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/plain; charset=utf-8");
  assert.equal(res.headers.get("content-length"), "13");
  assert.equal(res.headers.get("cache-control"), "no-cache");
  assert.equal(await res.text(), "hello static\n");
  const etag = res.headers.get("etag")!;
  assert.match(etag, /^W\/"/);

  const again = await handler(req("/hello.txt", { headers: { "if-none-match": etag } }));
  assert.equal(again.status, 304);
  assert.equal(again.body, null);

  const head = await handler(req("/hello.txt", { method: "HEAD" }));
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("content-length"), "13");
  assert.equal(head.body, null);
});

Deno.test("staticFiles: misses, other methods and traversal fall through to routes", async () => {
  const handler = (await app()).handler();
  const cases: [string, RequestInit | undefined, number][] = [
    ["/missing.txt", undefined, 404],
    ["/hello.txt", { method: "POST" }, 404],
    ["/..%2Fstate.ts", undefined, 404],
    ["/%2e%2e/state.ts", undefined, 404],
    ["/api.json", undefined, 200],
  ];
  for (const [path, init, status] of cases) {
    const res = await handler(req(path, init));
    assert.equal(res.status, status, path);
    await res.body?.cancel();
  }
});

Deno.test("staticFiles: an app without a build serves no files", async () => {
  const res = await new App().use(staticFiles()).handler()(req("/hello.txt"));
  assert.equal(res.status, 404);
  await res.body?.cancel();
});

Deno.test("safeJoin: stays inside the root", () => {
  assert.equal(safeJoin("/srv/static", "/a/b.css"), "/srv/static/a/b.css");
  assert.equal(safeJoin("/srv/static", "/a/%2e%2e/%2e%2e/etc/passwd"), null);
  assert.equal(safeJoin("/srv/static", "/a%5Cb"), null);
  assert.equal(safeJoin("/srv/static", "/%zz"), null);
  assert.equal(safeJoin("/srv/static", "/a%00b"), null);
});
