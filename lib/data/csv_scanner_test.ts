import assert from "node:assert/strict";
import { CsvValidationError } from "./csv_header.ts";
import { type CsvSource, scanCsv } from "./csv_scanner.ts";

const enc = new TextEncoder();

/** A stream that delivers `bytes` in pieces of `size` (chunk-boundary tests). */
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

/** Naive reference parser (RFC 4180). */
function naive(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], f = "", q = false, i = 0, quotedField = false;
  for (; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          f += '"';
          i++;
        } else q = false;
      } else f += c;
    } else if (c === '"' && f === "") {
      q = true;
      quotedField = true;
    } else if (c === ",") {
      row.push(f);
      f = "";
      quotedField = false;
    } else if (c === "\n") {
      if (!quotedField && f.endsWith("\r")) f = f.slice(0, -1);
      row.push(f);
      if (!(row.length === 1 && row[0] === "")) rows.push(row);
      row = [];
      f = "";
      quotedField = false;
    } else if (c === "\r" && quotedField) { /* CR after closing quote */ }
    else f += c;
  }
  if (f !== "" || row.length) {
    if (!quotedField && f.endsWith("\r")) f = f.slice(0, -1);
    row.push(f);
    rows.push(row);
  }
  return rows;
}

async function collect(
  src: CsvSource,
  pick: (names: string[]) => number[],
  opts: { countFields?: boolean; chunkSize?: number; strict?: boolean } = {},
) {
  const out: string[][] = [];
  const lines: number[] = [];
  const res = await scanCsv(src, {
    chunkSize: opts.chunkSize,
    strictFieldCount: opts.strict,
    onHeader: (names) => ({ columns: pick(names), countFields: opts.countFields }),
    onRow(row) {
      const r: string[] = [];
      for (let k = 0; k < row.columns.length; k++) r.push(row.text(k));
      out.push(r);
      lines.push(row.line);
    },
  });
  return { out, lines, res };
}

function randomCsv(
  seed: number,
  rows: number,
  cols: number,
  opts: { quotes?: boolean; crlf?: boolean },
) {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const nl = opts.crlf ? "\r\n" : "\n";
  const lines = [Array.from({ length: cols }, (_, i) => `c${i}`).join(",")];
  for (let r = 0; r < rows; r++) {
    const f: string[] = [];
    for (let c = 0; c < cols; c++) {
      const u = rnd();
      if (u < 0.7) f.push("");
      else if (u < 0.9 || !opts.quotes) f.push((rnd() * 2 - 1).toFixed(3));
      else if (u < 0.95) f.push('"a,b ""q"" c"');
      else f.push('"multi\nline"');
    }
    lines.push(f.join(","));
  }
  return lines.join(nl) + (rows % 2 ? nl : "");
}

Deno.test("SWAR select kernel equals a naive parse (all column subsets, random CSV)", async () => {
  for (const crlf of [false, true]) {
    const text = randomCsv(3, 200, 37, { crlf });
    const ref = naive(text).slice(1);
    const bytes = enc.encode(text);
    for (
      const sel of [
        [0],
        [36],
        [0, 36],
        [5, 6, 7],
        [1, 9, 17, 33],
        Array.from({ length: 37 }, (_, i) => i),
        [20, 3],
      ]
    ) {
      for (const countFields of [false, true]) {
        const { out } = await collect(bytes, () => sel, { countFields });
        assert.deepEqual(
          out,
          ref.map((r) => sel.map((c) => r[c])),
          `sel ${sel} count ${countFields} crlf ${crlf}`,
        );
      }
    }
  }
});

Deno.test("SWAR select kernel: random selections over rows of random widths", async () => {
  let seed = 99;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let t = 0; t < 40; t++) {
    const cols = 1 + Math.floor(rnd() * 60);
    const text = randomCsv(t + 1, 30, cols, { crlf: t % 3 === 0 });
    const ref = naive(text).slice(1);
    const sel = Array.from({ length: cols }, (_, i) => i).filter(() => rnd() < 0.3);
    const { out } = await collect(enc.encode(text), () => sel, { chunkSize: 256 + t });
    assert.deepEqual(out, ref.map((r) => sel.map((c) => r[c])), `t ${t} sel ${sel}`);
  }
});

Deno.test("quoted fields, escapes, line breaks in quotes, CRLF — equals naive", async () => {
  for (const crlf of [false, true]) {
    const text = randomCsv(11, 150, 13, { quotes: true, crlf });
    const ref = naive(text).slice(1);
    const all = Array.from({ length: 13 }, (_, i) => i);
    const { out, res } = await collect(enc.encode(text), () => all, { countFields: true });
    assert.ok(res.quotedRecords > 0);
    assert.deepEqual(out, ref);
  }
});

Deno.test("chunk boundaries at every position give the same rows", async () => {
  const text = 'Id,a,b,Response\r\n1,0.5,,0\r\n2,,"x,""y""\nz",1\n\n3,-1.25e-3,T1,0\r\n4,,,1';
  const bytes = enc.encode(text);
  const ref = naive(text).slice(1);
  const all = [0, 1, 2, 3];
  for (let size = 1; size <= bytes.length; size++) {
    for (const chunkSize of [size, 64]) {
      const { out, lines } = await collect(chunked(bytes, size), () => all, { chunkSize });
      assert.deepEqual(out, ref, `chunk ${size}/${chunkSize}`);
      assert.deepEqual(lines, [2, 3, 6, 7], `lines, chunk ${size}/${chunkSize}`);
    }
    // Unquoted variant: the fast kernels at every boundary.
    const plain = text.replace('"x,""y""\nz"', "7");
    const { out } = await collect(chunked(enc.encode(plain), size), () => all, {
      chunkSize: size,
      countFields: size % 2 === 0,
    });
    assert.deepEqual(out, naive(plain).slice(1), `plain chunk ${size}`);
  }
  // Scanner buffer smaller than a record: the buffer grows.
  const wide = randomCsv(5, 50, 300, {});
  const { out } = await collect(enc.encode(wide), () => [0, 150, 299], { chunkSize: 64 });
  assert.deepEqual(out, naive(wide).slice(1).map((r) => [r[0], r[150], r[299]]));
});

