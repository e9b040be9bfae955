/**
 * The summary of a finished simulation: rows replayed, pass rate, average confidence, accuracy
 * against the true `Response`, timing, and the confusion matrix of the replayed predictions.
 *
 * @example
 * ```tsx
 * {summary?.final && <SimulationSummary summary={summary} />}
 * ```
 *
 * @module
 */
import { thresholdText } from "../../lib/ui/qc_figures.ts";
import { fmtDateTime, fmtInt, fmtNum, fmtPct, fmtRate } from "../../lib/ui/format.ts";
import type { SimSummary } from "../../lib/ui/types.ts";
import { Card } from "../Card.tsx";
import { ConfusionMatrix } from "../ConfusionMatrix.tsx";
import { MetricCard } from "../MetricCard.tsx";
import { StatusPill } from "../StatusPill.tsx";

/** Props of `SimulationSummary`. */
export interface SimulationSummaryProps {
  summary: SimSummary;
}

/** The card. */
export function SimulationSummary({ summary }: SimulationSummaryProps) {
  return (
    <Card
      heading="Summary"
      headingId="sim-summary"
      aside={<StatusPill status={summary.status} />}
    >
      <div class="qc-two">
        <div>
          <div class="qc-metrics qc-metrics-small">
            <MetricCard
              label="Rows replayed"
              value={`${fmtInt(summary.processed)} / ${fmtInt(summary.total_rows)}`}
            />
            <MetricCard label="Pass rate" value={fmtPct(summary.pass_rate, 2)} />
            <MetricCard label="Avg confidence" value={fmtNum(summary.average_confidence, 2)} />
            <MetricCard label="Accuracy vs actual" value={fmtPct(summary.accuracy, 2)} />
          </div>
          <p class="qc-muted qc-small">
            Started {fmtDateTime(summary.started_at)}
            {summary.finished_at ? `, ended ${fmtDateTime(summary.finished_at)}` : ""} ·{" "}
            {fmtRate(summary.rows_per_second)} · Fail when {thresholdText(summary.threshold)}
          </p>
        </div>
        <ConfusionMatrix
          matrix={summary.confusion_matrix}
          caption="Replayed predictions vs. actual Response"
        />
      </div>
    </Card>
  );
}

export default SimulationSummary;
