import assert from "node:assert/strict";
import { join } from "node:path";
import { LocalBlobStore } from "../storage/local_store.ts";
import { boundaryOf, openCsvUpload, receiveCsvUpload, UploadError } from "./multipart_upload.ts";

const enc = new TextEncoder();
const BOUNDARY = "8d4e5a0c-1f2b-4c3d-9e8f-7a6b5c4d3e2f";
const CSV = "synthetic_timestamp,Id,L0_S0_F0,L0_S0_F2,Response\r\n" +
  Array.from(
    { length: 500 },
    (_, i) =>
      `2025-01-01 00:${String(Math.floor(i / 60)).padStart(2, "0")}:${
        String(i % 60).padStart(2, "0")
      },${i},${i % 3 ? "" : "0.5"},-0.0${i % 10},${i % 97 ? 0 : 1}`,
  ).join("\r\n") +
  "\r\n";

function multipartBody(
  csv: string,
  name = "file",
  filename = "bosch.csv",
): Uint8Array<ArrayBuffer> {
  return enc.encode(
    `--${BOUNDARY}\r\nContent-Type: text/csv\r\nContent-Disposition: form-data; name=${name}; filename=${filename}; filename*=utf-8''bosch.csv\r\n\r\n${csv}\r\n--${BOUNDARY}--\r\n`,
  );
}

function chunked(bytes: Uint8Array, size: number, failAt = Infinity): ReadableStream<Uint8Array> {
  let off = 0;
  return new ReadableStream({
    pull(c) {
      if (off >= failAt) return c.error(new Error("connection reset"));
      if (off >= bytes.length) return c.close();
      c.enqueue(bytes.slice(off, off + size));
      off += size;
    },
  });
}

function request(body: BodyInit, type: string, length?: number): Request {
  const headers = new Headers({ "content-type": type });
  if (length !== undefined) headers.set("content-length", String(length));
  return new Request("http://localhost/dataset/store", { method: "POST", body, headers });
}

const MP = `multipart/form-data; boundary="${BOUNDARY}"`;

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory) out.push(...await filesUnder(join(dir, e.name)));
    else out.push(join(dir, e.name));
  }
  return out;
}

async function withStore(fn: (s: LocalBlobStore, dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  try {
    await fn(await LocalBlobStore.open(dir), dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function expectError(p: Promise<unknown>, status: number, re: RegExp) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof UploadError, String(e));
    assert.equal(e.status, status, e.detail);
    assert.match(e.detail, re);
    return true;
  });
}

Deno.test("multipart with quoted boundary + Content-Length is stored byte-exact", async () => {
  await withStore(async (store) => {
    const body = multipartBody(CSV, '"file"', '"bosch.csv"');
    for (const size of [1, 7, 64, 65536]) {
      const r = await receiveCsvUpload(
        request(chunked(body, size), MP, body.length),
        store,
        "datasets/a/source.csv",
        { maxBytes: 1e6 },
      );
      assert.equal(r.bytes, enc.encode(CSV).length);
      assert.equal(r.filename, "bosch.csv");
      assert.equal(r.header.timestampIndex, 0);
      assert.deepEqual(r.columns.slice(-1), ["Response"]);
      assert.equal(await Deno.readTextFile(store.localPath("datasets/a/source.csv")), CSV);
    }
  });
});

Deno.test("raw text/csv body", async () => {
  await withStore(async (store) => {
    const r = await receiveCsvUpload(
      request(enc.encode(CSV), "text/csv; charset=utf-8"),
      store,
      "k.csv",
      { maxBytes: 1e6 },
    );
    assert.equal(r.filename, null);
    assert.equal(await Deno.readTextFile(store.localPath("k.csv")), CSV);
  });
});

