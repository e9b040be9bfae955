/**
 * The newest packet: Pass / Fail with its confidence, the sample, its time and quality score,
 * and the values of the row's top features.
 *
 * @example
 * ```tsx
 * <CurrentPrediction latest={feed.latest} />
 * ```
 *
 * @module
 */
import { DASH, fmtDateTime, fmtNum } from "../../lib/ui/format.ts";
import { verdictTone } from "../../lib/ui/simulation_view.ts";
import type { SimPacket } from "../../lib/ui/types.ts";
import { Card } from "../Card.tsx";

/** Props of `CurrentPrediction`. */
export interface CurrentPredictionProps {
  /** The newest packet, null before the first. */
  latest: SimPacket | null;
}

/** The card. */
export function CurrentPrediction({ latest }: CurrentPredictionProps) {
  const pred = latest?.live_prediction;
  return (
    <Card heading="Current prediction" headingId="sim-current" class="qc-current" live="off">
      {pred && latest
        ? (
          <>
            <div class={`qc-verdict qc-verdict-${verdictTone(pred.prediction)}`}>
              <span class="qc-verdict-label">{pred.prediction}</span>
              <span class="qc-verdict-score">{fmtNum(pred.confidence, 2)}</span>
              <span class="qc-verdict-unit">confidence</span>
            </div>
            <dl class="qc-facts qc-facts-tight">
              <dt>Sample</dt>
              <dd>
                <code>{pred.sample_id}</code>
              </dd>
              <dt>Timestamp</dt>
              <dd>{fmtDateTime(pred.timestamp)}</dd>
              <dt>Quality score</dt>
              <dd>{fmtNum(latest.quality_score, 2)}</dd>
            </dl>
            <table class="qc-table qc-table-compact">
              <caption>Top features of this row</caption>
              <tbody>
                {Object.entries(pred.top_features ?? {}).map(([name, v]) => (
                  <tr key={name}>
                    <th scope="row">
                      <code>{name}</code>
                    </th>
                    <td class="qc-num">{v === null ? DASH : fmtNum(v, 4)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )
        : <p class="qc-muted">Waiting for the first packet…</p>}
    </Card>
  );
}

export default CurrentPrediction;
