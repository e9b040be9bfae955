/**
 * Uploads in the `api` role (`ROLE=api`, e.g. on Deno Deploy): validation moves to the worker.
 *
 * The api process only streams the body to object storage (the header is still checked while
 * streaming, so 400 / 413 / 415 / 422 on the header leave no blob) and answers 202 once the
 * bytes are stored: no Web Worker and no CPU-heavy pass in the request, so a 2 GB upload costs
 * the transfer time only (the .NET client's 100 s timeout is about the transfer). The record goes
 * straight to SELECTING_FEATURES with the `dataset.select_features` task; the worker running it
 * first validates and profiles the stored file (`profileDeferredUpload`), and a rejection turns
 * the dataset FAILED with the same reason the 422 would have carried (and the task FAILURE).
 *
 * @example
 * ```ts
 * const upload = await openCsvUpload(req, opts); // lib/api: framing + header line
 * const accepted = services.config.role === "api"
 *   ? await acceptUploadDeferred(services, upload)
 *   : await ingestCsv(services, upload);
 * ```
 *
 * @module
 */
import type { Services } from "../../services.ts";
import { CsvValidationError } from "../../data/csv_header.ts";
import {
  datasetBlobKeys,
  type DatasetRecord,
  getDataset,
  newDatasetRecord,
  putDataset,
  updateDataset,
} from "./datasets.ts";
import { putSample } from "./sample_blob.ts";
import {
  checkProfile,
  type CsvSource,
  type IngestAccepted,
  IngestError,
  profileStored,
  SELECT_FEATURES_KIND,
  summarize,
  UPLOAD_MESSAGE,
} from "./ingest.ts";

/**
 * Store the CSV, record it and submit feature selection (validation runs there). An error of the
 * source stream (e.g. the upload's `UploadError`) is rethrown as is and leaves no blob.
 */
export async function acceptUploadDeferred(
  services: Services,
  source: CsvSource,
): Promise<IngestAccepted> {
  const { storage, kv } = services;
  const id = crypto.randomUUID();
  const keys = datasetBlobKeys(id);
  let bytes: number;
  try {
    bytes = await storage.put(keys.source, source.body, { uncached: true });
  } catch (err) {
    await source.body.cancel(err).catch(() => {});
    await storage.deletePrefix(keys.prefix).catch(() => {});
    throw err;
  }
  const record = newDatasetRecord(id, source.filename, bytes, "SELECTING_FEATURES");
  await putDataset(kv, record);
  try {
    const task = await services.tasks.submit(SELECT_FEATURES_KIND, { dataset_id: id });
    await updateDataset(kv, id, () => ({ task_id: task.id }));
    return { message: UPLOAD_MESSAGE, dataset_path: keys.source, dataset_id: id, task_id: task.id };
  } catch (err) {
    const reason = `Upload processing failed: ${err instanceof Error ? err.message : err}`;
    await storage.deletePrefix(keys.prefix).catch(() => {});
    await updateDataset(kv, id, () => ({ state: "FAILED", error: reason })).catch(() => {});
    throw err;
  }
}

/**
 * In the feature-selection task: validate and profile a dataset stored without a profile (an
 * upload through the `api` role). A rejection marks the dataset FAILED with its reason and
 * throws; otherwise the profile and sample are stored and the updated record returned.
 */
export async function profileDeferredUpload(
  services: Services,
  rec: DatasetRecord,
): Promise<DatasetRecord> {
  const { storage, kv } = services;
  const keys = datasetBlobKeys(rec.id);
  try {
    const { profile, sample } = await profileStored(services, rec.source_key);
    checkProfile(profile);
    await storage.put(keys.profile, new TextEncoder().encode(JSON.stringify(profile)));
    await putSample(storage, keys.sample, sample);
  } catch (err) {
    const reason = err instanceof CsvValidationError || err instanceof IngestError
      ? err.message
      : `Upload processing failed: ${err instanceof Error ? err.message : err}`;
    await storage.deletePrefix(keys.prefix).catch(() => {});
    await updateDataset(kv, rec.id, () => ({ state: "FAILED", error: reason })).catch(() => {});
    throw new Error(reason);
  }
  const profile = JSON.parse(new TextDecoder().decode(await storage.getBytes(keys.profile)));
  await updateDataset(kv, rec.id, () => ({
    profile: summarize(profile),
    profile_key: keys.profile,
    sample_key: keys.sample,
  }));
  const updated = await getDataset(kv, rec.id);
  if (!updated) throw new Error(`Dataset ${rec.id} was deleted during profiling.`);
  return updated;
}
