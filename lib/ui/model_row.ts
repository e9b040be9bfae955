/**
 * The small per-model row the models table shows (island props stay small: a model record
 * carries its whole parameter set and feature list).
 *
 * @module
 */
import type { ModelRecord } from "./types.ts";

/** What the table shows of a model (small enough to send as island props). */
export interface ModelRow {
  id: string;
  created_at: string;
  /** The dataset and split it was trained on. */
  dataset_id: string | null;
  split_id: string | null;
  f1_score: number | null;
  recall: number | null;
  precision: number | null;
  auc_roc: number | null;
  threshold: number | null;
  trees: number | null;
}

/** A model record → table row. */
export function modelRow(m: ModelRecord): ModelRow {
  return {
    id: m.id,
    created_at: m.created_at,
    dataset_id: m.dataset_id ?? null,
    split_id: m.split_id ?? null,
    f1_score: m.metrics?.f1_score ?? null,
    recall: m.metrics?.recall ?? null,
    precision: m.metrics?.precision ?? null,
    auc_roc: m.metrics?.auc_roc ?? null,
    threshold: m.threshold ?? null,
    trees: typeof m.best_iteration === "number" ? m.best_iteration + 1 : null,
  };
}
