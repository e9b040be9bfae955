/**
 * Server-side data of the admin pages: reads KV and blob storage through the pipeline modules
 * and shapes small, JSON-serializable props for the pages and their islands, so every page is
 * meaningful before hydration. Server only (never imported by an island).
 *
 * @example
 * ```ts
 * export const handler = define.handlers({
 *   async GET(ctx) { return page(await loadTrainingPage(ctx.state.services)); },
 * });
 * ```
 *
 * @module
 */
import type { Services } from "../services.ts";
import { getActiveDataset, listDatasets, reconcileDataset } from "../pipeline/ingest/datasets.ts";
import { getActiveModel, listModels, type ModelRecord } from "../pipeline/train/models.ts";
import { getActiveSplit, getSplit, type SplitRecord } from "../pipeline/split/split.ts";
import type { DriftReport } from "../pipeline/split/drift.ts";
import { getSplitDrift } from "../pipeline/split/split_drift.ts";
import { contractStatus } from "../tasks/task_view.ts";
import { getSimulationSummary, readPackets } from "../pipeline/simulation/mod.ts";
import { TABLE_ROWS } from "./simulation_view.ts";
import type { TaskRecord } from "../tasks/types.ts";
import type { DatasetView, SimPacket, SimSummary, TaskStatus } from "./types.ts";
import { type ModelRow, modelRow } from "./model_row.ts";
import { type DatasetRow, datasetRow } from "./dataset_row.ts";

export type { DatasetRow };
import { type TrainingView, viewFromModel } from "./training_view.ts";

/** Props of the datasets page. */
export interface DatasetsPageData {
  /** The dataset splits and training use. */
  active: DatasetView | null;
  /** The newest upload when it is not the active one (processing or failed). */
  pending: DatasetView | null;
  recent: DatasetRow[];
}

/** The dataset facts the split form needs. */
export interface SplitDatasetInfo {
  id: string;
  filename: string;
  state: string;
  rows: number | null;
  first_timestamp: string | null;
  last_timestamp: string | null;
  rows_per_day: Record<string, number>;
}

/** The current split as the form shows it. */
export interface SplitInfo {
  id: string;
  dataset_id: string;
  created_at: string;
  windows: SplitRecord["windows"];
  rows: SplitRecord["rows"];
  daily_distribution: Record<string, number> | null;
}

/** The dataset and split a training task uses. */
export interface TaskScope {
  dataset_id: string | null;
  split_id: string | null;
}

/** Props of the training page. */
export interface TrainingPageData {
  dataset: SplitDatasetInfo | null;
  /** Why a split cannot be made now (no dataset, still processing), else null. */
  blocked: string | null;
  /** The active split when it belongs to the active dataset. */
  split: SplitInfo | null;
  /** The latest training task. */
  task: TaskStatus | null;
  /** The dataset and split the latest training task runs (ran) on. */
  task_scope: TaskScope | null;
  /** The active model's results (with curves when stored). */
  model: TrainingView | null;
  models: { active_model_id: string | null; models: ModelRow[] };
  /** Drift of the active split's simulation window against its training window, or null. */
  drift: DriftReport | null;
}

/** The model facts the simulation page shows. */
export interface SimModelInfo {
  id: string;
  created_at: string;
  dataset_id: string;
  threshold: number;
  f1_score: number;
  recall: number;
  top_features: string[];
}

/** Props of the simulation page. */
export interface SimulationPageData {
  model: SimModelInfo | null;
  /** Rows the replay would use (simulation window of the split), or null. */
  simulation_rows: number | null;
  /** Why a simulation cannot start now, else null. */
  blocked: string | null;
  /** A warning when the active split is not the one the model was trained on, else null. */
  split_warning?: string | null;
  /** The latest simulation task. */
  task: TaskStatus | null;
  /** Its latest packets (oldest first, at most the table's rows) and summary, if any. */
  packets?: SimPacket[];
  summary?: SimSummary | null;
  defaults: { rows_per_second: number; warmup_seconds: number };
}

function isProcessing(state: string): boolean {
  return state === "UPLOADED" || state === "PROFILING" || state === "SELECTING_FEATURES";
}

/** Latest task of a kind as the contract status body, or null. */
async function latestTask(services: Services, kind: string): Promise<TaskStatus | null> {
  const [rec] = await services.tasks.list({ kind, limit: 1 });
  return rec ? (contractStatus(rec as TaskRecord) as TaskStatus) : null;
}

/** Data of `/admin/datasets`. */
export async function loadDatasetsPage(services: Services, limit = 10): Promise<DatasetsPageData> {
  const { kv, tasks } = services;
  const active = await getActiveDataset(kv);
  const all = await listDatasets(kv);
  const newest = all[0] ? await reconcileDataset(kv, tasks, all[0]) : null;
  const activeId = active?.id ?? null;
  return {
    active: active ? { ...active, active: true } : null,
    pending: newest && newest.id !== activeId ? { ...newest, active: false } : null,
    recent: all.slice(0, limit).map((d) => datasetRow(d.id === newest?.id ? newest : d, activeId)),
  };
}

