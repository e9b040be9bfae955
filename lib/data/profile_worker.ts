/**
 * `profileCsv` in a Web Worker: same result, the sample's buffers transferred (no copy).
 *
 * @example
 * ```ts
 * const { profile, sample } = await profileInWorker(store.localPath(key)!, {
 *   onProgress: (p) => console.log(p.bytes / (p.totalBytes ?? 1)),
 * });
 * ```
 *
 * @module
 */
import type { ProfileOptions, ProfileResult } from "./profile.ts";
import { runDataJob } from "./worker_client.ts";

/** Profile the CSV file at `path` in a worker. Rejects like `profileCsv`. */
export function profileInWorker(path: string, opts: ProfileOptions = {}): Promise<ProfileResult> {
  const { onProgress, signal, ...plain } = opts;
  return runDataJob<ProfileResult>({ kind: "profile", source: path, opts: plain }, {
    onProgress,
    signal,
  });
}
