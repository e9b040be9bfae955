/**
 * The figures a QC operator reads first, from a confusion matrix (positive = Fail): failures
 * caught of all failures, false alarms per 1,000 parts, and the accuracy of calling every part a
 * pass (the baseline any accuracy must beat on a line where few parts fail). Pure.
 *
 * @example
 * ```ts
 * const qc = qcFigures({ true_positives: 76, false_negatives: 131, false_positives: 175,
 *   true_negatives: 8252 });
 * qc.caught;           // 76 (of qc.failures = 207)
 * qc.falseAlarmsPer1000; // 20.27
 * qc.allPassAccuracy;  // 0.976
 * ```
 *
 * @module
 */

/** A confusion matrix (contract field names). */
export interface QcConfusion {
  true_positives: number;
  false_positives: number;
  true_negatives: number;
  false_negatives: number;
}

/** The QC figures of one confusion matrix. */
export interface QcFigures {
  /** Failures the model flagged (true positives). */
  caught: number;
  /** All actual failures. */
  failures: number;
  /** Parts judged. */
  parts: number;
  /** Passing parts flagged as Fail. */
  falseAlarms: number;
  /** False alarms per 1,000 parts judged (null with no parts). */
  falseAlarmsPer1000: number | null;
  /** Accuracy of predicting Pass for every part (null with no parts). */
  allPassAccuracy: number | null;
  /** The model's accuracy (null with no parts). */
  accuracy: number | null;
}

/** The figures of `cm`. */
export function qcFigures(cm: QcConfusion): QcFigures {
  const tp = cm.true_positives, fp = cm.false_positives;
  const tn = cm.true_negatives, fn = cm.false_negatives;
  const parts = tp + fp + tn + fn;
  return {
    caught: tp,
    failures: tp + fn,
    parts,
    falseAlarms: fp,
    falseAlarmsPer1000: parts ? (fp / parts) * 1000 : null,
    allPassAccuracy: parts ? (tn + fp) / parts : null,
    accuracy: parts ? (tp + tn) / parts : null,
  };
}

/**
 * The decision threshold in the one unit the UI uses for it everywhere: a P(fail) percentage
 * (`P(fail) ≥ 35.0 %` → the part is called Fail).
 */
export function thresholdText(threshold: number | null | undefined): string {
  if (threshold === null || threshold === undefined || !Number.isFinite(threshold)) return "—";
  return `P(fail) ≥ ${(threshold * 100).toFixed(1)} %`;
}
