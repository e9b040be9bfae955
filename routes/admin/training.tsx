/**
 * `/admin/training` — split the active dataset by date, train a model and follow it, inspect
 * its metrics, curves and confusion matrix, and download the stored models' artifacts.
 *
 * @module
 */
import { define } from "../../utils.ts";
import { Layout } from "../../components/Layout.tsx";
import SplitForm from "../../islands/SplitForm.tsx";
import TrainingPanel from "../../islands/TrainingPanel.tsx";
import ModelsList from "../../islands/ModelsList.tsx";
import SplitDrift from "../../islands/SplitDrift.tsx";
import { loadTrainingPage } from "../../lib/ui/admin_data.ts";
import { settledPage } from "../../lib/ui/settle.ts";

export const handler = define.handlers({ GET: settledPage(loadTrainingPage) });

export default define.page<typeof handler>(function TrainingPage({ data: result, config }) {
  const base = config.basePath;
  const data = result.data;
  return (
    <Layout
      title="Training"
      current="/admin/training"
      basePath={base}
      loadError={result.error}
      subtitle="Split the active dataset by date, then train and evaluate a model."
    >
      <SplitForm
        dataset={data?.dataset ?? null}
        blocked={data ? data.blocked : "The page data could not be loaded."}
        split={data?.split ?? null}
      />
      <SplitDrift drift={data?.drift ?? null} />
      <TrainingPanel
        hasSplit={data?.split !== null && data?.split !== undefined}
        activeSplitId={data?.split?.id ?? null}
        activeDatasetId={data?.dataset?.id ?? null}
        task={data?.task ?? null}
        taskScope={data?.task_scope ?? null}
        model={data?.model ?? null}
      />
      <ModelsList list={data?.models ?? { active_model_id: null, models: [] }} />
    </Layout>
  );
});
