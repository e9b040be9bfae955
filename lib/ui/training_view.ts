/**
 * What the training panel shows about one trained model, built either from a finished training
 * task's `result` or from a stored model record (plus its `curves.json`), so the panel renders
 * the same thing right after training and after a page reload.
 *
 * @example
 * ```ts
 * const view = viewFromResult(status.result);          // just trained
 * const view2 = viewFromModel(model, await curvesJson); // from GET /models/{id}
 * ```
 *
 * @module
 */
import type { ChartPoint, ModelRecord, TrainResult } from "./types.ts";

/** Curves by name (x = round). */
export interface TrainingCurves {
  train_loss: ChartPoint[];
  train_accuracy: ChartPoint[];
  validation_loss?: ChartPoint[];
  validation_accuracy?: ChartPoint[];
}

/** A model's results as the panel shows them. */
export interface TrainingView {
  model_id: string | null;
  /** The dataset and split the model was trained on (null when not known, e.g. a task result). */
  dataset_id: string | null;
  split_id: string | null;
  created_at: string | null;
  metrics: {
    accuracy: number;
    precision: number;
    recall: number;
    f1_score: number;
    mcc: number | null;
    auc_roc: number | null;
    threshold: number | null;
  };
  confusion: {
    true_positives: number;
    false_positives: number;
    true_negatives: number;
    false_negatives: number;
  };
  /** Null when not loaded yet (fetch `curves.json`). */
  curves: TrainingCurves | null;
  importance: { name: string; importance: number }[];
  best_iteration: number | null;
  rounds_trained: number | null;
  n_train: number | null;
  n_test: number | null;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function points(v: unknown): ChartPoint[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.filter((p): p is ChartPoint =>
    !!p && typeof p === "object" && typeof (p as ChartPoint).x === "number" &&
    typeof (p as ChartPoint).y === "number"
  );
}

/** Curves from a `training_chart` or `curves.json` object; null when it has none. */
export function curvesFrom(raw: unknown): TrainingCurves | null {
  if (!raw || typeof raw !== "object") return null;
  const r = raw as Record<string, unknown>;
  const train_loss = points(r.train_loss);
  const train_accuracy = points(r.train_accuracy);
  if (!train_loss && !train_accuracy) return null;
  const out: TrainingCurves = {
    train_loss: train_loss ?? [],
    train_accuracy: train_accuracy ?? [],
  };
  const vl = points(r.validation_loss);
  const va = points(r.validation_accuracy);
  if (vl?.length) out.validation_loss = vl;
  if (va?.length) out.validation_accuracy = va;
  return out;
}

/** The view of a training task's SUCCESS result. */
export function viewFromResult(r: TrainResult): TrainingView {
  return {
    model_id: r.model_id ?? null,
    dataset_id: null,
    split_id: null,
    created_at: null,
    metrics: {
      accuracy: r.metrics.accuracy,
      precision: r.metrics.precision,
      recall: r.metrics.recall,
      f1_score: r.metrics.f1_score,
      mcc: num(r.mcc),
      auc_roc: num(r.auc_roc),
      threshold: num(r.threshold),
    },
    confusion: { ...r.confusion_matrix },
    curves: curvesFrom(r.training_chart),
    importance: r.feature_importance ?? [],
    best_iteration: num(r.best_iteration),
    rounds_trained: num(r.rounds_trained),
    n_train: num(r.n_train),
    n_test: num(r.n_test),
  };
}

/** The view of a stored model (`curves` = parsed `curves.json` when available). */
export function viewFromModel(
  m: ModelRecord,
  curves: unknown = null,
  topFeatures = 20,
): TrainingView {
  return {
    model_id: m.id,
    dataset_id: m.dataset_id ?? null,
    split_id: m.split_id ?? null,
    created_at: m.created_at,
    metrics: {
      accuracy: m.metrics.accuracy,
      precision: m.metrics.precision,
      recall: m.metrics.recall,
      f1_score: m.metrics.f1_score,
      mcc: num(m.metrics.mcc),
      auc_roc: num(m.metrics.auc_roc),
      threshold: num(m.threshold),
    },
    confusion: { ...m.metrics.confusion_matrix },
    curves: curvesFrom(curves),
    importance: (m.importance ?? []).slice(0, topFeatures),
    best_iteration: num(m.best_iteration),
    rounds_trained: num(m.rounds_trained),
    n_train: num(m.n_train),
    n_test: num(m.n_test),
  };
}

/**
 * The learning curves in words (the chart's text fallback): first and last round of each
 * series, e.g. "Rounds 0–57. Training log loss 0.652 → 0.211; validation 0.655 → 0.302."
 */
export function curvesSummary(
  train: ChartPoint[],
  valid: ChartPoint[] | undefined,
  what: string,
  digits = 3,
  best: number | null = null,
): string {
  if (train.length === 0) return `No ${what} values yet.`;
  const f = (v: number) => v.toFixed(digits);
  const span = (pts: ChartPoint[]) => `${f(pts[0].y)} → ${f(pts[pts.length - 1].y)}`;
  const first = train[0].x;
  const last = train[train.length - 1].x;
  const rounds = first === last ? `Round ${first}.` : `Rounds ${first}–${last}.`;
  const parts = [`${rounds} Training ${what} ${span(train)}`];
  if (valid?.length) parts.push(`validation ${span(valid)}`);
  const bestText = best !== null ? ` Best round ${best}.` : "";
  return `${parts.join("; ")}.${bestText}`;
}