Deno.test("refusals leave nothing behind", async () => {
  await withStore(async (store, dir) => {
    const key = "datasets/b/source.csv";
    const opts = { maxBytes: 1e6 };
    await expectError(
      receiveCsvUpload(request(multipartBody(CSV, '"data"'), MP), store, key, opts),
      400,
      /part named 'file', got 'data'/,
    );
    await expectError(
      receiveCsvUpload(request(enc.encode("{}"), "application/json"), store, key, opts),
      415,
      /Unsupported Content-Type/,
    );
    await expectError(
      receiveCsvUpload(request(multipartBody(CSV), "multipart/form-data"), store, key, opts),
      400,
      /boundary/,
    );
    await expectError(
      receiveCsvUpload(request(new Uint8Array(0), MP, 0), store, key, opts),
      400,
      /empty/,
    );
    // A screenshot picked by mistake: named as what it is, not parsed as a CSV header.
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    await expectError(
      receiveCsvUpload(request(png, "text/csv"), store, key, opts),
      415,
      /not a CSV file \(it looks like a PNG image\)/,
    );
    await expectError(
      receiveCsvUpload(
        request(enc.encode("Id,Response\n1,\u0000\n"), "text/csv"),
        store,
        key,
        opts,
      ),
      415,
      /not a CSV file \(it looks like binary data\)/,
    );
    await expectError(
      receiveCsvUpload(request(multipartBody(""), MP), store, key, opts),
      400,
      /empty/,
    );
    await expectError(
      receiveCsvUpload(request(enc.encode(`--${BOUNDARY}--\r\n`), MP), store, key, opts),
      400,
      /no parts/,
    );
    await expectError(
      receiveCsvUpload(
        request(multipartBody(CSV.replace("Response", "Result")), MP),
        store,
        key,
        opts,
      ),
      422,
      /missing 'Response'/,
    );
    await expectError(
      receiveCsvUpload(request(multipartBody("Id,f,Response,Timestamp\r\n"), MP), store, key, opts),
      422,
      /no data rows/,
    );
    // Oversize: by Content-Length up front, and while streaming (no / lying Content-Length).
    const big = multipartBody(CSV);
    await expectError(
      receiveCsvUpload(request(big, MP, 5_000_000), store, key, opts),
      413,
      /larger than the limit/,
    );
    await expectError(
      receiveCsvUpload(request(chunked(big, 1000), MP), store, key, { maxBytes: 5000 }),
      413,
      /larger than the limit/,
    );
    await expectError(
      receiveCsvUpload(request(chunked(enc.encode(CSV), 999), "text/csv"), store, key, {
        maxBytes: 5000,
      }),
      413,
      /larger/,
    );
    // Client gone mid-upload / truncated multipart / extra part.
    await expectError(
      receiveCsvUpload(request(chunked(big, 1000, 6000), MP), store, key, opts),
      400,
      /interrupted: connection reset/,
    );
    await expectError(
      receiveCsvUpload(request(chunked(enc.encode(CSV), 1000, 3000), "text/csv"), store, key, opts),
      400,
      /interrupted/,
    );
    await expectError(
      receiveCsvUpload(request(big.slice(0, big.length - 30), MP), store, key, opts),
      400,
      /truncated/,
    );
    const twoParts = enc.encode(
      new TextDecoder().decode(big).replace(
        `--${BOUNDARY}--`,
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="x"\r\n\r\ny\r\n--${BOUNDARY}--`,
      ),
    );
    await expectError(
      receiveCsvUpload(request(twoParts, MP), store, key, opts),
      400,
      /exactly one form part/,
    );
    // Abort signal.
    const ac = new AbortController();
    const slow = new ReadableStream<Uint8Array>({
      async pull(c) {
        c.enqueue(enc.encode(CSV.slice(0, 200)));
        await new Promise((r) => setTimeout(r, 5));
        ac.abort();
      },
    });
    await expectError(
      receiveCsvUpload(request(slow, "text/csv"), store, key, { maxBytes: 1e6, signal: ac.signal }),
      400,
      /aborted/,
    );
    assert.deepEqual(await filesUnder(dir), []);
  });
});

Deno.test("real server: client disconnect mid-upload leaves nothing, server keeps serving", async () => {
  await withStore(async (store, dir) => {
    const results: (string | number)[] = [];
    const ac = new AbortController();
    const server = Deno.serve({ port: 0, signal: ac.signal, onListen() {} }, async (req) => {
      try {
        // No request signal, as in the route: the body stream's error alone must clean up.
        const r = await receiveCsvUpload(req, store, "datasets/c/source.csv", { maxBytes: 1e9 });
        results.push(r.bytes);
        return Response.json(r.bytes, { status: 202 });
      } catch (e) {
        results.push(e instanceof UploadError ? e.status : String(e));
        return Response.json({ detail: String(e) }, { status: 400 });
      }
    });
    const url = `http://127.0.0.1:${server.addr.port}/`;
    const clientAbort = new AbortController();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(c) {
        if (sent === 0) {
          c.enqueue(
            enc.encode(
              `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\n\r\n`,
            ),
          );
        }
        c.enqueue(enc.encode(CSV));
        sent++;
        if (sent === 20) {
          await new Promise((r) => setTimeout(r, 50));
          clientAbort.abort();
        }
      },
    });
    await assert.rejects(
      fetch(url, {
        method: "POST",
        body,
        headers: { "content-type": MP },
        signal: clientAbort.signal,
      }),
    );
    for (let i = 0; i < 100 && results.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(results.length, 1);
    assert.notEqual(typeof results[0], "string");
    assert.deepEqual(await filesUnder(dir), []);
    // Still serving.
    const ok = multipartBody(CSV);
    const res = await fetch(url, { method: "POST", body: ok, headers: { "content-type": MP } });
    assert.equal(res.status, 202);
    assert.equal(await res.json(), enc.encode(CSV).length);
    ac.abort();
    await server.finished;
  });
});

Deno.test("boundaryOf: quoted (.NET) and token forms, 1–70 characters", () => {
  assert.equal(boundaryOf('multipart/form-data; boundary="a1b2-c3"'), "a1b2-c3");
  assert.equal(boundaryOf("multipart/form-data; charset=utf-8; BOUNDARY=xyz"), "xyz");
  assert.equal(boundaryOf("multipart/form-data"), null);
  assert.equal(boundaryOf(`multipart/form-data; boundary=${"x".repeat(71)}`), null);
});

Deno.test("multipart: a second file part or a field before the file → 400", async () => {
  await withStore(async (store, dir) => {
    const opts = { maxBytes: 1e6 };
    const file = (name: string) =>
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="a.csv"\r\n\r\n${CSV}\r\n`;
    const twoFiles = enc.encode(file("file") + file("file") + `--${BOUNDARY}--\r\n`);
    await expectError(
      receiveCsvUpload(request(chunked(twoFiles, 333), MP), store, "k", opts),
      400,
      /exactly one form part/,
    );
    const fieldFirst = enc.encode(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhi\r\n` +
        file("file") + `--${BOUNDARY}--\r\n`,
    );
    await expectError(
      receiveCsvUpload(request(fieldFirst, MP), store, "k", opts),
      400,
      /named 'file', got 'note'/,
    );
    assert.deepEqual(await filesUnder(dir), []);
  });
});

