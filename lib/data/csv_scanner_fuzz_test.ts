/**
 * Fuzz test of the CSV tokenizer (`scanCsv`) against an independent parser, npm `csv-parse`, on
 * seeded random RFC 4180 inputs: quoted fields with commas, `""` escapes and line breaks, empty
 * fields, multi-byte UTF-8, LF / CRLF line ends, blank lines, with or without a final newline,
 * read in small random chunks so records and quotes straddle chunk boundaries (issue 13).
 */
import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { scanCsv } from "./csv_scanner.ts";

/** Mulberry32: deterministic, so a failure names its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PLAIN = ["0", "1", "-2.5", "1e3", "abc", "T1", "é", "日本", " x ", ".5", "NaN"];
const QUOTED = [",", '""', "\n", "\r\n", "a,b", 'say ""hi""', "", "x\ny", "ü,ö"];

function randomCsv(rand: () => number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const width = 1 + Math.floor(rand() * 6);
  const eol = rand() < 0.5 ? "\n" : "\r\n";
  const header = Array.from({ length: width }, (_, i) => `c${i}`).join(",");
  const lines = [header];
  const rows = Math.floor(rand() * 30);
  for (let r = 0; r < rows; r++) {
    if (rand() < 0.05) lines.push(""); // blank line
    const fields: string[] = [];
    for (let c = 0; c < width; c++) {
      const u = rand();
      if (u < 0.25) fields.push("");
      else if (u < 0.7) fields.push(pick(PLAIN) + (rand() < 0.3 ? pick(PLAIN) : ""));
      else fields.push(`"${pick(PLAIN)}${pick(QUOTED)}${pick(QUOTED)}"`);
    }
    // A record of one empty field is a blank line to both parsers' rules: keep it non-empty.
    if (width === 1 && fields[0] === "") fields[0] = '""';
    lines.push(fields.join(","));
  }
  return lines.join(eol) + (rand() < 0.7 ? eol : "");
}

async function ours(csv: string, chunkSize: number): Promise<string[][]> {
  const rows: string[][] = [];
  await scanCsv(new TextEncoder().encode(csv), {
    chunkSize,
    onHeader: (names) => ({ columns: names.map((_, i) => i) }),
    onRow: (row) => {
      rows.push(Array.from({ length: row.columns.length }, (_, k) => row.text(k)));
    },
  });
  return rows;
}

function reference(csv: string): string[][] {
  const all = parse(csv, { skip_empty_lines: true, relax_column_count: false }) as string[][];
  return all.slice(1);
}

Deno.test("csv_scanner fuzz: 400 seeded random inputs tokenize like csv-parse", async () => {
  for (let seed = 1; seed <= 400; seed++) {
    const rand = rng(seed);
    const csv = randomCsv(rand);
    const chunkSize = [16, 37, 64, 4096][seed % 4];
    const expected = reference(csv);
    const got = await ours(csv, chunkSize);
    assert.deepEqual(got, expected, `seed ${seed}, chunk ${chunkSize}: ${JSON.stringify(csv)}`);
  }
});
