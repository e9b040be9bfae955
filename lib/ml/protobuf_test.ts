import assert from "node:assert/strict";
import { ProtoWriter } from "./protobuf.ts";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");

Deno.test("protobuf: varint fields match the spec's examples", () => {
  assert.equal(hex(new ProtoWriter().int64(1, 150).finish()), "08 96 01");
  assert.equal(hex(new ProtoWriter().int64(1, 0).finish()), "08 00");
  assert.equal(hex(new ProtoWriter().int64(1, 300).finish()), "08 ac 02");
  // 2^53 - 1 still on the fast path; bigint beyond it.
  assert.equal(hex(new ProtoWriter().varint(2 ** 53 - 1).finish()), "ff ff ff ff ff ff ff 0f");
  assert.equal(hex(new ProtoWriter().varint(2n ** 63n).finish()), "80 80 80 80 80 80 80 80 80 01");
});

Deno.test("protobuf: negative int64 is 10-byte two's complement", () => {
  assert.equal(hex(new ProtoWriter().int64(1, -1).finish()), "08 ff ff ff ff ff ff ff ff ff 01");
  assert.equal(hex(new ProtoWriter().varint(-2n).finish()), "fe ff ff ff ff ff ff ff ff 01");
});

Deno.test("protobuf: strings, nested messages, floats", () => {
  assert.equal(
    hex(new ProtoWriter().string(2, "testing").finish()),
    "12 07 74 65 73 74 69 6e 67",
  );
  assert.equal(
    hex(new ProtoWriter().message(3, (m) => m.int64(1, 150)).finish()),
    "1a 03 08 96 01",
  );
  assert.equal(hex(new ProtoWriter().float(2, 1).finish()), "15 00 00 80 3f");
  assert.equal(hex(new ProtoWriter().string(1, "é").finish()), "0a 02 c3 a9");
  assert.equal(hex(new ProtoWriter().message(1, () => {}).finish()), "0a 00");
});

Deno.test("protobuf: packed repeated fields", () => {
  // The encoding guide's packed example: field 4 = [3, 270, 86942].
  assert.equal(
    hex(new ProtoWriter().packedInt64(4, [3, 270, 86942]).finish()),
    "22 06 03 8e 02 9e a7 05",
  );
  assert.equal(
    hex(new ProtoWriter().packedFloats(7, Float32Array.of(1, -2)).finish()),
    "3a 08 00 00 80 3f 00 00 00 c0",
  );
  assert.equal(new ProtoWriter().packedInt64(4, []).packedFloats(5, []).length, 0);
});

Deno.test("protobuf: buffer grows past its initial capacity", () => {
  const big = new Uint8Array(100_000).map((_, i) => i & 0xff);
  const out = new ProtoWriter().int64(1, 7).bytes(2, big).finish();
  assert.equal(out.length, 2 + 1 + 3 + big.length);
  assert.deepEqual(out.subarray(6), big);
});

Deno.test("protobuf: rejects invalid input", () => {
  assert.throws(() => new ProtoWriter().varint(1.5), RangeError);
  assert.throws(() => new ProtoWriter().int64(0, 1), RangeError);
});
