/**
 * The simulation's records: the contract packet, what is stored per row, and the summary.
 * Types only, so both the KV layer (`packets.ts`) and the in-process bus (`packet_bus.ts`) can
 * name them without importing each other.
 *
 * @module
 */
import type { DriftReport } from "../split/drift.ts";

/** One listed contribution: feature name, the row's value (null = missing), margin units. */
export interface ExplainedFeature {
  feature: string;
  value: number | null;
  contribution: number;
}

/** A packet's `explanation` key (built by `explanation.ts` from the scorer's TreeSHAP values). */
export interface PacketExplanation {
  margin: number;
  bias: number;
  top: ExplainedFeature[];
}

/** The contract's live prediction (CONTRACT.md §4). */
export interface LivePrediction {
  timestamp: string;
  sample_id: string;
  prediction: "Pass" | "Fail";
  confidence: number;
  /** Values of the model's 3 most important features for this row; missing → null. */
  top_features: Record<string, number | null>;
}

/** The contract's running statistics. */
export interface LiveStats {
  total_predictions: number;
  pass_count: number;
  fail_count: number;
  average_confidence: number;
}

/** One contract packet: the task's `progress` during the replay. */
export interface SimPacket {
  current_row_index: number;
  total_rows: number;
  quality_score: number;
  live_prediction: LivePrediction;
  live_stats: LiveStats;
  /** Extra (issue 12): unrounded P(fail). Absent in packets stored before it existed. */
  p_fail?: number;
  /** Extra (issue 12): TreeSHAP explanation of the row, null when the model has none. */
  explanation?: PacketExplanation | null;
}

/** What is stored per row: the contract packet plus what tests, benches and summaries need. */
export interface SimPacketRecord {
  seq: number;
  packet: SimPacket;
  /** Unrounded P(fail) from the ONNX session. */
  p_fail: number;
  /** The row's true `Response` (0 pass, 1 fail), or null when unknown. */
  actual: 0 | 1 | null;
  /** Wall-clock ms when the packet was produced. */
  emitted_at: number;
}

/** Confusion matrix of the replayed predictions against the true `Response` (positive = fail). */
export interface SimConfusion {
  true_positives: number;
  false_positives: number;
  true_negatives: number;
  false_negatives: number;
}

/** Summary of one simulation (running while it replays, final afterwards). */
export interface SimSummary {
  task_id: string;
  model_id: string;
  split_id: string;
  dataset_id: string;
  /** Celery-style state at the time of writing (PROGRESS until final). */
  status: string;
  final: boolean;
  total_rows: number;
  processed: number;
  pass_count: number;
  fail_count: number;
  /** pass_count / processed (0 when nothing processed). */
  pass_rate: number;
  /** Running mean of quality_score, 2 decimals. */
  average_confidence: number;
  /** Decision threshold on P(fail) used for `prediction`. */
  threshold: number;
  confusion_matrix: SimConfusion;
  /** Share of rows whose prediction matched the true Response (null before any row). */
  accuracy: number | null;
  rows_per_second: number;
  started_at: string;
  updated_at: string;
  finished_at: string | null;
  /**
   * Extra (issue 12): drift of the rows replayed so far against the training window's bins
   * (lib/pipeline/split/drift.ts); null when the split has no drift bins.
   */
  drift?: DriftReport | null;
}
