/**
 * The running statistics of a simulation: rows replayed of all, predictions, passes, fails and
 * the average confidence (from the newest packet, else the summary).
 *
 * @example
 * ```tsx
 * <RunningStats latest={feed.latest} summary={feed.summary} simulationRows={2170} />
 * ```
 *
 * @module
 */
import { fmtInt, fmtNum } from "../../lib/ui/format.ts";
import { rowsReplayed, runningCounts } from "../../lib/ui/simulation_view.ts";
import type { SimPacket, SimSummary } from "../../lib/ui/types.ts";
import { Card } from "../Card.tsx";
import { MetricCard } from "../MetricCard.tsx";
import { ProgressBar } from "../ProgressBar.tsx";

/** Props of `RunningStats`. */
export interface RunningStatsProps {
  latest: SimPacket | null;
  summary: SimSummary | null;
  /** Rows of the simulation window as the page knew them. */
  simulationRows: number | null;
}

/** The card. */
export function RunningStats({ latest, summary, simulationRows }: RunningStatsProps) {
  const { done, total } = rowsReplayed(latest, summary, simulationRows);
  const counts = runningCounts(latest, summary);
  return (
    <Card heading="Running statistics" headingId="sim-stats" class="qc-stats">
      <ProgressBar
        label="Rows replayed"
        value={done}
        max={total ?? 1}
        text={`${fmtInt(done)} / ${fmtInt(total)}`}
      />
      <div class="qc-metrics qc-metrics-small">
        <MetricCard label="Predictions" value={fmtInt(counts.predictions)} />
        <MetricCard label="Pass" value={fmtInt(counts.pass)} tone="good" />
        <MetricCard label="Fail" value={fmtInt(counts.fail)} tone="bad" />
        <MetricCard label="Avg confidence" value={fmtNum(counts.averageConfidence, 2)} />
      </div>
    </Card>
  );
}

export default RunningStats;
