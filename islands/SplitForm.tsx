/**
 * The date split: three inclusive UTC windows (train / test / simulation) with defaults from the
 * active dataset's time range (first 60 % of the days for training, the next 20 % for testing,
 * the rest for the simulation), posted to `/process/split-data`. Shows the row counts and the
 * daily distribution with each day coloured by the window it falls in (recoloured as the dates
 * are edited), and the server's 404 / 409 / 422 reasons next to the fields they concern.
 *
 * @module
 */
import { useMemo, useState } from "preact/hooks";
import { useIslandMarks } from "../lib/ui/hooks.ts";
import { ApiError, apiPost, notify } from "../lib/ui/api_client.ts";
import { fmtDateTime, fmtInt } from "../lib/ui/format.ts";
import { COLORS } from "../lib/ui/palette.ts";
import { rowsPerDayChart } from "../lib/ui/charts.ts";
import {
  checkInputs,
  defaultWindows,
  emptyWindows,
  isoToInputValue,
  toIsoInstant,
  WINDOW_NAMES,
  type WindowInputs,
  type WindowName,
  windowsOfDay,
  windowsToMs,
} from "../lib/ui/split_windows.ts";
import type { SplitResponse } from "../lib/ui/types.ts";
import type { SplitDatasetInfo, SplitInfo } from "../lib/ui/admin_data.ts";
import { Card } from "../components/Card.tsx";
import { ChartCanvas } from "../components/ChartCanvas.tsx";
import { MetricCard } from "../components/MetricCard.tsx";
import { Alert, EmptyState } from "../components/Notice.tsx";

/** Props of `SplitForm`. */
export interface SplitFormProps {
  dataset: SplitDatasetInfo | null;
  blocked: string | null;
  split: SplitInfo | null;
}

interface SplitResult {
  rows: Record<WindowName, number>;
  daily: Record<string, number> | null;
  at: string | null;
}

const TITLES: Record<WindowName, string> = {
  train: "Training",
  test: "Test",
  simulation: "Simulation",
};

const EMPTY: WindowInputs = {
  train: { start: "", end: "" },
  test: { start: "", end: "" },
  simulation: { start: "", end: "" },
};

function initialInputs(dataset: SplitDatasetInfo | null, split: SplitInfo | null): WindowInputs {
  if (split) {
    const w = split.windows;
    return {
      train: { start: isoToInputValue(w.train.start_ms), end: isoToInputValue(w.train.end_ms) },
      test: { start: isoToInputValue(w.test.start_ms), end: isoToInputValue(w.test.end_ms) },
      simulation: {
        start: isoToInputValue(w.simulation.start_ms),
        end: isoToInputValue(w.simulation.end_ms),
      },
    };
  }
  return defaultWindows(dataset?.first_timestamp, dataset?.last_timestamp) ?? EMPTY;
}

/** The daily distribution in words: days and rows per window (the chart's text fallback). */
function dailySummary(
  days: [string, number][],
  windows: ReturnType<typeof windowsToMs>,
): string {
  if (days.length === 0) return "";
  const perWindow = new Map<string, { days: number; rows: number }>();
  for (const [day, rows] of days) {
    const ws = windowsOfDay(day, windows);
    const key = ws.length === 0
      ? "outside every window"
      : ws.map((w) => TITLES[w].toLowerCase()).join(" + ");
    const cur = perWindow.get(key) ?? { days: 0, rows: 0 };
    perWindow.set(key, { days: cur.days + 1, rows: cur.rows + rows });
  }
  const parts = [...perWindow].map(([key, v]) =>
    `${key}: ${v.days} ${v.days === 1 ? "day" : "days"}, ${fmtInt(v.rows)} rows`
  );
  return `${days[0][0]} to ${days[days.length - 1][0]} — ${parts.join("; ")}.`;
}

