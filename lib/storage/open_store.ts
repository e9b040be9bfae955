/**
 * The blob store the configuration selects: `STORAGE_URL=s3://bucket/prefix` → `S3BlobStore`
 * (credentials, region and endpoint from the `AWS_*` variables), otherwise the local folder
 * `<DATA_DIR>/blobs`.
 *
 * @example
 * ```ts
 * const storage = await openBlobStore(loadConfig());
 * ```
 *
 * @module
 */
import { join } from "node:path";
import type { Config } from "../config.ts";
import type { BlobStore } from "./blob_store.ts";
import { LocalBlobStore } from "./local_store.ts";

/** Blob root for a data dir (local backend). */
export function blobRoot(dataDir: string): string {
  return join(dataDir, "blobs");
}

/** A blob store plus the function releasing it. */
export interface OpenedBlobStore {
  store: BlobStore;
  close(): void;
}

/** Open the configured backend (an S3 bucket is created when missing). */
export async function openBlobStore(
  config: Pick<Config, "dataDir" | "storageUrl" | "s3">,
): Promise<OpenedBlobStore> {
  if (config.storageUrl === null) {
    const store = await LocalBlobStore.open(blobRoot(config.dataDir));
    return { store, close() {} };
  }
  // Loaded only when selected: the AWS SDK adds ~12 MB to the resident set of a process
  // that never talks to S3 (measured idle RSS of `main.ts`).
  const { parseS3Url, S3BlobStore } = await import("./s3_store.ts");
  const target = parseS3Url(config.storageUrl);
  if (!target) throw new Error(`STORAGE_URL is not an s3:// URL: ${config.storageUrl}`);
  const store = await S3BlobStore.open({
    bucket: target.bucket,
    prefix: target.prefix,
    region: config.s3.region,
    endpoint: config.s3.endpoint ?? undefined,
    credentials: config.s3.credentials ?? undefined,
  });
  return { store, close: () => store.close() };
}
