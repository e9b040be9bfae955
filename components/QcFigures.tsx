/**
 * The QC figures of a confusion matrix as metric tiles, shown before accuracy: failures caught
 * of all failures, false alarms per 1,000 parts, and the all-pass baseline accuracy next to the
 * model's (so "96.4 %" is read against "97.6 % by calling every part a pass"). Pure (SSR and
 * islands).
 *
 * @example
 * ```tsx
 * <QcFigures matrix={model.metrics.confusion_matrix} />
 * ```
 *
 * @module
 */
import { fmtInt, fmtNum, fmtPct } from "../lib/ui/format.ts";
import { type QcConfusion, qcFigures } from "../lib/ui/qc_figures.ts";
import { MetricCard } from "./MetricCard.tsx";

/** Props of `QcFigures`. */
export interface QcFiguresProps {
  matrix: QcConfusion;
}

/** Three tiles: caught, false alarms, accuracy vs the all-pass baseline. */
export function QcFigures({ matrix }: QcFiguresProps) {
  const qc = qcFigures(matrix);
  const beatsBaseline = qc.accuracy !== null && qc.allPassAccuracy !== null &&
    qc.accuracy > qc.allPassAccuracy;
  return (
    <div class="qc-metrics qc-qc-figures" data-qc-figures>
      <MetricCard
        label="Failures caught"
        value={`${fmtInt(qc.caught)} of ${fmtInt(qc.failures)}`}
        hint={qc.failures
          ? `${fmtPct(qc.caught / qc.failures, 1)} of actual failures`
          : "no failures in the set"}
        tone={qc.caught > 0 ? "good" : "warn"}
      />
      <MetricCard
        label="False alarms"
        value={`${fmtNum(qc.falseAlarmsPer1000, 1)} per 1,000`}
        hint={`${fmtInt(qc.falseAlarms)} good parts flagged of ${fmtInt(qc.parts)}`}
      />
      <MetricCard
        label="All-pass baseline"
        value={fmtPct(qc.allPassAccuracy, 1)}
        hint={`accuracy of calling every part a pass; the model: ${fmtPct(qc.accuracy, 1)}`}
        tone={beatsBaseline ? "neutral" : "warn"}
      />
    </div>
  );
}

export default QcFigures;
