/**
 * A READY dataset made without a CSV: the shared Bosch fixture (`tests/bosch_fixture.ts`: mostly
 * missing features, a few carrying a real signal, rare failures) written as the dataset's
 * column table and registered as the active dataset. For training tests and the Bosch-scale
 * split/train benchmark, where a full upload + feature selection would dominate the run.
 *
 * @example
 * ```ts
 * const ds = await installSyntheticDataset(services, { rows: 5000, features: 20 });
 * const { split } = await createSplit(services, windows);
 * ```
 *
 * @module
 */
import type { Services } from "../../../services.ts";
import { writeColumnTable } from "../../../data/column_table.ts";
import {
  type BoschFixture,
  boschFixture,
  type BoschFixtureOptions,
} from "../../../../tests/bosch_fixture.ts";
import {
  activateDataset,
  datasetBlobKeys,
  type DatasetRecord,
  putDataset,
} from "../../ingest/datasets.ts";

/** Options of {@link installSyntheticDataset} (those of the shared Bosch fixture builder). */
export type SyntheticDatasetOptions = BoschFixtureOptions & { rows: number; features: number };

/** Generate, store and activate the dataset; resolves with its READY record. */
export function installSyntheticDataset(
  services: Services,
  opts: SyntheticDatasetOptions,
): Promise<DatasetRecord> {
  return installTable(services, boschFixture(opts));
}

/** The columns of a dataset table (a `BoschFixture` or any table shaped like one). */
export type TableColumns = Pick<
  BoschFixture,
  "rows" | "ids" | "labels" | "timestamps" | "features" | "featureNames"
>;

/**
 * Store `table` as a READY dataset's column table (its profile computed from the columns, the
 * features ranked in column order) and make it the active dataset.
 */
export async function installTable(
  services: Services,
  table: TableColumns,
): Promise<DatasetRecord> {
  const { rows: n, timestamps, labels, ids, features, featureNames } = table;
  const nf = featureNames.length;
  const positives = labels.reduce((a, b) => a + b, 0);
  const id = crypto.randomUUID();
  const keys = datasetBlobKeys(id);
  await writeColumnTable(services.storage, keys.table, {
    rows: n,
    ids,
    labels,
    timestamps,
    features,
    featureNames,
    idColumn: "Id",
    responseColumn: "Response",
    timestampColumn: "synthetic_timestamp",
    sourceInOrder: true,
    nonNumericCells: {},
  });
  const rowsPerDay: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const d = new Date(timestamps[i]).toISOString().slice(0, 10);
    rowsPerDay[d] = (rowsPerDay[d] ?? 0) + 1;
  }
  const now = new Date().toISOString();
  const rec: DatasetRecord = {
    id,
    filename: "synthetic.csv",
    state: "READY",
    error: null,
    bytes: 0,
    created_at: now,
    updated_at: now,
    task_id: null,
    profile: {
      rows: n,
      columns: nf + 3,
      timestamp_column: "synthetic_timestamp",
      first_timestamp: new Date(timestamps[0]).toISOString(),
      last_timestamp: new Date(timestamps[n - 1]).toISOString(),
      rows_per_day: rowsPerDay,
      class_counts: { "0": n - positives, "1": positives },
      text_columns: [],
      sorted_by_time: true,
    },
    features: featureNames.map((name, j) => ({ name, importance: nf - j })),
    table_prefix: keys.table,
    source_key: keys.source,
    profile_key: null,
    sample_key: null,
  };
  await putDataset(services.kv, rec);
  await activateDataset(services.kv, rec);
  return rec;
}
