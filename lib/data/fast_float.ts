/**
 * Decimal number parsing straight from bytes (no string per field).
 *
 * The fast path covers what CSV exports contain — `-0.052`, `0.094`, `12`, `1.2E-3` — with a
 * digit string below 2^53 and a decimal exponent within ±22: then `mantissa / 10^k` (or `*`)
 * is a single correctly rounded IEEE operation on exact operands, so the result equals
 * `parseFloat` bit for bit. Anything else (more digits, `Infinity`, odd spacing) takes the slow
 * path through a string, validated strictly: text such as `T1` yields `NaN`.
 *
 * @example
 * ```ts
 * const b = new TextEncoder().encode("-0.052,T1,");
 * parseFloatBytes(b, 0, 6); // -0.052
 * parseFloatBytes(b, 7, 9); // NaN (text)
 * parseFloatBytes(b, 10, 10); // NaN (empty = missing)
 * ```
 *
 * @module
 */

const POW10 = new Float64Array(23);
for (let i = 0, v = 1; i < 23; i++, v *= 10) POW10[i] = v;

const decoder = new TextDecoder();
const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parse `buf[start, end)` as a decimal number. Empty → `NaN`; not a number → `NaN`
 * (tell the two apart with `start === end`, and use `isNumericText` when it matters).
 */
export function parseFloatBytes(buf: Uint8Array, start: number, end: number): number {
  if (start >= end) return NaN;
  let i = start;
  let c = buf[i];
  const neg = c === 45; // '-'
  if (neg || c === 43) i++; // '+'
  const digitsStart = i;
  let mant = 0;
  // Integer part. Exact while mant < 2^53 (checked once at the end).
  while (i < end) {
    c = buf[i] - 48;
    if (c < 0 || c > 9) break;
    mant = mant * 10 + c;
    i++;
  }
  let nDigits = i - digitsStart;
  let scale = 0;
  if (i < end && buf[i] === 46) { // '.'
    i++;
    const fracStart = i;
    while (i < end) {
      c = buf[i] - 48;
      if (c < 0 || c > 9) break;
      mant = mant * 10 + c;
      i++;
    }
    scale = i - fracStart;
    nDigits += scale;
  }
  if (nDigits === 0) return slowParse(buf, start, end); // ".", "-", text, "inf"
  let exp = 0;
  if (i < end) {
    if ((buf[i] | 0x20) !== 101) return slowParse(buf, start, end); // not 'e' / 'E'
    i++;
    let eneg = false;
    if (i < end && (buf[i] === 45 || buf[i] === 43)) {
      eneg = buf[i] === 45;
      i++;
    }
    const es = i;
    while (i < end) {
      c = buf[i] - 48;
      if (c < 0 || c > 9) break;
      if (exp < 10000) exp = exp * 10 + c;
      i++;
    }
    if (i === es || i !== end) return slowParse(buf, start, end);
    if (eneg) exp = -exp;
  }
  if (mant > 9007199254740991) return slowParse(buf, start, end);
  const e10 = exp - scale;
  let v: number;
  if (e10 === 0) v = mant;
  else if (e10 < 0 && e10 >= -22) v = mant / POW10[-e10];
  else if (e10 > 0 && e10 <= 22) v = mant * POW10[e10];
  else return slowParse(buf, start, end);
  return neg ? -v : v;
}

function slowParse(buf: Uint8Array, start: number, end: number): number {
  const s = decoder.decode(buf.subarray(start, end)).trim();
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) {
    const inner = s.slice(1, -1).trim();
    return NUMBER_RE.test(inner) ? Number(inner) : NaN;
  }
  return NUMBER_RE.test(s) ? Number(s) : NaN;
}

/** True when `buf[start, end)` is a number `parseFloatBytes` accepts (false for empty). */
export function isNumericText(buf: Uint8Array, start: number, end: number): boolean {
  if (start >= end) return false;
  return !Number.isNaN(parseFloatBytes(buf, start, end));
}

/**
 * Bytes that can start a number (`0-9 + - .`) — the cheap first-byte test used on every field
 * of a full scan to spot text columns (`T1`, `abc`) without parsing.
 */
export const NUMERIC_START: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let c = 48; c <= 57; c++) t[c] = 1;
  t[43] = t[45] = t[46] = 1;
  t[32] = 1; // tolerate leading space: decided by the full parse on sampled rows
  return t;
})();
