/**
 * `/admin` — the dashboard: service health (live, the `HealthBadge` island), the active dataset
 * and model, recent tasks and the effective configuration. Everything but the badge is plain
 * server-rendered HTML.
 *
 * @module
 */
import { page } from "fresh";
import { define } from "../../utils.ts";
import { Layout } from "../../components/Layout.tsx";
import { Card } from "../../components/Card.tsx";
import { StatusPill } from "../../components/StatusPill.tsx";
import { type Column, Table } from "../../components/Table.tsx";
import HealthBadge from "../../islands/HealthBadge.tsx";
import { type DatasetRecord, getActiveDataset } from "../../lib/pipeline/ingest/datasets.ts";
import { getActiveModel, type ModelRecord } from "../../lib/pipeline/train/models.ts";
import type { TaskRecord } from "../../lib/tasks/types.ts";
import type { Config } from "../../lib/config.ts";
import {
  fmtBytes,
  fmtDateTime,
  fmtInt,
  fmtMetric,
  fmtPct,
  fmtRate,
  shortId,
} from "../../lib/ui/format.ts";
import { NO_STORE } from "../../lib/ui/settle.ts";

interface DashboardData {
  dataset: DatasetRecord | null;
  model: ModelRecord | null;
  tasks: TaskRecord[];
  config:
    & Pick<
      Config,
      | "taskMode"
      | "topFeatures"
      | "splitSampleFraction"
      | "simulationWarmupSeconds"
      | "simulationRowsPerSecond"
      | "trainThreads"
      | "logLevel"
    >
    & { auth: boolean };
  /** Parts that could not be read (the page still renders). */
  errors: string[];
}

async function settle<T>(label: string, p: Promise<T>, errors: string[]): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    errors.push(`${label}: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}

const TASK_COLUMNS: Column[] = ["Task", "Kind", "State", "Progress", "Created"].map((label) => ({
  label,
}));

export const handler = define.handlers({
  async GET(ctx) {
    const { kv, tasks, config } = ctx.state.services;
    const errors: string[] = [];
    const [dataset, model, recent] = await Promise.all([
      settle("dataset", getActiveDataset(kv), errors),
      settle("model", getActiveModel(kv), errors),
      settle("tasks", tasks.list({ limit: 8 }), errors),
    ]);
    return page<DashboardData>({
      dataset,
      model,
      tasks: recent ?? [],
      config: {
        taskMode: config.taskMode,
        topFeatures: config.topFeatures,
        splitSampleFraction: config.splitSampleFraction,
        simulationWarmupSeconds: config.simulationWarmupSeconds,
        simulationRowsPerSecond: config.simulationRowsPerSecond,
        trainThreads: config.trainThreads,
        logLevel: config.logLevel,
        auth: config.apiToken !== null,
      },
      errors,
    }, NO_STORE);
  },
});

export default define.page<typeof handler>(function Dashboard({ data, config: web }) {
  const { dataset, model, tasks, config, errors } = data;
  const base = web.basePath;
  return (
    <Layout
      title="Dashboard"
      current="/admin"
      basePath={base}
      subtitle="Upload → feature selection → date split → training → real-time replay"
      actions={<HealthBadge intervalMs={5000} />}
    >
      {errors.length > 0 && (
        <div class="qc-alert qc-alert-error" role="alert">
          <p class="qc-alert-title">Some data could not be loaded</p>
          <p class="qc-alert-body">{errors.join("; ")}</p>
        </div>
      )}
      <div class="qc-grid">
        <Card heading="Active dataset" aside={<a href={`${base}/admin/datasets`}>Datasets →</a>}>
          {dataset
            ? (
              <dl class="qc-facts">
                <dt>File</dt>
                <dd>{dataset.filename}</dd>
                <dt>State</dt>
                <dd>
                  <StatusPill status={dataset.state} />
                </dd>
                <dt>Size</dt>
                <dd>{fmtBytes(dataset.bytes)}</dd>
                <dt>Rows</dt>
                <dd>{fmtInt(dataset.profile?.rows)}</dd>
                <dt>Selected features</dt>
                <dd>{fmtInt(dataset.features?.length)}</dd>
                <dt>Uploaded</dt>
                <dd>{fmtDateTime(dataset.created_at)}</dd>
              </dl>
            )
            : <p class="qc-muted">No dataset yet. Upload a CSV on the Datasets page.</p>}
        </Card>
        <Card heading="Active model" aside={<a href={`${base}/admin/training`}>Training →</a>}>
          {model
            ? (
              <dl class="qc-facts">
                <dt>Model</dt>
                <dd>
                  <code>{shortId(model.id)}</code>
                </dd>
                <dt>F1 (test)</dt>
                <dd>{fmtMetric(model.metrics.f1_score)}</dd>
                <dt>Recall / precision</dt>
                <dd>
                  {fmtPct(model.metrics.recall, 1)} / {fmtPct(model.metrics.precision, 1)}
                </dd>
                <dt>AUC ROC</dt>
                <dd>{fmtMetric(model.metrics.auc_roc)}</dd>
                <dt>Trained</dt>
                <dd>{fmtDateTime(model.created_at)}</dd>
              </dl>
            )
            : <p class="qc-muted">No model yet. Split the data, then start a training.</p>}
        </Card>
        <Card heading="Configuration" aside={null}>
          <dl class="qc-facts">
            <dt>Tasks</dt>
            <dd>{config.taskMode}</dd>
            <dt>Top features</dt>
            <dd>{config.topFeatures}</dd>
            <dt>Split sample</dt>
            <dd>{Math.round(config.splitSampleFraction * 100)} %</dd>
            <dt>Simulation</dt>
            <dd>
              {config.simulationWarmupSeconds} s warm-up, {fmtRate(config.simulationRowsPerSecond)}
            </dd>
            <dt>Training threads</dt>
            <dd>{config.trainThreads}</dd>
            <dt>API token</dt>
            <dd>{config.auth ? "required" : "not required"}</dd>
            <dt>Log level</dt>
            <dd>{config.logLevel}</dd>
          </dl>
        </Card>
      </div>
      <Card heading="Recent tasks" aside={null}>
        {tasks.length === 0
          ? <p class="qc-muted">No tasks yet.</p>
          : (
            <Table columns={TASK_COLUMNS} label="Recent tasks">
              {tasks.map((t) => (
                <tr key={t.id}>
                  <td>
                    <code>{shortId(t.id)}</code>
                  </td>
                  <td>{t.kind}</td>
                  <td>
                    <StatusPill status={t.state} />
                  </td>
                  <td class="qc-muted">
                    {t.state === "FAILURE"
                      ? t.error
                      : typeof t.progress?.status === "string"
                      ? t.progress.status
                      : ""}
                  </td>
                  <td>{fmtDateTime(t.createdAt)}</td>
                </tr>
              ))}
            </Table>
          )}
      </Card>
    </Layout>
  );
});
