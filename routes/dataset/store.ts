/**
 * `POST /dataset/store` — upload a dataset (CONTRACT.md §1). The file is streamed to storage,
 * validated and profiled before the answer; then feature selection runs in the background.
 * 202 `{"message", "dataset_path", "dataset_id", "task_id"}`; 400 / 413 / 415 / 422
 * `{"detail": "..."}` for a refused upload (nothing stored, active dataset unchanged).
 *
 * @module
 */
import { HttpError } from "fresh";
import { define } from "../../utils.ts";
import { openCsvUpload, UploadError } from "../../lib/api/multipart_upload.ts";
import { acceptUploadDeferred, ingestCsv, IngestError } from "../../lib/pipeline/ingest/mod.ts";

export const handler = define.handlers({
  async POST(ctx) {
    const { services } = ctx.state;
    try {
      const upload = await openCsvUpload(ctx.req, {
        // No `ctx.req.signal`: a client that goes away errors the body stream, which fails the
        // upload; the request signal (legacy Deno.serve semantics) would add only a warning.
        maxBytes: services.config.maxUploadBytes,
        timestampColumn: services.config.timestampColumn,
        idleTimeoutMs: services.config.uploadIdleTimeoutSeconds * 1000,
      });
      // ROLE=api: store and answer; validation runs in the worker's task (ingest/deferred.ts).
      const accepted = services.config.role === "api"
        ? await acceptUploadDeferred(services, upload)
        : await ingestCsv(services, upload);
      return Response.json(accepted, { status: 202 });
    } catch (err) {
      // Both carry the status and detail the contract answers with.
      if (err instanceof UploadError || err instanceof IngestError) {
        throw new HttpError(err.status, err.detail);
      }
      throw err;
    }
  },
});
