import assert from "node:assert/strict";
import { Rng } from "../random/mod.ts";
import {
  type ByteSource,
  MultipartError,
  openMultipartFile,
  parseDisposition,
  TRUNCATED,
} from "./multipart_file.ts";

const enc = new TextEncoder();

/** `bytes` served in chunks of the given sizes (cycled); records whether it was cancelled. */
function source(
  bytes: Uint8Array,
  sizes: number[],
): ByteSource & { cancelled: boolean; ended: boolean } {
  let off = 0, k = 0;
  const s = {
    cancelled: false,
    ended: false,
    read() {
      if (off >= bytes.length) {
        s.ended = true;
        return Promise.resolve(null);
      }
      const n = sizes[k++ % sizes.length];
      // A fresh copy per chunk, as a socket delivers them.
      const chunk = bytes.slice(off, off + n);
      off += n;
      return Promise.resolve(chunk);
    },
    cancel() {
      s.cancelled = true;
      return Promise.resolve();
    },
  };
  return s;
}

async function readAll(src: ByteSource, boundary: string) {
  const file = await openMultipartFile(src, boundary);
  const parts: Uint8Array[] = [];
  for (let c = await file.pull(); c !== null; c = await file.pull()) parts.push(c.slice());
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return { filename: file.filename, contentType: file.contentType, bytes: out };
}

function body(boundary: string, content: Uint8Array, opts: { preamble?: string } = {}) {
  const head = enc.encode(
    `${opts.preamble ?? ""}--${boundary}\r\nContent-Disposition: form-data; name="file"; ` +
      `filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n`,
  );
  const tail = enc.encode(`\r\n--${boundary}--\r\n`);
  const out = new Uint8Array(head.length + content.length + tail.length);
  out.set(head);
  out.set(content, head.length);
  out.set(tail, head.length + content.length);
  return out;
}

function indexOf(h: Uint8Array, n: Uint8Array): number {
  outer: for (let i = 0; i + n.length <= h.length; i++) {
    for (let j = 0; j < n.length; j++) if (h[i + j] !== n[j]) continue outer;
    return i;
  }
  return -1;
}

async function rejectsWith(p: Promise<unknown>, re: RegExp) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof MultipartError, String(e));
    assert.match(e.message, re);
    return true;
  });
}

Deno.test("file bytes come back exactly, whatever the chunking, with near-delimiters inside", async () => {
  const rng = new Rng(7);
  const alphabet = enc.encode("\r\n-,0123456789.abcXYZ");
  for (let trial = 0; trial < 300; trial++) {
    const boundary = Array.from(
      { length: 1 + rng.int(70) },
      () => "ab-_0'()+,./:=?"[rng.int(15)],
    ).join("");
    const delimiter = enc.encode(`\r\n--${boundary}`);
    // Content: random bytes from a small alphabet, sprinkled with delimiter prefixes that
    // stop one byte short (and CRs at every position), so every partial match is exercised.
    const pieces: Uint8Array[] = [];
    for (let i = rng.int(12); i > 0; i--) {
      const noise = new Uint8Array(rng.int(200));
      for (let j = 0; j < noise.length; j++) noise[j] = alphabet[rng.int(alphabet.length)];
      pieces.push(noise, delimiter.subarray(0, rng.int(delimiter.length)));
    }
    const content = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of pieces) {
      content.set(p, o);
      o += p.length;
    }
    // A sender picks a boundary its content does not hold: skip the rare draw that does.
    if (indexOf(content, delimiter) >= 0) continue;
    const sizes = Array.from({ length: 5 }, () => 1 + rng.int(trial % 3 === 0 ? 4 : 300));
    const preamble = trial % 4 === 0 ? "This is the preamble.\r\n" : "";
    const got = await readAll(source(body(boundary, content, { preamble }), sizes), boundary);
    assert.deepEqual(got.bytes, content, `trial ${trial}, boundary ${boundary}`);
    assert.equal(got.filename, "a.csv");
    assert.equal(got.contentType, "text/csv");
  }
});

Deno.test("a body cut anywhere is an error, never a shorter file", async () => {
  const boundary = "8d4e5a0c-1f2b-4c3d-9e8f-7a6b5c4d3e2f";
  const full = body(boundary, enc.encode("Id,Response\r\n1,0\r\n2,1\r\n"));
  // Up to the closing `--boundary--` every cut is an error; after it only the CRLF is missing.
  for (let cut = 0; cut < full.length - 2; cut++) {
    await rejectsWith(readAll(source(full.slice(0, cut), [7]), boundary), /truncated/);
  }
  for (const cut of [full.length - 2, full.length - 1]) {
    assert.equal((await readAll(source(full.slice(0, cut), [7]), boundary)).bytes.length, 23);
  }
});

