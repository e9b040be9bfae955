/**
 * CSV header: split the first line into column names and find the roles every dataset needs —
 * `Id`, `Response` (0 = pass, 1 = fail) and a timestamp column (`synthetic_timestamp` as the
 * .NET backend adds it, `Timestamp`, or a configured name). Every other named column is a
 * candidate feature (whether it is numeric is learnt while scanning rows, see `profile.ts`).
 *
 * @example
 * ```ts
 * const names = splitHeaderLine("synthetic_timestamp,Id,L0_S0_F0,Response");
 * const h = resolveHeader(names); // h.timestampIndex === 0, h.featureNames == ["L0_S0_F0"]
 * ```
 *
 * @module
 */

/** Default timestamp column names, in order of preference. */
export const TIMESTAMP_COLUMNS = ["synthetic_timestamp", "Timestamp"] as const;

/**
 * Bad CSV content. `line` is 1-based (the header is line 1), `column` the column name when one
 * is to blame. `status` is 422 (unprocessable content) so routes can map it directly.
 */
export class CsvValidationError extends Error {
  readonly status = 422;
  constructor(
    message: string,
    readonly line: number | null = null,
    readonly column: string | null = null,
  ) {
    super(message);
    this.name = "CsvValidationError";
  }

  /** A plain object for `postMessage` / JSON. */
  toJSON(): { name: string; message: string; line: number | null; column: string | null } {
    return { name: this.name, message: this.message, line: this.line, column: this.column };
  }
}

/** The header with the roles resolved. Indices are 0-based column positions. */
export interface CsvHeader {
  /** All column names in file order. */
  names: string[];
  idIndex: number;
  responseIndex: number;
  timestampIndex: number;
  /** Indices of the candidate feature columns (all others with a non-empty name). */
  featureIndices: number[];
  featureNames: string[];
  /** Columns with an empty name (e.g. a pandas index column); ignored. */
  ignoredIndices: number[];
}

/** Options of `resolveHeader`. */
export interface HeaderOptions {
  /** An extra accepted timestamp column name, tried first (config `TIMESTAMP_COLUMN`). */
  timestampColumn?: string | null;
}

const decoder = new TextDecoder();

/**
 * Split a header line (bytes or string, without or with its line break) into names: RFC 4180
 * quotes (`"a,b"`, `""` escapes), a UTF-8 BOM and a trailing CR are handled; names are trimmed.
 */
export function splitHeaderLine(line: string | Uint8Array): string[] {
  let s = typeof line === "string" ? line : decoder.decode(line);
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  if (s.endsWith("\n")) s = s.slice(0, -1);
  if (s.endsWith("\r")) s = s.slice(0, -1);
  const out: string[] = [];
  let i = 0;
  while (true) {
    let name = "";
    if (s[i] === '"') {
      i++;
      while (i < s.length) {
        const q = s.indexOf('"', i);
        if (q < 0) throw new CsvValidationError("Header line has an unterminated quote", 1);
        name += s.slice(i, q);
        if (s[q + 1] === '"') {
          name += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      const c = s.indexOf(",", i);
      name += c < 0 ? s.slice(i) : s.slice(i, c);
      i = c < 0 ? s.length + 1 : c + 1;
    } else {
      const c = s.indexOf(",", i);
      name = c < 0 ? s.slice(i) : s.slice(i, c);
      i = c < 0 ? s.length + 1 : c + 1;
    }
    out.push(name.trim());
    if (i > s.length) break;
  }
  return out;
}

function findColumn(names: string[], wanted: string): number {
  const exact = names.indexOf(wanted);
  if (exact >= 0) return exact;
  const lower = wanted.toLowerCase();
  return names.findIndex((n) => n.toLowerCase() === lower);
}

/**
 * Resolve roles. Throws `CsvValidationError` (line 1) naming every missing role, or a
 * duplicated column name.
 */
export function resolveHeader(names: string[], opts: HeaderOptions = {}): CsvHeader {
  if (names.length === 0 || (names.length === 1 && names[0] === "")) {
    throw new CsvValidationError("The CSV header line is empty", 1);
  }
  const seen = new Map<string, number>();
  for (let i = 0; i < names.length; i++) {
    const n = names[i];
    if (n === "") continue;
    if (seen.has(n)) {
      throw new CsvValidationError(
        `Duplicate column name '${n}' (columns ${seen.get(n)! + 1} and ${i + 1})`,
        1,
        n,
      );
    }
    seen.set(n, i);
  }
  const idIndex = findColumn(names, "Id");
  const responseIndex = findColumn(names, "Response");
  const tsCandidates = [
    ...(opts.timestampColumn ? [opts.timestampColumn] : []),
    ...TIMESTAMP_COLUMNS,
  ];
  let timestampIndex = -1;
  for (const c of tsCandidates) {
    timestampIndex = findColumn(names, c);
    if (timestampIndex >= 0) break;
  }
  const missing: string[] = [];
  if (idIndex < 0) missing.push("'Id'");
  if (responseIndex < 0) missing.push("'Response'");
  if (timestampIndex < 0) {
    missing.push(`a timestamp column (${tsCandidates.map((c) => `'${c}'`).join(" or ")})`);
  }
  if (missing.length > 0) {
    throw new CsvValidationError(
      `CSV header is missing ${missing.join(", ")}; found ${names.length} columns` +
        ` starting ${names.slice(0, 5).map((n) => `'${n}'`).join(", ")}`,
      1,
      idIndex < 0 ? "Id" : responseIndex < 0 ? "Response" : tsCandidates[0],
    );
  }
  const featureIndices: number[] = [];
  const ignoredIndices: number[] = [];
  for (let i = 0; i < names.length; i++) {
    if (i === idIndex || i === responseIndex || i === timestampIndex) continue;
    if (names[i] === "") ignoredIndices.push(i);
    else featureIndices.push(i);
  }
  if (featureIndices.length === 0) {
    throw new CsvValidationError("CSV header has no feature columns", 1);
  }
  return {
    names,
    idIndex,
    responseIndex,
    timestampIndex,
    featureIndices,
    featureNames: featureIndices.map((i) => names[i]),
    ignoredIndices,
  };
}

/** `splitHeaderLine` + `resolveHeader`. */
export function parseHeader(line: string | Uint8Array, opts: HeaderOptions = {}): CsvHeader {
  return resolveHeader(splitHeaderLine(line), opts);
}
