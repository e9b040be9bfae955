/**
 * Drift panel: the overall flag and the features that drifted (PSI ≥ 0.1), with their PSI and
 * missing-share change, worst first; the thresholds in words. Used on the split (datasets) page
 * for the simulation window and on the simulation page for the rows replayed so far. Pure.
 *
 * @example
 * ```tsx
 * <DriftPanel drift={summary.drift} what="the rows replayed so far" />
 * ```
 *
 * @module
 */
import { fmtInt, fmtNum } from "../lib/ui/format.ts";
import { fmtSigned } from "../lib/ui/explanation_view.ts";
import type { DriftReport } from "../lib/ui/types.ts";
import { Card } from "./Card.tsx";
import { StatusPill } from "./StatusPill.tsx";

/** Props of `DriftPanel`. */
export interface DriftPanelProps {
  drift: DriftReport | null | undefined;
  /** What is compared with the training window, in words. */
  what: string;
  headingId?: string;
  /** Drifted features listed at most. */
  limit?: number;
  /** An island's marks (`useIslandMarks`) when the panel is its top-level card. */
  marks?: { island: string; hydrated: boolean };
}

const FLAG_TEXT: Record<DriftReport["status"], string> = {
  stable: "stable",
  watch: "watch",
  drift: "drift",
  insufficient: "too few rows",
};

/** The card (a short note when there is no drift report). */
export function DriftPanel(
  { drift, what, headingId = "drift-panel", limit = 20, marks }: DriftPanelProps,
) {
  if (!drift) {
    return (
      <Card heading="Drift" headingId={headingId} {...marks}>
        <p class="qc-muted">No drift report yet.</p>
      </Card>
    );
  }
  const drifted = drift.features.filter((f) => f.status !== "stable");
  const t = drift.thresholds;
  return (
    <Card
      heading="Drift"
      headingId={headingId}
      {...marks}
      aside={<StatusPill status={drift.status.toUpperCase()} label={FLAG_TEXT[drift.status]} />}
    >
      <p class="qc-muted qc-small" data-drift-status={drift.status}>
        {what} ({fmtInt(drift.compared_rows)} rows) against the training window (
        {fmtInt(drift.reference_rows)}{" "}
        rows): population stability index per feature over the training deciles, missing values as
        their own bin. PSI ≥ {fmtNum(t.watch, 2)} watch, ≥ {fmtNum(t.drift, 2)}{" "}
        drift{drift.status === "insufficient"
          ? `; under ${fmtInt(t.min_rows)} rows the flag waits for more data.`
          : "."}
      </p>
      {drifted.length === 0
        ? (
          <p data-drift-none>
            No feature drifted: PSI below {fmtNum(t.watch, 2)} for all{" "}
            {fmtInt(drift.features.length)}.
          </p>
        )
        : (
          <table class="qc-table qc-table-compact" data-drift-table>
            <caption>
              {fmtInt(drifted.length)} of {fmtInt(drift.features.length)} features drifted
            </caption>
            <thead>
              <tr>
                <th scope="col">Feature</th>
                <th scope="col" class="qc-num">PSI</th>
                <th scope="col">Flag</th>
                <th scope="col" class="qc-num">Missing share change</th>
              </tr>
            </thead>
            <tbody>
              {drifted.slice(0, limit).map((f) => (
                <tr key={f.feature}>
                  <th scope="row">
                    <code>{f.feature}</code>
                  </th>
                  <td class="qc-num">{fmtNum(f.psi, 3)}</td>
                  <td class={`qc-drift-${f.status}`}>{f.status}</td>
                  <td class="qc-num">
                    {fmtSigned(f.missing_change * 100, 1)} pts
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </Card>
  );
}

export default DriftPanel;
