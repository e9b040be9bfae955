import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { App } from "./app.ts";
import { buildProject, MANIFEST_FILE, readManifest } from "./build.ts";
import { staticFiles } from "./static_files.ts";

const ROOT = fileURLToPath(new URL("./testdata/basic", import.meta.url));
const req = (path: string) => new Request(`http://localhost${path}`);

Deno.test("production build: manifest + bundles; the app serves them without crawling", async () => {
  const buildDir = await Deno.makeTempDir({ prefix: "fresh-build-" });
  try {
    const manifest = await buildProject({ root: ROOT, buildDir });
    assert.match(manifest.buildId, /^[0-9a-f]{16}$/);
    assert.ok(manifest.routes.includes("about.tsx"));
    assert.ok(manifest.routes.includes("(marketing)/_layout.tsx"));
    assert.deepEqual(manifest.islands, [
      { file: "Counter.tsx", entry: "island-counter", js: "island-counter.js" },
    ]);
    const js = join(buildDir, "js", manifest.buildId);
    const client = await Deno.readTextFile(join(js, "client.js"));
    assert.doesNotMatch(client, /\n\s*\/\/ /); // minified: no source comments
    assert.deepEqual(await readManifest(buildDir), manifest);

    // Drop a route from the manifest: a production app must not see it (no crawl).
    const trimmed = { ...manifest, routes: manifest.routes.filter((r) => r !== "about.tsx") };
    await Deno.writeTextFile(join(buildDir, MANIFEST_FILE), JSON.stringify(trimmed));
    const app = new App({ root: ROOT, buildDir, mode: "production" }).use(staticFiles())
      .fsRoutes();
    const handler = app.handler();
    const about = await handler(req("/about"));
    assert.equal(about.status, 404);
    await about.body?.cancel();

    const html = await (await handler(req("/island"))).text();
    const url = `/_fresh/js/${manifest.buildId}/island-counter.js`;
    assert.ok(html.includes(`"${url}"`), html);
    const bundle = await handler(req(url));
    assert.equal(bundle.status, 200);
    assert.equal(bundle.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.equal(await bundle.text(), await Deno.readTextFile(join(js, "island-counter.js")));
  } finally {
    await Deno.remove(buildDir, { recursive: true });
  }
});

Deno.test("production mode without a build falls back to crawling (with a warning)", async () => {
  const warnings: unknown[] = [];
  const original = console.warn;
  console.warn = (...args) => warnings.push(args);
  try {
    const app = new App({ root: ROOT, buildDir: "no-such-build", mode: "production" }).fsRoutes();
    const res = await app.handler()(req("/about"));
    assert.equal(res.status, 200);
    await res.body?.cancel();
    assert.equal(warnings.length, 1);
  } finally {
    console.warn = original;
  }
});

Deno.test("readManifest: null when absent, error when unsupported", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.equal(await readManifest(dir), null);
    await Deno.writeTextFile(join(dir, MANIFEST_FILE), '{"version":9}');
    await assert.rejects(readManifest(dir), /unsupported manifest/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
