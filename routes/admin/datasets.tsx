/**
 * `/admin/datasets` — upload a CSV (streamed, with progress, followed through feature
 * selection), the active dataset's profile and daily distribution, and the recent uploads.
 *
 * @module
 */
import { define } from "../../utils.ts";
import { Layout } from "../../components/Layout.tsx";
import DatasetUpload from "../../islands/DatasetUpload.tsx";
import DatasetOverview from "../../islands/DatasetOverview.tsx";
import RecentUploads from "../../islands/RecentUploads.tsx";
import { loadDatasetsPage } from "../../lib/ui/admin_data.ts";
import { settledPage } from "../../lib/ui/settle.ts";

export const handler = define.handlers({ GET: settledPage(loadDatasetsPage) });

export default define.page<typeof handler>(function DatasetsPage({ data: result, config }) {
  const base = config.basePath;
  const data = result.data;
  const pending = data?.pending ?? null;
  return (
    <Layout
      title="Datasets"
      current="/admin/datasets"
      basePath={base}
      loadError={result.error}
      subtitle="Upload production data; features are selected in the background."
    >
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
