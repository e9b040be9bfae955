import assert from "node:assert/strict";
import { withTestServices } from "../../testing.ts";
import { openColumnTable } from "../../data/column_table.ts";
import type { BlobStore } from "../../storage/blob_store.ts";
import { installSyntheticDataset } from "../train/testdata/synthetic_dataset.ts";
import { ColumnReader } from "./column_reader.ts";

Deno.test("ColumnReader: a worker reads the rows readRows gives, every dtype; bad input rejected", () =>
  withTestServices(async (services) => {
    const ds = await installSyntheticDataset(services, { rows: 2000, features: 4 });
    const table = await openColumnTable(services.storage, ds.table_prefix!);
    const m = table.manifest;
    const reader = ColumnReader.open(services.storage, m);
    assert.ok(reader, "a local store has a reader");
    try {
      const names = [...m.featureColumns, m.idColumn, m.responseColumn, m.timestampColumn];
      for (const [start, end] of [[0, 2000], [17, 1234], [500, 500]]) {
        const got = await reader.read(names, start, end);
        const want = await table.readRows(start, end, names);
        assert.deepEqual(got, want);
        for (const a of got) assert.equal(a.buffer.byteLength, a.byteLength, "own buffer");
      }
      await assert.rejects(() => reader.read(names, 10, 2001), RangeError);
      await assert.rejects(() => reader.read(["nope"], 0, 1), RangeError);
    } finally {
      reader.close();
    }
    // A store without local files (S3) has no reader.
    const remote: BlobStore = { ...services.storage, localPath: () => null };
    assert.equal(ColumnReader.open(remote, m), null);
  }));
