// AssemblyScript source of the CSV record kernels (compiled by scripts/build_wasm.ts into
// ../csv_kernels_wasm.ts; not part of the Deno program). The same semantics as the JS fused
// kernels `tokCountLine` / `tokSelectLine` in lib/data/csv_scanner.ts, which stay as the
// fallback and are the oracle of csv_kernels_test.ts. WebAssembly SIMD classifies 16 bytes per
// step (comma / LF / quote bitmasks); JS has to look at every byte.
//
// Every address is a byte offset into the imported memory. A record starts at `start` and is
// known to end with a LF before the end of the filled buffer (the caller's sentinel), and the
// memory holds at least 16 readable bytes past that LF (vector loads run past it; what they read
// there is masked off). `out` receives: [0] field count, [4] bad column, [8] bad start,
// [12] bad end, [16] offset of the quote when the kernel gave up.

const COMMA: i32 = 44;
const LF: i32 = 10;
const CR: i32 = 13;
const QUOTE: i32 = 34;
const NONE: i32 = 0x3fffffff;

/** Bit i set: byte p + i is a comma. */
// @ts-ignore: decorator
@inline
function commaMask(v: v128): i32 {
  return i8x16.bitmask(i8x16.eq(v, i8x16.splat(<i8> COMMA)));
}

/** Bit i set: byte p + i ends the record's walk (LF, or a quote that sends it back to JS). */
// @ts-ignore: decorator
@inline
function stopMask(v: v128): i32 {
  return i8x16.bitmask(
    v128.or(i8x16.eq(v, i8x16.splat(<i8> LF)), i8x16.eq(v, i8x16.splat(<i8> QUOTE))),
  );
}

/** The bits below the first stop (all 16 when there is none). */
// @ts-ignore: decorator
@inline
function beforeStop(stop: i32): i32 {
  return stop != 0 ? (1 << ctz(stop)) - 1 : 0xffff;
}

/** Offset of the comma, LF or quote that ends the field walked from q. */
// @ts-ignore: decorator
@inline
function fieldEnd(q: i32): i32 {
  while (true) {
    const d = <i32> load<u8>(q);
    if (d == COMMA || d == LF || d == QUOTE) return q;
    q++;
  }
}

/**
 * Count kernel: every non-empty field of the record bumps `nonEmpty[column]`; one whose first
 * byte cannot start a number (`numStart[byte] == 0`) bumps `nonNum[column]` and becomes the
 * record's bad field; selected columns (`slotOf[column] >= 0`) get their offsets in `fs` / `fe`.
 * Returns the offset of the record's LF, or -1 at a quote (counts made so far are NOT taken
 * back; `out[16]` says where the quote is).
 */
export function countLine(
  start: i32,
  nCols: i32,
  slotOf: i32,
  fs: i32,
  fe: i32,
  nonEmpty: i32,
  nonNum: i32,
  numStart: i32,
  out: i32,
): i32 {
  let p = start;
  let col = 0;
  let carry = 1; // the byte before p ends a field (record start or comma)
  while (true) {
    const v = v128.load(p);
    const cm = commaMask(v);
    const stop = stopMask(v);
    const lim = beforeStop(stop);
    const c = cm & lim;
    let starts = ((c << 1) | carry) & lim & ~c;
    while (starts != 0) {
      const b = ctz(starts);
      starts &= starts - 1;
      const s = p + b;
      const ch = <i32> load<u8>(s);
      if (ch == CR && <i32> load<u8>(s + 1) == LF) continue; // CRLF: the last field is empty
      const k = col + popcnt(c & ((1 << b) - 1));
      if (k >= nCols) continue;
      const ne = nonEmpty + (k << 2);
      store<u32>(ne, load<u32>(ne) + 1);
      const bad = <i32> load<u8>(numStart + ch) == 0;
      const slot = load<i32>(slotOf + (k << 2));
      if (bad || slot >= 0) {
        const q = fieldEnd(s + 1);
        const e = <i32> load<u8>(q) == LF && <i32> load<u8>(q - 1) == CR ? q - 1 : q;
        if (bad) {
          const nn = nonNum + (k << 2);
          store<u32>(nn, load<u32>(nn) + 1);
          store<i32>(out, k, 4);
          store<i32>(out, s, 8);
          store<i32>(out, e, 12);
        }
        if (slot >= 0) {
          store<i32>(fs + (slot << 2), s);
          store<i32>(fe + (slot << 2), e);
        }
      }
    }
    if (stop != 0) {
      const t = p + ctz(stop);
      if (<i32> load<u8>(t) == QUOTE) {
        store<i32>(out, t, 16);
        return -1;
      }
      store<i32>(out, col + popcnt(c) + 1);
      return t;
    }
    col += popcnt(cm);
    carry = (cm >> 15) & 1;
    p += 16;
  }
}

