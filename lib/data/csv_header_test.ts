import assert from "node:assert/strict";
import { CsvValidationError, parseHeader, resolveHeader, splitHeaderLine } from "./csv_header.ts";

Deno.test("splitHeaderLine: plain, quoted, BOM, CRLF", () => {
  assert.deepEqual(splitHeaderLine("a,b,c"), ["a", "b", "c"]);
  assert.deepEqual(splitHeaderLine('\ufeff"Id","a,b","say ""hi""",x\r\n'), [
    "Id",
    "a,b",
    'say "hi"',
    "x",
  ]);
  assert.deepEqual(splitHeaderLine(new TextEncoder().encode("x, y ,\r")), ["x", "y", ""]);
});

Deno.test("resolveHeader: .NET shape and Timestamp-last shape", () => {
  const a = parseHeader("synthetic_timestamp,Id,L0_S0_F0,L0_S0_F2,Response");
  assert.equal(a.timestampIndex, 0);
  assert.equal(a.idIndex, 1);
  assert.equal(a.responseIndex, 4);
  assert.deepEqual(a.featureNames, ["L0_S0_F0", "L0_S0_F2"]);
  const b = parseHeader("Id,L0_S0_F0,Response,Timestamp");
  assert.equal(b.timestampIndex, 3);
  const c = parseHeader("id,f1,response,when,synthetic_timestamp", { timestampColumn: "when" });
  assert.equal(c.timestampIndex, 3);
  assert.deepEqual(c.featureNames, ["f1", "synthetic_timestamp"]);
  const d = parseHeader(",Id,f,Response,Timestamp");
  assert.deepEqual(d.ignoredIndices, [0]);
});

Deno.test("resolveHeader: clear 422 errors naming what is missing", () => {
  const err = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof CsvValidationError);
      assert.equal(e.status, 422);
      assert.equal(e.line, 1);
      return e;
    }
    assert.fail("no error");
  };
  let e = err(() => parseHeader("Id,L0_S0_F0,Timestamp"));
  assert.match(e.message, /missing 'Response'/);
  assert.equal(e.column, "Response");
  e = err(() => parseHeader("Id,L0_S0_F0,Response"));
  assert.match(e.message, /timestamp column \('synthetic_timestamp' or 'Timestamp'\)/);
  e = err(() => parseHeader("L0_S0_F0,x"));
  assert.match(e.message, /'Id', 'Response', a timestamp column/);
  e = err(() => parseHeader("Id,f,f,Response,Timestamp"));
  assert.match(e.message, /Duplicate column name 'f'/);
  e = err(() => parseHeader("Id,Response,Timestamp"));
  assert.match(e.message, /no feature columns/);
  err(() => resolveHeader([""]));
});
