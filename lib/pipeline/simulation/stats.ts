/**
 * Pure pieces of the simulation replay: running statistics, the contract packet of one row and
 * its number/time formatting. No KV, no timers — unit-testable in isolation.
 *
 * @example
 * ```ts
 * const stats = emptyStats();
 * const { packet } = buildPacket(stats, {
 *   index: 0, totalRows: 10, pFail: 0.0011, threshold: 0.5, timestampMs: Date.now(),
 *   id: 28812, topFeatures: [["L0_S0_F0", 0.094]], actual: 0,
 * });
 * ```
 *
 * @module
 */
import type { PacketExplanation, SimConfusion, SimPacket } from "./packet_types.ts";

/** Running totals over the replayed rows (kept in the task checkpoint to resume exactly). */
export interface RunningStats {
  total: number;
  pass: number;
  fail: number;
  /** Σ quality_score (rounded values, so the mean equals the mean of what was shown). */
  sum_quality: number;
  true_positives: number;
  false_positives: number;
  true_negatives: number;
  false_negatives: number;
}

/** Zero totals. */
export function emptyStats(): RunningStats {
  return {
    total: 0,
    pass: 0,
    fail: 0,
    sum_quality: 0,
    true_positives: 0,
    false_positives: 0,
    true_negatives: 0,
    false_negatives: 0,
  };
}

/** Round to 2 decimals (the contract example's precision: `99.89`). */
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * The shortest decimal that reads back as the same float32: the column table stores Float32, so
 * `-0.052` in the CSV is `-0.05200000107…` as a double; this gives back `-0.052`. NaN → null.
 */
export function float32ToJson(x: number): number | null {
  if (!Number.isFinite(x)) return null;
  const f = Math.fround(x);
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(f.toPrecision(p));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}

/** ISO-8601 UTC like the contract example (`2025-01-06T00:02:00Z`): millis only when non-zero. */
export function isoSeconds(ms: number): string {
  if (!Number.isFinite(ms)) return "";
  const iso = new Date(ms).toISOString();
  return iso.endsWith(".000Z") ? iso.slice(0, -5) + "Z" : iso;
}

/** `SAMPLE_<Id>` with the Id as integer text (`28812`, not `28812.0`). */
export function sampleId(id: number): string {
  if (!Number.isFinite(id)) return "SAMPLE_unknown";
  return `SAMPLE_${Number.isInteger(id) ? BigInt(id).toString() : String(id)}`;
}

/** Inputs of one packet. */
export interface RowInput {
  index: number;
  totalRows: number;
  /** P(fail) from the model. */
  pFail: number;
  /** Decision threshold on P(fail): "Fail" when `pFail >= threshold`. */
  threshold: number;
  timestampMs: number;
  id: number;
  /** `[name, value]` of the top features in importance order (NaN = missing). */
  topFeatures: [string, number][];
  /** True Response (0/1) or null when unknown. */
  actual: 0 | 1 | null;
  /** The row's explanation (TreeSHAP top contributions); null/absent when not explained. */
  explanation?: PacketExplanation | null;
}

/**
 * Fold one row into `stats` (mutated) and return its contract packet.
 * `quality_score` = P(pass) × 100 (2 decimals), `confidence` = quality_score (as the old
 * service), `average_confidence` = running mean of quality_score (2 decimals). Extra keys the
 * .NET backend passes through: `p_fail` (unrounded P(fail)) and `explanation` (or null).
 */
export function buildPacket(stats: RunningStats, row: RowInput): { packet: SimPacket } {
  const quality = round2((1 - row.pFail) * 100);
  const fail = row.pFail >= row.threshold;
  stats.total++;
  if (fail) stats.fail++;
  else stats.pass++;
  stats.sum_quality += quality;
  if (row.actual !== null) {
    if (fail && row.actual === 1) stats.true_positives++;
    else if (fail) stats.false_positives++;
    else if (row.actual === 1) stats.false_negatives++;
    else stats.true_negatives++;
  }
  const top: Record<string, number | null> = {};
  for (const [name, value] of row.topFeatures) top[name] = float32ToJson(value);
  return {
    packet: {
      current_row_index: row.index,
      total_rows: row.totalRows,
      quality_score: quality,
      live_prediction: {
        timestamp: isoSeconds(row.timestampMs),
        sample_id: sampleId(row.id),
        prediction: fail ? "Fail" : "Pass",
        confidence: quality,
        top_features: top,
      },
      live_stats: {
        total_predictions: stats.total,
        pass_count: stats.pass,
        fail_count: stats.fail,
        average_confidence: averageConfidence(stats),
      },
      p_fail: row.pFail,
      explanation: row.explanation ?? null,
    },
  };
}

/** Running mean of quality_score, 2 decimals (0 before any row). */
export function averageConfidence(stats: RunningStats): number {
  return stats.total ? round2(stats.sum_quality / stats.total) : 0;
}

/** The confusion matrix part of the stats (positive class = fail). */
export function confusionOf(stats: RunningStats): SimConfusion {
  return {
    true_positives: stats.true_positives,
    false_positives: stats.false_positives,
    true_negatives: stats.true_negatives,
    false_negatives: stats.false_negatives,
  };
}

/** Share of labelled rows predicted correctly, or null when none. */
export function accuracyOf(stats: RunningStats): number | null {
  const n = stats.true_positives + stats.false_positives + stats.true_negatives +
    stats.false_negatives;
  return n ? (stats.true_positives + stats.true_negatives) / n : null;
}
