/**
 * A minimal Protocol Buffers writer: just enough of the wire format to emit ONNX models
 * (varints, length-delimited strings/bytes/messages, fixed32 floats, packed repeated fields).
 *
 * Fields are written in the order the caller writes them; nested messages are encoded into a
 * child writer and then length-prefixed, which keeps the API single-pass at the cost of one copy
 * per nesting level (ONNX nests only a few levels deep).
 *
 * @example
 * ```ts
 * const w = new ProtoWriter();
 * w.int64(1, 8).string(2, "name").message(7, (g) => g.packedFloats(7, [1.5, 2]));
 * const bytes: Uint8Array = w.finish();
 * ```
 * @module
 */

/** Wire types of the protobuf encoding. */
export const WireType = { VARINT: 0, I64: 1, LEN: 2, I32: 5 } as const;

const TEXT = new TextEncoder();
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Appends protobuf-encoded fields to a growable byte buffer. */
export class ProtoWriter {
  #buf = new Uint8Array(256);
  #view = new DataView(this.#buf.buffer);
  #len = 0;

  /** Number of bytes written so far. */
  get length(): number {
    return this.#len;
  }

  #reserve(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    let cap = this.#buf.length * 2;
    while (cap < this.#len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  /** Writes a raw base-128 varint. Negative integers use 64-bit two's complement (10 bytes). */
  varint(value: number | bigint): this {
    if (typeof value === "number") {
      if (!Number.isInteger(value)) throw new RangeError(`varint needs an integer, got ${value}`);
      if (value >= 0 && value <= MAX_SAFE) {
        this.#reserve(8);
        // Division instead of bit ops: JS bit ops truncate to 32 bits.
        while (value > 0x7f) {
          this.#buf[this.#len++] = (value % 0x80) | 0x80;
          value = Math.floor(value / 0x80);
        }
        this.#buf[this.#len++] = value;
        return this;
      }
      value = BigInt(value);
    }
    let v = BigInt.asUintN(64, value);
    this.#reserve(10);
    while (v > 0x7fn) {
      this.#buf[this.#len++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.#buf[this.#len++] = Number(v);
    return this;
  }

  /** Writes a field key (field number and wire type). */
  tag(field: number, wireType: number): this {
    if (!Number.isInteger(field) || field < 1 || field > 0x1fffffff) {
      throw new RangeError(`invalid field number ${field}`);
    }
    return this.varint(field * 8 + wireType);
  }

  /** An int32/int64/uint64/enum/bool field (varint). */
  int64(field: number, value: number | bigint): this {
    return this.tag(field, WireType.VARINT).varint(value);
  }

  /** A `float` field (fixed32, little-endian IEEE 754 single precision). */
  float(field: number, value: number): this {
    this.tag(field, WireType.I32);
    this.#reserve(4);
    this.#view.setFloat32(this.#len, value, true);
    this.#len += 4;
    return this;
  }

  /** A length-delimited `bytes` field. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WireType.LEN).varint(value.length);
    this.#reserve(value.length);
    this.#buf.set(value, this.#len);
    this.#len += value.length;
    return this;
  }

  /** A `string` field (UTF-8). */
  string(field: number, value: string): this {
    return this.bytes(field, TEXT.encode(value));
  }

  /** A nested message field: `build` writes the child's fields into a fresh writer. */
  message(field: number, build: (child: ProtoWriter) => void): this {
    const child = new ProtoWriter();
    build(child);
    return this.bytes(field, child.finish());
  }

  /** A packed repeated varint field (int32/int64). Writes nothing for an empty list. */
  packedInt64(field: number, values: ArrayLike<number>): this {
    if (values.length === 0) return this;
    const body = new ProtoWriter();
    for (let i = 0; i < values.length; i++) body.varint(values[i]);
    return this.bytes(field, body.finish());
  }

  /** A packed repeated `float` field (fixed32 each). Writes nothing for an empty list. */
  packedFloats(field: number, values: ArrayLike<number>): this {
    if (values.length === 0) return this;
    const body = new Uint8Array(values.length * 4);
    const view = new DataView(body.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
    return this.bytes(field, body);
  }

  /** The encoded bytes (a copy, safe to keep after further writes). */
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }
}
