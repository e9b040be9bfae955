import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { App } from "fresh";
import { chooseEncoding, compression } from "./compression.ts";

const big = "x".repeat(5000);

function app() {
  return new App()
    .use(compression())
    .get("/html", () => new Response(`<p>${big}</p>`, { headers: { "content-type": "text/html" } }))
    .get("/json", () => Response.json({ big }))
    .get("/small", () => Response.json({ ok: true }, { headers: { "content-length": "11" } }))
    // No Content-Length (as Response.json answers): read to find out it is small.
    .get("/small-json", () => Response.json({ ok: true, status: "PROGRESS" }))
    .get("/chunked", () =>
      new Response(
        new ReadableStream({
          start(c) {
            for (let i = 0; i < 50; i++) c.enqueue(new TextEncoder().encode(big.slice(0, 100)));
            c.close();
          },
        }),
        { headers: { "content-type": "text/csv" } },
      ))
    .get(
      "/sse",
      () => new Response(`data: ${big}\n\n`, { headers: { "content-type": "text/event-stream" } }),
    )
    .get(
      "/png",
      () => new Response(new Uint8Array(5000), { headers: { "content-type": "image/png" } }),
    )
    .get(
      "/gz",
      () =>
        new Response(big, {
          headers: { "content-type": "text/plain", "content-encoding": "gzip" },
        }),
    )
    .handler();
}

const get = (path: string, enc?: string) =>
  app()(new Request(`http://x${path}`, { headers: enc ? { "accept-encoding": enc } : {} }));

Deno.test("chooseEncoding: gzip before br, q=0 refuses, none → null", () => {
  assert.equal(chooseEncoding("gzip, deflate, br"), "gzip");
  assert.equal(chooseEncoding("gzip"), "gzip");
  assert.equal(chooseEncoding("br"), "br");
  assert.equal(chooseEncoding("br;q=0, gzip"), "gzip");
  assert.equal(chooseEncoding("gzip;q=0, br"), "br");
  assert.equal(chooseEncoding("identity"), null);
  assert.equal(chooseEncoding("*"), "gzip");
  assert.equal(chooseEncoding(null), null);
});

Deno.test("compression: HTML and JSON are gzip/br encoded and decode to the same bytes", async () => {
  const gz = await get("/html", "gzip");
  assert.equal(gz.headers.get("content-encoding"), "gzip");
  assert.match(gz.headers.get("vary") ?? "", /Accept-Encoding/);
  const gzBytes = new Uint8Array(await gz.arrayBuffer());
  assert.ok(gzBytes.length < 200, `${gzBytes.length} bytes`);
  assert.equal(new TextDecoder().decode(gunzipSync(gzBytes)), `<p>${big}</p>`);

  const br = await get("/json", "deflate, br");
  assert.equal(br.headers.get("content-encoding"), "br");
  const json = brotliDecompressSync(new Uint8Array(await br.arrayBuffer()));
  assert.deepEqual(JSON.parse(new TextDecoder().decode(json)), { big });
});

Deno.test("compression: never for SSE, binary, encoded, small bodies or without Accept-Encoding", async () => {
  for (const path of ["/sse", "/png", "/small"]) {
    const res = await get(path, "gzip, br");
    assert.equal(res.headers.get("content-encoding"), null, path);
    await res.body?.cancel();
  }
  const smallJson = await get("/small-json", "gzip, br");
  assert.equal(smallJson.headers.get("content-encoding"), null);
  assert.equal(
    smallJson.headers.get("content-length"),
    String(JSON.stringify({ ok: true, status: "PROGRESS" }).length),
  );
  assert.deepEqual(await smallJson.json(), { ok: true, status: "PROGRESS" });
  // A streamed body past the limit is compressed whole: the bytes read first come back too.
  const chunked = await get("/chunked", "gzip");
  assert.equal(chunked.headers.get("content-encoding"), "gzip");
  const text = new TextDecoder().decode(gunzipSync(new Uint8Array(await chunked.arrayBuffer())));
  assert.equal(text, big.slice(0, 100).repeat(50));
  const gz = await get("/gz", "br");
  assert.equal(gz.headers.get("content-encoding"), "gzip");
  await gz.body?.cancel();
  const plain = await get("/html");
  assert.equal(plain.headers.get("content-encoding"), null);
  assert.equal(await plain.text(), `<p>${big}</p>`);
});
