/**
 * Display formatting shared by admin pages (server) and islands (browser). Locale-independent
 * (`en-US` grouping, UTC dates) so server and browser render the same text and hydration
 * matches.
 *
 * @example
 * ```ts
 * fmtInt(1183747);             // "1,183,747"
 * fmtPct(0.0058);              // "0.58 %"
 * fmtDateTime("2025-01-06T00:02:00Z"); // "2025-01-06 00:02:00 UTC"
 * ```
 *
 * @module
 */

/** Shown for missing values. */
export const DASH = "—";

const intFmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** Integer with thousands separators; "—" for null/NaN. */
export function fmtInt(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? DASH : intFmt.format(n);
}

/** A number with at most `digits` decimals; "—" for null/NaN. */
export function fmtNum(n: number | null | undefined, digits = 3): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return DASH;
  return new Intl.NumberFormat("en-US", { maximumFractionDigits: digits }).format(n);
}

/** A share (0..1) as a percentage; "—" for null/NaN. */
export function fmtPct(share: number | null | undefined, digits = 2): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return DASH;
  return `${(share * 100).toFixed(digits)} %`;
}

/** Bytes as B / KB / MB / GB (powers of 1024). */
export function fmtBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return DASH;
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

/** An ISO instant (or ms) as `YYYY-MM-DD HH:mm:ss UTC`; "—" when absent or invalid. */
export function fmtDateTime(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === "") return DASH;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** Seconds as `1 h 02 min`, `3 min 05 s` or `12.3 s`. */
export function fmtDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return DASH;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0
    ? `${h} h ${String(m).padStart(2, "0")} min`
    : `${m} min ${String(sec).padStart(2, "0")} s`;
}

/** First 8 characters of an id (for tables), full id in a title attribute. */
export function shortId(id: string | null | undefined): string {
  return id ? id.slice(0, 8) : DASH;
}

/** A replay rate: "1 row/s", "2.5 rows/s" (singular only for exactly one). */
export function fmtRate(rowsPerSecond: number | null | undefined): string {
  if (rowsPerSecond === null || rowsPerSecond === undefined || !Number.isFinite(rowsPerSecond)) {
    return DASH;
  }
  return `${fmtNum(rowsPerSecond, 2)} ${rowsPerSecond === 1 ? "row" : "rows"}/s`;
}

/**
 * How long replaying `rows` takes at `rowsPerSecond`, rounded to the minute once it is over an
 * hour: 17,142 rows at 1 row/s → "~4 h 46 min".
 */
export function fmtReplayEstimate(rows: number, rowsPerSecond: number): string {
  if (!(rows > 0) || !(rowsPerSecond > 0)) return DASH;
  const seconds = rows / rowsPerSecond;
  if (seconds < 60) return `~${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `~${minutes} min`;
  return `~${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * A model metric on a 0..1 scale (AUC, F1, MCC, a threshold) with a fixed number of decimals,
 * so "0.900" stands beside "0.874" (`fmtPct` is for recall, precision and accuracy).
 */
export function fmtMetric(n: number | null | undefined, digits = 3): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return DASH;
  return new Intl.NumberFormat("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(n);
}