Deno.test("idle limit: a stalled body → 408; a slow consumer is not the client's idleness", async () => {
  const csv = "Timestamp,Id,F1,Response\n2025-01-01 00:00:00,1,0.5,0\n";
  const bytes = multipartBody(csv);
  // The client sends the head, then stalls for good.
  let sent = false;
  const stalled = new ReadableStream<Uint8Array>({
    pull(c) {
      if (!sent) {
        sent = true;
        c.enqueue(bytes.subarray(0, bytes.length - 10));
      }
      return new Promise(() => {}); // never more
    },
  });
  const up = await openCsvUpload(request(stalled, MP), { maxBytes: 1e6, idleTimeoutMs: 150 });
  await expectError(Array.fromAsync(up.body), 408, /No upload data received/);
  // A consumer that pauses longer than the limit between reads does not trip it.
  const slow = await openCsvUpload(request(chunked(bytes, 16), MP, bytes.length), {
    maxBytes: 1e6,
    idleTimeoutMs: 100,
  });
  const out: Uint8Array[] = [];
  for await (const c of slow.body) {
    out.push(c);
    if (out.length === 2) await new Promise((r) => setTimeout(r, 300));
  }
  assert.equal(out.map((c) => new TextDecoder().decode(c)).join(""), csv);
});
