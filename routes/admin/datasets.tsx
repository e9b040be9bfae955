/**
 * `/admin/datasets` — upload a CSV (streamed, with progress, followed through feature
 * selection), the active dataset's profile and daily distribution, and the recent uploads.
 *
 * @module
 */
import { page } from "fresh";
import { define } from "../../utils.ts";
import { Layout } from "../../components/Layout.tsx";
import { Alert } from "../../components/Notice.tsx";
import DatasetUpload from "../../islands/DatasetUpload.tsx";
import DatasetOverview from "../../islands/DatasetOverview.tsx";
import RecentUploads from "../../islands/RecentUploads.tsx";
import { loadDatasetsPage } from "../../lib/ui/admin_data.ts";
import { settle } from "../../lib/ui/settle.ts";

export const handler = define.handlers({
  async GET(ctx) {
    return page(await settle(() => loadDatasetsPage(ctx.state.services)), {
      headers: { "cache-control": "no-store" },
    });
  },
});

export default define.page<typeof handler>(function DatasetsPage({ data: result, config }) {
  const base = config.basePath;
  const data = result.data;
  const pending = data?.pending ?? null;
  return (
    <Layout
      title="Datasets"
      current="/admin/datasets"
      basePath={base}
      subtitle="Upload production data; features are selected in the background."
    >
      {result.error && (
        <Alert kind="error" title="Some data could not be loaded">{result.error}</Alert>
      )}
      <DatasetUpload
        pending={pending
          ? {
            id: pending.id,
            filename: pending.filename,
            state: pending.state,
            error: pending.error,
            task_id: pending.task_id,
          }
          : null}
      />
      <DatasetOverview dataset={data?.active ?? null} />
      <RecentUploads rows={data?.recent ?? []} />
    </Layout>
  );
});
