/**
 * The per-row checks shared by every pass over a dataset CSV: the timestamp parses, `Response`
 * is 0 or 1 and `Id` is a number. Errors are `CsvValidationError`s naming line and column.
 * Convention: selection slots 0, 1, 2 of the row are `Id`, `Response`, timestamp.
 *
 * @module
 */
import { CsvValidationError } from "./csv_header.ts";
import type { CsvRow } from "./csv_scanner.ts";

/** Slot numbers of the role columns in a scan plan built by `roleColumns`. */
export const SLOT_ID = 0, SLOT_RESPONSE = 1, SLOT_TS = 2;

/** Throw a `CsvValidationError` for selection slot `k` of `row`. */
export function rowError(row: CsvRow, k: number, names: string[], what: string): never {
  const col = names[row.columns[k]];
  const v = row.isEmpty(k)
    ? "an empty value"
    : `'${row.textAt(row.fieldStart[k], row.fieldEnd[k])}'`;
  throw new CsvValidationError(
    `Line ${row.line}, column '${col}': ${what}, got ${v}`,
    row.line,
    col,
  );
}

/** Timestamp of the row in ms UTC (throws when invalid). */
export function rowTimestamp(row: CsvRow, names: string[]): number {
  const ts = row.timestamp(SLOT_TS);
  if (ts !== ts) {
    rowError(row, SLOT_TS, names, "expected a timestamp (yyyy-MM-dd HH:mm:ss or ISO 8601)");
  }
  return ts;
}

/** `Response` of the row, 0 or 1 (throws otherwise). */
export function rowLabel(row: CsvRow, names: string[]): number {
  const buf = row.buf, s = row.fieldStart[SLOT_RESPONSE];
  if (row.fieldEnd[SLOT_RESPONSE] - s === 1 && (buf[s] === 48 || buf[s] === 49)) return buf[s] - 48;
  const v = row.number(SLOT_RESPONSE);
  if (v !== 0 && v !== 1) rowError(row, SLOT_RESPONSE, names, "Response must be 0 or 1");
  return v;
}

/** `Id` of the row as a number (throws when empty or not numeric). */
export function rowId(row: CsvRow, names: string[]): number {
  const id = row.number(SLOT_ID);
  if (id !== id) rowError(row, SLOT_ID, names, "Id must be a number");
  return id;
}
