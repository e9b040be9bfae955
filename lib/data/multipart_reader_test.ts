import assert from "node:assert/strict";
import { boundaryOf, headerParams, MultipartError, MultipartReader } from "./multipart_reader.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let off = 0;
  return new ReadableStream({
    pull(c) {
      if (off >= bytes.length) return c.close();
      c.enqueue(bytes.slice(off, off + size));
      off += size;
    },
  });
}

async function readAll(
  mp: MultipartReader,
): Promise<{ name: string | null; filename: string | null; body: string }[]> {
  const parts = [];
  for (let p; (p = await mp.nextPart()) !== null;) {
    let body = "";
    const chunks: Uint8Array[] = [];
    for (let c; (c = await mp.readBody()) !== null;) chunks.push(c);
    body = dec.decode(concat(chunks));
    parts.push({ name: p.name, filename: p.filename, body });
  }
  return parts;
}

function concat(cs: Uint8Array[]) {
  const out = new Uint8Array(cs.reduce((a, c) => a + c.length, 0));
  let o = 0;
  for (const c of cs) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

Deno.test("boundaryOf: quoted (.NET) and token forms", () => {
  assert.equal(boundaryOf('multipart/form-data; boundary="a1b2-c3"'), "a1b2-c3");
  assert.equal(boundaryOf("multipart/form-data; charset=utf-8; BOUNDARY=xyz"), "xyz");
  assert.equal(boundaryOf("multipart/form-data"), null);
  assert.equal(boundaryOf(`multipart/form-data; boundary=${"x".repeat(71)}`), null);
  assert.deepEqual(headerParams('form-data; name="file"; filename="a \\"b\\".csv"'), {
    name: "file",
    filename: 'a "b".csv',
  });
  assert.deepEqual(headerParams("form-data; name=file; filename*=UTF-8''%C3%A4.csv"), {
    name: "file",
    filename: "ä.csv",
  });
});

Deno.test("parts are read correctly at every chunk boundary", async () => {
  const b = "3f1c7e2a-9d4b-4e1f-8a6c-0b5d2e7f9a13";
  const csv = "Id,Response,Timestamp\r\n1,0,2025-01-01 00:00:00\r\n--" + b.slice(0, 10) +
    "\r\n\r\n--x";
  const body =
    `preamble\r\n--${b}\r\nContent-Disposition: form-data; name="meta"\r\n\r\nhello\r\n--${b}  \r\n` +
    `Content-Type: text/csv\r\nContent-Disposition: form-data; name="file"; filename="d.csv"\r\n\r\n${csv}\r\n--${b}--\r\nepilogue`;
  const bytes = enc.encode(body);
  for (let size = 1; size <= bytes.length; size += size < 80 ? 1 : 7) {
    const parts = await readAll(new MultipartReader(chunked(bytes, size), b));
    assert.deepEqual(parts, [
      { name: "meta", filename: null, body: "hello" },
      { name: "file", filename: "d.csv", body: csv },
    ], `chunk ${size}`);
  }
});

Deno.test("truncated or boundary-less bodies are MultipartErrors", async () => {
  const b = "bnd";
  const cut = enc.encode(
    `--${b}\r\nContent-Disposition: form-data; name="file"\r\n\r\nId,Response\r\n1,0`,
  );
  const mp = new MultipartReader(chunked(cut, 5), b);
  await mp.nextPart();
  await assert.rejects(async () => {
    while ((await mp.readBody()) !== null);
  }, (e: unknown) => e instanceof MultipartError && /truncated/.test(e.message));
  await assert.rejects(
    () => new MultipartReader(chunked(enc.encode("no boundary here"), 4), b).nextPart(),
    MultipartError,
  );
  const empty = new MultipartReader(chunked(enc.encode(`--${b}--\r\n`), 3), b);
  assert.equal(await empty.nextPart(), null);
  const noHeaders = new MultipartReader(chunked(enc.encode(`--${b}\r\n\r\nabc\r\n--${b}--`), 3), b);
  assert.deepEqual(await readAll(noHeaders), [{ name: null, filename: null, body: "abc" }]);
});
