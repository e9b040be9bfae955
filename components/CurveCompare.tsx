/**
 * Two learning curves on one small SVG chart (server-rendered, no chart library): x = boosting
 * round, y = the metric, one polyline per model, with the axis ranges written out and a legend.
 * Pure.
 *
 * @example
 * ```tsx
 * <CurveCompare title="Validation log loss" a={va.validation_loss} b={vb.validation_loss} />
 * ```
 *
 * @module
 */
import { fmtInt, fmtNum } from "../lib/ui/format.ts";
import type { ChartPoint } from "../lib/ui/types.ts";

/** Props of `CurveCompare`. */
export interface CurveCompareProps {
  title: string;
  a: ChartPoint[] | undefined;
  b: ChartPoint[] | undefined;
  labels?: [string, string];
}

const W = 420, H = 200, PAD = 8;
const COLORS = ["#2563eb", "#d97706"];

/** The chart (a note when neither model has the curve). */
export function CurveCompare({ title, a, b, labels = ["A", "B"] }: CurveCompareProps) {
  const series = [a ?? [], b ?? []];
  const all = series.flat();
  if (all.length === 0) return <p class="qc-muted">{title}: not available.</p>;
  const xMax = Math.max(...all.map((p) => p.x), 1);
  const xMin = Math.min(...all.map((p) => p.x));
  const yMin = Math.min(...all.map((p) => p.y));
  const yMax = Math.max(...all.map((p) => p.y));
  const sx = (x: number) => PAD + ((x - xMin) / Math.max(1e-12, xMax - xMin)) * (W - 2 * PAD);
  const sy = (y: number) => H - PAD - ((y - yMin) / Math.max(1e-12, yMax - yMin)) * (H - 2 * PAD);
  return (
    <figure class="qc-curve-compare" data-curve={title}>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${title}: ${labels[0]} and ${labels[1]} per boosting round`}
        style={{ width: "100%", maxWidth: `${W}px`, border: "1px solid var(--qc-border)" }}
      >
        {series.map((s, i) =>
          s.length > 0 && (
            <polyline
              key={i}
              fill="none"
              stroke={COLORS[i]}
              stroke-width="2"
              stroke-dasharray={i === 1 ? "6 3" : undefined}
              points={s.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(" ")}
            />
          )
        )}
      </svg>
      <figcaption class="qc-small">
        {title}: rounds {fmtInt(xMin)}–{fmtInt(xMax)}, values {fmtNum(yMin, 4)}–{fmtNum(yMax, 4)}.
        {" "}
        <span style={{ color: COLORS[0] }}>━ {labels[0]}</span>{" "}
        <span style={{ color: COLORS[1] }}>┅ {labels[1]}</span>
      </figcaption>
    </figure>
  );
}

export default CurveCompare;
