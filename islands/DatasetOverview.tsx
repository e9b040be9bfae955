/**
 * The active dataset's profile: size, classes, time range, excluded text columns, the selected
 * features with their importance, and the rows per day as a bar chart. Refreshes itself when
 * the upload island reports a new READY dataset.
 *
 * @module
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { useIslandMarks } from "../lib/ui/hooks.ts";
import { apiGet, errorText, listen } from "../lib/ui/api_client.ts";
import { fmtBytes, fmtDateTime, fmtInt, fmtPct, shortId } from "../lib/ui/format.ts";
import { COLORS } from "../lib/ui/palette.ts";
import { rowsPerDayChart } from "../lib/ui/charts.ts";
import type { DatasetView } from "../lib/ui/types.ts";
import { Card } from "../components/Card.tsx";
import { ChartCanvas } from "../components/ChartCanvas.tsx";
import { FeatureBars } from "../components/FeatureBars.tsx";
import { StatusPill } from "../components/StatusPill.tsx";
import { Alert, EmptyState } from "../components/Notice.tsx";

/** Props: the active dataset at render time (null = none yet). */
export interface DatasetOverviewProps {
  dataset: DatasetView | null;
}

/** The profile card. */
export default function DatasetOverview(props: DatasetOverviewProps) {
  const island = useIslandMarks("DatasetOverview");
  const [dataset, setDataset] = useState<DatasetView | null>(props.dataset);
  const [error, setError] = useState<string | null>(null);
  const [allFeatures, setAllFeatures] = useState(false);

  useEffect(() =>
    listen("qc:dataset-changed", async () => {
      try {
        setDataset(await apiGet<DatasetView>("/dataset"));
        setError(null);
      } catch (err) {
        setError(errorText(err));
      }
    }), []);

  const days = useMemo(() => Object.entries(dataset?.profile?.rows_per_day ?? {}).sort(), [
    dataset,
  ]);
  const config = useMemo(() => rowsPerDayChart(days, { colour: COLORS.train }), [days]);

  if (!dataset) {
    return (
      <Card
        heading="Active dataset"
        headingId="overview-title"
        {...island}
      >
        {error && <Alert kind="error">{error}</Alert>}
        <EmptyState title="No dataset yet">
          Upload a CSV above. Once its features are selected it becomes the active dataset used by
          splits and training.
        </EmptyState>
      </Card>
    );
  }

  const p = dataset.profile;
  const pass = p?.class_counts?.["0"] ?? 0;
  const fail = p?.class_counts?.["1"] ?? 0;
  const features = dataset.features ?? [];
  return (
    <Card
      heading="Active dataset"
      headingId="overview-title"
      aside={<StatusPill status={dataset.state} />}
      {...island}
    >
      {error && <Alert kind="warning">Could not refresh: {error}</Alert>}
      <p class="qc-muted">
        <strong class="qc-strong">{dataset.filename}</strong> · id{" "}
        <code title={dataset.id}>{shortId(dataset.id)}</code> · {fmtBytes(dataset.bytes)} · uploaded
        {" "}
        {fmtDateTime(dataset.created_at)}
      </p>
      {dataset.state === "FAILED" && (
        <Alert kind="error" title="Processing failed">{dataset.error ?? "Unknown reason."}</Alert>
      )}
      {p
        ? (
          <dl class="qc-facts">
            <dt>Rows</dt>
            <dd>{fmtInt(p.rows)}</dd>
            <dt>Columns</dt>
            <dd>{fmtInt(p.columns)}</dd>
            <dt>Pass / fail</dt>
            <dd>
              {fmtInt(pass)} / <span class="qc-fail-text">{fmtInt(fail)}</span>{" "}
              <span class="qc-muted qc-small">
                ({fmtPct(pass + fail > 0 ? fail / (pass + fail) : null)} fail)
              </span>
            </dd>
            <dt>First row</dt>
            <dd>{fmtDateTime(p.first_timestamp)}</dd>
            <dt>Last row</dt>
            <dd>{fmtDateTime(p.last_timestamp)}</dd>
            <dt>Days</dt>
            <dd>
              {fmtInt(days.length)}
              {!p.sorted_by_time && (
                <span class="qc-muted qc-small">(rows were re-ordered by time)</span>
              )}
            </dd>
            <dt>Timestamp column</dt>
            <dd>
              <code>{p.timestamp_column}</code>
            </dd>
            <dt>Text columns excluded</dt>
            <dd>
              {p.text_columns.length === 0 ? "none" : (
                <span title={p.text_columns.join(", ")}>
                  {p.text_columns.slice(0, 6).join(", ")}
                  {p.text_columns.length > 6 && ` … (+${p.text_columns.length - 6})`}
                </span>
              )}
            </dd>
          </dl>
        )
        : <p class="qc-muted">The profile is not available yet.</p>}

      <div class="qc-two" style={{ marginTop: "1.25rem" }}>
        <div>
          <h3>Rows per day</h3>
          {days.length > 0
            ? (
              <ChartCanvas
                label={`Rows per day over ${days.length} days`}
                config={config}
                height={240}
                summary={`${days.length} ${days.length === 1 ? "day" : "days"} from ${
                  days[0][0]
                } to ${days[days.length - 1][0]}; ${fmtInt(Math.min(...days.map(([, n]) => n)))}–${
                  fmtInt(Math.max(...days.map(([, n]) => n)))
                } rows a day.`}
              />
            )
            : <p class="qc-muted">No daily distribution available.</p>}
        </div>
        <div>
          <h3>
            Selected features{" "}
            <span class="qc-muted qc-small">({fmtInt(features.length)}, by gain importance)</span>
          </h3>
          {features.length > 0
            ? (
              <>
                <FeatureBars
                  features={features}
                  limit={allFeatures ? features.length : 15}
                  countHidden={false}
                />
                {features.length > 15 && (
                  <button
                    type="button"
                    class="qc-button qc-button-link"
                    onClick={() => setAllFeatures(!allFeatures)}
                    aria-expanded={allFeatures}
                  >
                    {allFeatures ? "Show top 15" : `Show all ${features.length}`}
                  </button>
                )}
              </>
            )
            : (
              <p class="qc-muted">
                {dataset.state === "READY"
                  ? "No features were selected."
                  : "Feature selection has not finished yet."}
              </p>
            )}
        </div>
      </div>
    </Card>
  );
}
