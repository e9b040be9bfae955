/**
 * The wasm kernels against the JS kernels as the oracle (field offsets, counts, and every
 * slot's number: the select kernel parses decimals itself): seeded random files (Bosch-like sparse
 * numeric rows, text values, quotes with commas and line breaks, CRLF, blank lines, short and
 * long records, wide rows so fields straddle the 16-byte vectors, small chunks so records
 * straddle reads and force buffer growth) scanned in count and select mode by both; every
 * delivered record and the final counts must be identical.
 */
import assert from "node:assert/strict";
import { type CsvRow, scanCsv, type ScanOptions } from "../csv_scanner.ts";
import { CsvKernels } from "./csv_kernels.ts";
import { Rng } from "../../random/mod.ts";

const VALUES = [
  "0",
  "-0.052",
  "1.5e3",
  ".25",
  "12345.678",
  "T1",
  "abc",
  "é",
  "-",
  "+7",
  " 3",
  // Edges of the select kernel's number parsing (lib/data/fast_float.ts is the oracle).
  "-0",
  "-0.000",
  "007",
  "1.",
  "+.5",
  ".",
  "1.2.3",
  "NaN",
  "Infinity",
  "9007199254740991",
  "9007199254740993",
  "1234567890123456789",
  "12345678901234567890",
  "0.1234567890123456789012",
  "0.00000000000000000000001",
  "0.000000000000000000000001",
  "3.14159265358979",
];
const QUOTED = ['"a,b"', '"x""y"', '"line\nbreak"', '"1"', '""'];

function randomCsv(rand: () => number): string {
  const width = 1 + Math.floor(rand() ** 2 * 300);
  const eol = rand() < 0.7 ? "\n" : "\r\n";
  const missing = rand();
  const quoting = rand() < 0.3 ? 0.01 : 0;
  const lines = [Array.from({ length: width }, (_, i) => `c${i}`).join(",")];
  const rows = Math.floor(rand() * 40);
  for (let r = 0; r < rows; r++) {
    if (rand() < 0.03) lines.push("");
    // Now and then a record with a wrong field count (the scan runs with strictFieldCount off).
    const n = rand() < 0.05 ? Math.max(1, width + Math.floor(rand() * 5) - 2) : width;
    const fields: string[] = [];
    for (let c = 0; c < n; c++) {
      const u = rand();
      if (u < missing) fields.push("");
      else if (u < missing + quoting) fields.push(QUOTED[Math.floor(rand() * QUOTED.length)]);
      else fields.push(VALUES[Math.floor(rand() * VALUES.length)]);
    }
    lines.push(fields.join(","));
  }
  return lines.join(eol) + (rand() < 0.8 ? eol : "");
}

interface Seen {
  rows: unknown[];
  nonEmpty: number[] | null;
  nonNumeric: number[] | null;
  quoted: number;
  count: number;
}

async function scan(
  bytes: Uint8Array,
  kernels: "wasm" | "js",
  counting: boolean,
  pick: (width: number) => number[],
  chunkSize: number,
): Promise<Seen> {
  const rows: unknown[] = [];
  const opts: ScanOptions = {
    kernels,
    chunkSize,
    strictFieldCount: false,
    onHeader: (names) => ({ columns: pick(names.length), countFields: counting }),
    onRow: (row: CsvRow) => {
      const slots = Array.from({ length: row.columns.length }, (_, k) => row.text(k));
      // Compared with Object.is: NaN equals NaN, -0 differs from 0.
      const numbers = Array.from({ length: row.columns.length }, (_, k) => row.number(k));
      rows.push([
        numbers,
        row.line,
        row.start,
        row.end,
        row.fieldCount,
        slots,
        row.badCol,
        row.badStart,
        row.badEnd,
      ]);
    },
  };
  const r = await scanCsv(bytes, opts);
  return {
    rows,
    nonEmpty: r.nonEmpty && [...r.nonEmpty],
    nonNumeric: r.nonNumeric && [...r.nonNumeric],
    quoted: r.quotedRecords,
    count: r.rows,
  };
}

const hasSimd = CsvKernels.create(64) !== null;

Deno.test({
  name: "wasm CSV kernels: 300 seeded random files scan exactly like the JS kernels",
  ignore: !hasSimd,
  async fn() {
    for (let seed = 1; seed <= 300; seed++) {
      const gen = new Rng(seed);
      const rand = () => gen.next();
      const bytes = new TextEncoder().encode(randomCsv(rand));
      const counting = rand() < 0.5;
      const share = rand();
      const pick = (width: number) => {
        const cols: number[] = [];
        for (let c = 0; c < width; c++) if (rand() < share * 0.3) cols.push(c);
        if (cols.length === 0 || rand() < 0.3) cols.push(width - 1); // Bosch: Response is last
        return [...new Set(cols)];
      };
      const chunkSize = [64, 300, 4096, 1 << 16][seed % 4];
      let picked: number[] | null = null;
      const fixed = (w: number) => (picked ??= pick(w));
      const js = await scan(bytes, "js", counting, fixed, chunkSize);
      const wasm = await scan(bytes, "wasm", counting, fixed, chunkSize);
      assert.deepEqual(wasm, js, `seed ${seed} (counting ${counting}, chunk ${chunkSize})`);
    }
  },
});

Deno.test({
  name: "wasm CSV kernels: a record longer than the buffer moves the scan to the JS kernels",
  ignore: !hasSimd,
  async fn() {
    const long = Array.from({ length: 500 }, (_, i) => String(i)).join(",");
    const header = Array.from({ length: 500 }, (_, i) => `c${i}`).join(",");
    const bytes = new TextEncoder().encode(`${header}\n1,2\n${long}\n${long}\n`);
    const pick = (w: number) => [0, w - 1];
    const js = await scan(bytes, "js", true, pick, 256);
    const wasm = await scan(bytes, "wasm", true, pick, 256);
    assert.deepEqual(wasm, js);
    assert.equal(wasm.count, 3);
  },
});
