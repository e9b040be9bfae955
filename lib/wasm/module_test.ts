import assert from "node:assert/strict";
import { lazyWasmModule } from "./module.ts";

Deno.test("lazyWasmModule: compiles once; null for bytes that are not a valid module", () => {
  const empty = lazyWasmModule("AGFzbQEAAAA="); // "\0asm", version 1, no sections
  const m = empty();
  assert.ok(m instanceof WebAssembly.Module);
  assert.equal(empty(), m);
  assert.equal(lazyWasmModule("AGFzbQIAAAA=")(), null); // unknown version
  assert.equal(lazyWasmModule("not base64!")(), null);
});
