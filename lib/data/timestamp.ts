/**
 * Timestamp parsing without `Date` or string allocation in the hot path.
 *
 * Accepted forms (all read as UTC instants, result in ms since the epoch):
 * - `yyyy-MM-dd HH:mm:ss` — what the .NET backend writes (no zone = UTC);
 * - ISO 8601 / RFC 3339: `T` or space separator, optional seconds, fraction of 1–9 digits
 *   (.NET sends 7: `23:59:59.9999999`; digits beyond ms are truncated, which keeps an inclusive
 *   end bound inclusive), zone `Z`, `+hh:mm`, `+hhmm`, `+hh` or none (= UTC);
 * - a bare date `yyyy-MM-dd` (midnight UTC).
 *
 * Bosch files hold ~1.2 M timestamps; `Date.parse` per row allocates and is locale-lenient
 * (it accepts `2025-02-30`), so we validate fields ourselves and compute days from the civil
 * date with Hinnant's integer algorithm.
 *
 * @example
 * ```ts
 * parseIsoInstant("2025-01-04T23:59:59.9999999Z"); // 1736035199999
 * parseIsoInstant("2025-01-01 00:00:00");          // 1735689600000
 * dayKey(1735689600000);                           // "2025-01-01"
 * ```
 *
 * @module
 */

/** Milliseconds per day. */
export const MS_PER_DAY = 86_400_000;

const D0 = 48; // '0'

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's `days_from_civil`). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = m > 2 ? m - 3 : m + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of `daysFromCivil`: `[year, month (1-12), day]`. */
export function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) -
      Math.floor(doe / 146096)) / 365,
  );
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [m <= 2 ? y + 1 : y, m, d];
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Two ASCII digits at `i` as a number, or -1. */
function d2(b: ArrayLike<number>, i: number): number {
  const a = b[i] - D0, c = b[i + 1] - D0;
  return a >= 0 && a <= 9 && c >= 0 && c <= 9 ? a * 10 + c : -1;
}

// One-entry cache: consecutive rows usually share the date, so skip the calendar math.
let cacheY = -1, cacheM = -1, cacheD = -1, cacheDays = 0;

/**
 * Parse a timestamp from bytes `buf[start, end)` (leading/trailing spaces and one pair of
 * surrounding double quotes are tolerated). Returns ms UTC, or `NaN` when it is not a valid
 * timestamp of the accepted forms. Allocation-free.
 */
export function parseTimestampBytes(buf: ArrayLike<number>, start: number, end: number): number {
  while (start < end && buf[start] === 32) start++;
  while (end > start && (buf[end - 1] === 32 || buf[end - 1] === 13)) end--;
  if (end - start >= 2 && buf[start] === 34 && buf[end - 1] === 34) {
    start++;
    end--;
  }
  const len = end - start;
  if (len < 10) return NaN;
  const p = start;
  // Date: yyyy-MM-dd
  const y1 = d2(buf, p), y2 = d2(buf, p + 2);
  if (y1 < 0 || y2 < 0 || buf[p + 4] !== 45 || buf[p + 7] !== 45) return NaN;
  const y = y1 * 100 + y2;
  const mo = d2(buf, p + 5), d = d2(buf, p + 8);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return NaN;
  let days: number;
  if (y === cacheY && mo === cacheM && d === cacheD) days = cacheDays;
  else {
    days = daysFromCivil(y, mo, d);
    cacheY = y;
    cacheM = mo;
    cacheD = d;
    cacheDays = days;
  }
  if (len === 10) return days * MS_PER_DAY;
  let i = p + 10;
  const sep = buf[i];
  if (sep !== 32 && sep !== 84 && sep !== 116) return NaN; // ' ', 'T', 't'
  i++;
  if (end - i < 5) return NaN;
  const hh = d2(buf, i), mm = d2(buf, i + 3);
  if (hh < 0 || hh > 23 || buf[i + 2] !== 58 || mm < 0 || mm > 59) return NaN;
  i += 5;
  let ss = 0;
  let ms = 0;
  if (i < end && buf[i] === 58) {
    if (end - i < 3) return NaN;
    ss = d2(buf, i + 1);
    if (ss < 0 || ss > 59) return NaN;
    i += 3;
    if (i < end && (buf[i] === 46 || buf[i] === 44)) { // '.' or ','
      i++;
      let nd = 0;
      while (i < end) {
        const c = buf[i] - D0;
        if (c < 0 || c > 9) break;
        if (nd < 3) ms = ms * 10 + c;
        nd++;
        i++;
      }
      if (nd === 0 || nd > 9) return NaN;
      if (nd === 1) ms *= 100;
      else if (nd === 2) ms *= 10;
    }
  }
  let offsetMin = 0;
  if (i < end) {
    const z = buf[i];
    if (z === 90 || z === 122) { // 'Z' / 'z'
      i++;
    } else if (z === 43 || z === 45) { // '+' / '-'
      const oh = d2(buf, i + 1);
      if (i + 3 > end || oh < 0 || oh > 23) return NaN;
      i += 3;
      let om = 0;
      if (i < end) {
        if (buf[i] === 58) i++;
        if (end - i < 2) return NaN;
        om = d2(buf, i);
        if (om < 0 || om > 59) return NaN;
        i += 2;
      }
      offsetMin = (oh * 60 + om) * (z === 43 ? 1 : -1);
    } else {
      return NaN;
    }
    if (i !== end) return NaN;
  }
  return days * MS_PER_DAY + ((hh * 60 + mm - offsetMin) * 60 + ss) * 1000 + ms;
}

/**
 * Parse an ISO 8601 instant (or `yyyy-MM-dd HH:mm:ss`) from a string; `null` when invalid.
 * A value without a zone is read as UTC (the contract's fix for the old service's 500).
 *
 * @example
 * ```ts
 * parseIsoInstant("2025-01-05T00:00:00+01:00"); // 1736031600000 (= 2025-01-04T23:00Z)
 * parseIsoInstant("yesterday");                 // null
 * ```
 */
export function parseIsoInstant(s: string): number | null {
  if (typeof s !== "string" || s.length > 64) return null;
  const codes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 127) return null;
    codes[i] = c;
  }
  const v = parseTimestampBytes(codes, 0, codes.length);
  return Number.isFinite(v) ? v : null;
}

/** Day index (days since 1970-01-01 UTC) of an instant in ms. */
export function dayIndex(ms: number): number {
  return Math.floor(ms / MS_PER_DAY);
}

/** `YYYY-MM-DD` (UTC) of a day index. */
export function dayKeyOfIndex(day: number): string {
  const [y, m, d] = civilFromDays(day);
  const ys = y >= 0 && y <= 9999 ? String(y).padStart(4, "0") : String(y);
  return `${ys}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
}

/** `YYYY-MM-DD` (UTC) of an instant in ms. */
export function dayKey(ms: number): string {
  return dayKeyOfIndex(dayIndex(ms));
}

/** ISO 8601 `YYYY-MM-DDTHH:mm:ssZ` (ms shown only when non-zero), UTC. */
export function formatIsoInstant(ms: number): string {
  const s = new Date(ms).toISOString();
  return ms % 1000 === 0 ? s.slice(0, 19) + "Z" : s;
}