/**
 * The decimal in bytes [s, e) — `-0.052`, `12`, `+3.` — when it is exactly what the JS fast
 * path of lib/data/fast_float.ts computes: at most 19 digits forming a mantissa below 2^53 and
 * at most 22 fraction digits, so `mantissa / 10^k` is one correctly rounded division of exact
 * operands (bit for bit `parseFloat`). NaN for everything else (empty, an exponent, text, more
 * digits): the caller then parses in JS, which also tells missing from text. 10^k is built by
 * multiplying (exact up to 10^22) because a constant table would be a data segment in the
 * imported memory, where the scan buffer lives.
 */
// @ts-ignore: decorator
@inline
function parseDecimal(s: i32, e: i32): f64 {
  if (s >= e) return NaN;
  let i = s;
  let c = <i32> load<u8>(i);
  const neg = c == 45;
  if (neg || c == 43) i++;
  const digitsStart = i;
  let mant: u64 = 0;
  while (i < e) {
    c = <i32> load<u8>(i) - 48;
    if (<u32> c > 9) break;
    mant = mant * 10 + <u64> c;
    i++;
  }
  let nDigits = i - digitsStart;
  let scale = 0;
  if (i < e && <i32> load<u8>(i) == 46) {
    i++;
    const fracStart = i;
    while (i < e) {
      c = <i32> load<u8>(i) - 48;
      if (<u32> c > 9) break;
      mant = mant * 10 + <u64> c;
      i++;
    }
    scale = i - fracStart;
    nDigits += scale;
  }
  if (i != e || nDigits == 0 || nDigits > 19 || mant > 9007199254740991 || scale > 22) {
    return NaN;
  }
  let p: f64 = 1;
  for (let k = 0; k < scale; k++) p *= 10;
  const v = <f64> mant / p;
  return neg ? -v : v;
}

/**
 * Select kernel: offsets of the selected columns' fields into `fs` / `fe` (slot
 * `slotOf[column]`), skipping the fields in between by counting commas 16 bytes at a time, and
 * each field's number (`parseDecimal`: NaN = empty or left to JS) into `values` (f64 per slot).
 * `nextSel[column]` (nSel entries) = the smallest selected column >= column, NONE when none.
 * Slots of columns the record does not reach keep what the caller put there.
 * Returns the offset of the record's LF, or -1 at a quote.
 */
export function selectLine(
  start: i32,
  nextSel: i32,
  nSel: i32,
  slotOf: i32,
  fs: i32,
  fe: i32,
  values: i32,
  out: i32,
): i32 {
  let p = start;
  let col = 0;
  while (true) {
    const target = col < nSel ? load<i32>(nextSel + (col << 2)) : NONE;
    let need = target - col; // commas to pass to reach the start of `target`
    if (need > 0) {
      while (true) {
        const v = v128.load(p);
        const stop = stopMask(v);
        let c = commaMask(v) & beforeStop(stop);
        const n = popcnt(c);
        if (n >= need) {
          for (let k = 1; k < need; k++) c &= c - 1;
          p += ctz(c) + 1;
          col = target;
          break;
        }
        if (stop != 0) {
          const t = p + ctz(stop);
          if (<i32> load<u8>(t) == QUOTE) {
            store<i32>(out, t, 16);
            return -1;
          }
          store<i32>(out, target - need + n + 1);
          return t;
        }
        need -= n;
        p += 16;
      }
    }
    const q = fieldEnd(p);
    const d = <i32> load<u8>(q);
    if (d == QUOTE) {
      store<i32>(out, q, 16);
      return -1;
    }
    const slot = load<i32>(slotOf + (col << 2));
    const end = d == LF && q > p && <i32> load<u8>(q - 1) == CR ? q - 1 : q;
    store<i32>(fs + (slot << 2), p);
    store<i32>(fe + (slot << 2), end);
    store<f64>(values + (slot << 3), parseDecimal(p, end));
    if (d == LF) {
      store<i32>(out, col + 1);
      return q;
    }
    p = q + 1;
    col++;
  }
}
