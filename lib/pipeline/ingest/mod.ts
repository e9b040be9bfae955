/**
 * Ingest: a CSV upload → stored, validated and profiled → features selected in the background
 * → the active dataset. The capability's task registration and public surface; the HTTP side of
 * an upload is `lib/api/multipart_upload.ts`.
 *
 * @example
 * ```ts
 * registerIngestTasks(services);
 * const accepted = await ingestCsv(services, { body, filename: "line3.csv" });
 * const dataset = await getActiveDataset(services.kv);
 * ```
 *
 * @module
 */
import type { Services } from "../../services.ts";
import { selectFeaturesTask } from "./feature_selection.ts";

export {
  type CsvSource,
  type IngestAccepted,
  ingestCsv,
  IngestError,
  SELECT_FEATURES_KIND,
  UPLOAD_MESSAGE,
} from "./ingest.ts";
export { selectFeatures, selectFeaturesTask } from "./feature_selection.ts";
export {
  activateDataset,
  ACTIVE_DATASET_KEY,
  type DatasetRecord,
  type DatasetState,
  getActiveDataset,
  getDataset,
  getNewestDataset,
  listDatasets,
  putDataset,
  reconcileDataset,
  recoverInterruptedUploads,
} from "./datasets.ts";

/** Register the ingest task kinds (`dataset.select_features`). */
export function registerIngestTasks(services: Services): void {
  services.tasks.register(selectFeaturesTask(services));
}
