/**
 * The newest packet: the verdict with its own probability (P(fail) for a Fail, P(pass) for a
 * Pass, labelled), the sample, its time and quality score, and why: the row's largest TreeSHAP
 * contributions as signed bars.
 *
 * @example
 * ```tsx
 * <CurrentPrediction latest={feed.latest} threshold={0.35} />
 * ```
 *
 * @module
 */
import { fmtDateTime, fmtNum, fmtPct } from "../../lib/ui/format.ts";
import { verdictTone } from "../../lib/ui/simulation_view.ts";
import { verdictProbability } from "../../lib/ui/explanation_view.ts";
import { thresholdText } from "../../lib/ui/qc_figures.ts";
import type { SimPacket } from "../../lib/ui/types.ts";
import { Card } from "../Card.tsx";
import { ExplanationBars } from "./ExplanationBars.tsx";

/** Props of `CurrentPrediction`. */
export interface CurrentPredictionProps {
  /** The newest packet, null before the first. */
  latest: SimPacket | null;
  /** The decision threshold on P(fail), when known. */
  threshold?: number | null;
}

/** The card. */
export function CurrentPrediction({ latest, threshold }: CurrentPredictionProps) {
  const pred = latest?.live_prediction;
  const prob = latest ? verdictProbability(latest) : null;
  return (
    <Card heading="Current prediction" headingId="sim-current" class="qc-current" live="off">
      {pred && latest && prob
        ? (
          <>
            <div class={`qc-verdict qc-verdict-${verdictTone(pred.prediction)}`}>
              <span class="qc-verdict-label">{pred.prediction}</span>
              <span class="qc-verdict-unit">{prob.label}</span>
              <span class="qc-verdict-score" data-verdict-probability>
                {fmtPct(prob.value, 1)}
              </span>
            </div>
            <dl class="qc-facts qc-facts-tight">
              <dt>Sample</dt>
              <dd>
                <code>{pred.sample_id}</code>
              </dd>
              <dt>Timestamp</dt>
              <dd>{fmtDateTime(pred.timestamp)}</dd>
              <dt>Quality score</dt>
              <dd>{fmtNum(latest.quality_score, 2)} (P(pass) × 100)</dd>
              {threshold !== undefined && threshold !== null && (
                <>
                  <dt>Called Fail at</dt>
                  <dd>{thresholdText(threshold)}</dd>
                </>
              )}
            </dl>
            <ExplanationBars
              explanation={latest.explanation}
              caption="Why: the row's top 5 contributions (log-odds; + towards Fail)"
            />
          </>
        )
        : <p class="qc-muted">Waiting for the first packet…</p>}
    </Card>
  );
}

export default CurrentPrediction;
