/**
 * The rolling quality-score chart of the replayed rows with the decision threshold.
 *
 * @example
 * ```tsx
 * <QualityChart points={feed.points} qualityLine={qualityLine(0.04)} />
 * ```
 *
 * @module
 */
import { useMemo } from "preact/hooks";
import { qualityScoreChart } from "../../lib/ui/charts.ts";
import type { QualityPoint } from "../../lib/ui/live_buffer.ts";
import { CHART_POINTS } from "../../lib/ui/simulation_view.ts";
import { Card } from "../Card.tsx";
import { ChartCanvas } from "../ChartCanvas.tsx";

/** Props of `QualityChart`. */
export interface QualityChartProps {
  /** The buffered points (a new array when they change). */
  points: QualityPoint[];
  /** The threshold on the quality-score scale. */
  qualityLine: number;
}

/** The chart in words: rows shown, score range, predicted fails, the threshold line. */
function qualitySummary(points: QualityPoint[], qualityLine: number): string {
  const ys = points.map((p) => p.y);
  const fails = points.filter((p) => p.fail).length;
  return `Rows ${points[0].x}–${points[points.length - 1].x}: quality score ${
    Math.min(...ys).toFixed(1)
  }–${Math.max(...ys).toFixed(1)} of 100, ${fails} predicted ${
    fails === 1 ? "fail" : "fails"
  }; fail below ${qualityLine.toFixed(1)}.`;
}

/** The card. */
export function QualityChart({ points, qualityLine }: QualityChartProps) {
  const config = useMemo(() => qualityScoreChart(points, qualityLine), [points, qualityLine]);
  return (
    <Card heading={`Quality score (last ${CHART_POINTS} rows)`} headingId="sim-chart">
      {points.length > 0
        ? (
          <ChartCanvas
            label="Quality score per replayed row with the decision threshold"
            config={config}
            height={260}
            summary={qualitySummary(points, qualityLine)}
          />
        )
        : <p class="qc-muted">The chart starts with the first packet.</p>}
    </Card>
  );
}

export default QualityChart;