Deno.test("field counts are validated with the line number", async () => {
  const text = "Id,a,Response\n1,2,0\n2,3\n";
  await assert.rejects(
    () => collect(enc.encode(text), () => [0]),
    (e: unknown) =>
      e instanceof CsvValidationError && e.line === 3 &&
      /expected 3 fields.*found 2/.test(e.message),
  );
  await assert.rejects(
    () => collect(enc.encode("Id,a\n1,2,3\n"), () => [1], { countFields: true }),
    (e: unknown) => e instanceof CsvValidationError && e.line === 2 && /found 3/.test(e.message),
  );
  const { out } = await collect(enc.encode(text), () => [0, 2], { strict: false });
  assert.deepEqual(out, [["1", "0"], ["2", ""]]);
});

Deno.test("count kernel: non-empty and non-numeric counts", async () => {
  const text = "a,b,c,d,e\n,,,,\n1,,T1,,x\n,2,,,-3\n,,,,\n,,,,5\n";
  const { res } = await collect(enc.encode(text), () => [], { countFields: true });
  assert.deepEqual([...res.nonEmpty!], [1, 1, 1, 0, 3]);
  assert.deepEqual([...res.nonNumeric!], [0, 0, 1, 0, 1]);
  assert.equal(res.rows, 5);
});

Deno.test("numbers, timestamps, stop early, empty input", async () => {
  const text = "Id,v,ts\n1,-0.052,2025-01-01 00:00:01\n2,,2025-01-01T00:00:02Z\n3,1.2E-3,x\n";
  const vals: number[] = [];
  const res = await scanCsv(enc.encode(text), {
    onHeader: () => ({ columns: [1, 2] }),
    onRow(row) {
      vals.push(row.number(0), row.timestamp(1));
      return row.line < 3;
    },
  });
  assert.equal(res.stopped, true);
  assert.deepEqual(vals, [
    -0.052,
    Date.UTC(2025, 0, 1, 0, 0, 1),
    NaN,
    Date.UTC(2025, 0, 1, 0, 0, 2),
  ]);
  await assert.rejects(
    () => scanCsv(new Uint8Array(0), { onHeader: () => ({ columns: [] }), onRow() {} }),
    CsvValidationError,
  );
  const only = await scanCsv(enc.encode("a,b"), { onHeader: () => ({ columns: [1] }), onRow() {} });
  assert.equal(only.rows, 0);
  assert.deepEqual(only.header, ["a", "b"]);
});

Deno.test("reads a file path in big chunks and reports progress", async () => {
  const path = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    const text = randomCsv(9, 3000, 20, {});
    await Deno.writeTextFile(path, text);
    const seen: number[] = [];
    let rows = 0;
    const res = await scanCsv(path, {
      chunkSize: 4096,
      onHeader: () => ({ columns: [19] }),
      onRow() {
        rows++;
      },
      onProgress: (b) => seen.push(b),
    });
    assert.equal(rows, 3000);
    assert.equal(res.bytes, enc.encode(text).length);
    assert.ok(seen.length > 10);
    assert.equal(seen.at(-1), res.bytes);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("count kernel: field counts equal a naive count (quotes, CRLF, blanks, chunk edges)", async () => {
  const { NUMERIC_START } = await import("./fast_float.ts");
  let seed = 9;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const pool = ["", "", "", "", "1.5", "-2", "0", "abc", "T1", '"7"', '"x,y"', '"a""b"', '""'];
  const width = 9;
  const lines = [Array.from({ length: width }, (_, i) => `c${i}`).join(",")];
  for (let r = 0; r < 3000; r++) {
    if (rnd() < 0.01) lines.push(rnd() < 0.5 ? "" : "\r");
    const row = Array.from({ length: width }, () => pool[Math.floor(rnd() * pool.length)]);
    lines.push(row.join(",") + (rnd() < 0.2 ? "\r" : ""));
  }
  const text = lines.join("\n") + "\n";
  const expNonEmpty = new Array(width).fill(0), expNonNum = new Array(width).fill(0);
  for (const row of naive(text).slice(1)) {
    row.forEach((v, c) => {
      if (v === "") return;
      expNonEmpty[c]++;
      // A quoted field counts by its first byte inside the quotes, or as text with `""`.
      const raw = text.includes(`"${v.replaceAll('"', '""')}"`) && v.includes('"');
      if (NUMERIC_START[v.charCodeAt(0)] === 0 || raw) expNonNum[c]++;
    });
  }
  for (const chunkSize of [16, 100, 4096, 1 << 20]) {
    const r = await scanCsv(enc.encode(text), {
      chunkSize,
      onHeader: () => ({ columns: [0, 8], countFields: true }),
      onRow: () => {},
    });
    assert.equal(r.rows, 3000 - 0, `rows @${chunkSize}`);
    assert.deepEqual([...r.nonEmpty!], expNonEmpty, `nonEmpty @${chunkSize}`);
    assert.deepEqual([...r.nonNumeric!], expNonNum, `nonNumeric @${chunkSize}`);
  }
});
