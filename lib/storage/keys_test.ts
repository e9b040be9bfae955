import assert from "node:assert/strict";
import { assertValidKey, InvalidKeyError, isValidKey } from "./keys.ts";

Deno.test("assertValidKey accepts normal keys", () => {
  for (const k of ["a", "datasets/123/source.csv", "models/x-1/model.onnx", "a.b/c_d/e f"]) {
    assertValidKey(k);
  }
  assertValidKey("datasets/", { allowPrefix: true });
});

Deno.test("assertValidKey rejects traversal and malformed keys", () => {
  const bad = [
    "",
    "..",
    "../etc/passwd",
    "a/../../b",
    "a/..",
    "./a",
    "a/./b",
    "/etc/passwd",
    "a//b",
    "a/",
    "a\\..\\b",
    "C:/x",
    "a\u0000b",
    "a\nb",
    ".tmp/x",
    "x".repeat(600),
    "a/" + "y".repeat(250),
  ];
  for (const k of bad) {
    assert.throws(() => assertValidKey(k), InvalidKeyError, `should reject ${JSON.stringify(k)}`);
    assert.equal(isValidKey(k), false);
  }
  assert.throws(() => assertValidKey("a//", { allowPrefix: true }), InvalidKeyError);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => assertValidKey(undefined as any), InvalidKeyError);
});
