/**
 * A TreeSHAP explanation as a small signed bar chart (plain HTML/CSS): one row per listed
 * feature with its value, a bar to the right (towards Fail, red) or left (towards Pass, green) of
 * the axis scaled to the largest |contribution|, and the signed contribution in log-odds. Pure.
 *
 * @example
 * ```tsx
 * <ExplanationBars explanation={packet.explanation} />
 * ```
 *
 * @module
 */
import { DASH, fmtNum } from "../../lib/ui/format.ts";
import { explanationBars, fmtSigned } from "../../lib/ui/explanation_view.ts";
import type { PacketExplanation } from "../../lib/ui/types.ts";

/** Props of `ExplanationBars`. */
export interface ExplanationBarsProps {
  explanation: PacketExplanation | null | undefined;
  /** Table caption; none when omitted (compact, inside the fail log). */
  caption?: string;
  /** Hide the feature values column (compact). */
  compact?: boolean;
}

/** The chart, or a short note when the row has no explanation. */
export function ExplanationBars({ explanation, caption, compact = false }: ExplanationBarsProps) {
  if (!explanation) return <p class="qc-muted qc-small">No explanation for this row.</p>;
  const bars = explanationBars(explanation);
  return (
    <table class={`qc-shap${compact ? " qc-shap-compact" : ""}`} data-explanation>
      {caption && <caption>{caption}</caption>}
      {!compact && (
        <thead>
          <tr>
            <th scope="col">Feature</th>
            <th scope="col" class="qc-num">Value</th>
            <th scope="col">
              <span class="qc-shap-dir">← Pass</span> contribution{" "}
              <span class="qc-shap-dir">Fail →</span>
            </th>
          </tr>
        </thead>
      )}
      <tbody>
        {bars.map((b) => {
          const towardsFail = b.contribution > 0;
          return (
            <tr key={b.feature} data-contribution={b.contribution}>
              <th scope="row">
                <code>{b.feature}</code>
              </th>
              {!compact && (
                <td class="qc-num">
                  {b.value === null ? `${DASH} (missing)` : fmtNum(b.value, 4)}
                </td>
              )}
              <td class="qc-shap-cell">
                <span class="qc-shap-track" aria-hidden="true">
                  <span
                    class={`qc-shap-bar ${towardsFail ? "qc-shap-fail" : "qc-shap-pass"}`}
                    style={{
                      width: `${(b.share * 50).toFixed(1)}%`,
                      [towardsFail ? "left" : "right"]: "50%",
                    }}
                  />
                </span>
                <span class="qc-shap-value">{fmtSigned(b.contribution)}</span>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export default ExplanationBars;
