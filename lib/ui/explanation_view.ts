/**
 * What the explanation and fail-log components show, derived from packets and fail-log pages:
 * the signed bars of a TreeSHAP explanation, the verdict in probability terms (P(fail) for a
 * Fail, P(pass) for a Pass), and the merging of fail-log pages. Pure (no Preact, no requests).
 *
 * @example
 * ```ts
 * explanationBars(packet.explanation!); // [{ feature, value, contribution, share: 1 }, …]
 * verdictProbability(packet);           // { label: "P(fail)", value: 0.84 }
 * ```
 *
 * @module
 */
import type { FailureRecord, PacketExplanation, SimPacket } from "./types.ts";

/** One bar: the contribution and its length as a share (0–1) of the largest |contribution|. */
export interface ExplanationBar {
  feature: string;
  value: number | null;
  contribution: number;
  share: number;
}

/** The explanation's listed contributions as bars (largest |contribution| = share 1). */
export function explanationBars(explanation: PacketExplanation): ExplanationBar[] {
  const max = Math.max(0, ...explanation.top.map((c) => Math.abs(c.contribution)));
  return explanation.top.map((c) => ({
    feature: c.feature,
    value: c.value,
    contribution: c.contribution,
    share: max > 0 ? Math.abs(c.contribution) / max : 0,
  }));
}

/** A signed number with its sign always shown: `+0.612`, `−0.050`. */
export function fmtSigned(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return "—";
  const s = Math.abs(x).toFixed(digits);
  return x > 0 ? `+${s}` : x < 0 ? `−${s}` : s;
}

/**
 * P(fail) of a packet: its `p_fail`, or (packets without it) from the quality score, which is
 * P(pass) × 100 rounded to 2 decimals.
 */
export function packetPFail(packet: SimPacket): number {
  return typeof packet.p_fail === "number" ? packet.p_fail : 1 - packet.quality_score / 100;
}

/** The verdict's probability: P(fail) for a Fail, P(pass) for a Pass — the verdict's own. */
export function verdictProbability(packet: SimPacket): { label: string; value: number } {
  const pFail = packetPFail(packet);
  return packet.live_prediction.prediction === "Fail"
    ? { label: "P(fail)", value: pFail }
    : { label: "P(pass)", value: 1 - pFail };
}

/** The fail-log rows shown at most (the CSV export has them all). */
export const FAIL_LOG_ROWS = 100;

/** `existing` and `incoming` failures, one per row, newest (highest row) first, capped. */
export function mergeFailures(
  existing: readonly FailureRecord[],
  incoming: readonly FailureRecord[],
  cap = FAIL_LOG_ROWS,
): FailureRecord[] {
  const byRow = new Map<number, FailureRecord>();
  for (const f of existing) byRow.set(f.row, f);
  for (const f of incoming) byRow.set(f.row, f);
  return [...byRow.values()].sort((a, b) => b.row - a.row).slice(0, cap);
}