/** The split form and result. */
export default function SplitForm({ dataset, blocked, split }: SplitFormProps) {
  const island = useIslandMarks("SplitForm");
  const [inputs, setInputs] = useState<WindowInputs>(() => initialInputs(dataset, split));
  const [result, setResult] = useState<SplitResult | null>(
    split ? { rows: split.rows, daily: split.daily_distribution, at: split.created_at } : null,
  );
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<string, string>>>({});
  const [error, setError] = useState<{ status: number; detail: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const disabled = !dataset || blocked !== null || busy;
  const daily = result?.daily ?? dataset?.rows_per_day ?? {};
  const days = useMemo(() => Object.entries(daily).sort(), [daily]);
  const windowsMs = useMemo(() => windowsToMs(inputs), [inputs]);

  // A day touched by two windows (one ends and the next starts within it) is drawn as overlap.
  const config = useMemo(() => {
    const colourOf = (day: string) => {
      const ws = windowsOfDay(day, windowsMs);
      return ws.length > 1 ? COLORS.overlap : COLORS[ws[0] ?? "outside"];
    };
    return rowsPerDayChart(days, {
      colour: days.map(([d]) => colourOf(d)),
      afterLabel: (day) => {
        const ws = windowsOfDay(day, windowsMs);
        if (ws.length === 0) return "outside every window";
        return `window${ws.length > 1 ? "s (day shared)" : ""}: ${
          ws.map((w) => TITLES[w].toLowerCase()).join(" + ")
        }`;
      },
    });
  }, [days, windowsMs]);
  const sharedDays = useMemo(
    () => days.filter(([d]) => windowsOfDay(d, windowsMs).length > 1).map(([d]) => d),
    [days, windowsMs],
  );
  const dayText = useMemo(() => dailySummary(days, windowsMs), [days, windowsMs]);

  function set(name: WindowName, which: "start" | "end", value: string) {
    setInputs({ ...inputs, [name]: { ...inputs[name], [which]: value } });
    setFieldErrors({});
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (disabled) return;
    setError(null);
    const issues = checkInputs(inputs);
    // A window no day with rows touches is empty for certain: refuse it here (the server
    // answers 422 for the rest).
    for (const name of emptyWindows(dataset?.rows_per_day ?? {}, windowsToMs(inputs))) {
      issues[`${name}_start_date`] ??= `The ${
        TITLES[name].toLowerCase()
      } window contains no rows of this dataset.`;
    }
    if (Object.keys(issues).length > 0) {
      setFieldErrors(issues);
      return;
    }
    const body: Record<string, string> = {};
    for (const name of WINDOW_NAMES) {
      body[`${name}_start_date`] = toIsoInstant(inputs[name].start, false)!;
      body[`${name}_end_date`] = toIsoInstant(inputs[name].end, true)!;
    }
    setBusy(true);
    try {
      const res = await apiPost<SplitResponse>("/process/split-data", body);
      const rows = {
        train: res.train_set_rows,
        test: res.test_set_rows,
        simulation: res.simulation_set_rows,
      };
      setResult({ rows, daily: res.daily_distribution, at: new Date().toISOString() });
      setFieldErrors({});
      // The split's id is the folder of its set paths (`splits/<id>/train`).
      const splitId = /^splits\/([^/]+)\//.exec(res.train_set_path)?.[1] ?? null;
      notify("qc:split-changed", { rows, split_id: splitId });
    } catch (err) {
      if (err instanceof ApiError) {
        setError({ status: err.status, detail: err.detail });
        const detail = (err.body as { detail?: unknown } | null)?.detail;
        if (Array.isArray(detail)) {
          const fields: Partial<Record<string, string>> = {};
          for (const item of detail) {
            const loc = (item as { loc?: unknown[] }).loc;
            const field = Array.isArray(loc) ? String(loc[loc.length - 1]) : "";
            if (field) fields[field] ??= String((item as { msg?: unknown }).msg ?? "invalid");
          }
          setFieldErrors(fields);
        }
      } else {
        setError({ status: 0, detail: String(err) });
      }
    } finally {
      setBusy(false);
    }
  }

  function reset() {
    setInputs(defaultWindows(dataset?.first_timestamp, dataset?.last_timestamp) ?? EMPTY);
    setFieldErrors({});
    setError(null);
  }

  return (
    <Card
      heading="1 · Split by date"
      headingId="split-title"
      aside={result?.at && (
        <span class="qc-muted qc-small">last split {fmtDateTime(result.at)}</span>
      )}
      {...island}
    >
      {!dataset && !blocked && (
        <EmptyState
          title="No dataset yet"
          action={{ href: "/admin/datasets", label: "Upload a dataset" }}
        />
      )}
      {blocked && (
        <Alert kind="warning" title="Splitting is not possible right now">
          {blocked} <a href="/admin/datasets">Go to Datasets</a>
        </Alert>
      )}
      {dataset && (
        <p class="qc-muted">
          Dataset <strong class="qc-strong">{dataset.filename}</strong>: {fmtInt(dataset.rows)}{" "}
          rows from {fmtDateTime(dataset.first_timestamp)} to{" "}
          {fmtDateTime(dataset.last_timestamp)}. All times are UTC; both bounds are inclusive.
        </p>
      )}
      <form class="qc-split" onSubmit={submit} noValidate>
        <div class="qc-windows">
          {WINDOW_NAMES.map((name) => (
            <fieldset key={name} class={`qc-window qc-window-${name}`} disabled={disabled}>
              <legend>
                <span class={`qc-swatch qc-swatch-${name}`} aria-hidden="true" />
                {TITLES[name]}
              </legend>
              <p id={`${name}-format`} class="qc-small qc-muted qc-format">
                UTC, as 2025-01-31T23:59:59
              </p>
              {(["start", "end"] as const).map((which) => {
                const field = `${name}_${which}_date`;
                const msg = fieldErrors[field];
                return (
                  <label key={which} class="qc-field">
                    <span>{which === "start" ? "From (UTC)" : "To (UTC, inclusive)"}</span>
                    {
                      /* Text, not datetime-local: Chromium makes each of its six parts a tab
                    stop (~8 Tab presses a field); one typed value is one stop. */
                    }
                    <input
                      type="text"
                      inputMode="numeric"
                      placeholder="YYYY-MM-DDTHH:MM:SS"
                      autoComplete="off"
                      spellcheck={false}
                      name={field}
                      value={inputs[name][which]}
                      aria-invalid={msg ? true : undefined}
                      aria-describedby={msg ? `${field}-error ${name}-format` : `${name}-format`}
                      onInput={(e) => set(name, which, (e.currentTarget as HTMLInputElement).value)}
                    />
                    {msg && <span id={`${field}-error`} class="qc-field-error">{msg}</span>}
                  </label>
                );
              })}
            </fieldset>
          ))}
        </div>
        <div class="qc-actions">
          <button type="submit" class="qc-button" disabled={disabled}>
            {busy ? "Splitting…" : "Split data"}
          </button>
          <button
            type="button"
            class="qc-button qc-button-secondary"
            disabled={disabled}
            onClick={reset}
          >
            Reset to defaults
          </button>
        </div>
      </form>
      {error && (
        <Alert
          kind="error"
          title={error.status ? `Split refused (HTTP ${error.status})` : "Split failed"}
        >
          {error.detail}
        </Alert>
      )}
      {result && (
        <div class="qc-metrics">
          {WINDOW_NAMES.map((name) => (
            <MetricCard
              key={name}
              label={`${TITLES[name]} rows`}
              value={fmtInt(result.rows[name])}
              tone={result.rows[name] === 0 ? "warn" : "neutral"}
              hint={result.rows[name] === 0 ? "empty window" : undefined}
            />
          ))}
        </div>
      )}
      {result && (
        <p class="qc-small qc-links" data-testid="split-downloads">
          <span class="qc-muted">Download the sets:</span>
          {WINDOW_NAMES.flatMap((name) =>
            (["csv", "parquet"] as const).map((ext) => (
              <a key={`${name}.${ext}`} href={`/downloads/split/${name}.${ext}`} download>
                {TITLES[name].toLowerCase()} (.{ext})
              </a>
            ))
          )}
        </p>
      )}
      {days.length > 0 && (
        <>
          <h3>Daily distribution</h3>
          <ChartCanvas
            label={`Rows per day over ${days.length} days, coloured by split window`}
            config={config}
            height={220}
            summary={dayText}
          />
          <ul class="qc-legend" aria-label="Legend">
            {WINDOW_NAMES.map((name) => (
              <li key={name}>
                <span class={`qc-swatch qc-swatch-${name}`} aria-hidden="true" />
                {TITLES[name]}
              </li>
            ))}
            <li>
              <span class="qc-swatch qc-swatch-overlap" aria-hidden="true" />Day shared by two
              windows{sharedDays.length > 0 ? ` (${sharedDays.join(", ")})` : ""}
            </li>
            <li>
              <span class="qc-swatch qc-swatch-outside" aria-hidden="true" />Outside every window
            </li>
          </ul>
        </>
      )}
    </Card>
  );
}