/** A stored model as the training panel (and the comparison page) shows it, with curves
 * from `curves.json` when readable. */
export async function modelView(services: Services, model: ModelRecord): Promise<TrainingView> {
  let curves: unknown = null;
  try {
    const key = model.artifacts?.curves;
    if (key) curves = JSON.parse(new TextDecoder().decode(await services.storage.getBytes(key)));
  } catch {
    curves = null; // missing or unreadable: the island shows the rest
  }
  return viewFromModel(model, curves);
}

/** Data of `/admin/training`. */
export async function loadTrainingPage(services: Services): Promise<TrainingPageData> {
  const { kv, tasks } = services;
  const active = await getActiveDataset(kv);
  const newestRaw = (await listDatasets(kv))[0] ?? null;
  const newest = newestRaw ? await reconcileDataset(kv, tasks, newestRaw) : null;
  let blocked: string | null = null;
  if (newest && newest.id !== active?.id && isProcessing(newest.state)) {
    blocked = `The newest upload (${newest.filename}) is still being processed ` +
      `(${newest.state}); split when its feature selection is done.`;
  } else if (!active) {
    blocked = newest?.state === "FAILED"
      ? `No usable dataset: the last upload failed (${newest.error ?? "unknown reason"}).`
      : "No dataset has been uploaded yet.";
  } else if (active.state !== "READY") {
    blocked = `The active dataset is not ready (${active.state}).`;
  }
  const split = await getActiveSplit(kv);
  const [models, activeModelId, activeModel, task] = await Promise.all([
    listModels(kv, { limit: 20 }),
    kv.get<string>(["active", "model"]),
    getActiveModel(kv),
    latestTask(services, "train"),
  ]);
  const taskRecord = task ? await tasks.get(task.task_id) : null;
  const taskParams = (taskRecord?.params ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  return {
    dataset: active
      ? {
        id: active.id,
        filename: active.filename,
        state: active.state,
        rows: active.profile?.rows ?? null,
        first_timestamp: active.profile?.first_timestamp ?? null,
        last_timestamp: active.profile?.last_timestamp ?? null,
        rows_per_day: active.profile?.rows_per_day ?? {},
      }
      : null,
    blocked,
    split: split && active && split.dataset_id === active.id
      ? {
        id: split.id,
        dataset_id: split.dataset_id,
        created_at: split.created_at,
        windows: split.windows,
        rows: split.rows,
        daily_distribution: split.daily_distribution,
      }
      : null,
    task,
    task_scope: task
      ? { dataset_id: str(taskParams.dataset_id), split_id: str(taskParams.split_id) }
      : null,
    model: activeModel ? await modelView(services, activeModel) : null,
    models: { active_model_id: activeModelId, models: models.map(modelRow) },
    drift: split && active && split.dataset_id === active.id
      ? await getSplitDrift(services, split).then((d) => d.simulation, () => null)
      : null,
  };
}

/** Data of `/admin/simulation`. */
export async function loadSimulationPage(services: Services): Promise<SimulationPageData> {
  const { kv, config } = services;
  const model = await getActiveModel(kv);
  const task = await latestTask(services, "simulate");
  const summary = task ? await getSimulationSummary(services, task.task_id) : null;
  const packets = task && summary && summary.processed > 0
    ? (await readPackets(kv, task.task_id, {
      after: Math.max(-1, summary.processed - 1 - TABLE_ROWS),
      limit: TABLE_ROWS + 1,
    })).packets
    : [];
  const defaults = {
    rows_per_second: config.simulationRowsPerSecond,
    warmup_seconds: config.simulationWarmupSeconds,
  };
  if (!model) {
    return {
      model: null,
      simulation_rows: null,
      blocked: "No trained model yet: train one on the Training page first.",
      task,
      packets,
      summary,
      defaults,
    };
  }
  const activeSplit = await getActiveSplit(kv);
  const split = activeSplit && activeSplit.dataset_id === model.dataset_id
    ? activeSplit
    : await getSplit(kv, model.split_id);
  const rows = split && split.dataset_id === model.dataset_id ? split.rows.simulation : null;
  return {
    model: {
      id: model.id,
      created_at: model.created_at,
      dataset_id: model.dataset_id,
      threshold: model.threshold,
      f1_score: model.metrics.f1_score,
      recall: model.metrics.recall,
      top_features: (model.importance ?? []).slice(0, 3).map((f) => f.name),
    },
    simulation_rows: rows,
    split_warning: activeSplit && activeSplit.id !== model.split_id
      ? `The active split (${activeSplit.id.slice(0, 8)}) is not the one this model was ` +
        `trained on (${model.split_id.slice(0, 8)}): the replay uses the ` +
        (split?.id === activeSplit.id ? "active split's" : "model's own split's") +
        " simulation window. Train again to match the active split."
      : null,
    blocked: rows === null
      ? "No split of the model's dataset is available: split the data first."
      : rows === 0
      ? "The simulation window of the split has no rows: choose another window."
      : null,
    task,
    packets,
    summary,
    defaults,
  };
}
