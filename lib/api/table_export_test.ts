import assert from "node:assert/strict";
import { csvStream, parseExportFile } from "./table_export.ts";

Deno.test("csvStream: header, quoting, empty cells for missing values, ints rounded", async () => {
  const text = await new Response(csvStream({
    nRows: 3,
    columns: [
      { name: "Id", kind: "int", values: new Float64Array([1, 2, 3]) },
      { name: "note", kind: "string", values: ["a,b", 'say "hi"', null] },
      { name: "x", kind: "float", values: new Float32Array([0.5, NaN, 2]) },
    ],
  })).text();
  assert.equal(text, 'Id,note,x\n1,"a,b",0.5\n2,"say ""hi""",\n3,,2\n');
});

Deno.test("parseExportFile: csv and parquet only", () => {
  assert.deepEqual(parseExportFile("train.csv"), { base: "train", format: "csv" });
  assert.deepEqual(parseExportFile("packets.parquet"), { base: "packets", format: "parquet" });
  assert.equal(parseExportFile("train.json"), null);
});
