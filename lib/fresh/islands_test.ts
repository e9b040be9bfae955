import assert from "node:assert/strict";
import { mapSpecifier, npmToBare } from "./dev/esbuild.ts";
import { serializeProps } from "./islands.ts";
import { fixtureApp } from "./testdata/fixture_app.ts";
const req = (path: string, init?: RequestInit) => new Request(`http://localhost${path}`, init);

Deno.test("serializeProps: nothing can close the script tag", () => {
  const json = serializeProps([{ label: "</script><!-- & \u2028", f: () => 1, n: 1 }]);
  assert.doesNotMatch(json, /[<>&\u2028]/);
  assert.equal(json, '[{"label":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028","n":1}]');
  assert.deepEqual(JSON.parse(json), [{ label: "</script><!-- & \u2028", n: 1 }]);
});

Deno.test("import map resolution for the browser bundle", () => {
  const imports = {
    "preact": "npm:preact@10.29.8",
    "preact/hooks": "npm:preact@10.29.8/hooks",
    "fresh/runtime": "./lib/fresh/runtime.ts",
    "@scope/pkg": "npm:@scope/pkg@1.0.0",
    "lib/": "./lib/",
  };
  assert.equal(mapSpecifier("preact", imports), "npm:preact@10.29.8");
  assert.equal(mapSpecifier("preact/hooks", imports), "npm:preact@10.29.8/hooks");
  assert.equal(mapSpecifier("preact/compat", imports), "npm:preact@10.29.8/compat");
  assert.equal(mapSpecifier("fresh/runtime", imports), "./lib/fresh/runtime.ts");
  assert.equal(mapSpecifier("lib/x.ts", imports), "./lib/x.ts");
  assert.equal(mapSpecifier("@scope/pkg/sub", imports), "npm:@scope/pkg@1.0.0/sub");
  assert.equal(mapSpecifier("other", imports), null);
  assert.equal(npmToBare("npm:preact@10.29.8/hooks"), "preact/hooks");
  assert.equal(npmToBare("npm:@scope/pkg@1.0.0/sub"), "@scope/pkg/sub");
  assert.equal(npmToBare("npm:zod"), "zod");
});

Deno.test("islands: SSR markers, serialized props, boot script and bundles", async () => {
  const handler = (await fixtureApp()).handler();
  const res = await handler(req("/island"));
  assert.equal(res.status, 200);
  const html = await res.text();

  // Island output sits between markers, rendered on the server.
  assert.match(
    html,
    /<!--frsh:island:Counter:0--><button type="button" data-browser="false">&lt;\/script>&lt;script>alert\(1\)&lt;\/script>: 3<\/button><!--\/frsh:island-->/,
  );
  assert.match(html, /<!--frsh:island:Counter:1--><button[^>]*>second: 7<\/button>/);

  // Props are JSON in a script tag, escaped so the label cannot break out.
  const state = /<script id="__FRSH_STATE" type="application\/json">(.*?)<\/script>/.exec(html);
  assert.ok(state);
  assert.doesNotMatch(state[1], /<\/script>/);
  assert.deepEqual(JSON.parse(state[1]), [
    { start: 3, label: "</script><script>alert(1)</script>" },
    { start: 7, label: "second" },
  ]);

  // One boot module importing the runtime and the island bundle once.
  const boot = /<script type="module">(.*?)<\/script><\/body>/.exec(html);
  assert.ok(boot, html);
  const urls = [...boot[1].matchAll(/from"([^"]+)"/g)].map((m) => m[1]);
  assert.equal(urls.length, 2);
  assert.match(urls[0], /^\/_fresh\/js\/[0-9a-f]{16}\/client\.js$/);
  assert.match(urls[1], /^\/_fresh\/js\/[0-9a-f]{16}\/island-counter\.js$/);
  assert.match(boot[1], /boot\(\{"Counter":\$0\["default"\]\}\)/);

  // Bundles are served with long cache headers; the island and the runtime share chunks
  // (one Preact instance).
  const files = new Map<string, string>();
  for (const url of urls) {
    const js = await handler(req(url));
    assert.equal(js.status, 200);
    assert.equal(js.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.equal(js.headers.get("content-type"), "text/javascript; charset=utf-8");
    files.set(url, await js.text());
  }
  const chunkImports = (code: string) =>
    new Set([...code.matchAll(/from\s*"\.\/(chunk-[\w]+\.js)"/g)].map((m) => m[1]));
  const shared = [...chunkImports(files.get(urls[0])!)].filter((c) =>
    chunkImports(files.get(urls[1])!).has(c)
  );
  assert.ok(shared.length > 0, "client and island should share a chunk");
  // Preact's core (the development bundle names its source file) is in the shared chunk only.
  const core = /preact\/dist\/preact\.module\.js/;
  assert.doesNotMatch(files.get(urls[0])!, core);
  assert.doesNotMatch(files.get(urls[1])!, core);
  const sharedCode = await (await handler(req(urls[0].replace("client.js", shared[0])))).text();
  assert.match(sharedCode, core);

  // Unknown build ids and files are 404s.
  const bad = await handler(req("/_fresh/js/0000000000000000/client.js"));
  assert.equal(bad.status, 404);
  await bad.body?.cancel();

  // Pages without islands ship no JS.
  assert.doesNotMatch(await (await handler(req("/about"))).text(), /<script/);
});
