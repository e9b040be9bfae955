import assert from "node:assert/strict";
import { withTestServices } from "../../testing.ts";
import { createSplit, loadSplitSet } from "../split/mod.ts";
import { openSplitColumns } from "./columns.ts";
import { installSyntheticDataset } from "./testdata/synthetic_dataset.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);
const win = (d0: number, d1: number) => ({ start_ms: T0 + d0 * DAY, end_ms: T0 + d1 * DAY - 1 });

for (const fraction of [1, 0.6]) {
  Deno.test(`openSplitColumns: the rows and values of loadSplitSet (sample fraction ${fraction})`, async () => {
    await withTestServices(async (services) => {
      await installSyntheticDataset(services, { rows: 3000, features: 6 });
      const { split } = await createSplit(services, {
        train: win(0, 4),
        test: win(4, 5),
        simulation: win(5, 7),
      });
      assert.equal(split.sample_rows !== null, fraction < 1);
      for (const which of ["train", "test"] as const) {
        const want = await loadSplitSet(services, split, which);
        const got = await openSplitColumns(services, split, which);
        assert.equal(got.nRows, want.nRows);
        assert.deepEqual(got.labels, want.labels);
        for (const [f, name] of split.feature_names.entries()) {
          const col = await got.column(name);
          assert.deepEqual(col, want.columns[f]);
          // A fresh array on its own buffer (the trainer moves it to its worker).
          assert.equal(col.byteOffset, 0);
          assert.equal(col.buffer.byteLength, col.byteLength);
        }
        got.close();
      }
    }, { splitSampleFraction: fraction });
  });
}
