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
import { IngestError, ingestUpload } from "../../lib/pipeline/ingest/ingest.ts";

export const handler = define.handlers({
  async POST(ctx) {
    try {
      const accepted = await ingestUpload(ctx.state.services, ctx.req);
      return Response.json(accepted, { status: 202 });
    } catch (err) {
      if (err instanceof IngestError) throw new HttpError(err.status, err.detail);
      throw err;
    }
  },
});