Deno.test("epilogue, transport padding, unquoted .NET parameters, filename*", async () => {
  const b = "----b";
  const raw = enc.encode(
    `--${b}   \r\nContent-Type: text/csv\r\nContent-Disposition: form-data; name=file; ` +
      `filename=plain.csv; filename*=utf-8''na%C3%AFve%20line.csv\r\n\r\nId,Response\r\n` +
      `\r\n--${b}--\r\nepilogue, ignored\r\n--${b}\r\n`,
  );
  const src = source(raw, [3]);
  const got = await readAll(src, b);
  assert.equal(got.filename, "naïve line.csv");
  assert.equal(new TextDecoder().decode(got.bytes), "Id,Response\r\n");
  assert.equal(src.cancelled, false, "read to its end, not cancelled");
  // A huge epilogue is not read to its end.
  const long = enc.encode(
    `--${b}\r\nContent-Disposition: form-data; name=file\r\n\r\nId\r\n--${b}--` +
      "e".repeat(200_000),
  );
  const tail = source(long, [4096]);
  assert.equal(new TextDecoder().decode((await readAll(tail, b)).bytes), "Id");
  assert.equal(tail.cancelled, true);
});

Deno.test("parts other than the one file part are refused; the source is cancelled", async () => {
  const b = "xyz";
  const part = (disposition: string, content = "Id\r\n1") =>
    `--${b}\r\nContent-Disposition: ${disposition}\r\n\r\n${content}\r\n`;
  const cases: [string, RegExp][] = [
    [part('form-data; name="note"') + part('form-data; name="file"') + `--${b}--`, /got 'note'/],
    [part("form-data") + `--${b}--`, /a part without a name/],
    [`--${b}\r\nContent-Type: text/csv\r\n\r\nx\r\n--${b}--`, /a part without a name/],
    [part('form-data; name="file"') + part('form-data; name="file"') + `--${b}--`, /exactly one/],
    [`--${b}--\r\n`, /no parts/],
    [`preamble only, the boundary never comes`, /truncated/],
    ["x".repeat(70_000) + part('form-data; name="file"') + `--${b}--`, /no boundary in its first/],
    [
      `--${b}\r\nContent-Disposition: form-data; name="file"\r\n` + "X: y\r\n".repeat(20000),
      /longer than/,
    ],
    [`--${b}junk\r\n`, /unexpected bytes after a boundary/],
  ];
  for (const [text, re] of cases) {
    const src = source(enc.encode(text), [64]);
    await rejectsWith(readAll(src, b), re);
    assert.ok(src.cancelled || src.ended, `left half read: ${text.slice(0, 40)}`);
  }
  // A field named `file` (no filename) is taken as the file: its content is the CSV.
  const field = await readAll(
    source(enc.encode(part('form-data; name="file"') + `--${b}--`), [5]),
    b,
  );
  assert.equal(field.filename, null);
  assert.equal(new TextDecoder().decode(field.bytes), "Id\r\n1");
});

Deno.test("a failing source surfaces its error and cancelling stops the source", async () => {
  const b = "b";
  let n = 0;
  const failing: ByteSource = {
    read: () =>
      n++ === 0
        ? Promise.resolve(
          enc.encode(`--${b}\r\nContent-Disposition: form-data; name=file\r\n\r\nId`),
        )
        : Promise.reject(new Error("connection reset")),
    cancel: () => Promise.resolve(),
  };
  const file = await openMultipartFile(failing, b);
  await assert.rejects(async () => {
    while ((await file.pull()) !== null);
  }, /connection reset/);
  await assert.rejects(() => file.pull(), /connection reset/, "a failed file never ends cleanly");

  const src = source(body(b, new Uint8Array(10_000)), [100]);
  const open = await openMultipartFile(src, b);
  await open.pull();
  await open.cancel(new Error("stop"));
  assert.equal(src.cancelled, true);
});

Deno.test("parseDisposition: quoted, escaped, token values; bad filename* falls back", () => {
  assert.deepEqual(parseDisposition('form-data; name="file"; filename="a \\"b\\".csv"'), {
    name: "file",
    filename: 'a "b".csv',
  });
  assert.deepEqual(parseDisposition("form-data; NAME=file; filename=x.csv"), {
    name: "file",
    filename: "x.csv",
  });
  assert.deepEqual(
    parseDisposition("form-data; name=file; filename=x.csv; filename*=utf-8''%E0%A4"),
    {
      name: "file",
      filename: "x.csv",
    },
  );
  assert.deepEqual(parseDisposition("form-data; name=f; filename*=iso-8859-1''caf%E9.csv"), {
    name: "f",
    filename: "café.csv",
  });
  assert.deepEqual(parseDisposition(undefined), { name: null, filename: null });
  void TRUNCATED;
});
