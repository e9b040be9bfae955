/**
 * `POST /admin/datasets/upload` — the upload form's plain-HTML path (no JavaScript): the browser
 * posts the form as `multipart/form-data`, the file goes through the same reception and
 * validation as `POST /dataset/store`, and the answer is an HTML page saying what came of it
 * (accepted and processing, or refused with the reason). With JavaScript the island uploads to
 * the API itself and shows progress; this route is never used then.
 *
 * @module
 */
import { page } from "fresh";
import { define } from "../../../utils.ts";
import { Layout } from "../../../components/Layout.tsx";
import { Alert } from "../../../components/Notice.tsx";
import { Card } from "../../../components/Card.tsx";
import { openCsvUpload, UploadError } from "../../../lib/api/multipart_upload.ts";
import { ingestCsv, IngestError } from "../../../lib/pipeline/ingest/mod.ts";
import { NO_STORE } from "../../../lib/ui/settle.ts";

/** What the page shows. */
type Outcome =
  | { ok: true; message: string; datasetId: string | null; taskId: string | null }
  | { ok: false; status: number; detail: string };

export const handler = define.handlers({
  async POST(ctx) {
    const { services } = ctx.state;
    let outcome: Outcome;
    let status = 202;
    try {
      const upload = await openCsvUpload(ctx.req, {
        maxBytes: services.config.maxUploadBytes,
        signal: ctx.req.signal,
        timestampColumn: services.config.timestampColumn,
      });
      const accepted = await ingestCsv(services, upload);
      outcome = {
        ok: true,
        message: accepted.message,
        datasetId: accepted.dataset_id ?? null,
        taskId: accepted.task_id ?? null,
      };
    } catch (err) {
      if (!(err instanceof UploadError || err instanceof IngestError)) throw err;
      status = err.status;
      outcome = { ok: false, status: err.status, detail: err.detail };
    }
    return page(outcome, { status, headers: NO_STORE.headers });
  },
  GET() {
    // Reloading the result page (a GET) goes back to the form.
    return new Response(null, { status: 303, headers: { location: "/admin/datasets" } });
  },
});

export default define.page<typeof handler>(function UploadResult({ data, config }) {
  const base = config.basePath;
  return (
    <Layout
      title="Upload"
      current="/admin/datasets"
      basePath={base}
      subtitle="The result of the upload (sent without JavaScript)."
    >
      <Card heading={data.ok ? "Upload accepted" : "Upload refused"} headingId="upload-result">
        {data.ok
          ? (
            <Alert kind="success" title="Upload accepted (HTTP 202)">
              {data.message} The dataset <code>{data.datasetId ?? "—"}</code>{" "}
              becomes active when its feature selection is done; the Datasets page shows its state.
            </Alert>
          )
          : (
            <Alert kind="error" title={`Upload refused (HTTP ${data.status})`}>
              {data.detail} Nothing was stored; the active dataset is unchanged.
            </Alert>
          )}
        <p>
          <a href={`${base}/admin/datasets`}>Back to Datasets</a>
        </p>
      </Card>
    </Layout>
  );
});
