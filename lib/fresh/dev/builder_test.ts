import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { App } from "../app.ts";
import { type BuildSnapshot, ProdBuildCache, setBuildCache } from "../build_cache.ts";
import { staticFiles } from "../static_files.ts";
import { FIXTURE_ROOT as ROOT } from "../testdata/fixture_app.ts";
import { Builder } from "./builder.ts";

const req = (path: string) => new Request(`http://localhost${path}`);

Deno.test("Builder: options resolve against root with Fresh 2's defaults", () => {
  const { config } = new Builder({ root: ROOT, outDir: "/tmp/out" });
  assert.equal(config.routeDir, join(ROOT, "routes"));
  assert.equal(config.islandDir, join(ROOT, "islands"));
  assert.equal(config.staticDir, join(ROOT, "static"));
  assert.equal(config.outDir, "/tmp/out");
});

Deno.test("Builder.build: disk snapshot + minified bundles; the app serves them", async () => {
  const outDir = await Deno.makeTempDir({ prefix: "fresh-build-" });
  try {
    const applySnapshot = await new Builder({ root: ROOT, outDir }).build();
    const snapshotFile = join(outDir, "snapshot.js");
    const snapshot = await import(pathToFileURL(snapshotFile).href) as BuildSnapshot;
    assert.match(snapshot.version, /^[0-9a-f]{16}$/);
    const rels = snapshot.fsRoutes.map((r) => r.rel);
    assert.ok(rels.includes("about.tsx") && rels.includes("(marketing)/_layout.tsx"));
    assert.ok(rels.includes("files/[...path].ts"));
    assert.ok(!rels.some((r) => r.includes("_helper") || r.includes("(_private)")));
    assert.deepEqual(
      snapshot.islands.map(({ file, entry, js }) => ({ file, entry, js })),
      [{ file: "Counter.tsx", entry: "island-counter", js: "island-counter.js" }],
    );
    // Route and island modules are static imports: nothing to crawl at start-up.
    assert.match(await Deno.readTextFile(snapshotFile), /^import \* as route_0 from "/m);
    const js = join(outDir, "js", snapshot.version);
    assert.doesNotMatch(await Deno.readTextFile(join(js, "client.js")), /\n\s*\/\/ /); // minified

    const app = new App().use(staticFiles()).fsRoutes();
    applySnapshot(app);
    assert.equal(app.config.mode, "production");
    const handler = app.handler();
    const html = await (await handler(req("/island"))).text();
    const url = `/_fresh/js/${snapshot.version}/island-counter.js`;
    assert.ok(html.includes(`"${url}"`), html);
    const bundle = await handler(req(url));
    assert.equal(bundle.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.equal(await bundle.text(), await Deno.readTextFile(join(js, "island-counter.js")));
    assert.equal(await (await handler(req("/hello.txt"))).text(), "hello static\n");
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});

Deno.test("ProdBuildCache: serves exactly the snapshot's routes (no crawl)", async () => {
  const openapi = await import(pathToFileURL(join(ROOT, "routes/openapi.json.ts")).href);
  const snapshot: BuildSnapshot = {
    version: "0123456789abcdef",
    clientEntry: "client.js",
    outDir: "_fresh",
    staticDir: "static",
    fsRoutes: [{ rel: "openapi.json.ts", mod: openapi }],
    islands: [],
  };
  const app = new App().fsRoutes();
  setBuildCache(app, new ProdBuildCache(ROOT, snapshot), "production");
  const handler = app.handler();
  assert.deepEqual(await (await handler(req("/openapi.json"))).json(), { openapi: "3.1.0" });
  const other = await handler(req("/about")); // in routes/, not in the snapshot
  assert.equal(other.status, 404);
  await other.body?.cancel();
});
