/**
 * Live simulation: start a replay of the simulation window (`POST /simulation/start`, optional
 * rows per second and warmup), stop it (`POST /simulation/stop/{id}`), and watch it through the
 * packet stream (`EventSource` on `/simulation/{id}/events`; polling
 * `/simulation/{id}/packets?after=N` when the stream fails): the current prediction, the
 * running statistics, a rolling quality-score chart with the decision threshold, the latest
 * packets, and the summary at the end.
 *
 * @module
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { ChartConfiguration } from "chart.js";
import { asset } from "fresh/runtime";
import { useHydrated } from "../lib/ui/hooks.ts";
import { ApiError, apiGet, apiPost } from "../lib/ui/api_client.ts";
import { DASH, fmtDateTime, fmtInt, fmtNum, fmtPct, shortId } from "../lib/ui/format.ts";
import { LiveBuffer } from "../lib/ui/live_buffer.ts";
import { COLORS } from "../lib/ui/palette.ts";
import type { PacketsPage, SimPacket, SimSummary, TaskStatus } from "../lib/ui/types.ts";
import type { SimulationPageData } from "../lib/ui/admin_data.ts";
import { ChartCanvas } from "../components/ChartCanvas.tsx";
import { ConfusionMatrix } from "../components/ConfusionMatrix.tsx";
import { MetricCard } from "../components/MetricCard.tsx";
import { ProgressBar } from "../components/ProgressBar.tsx";
import { StatusPill } from "../components/StatusPill.tsx";
import { Alert, EmptyState } from "../components/Notice.tsx";

/** Props: the simulation page's data. */
export type SimulationLiveProps = SimulationPageData;

const FINAL = new Set(["SUCCESS", "FAILURE", "REVOKED"]);
const CHART_POINTS = 300;
const TABLE_ROWS = 20;
const FLUSH_MS = 250;

type Transport = "sse" | "polling" | null;

/** The live view. */
export default function SimulationLive(props: SimulationLiveProps) {
  const hydrated = useHydrated();
  const { model, blocked, defaults } = props;
  const [task, setTask] = useState<TaskStatus | null>(props.task);
  const [summary, setSummary] = useState<SimSummary | null>(null);
  const [rate, setRate] = useState(String(defaults.rows_per_second));
  const [warmup, setWarmup] = useState(String(defaults.warmup_seconds));
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [transport, setTransport] = useState<Transport>(null);
  const [version, setVersion] = useState(0);
  const buffer = useRef(new LiveBuffer(CHART_POINTS, TABLE_ROWS));
  const followId = useRef<string | null>(null);

  const taskId = task?.task_id ?? null;
  const running = task !== null && !FINAL.has(task.status);

  // Redraw at most every FLUSH_MS however fast packets arrive.
  useEffect(() => {
    const timer = setInterval(() => {
      if (buffer.current.takeDirty()) setVersion((v) => v + 1);
    }, FLUSH_MS);
    return () => clearInterval(timer);
  }, []);

  // Follow the task: summary first (to start the stream near the end), then SSE or polling,
  // plus a slow status poll for the warmup message and the final state.
  useEffect(() => {
    if (!taskId) return;
    if (followId.current !== taskId) {
      followId.current = taskId;
      buffer.current.reset();
    }
    let closed = false;
    let source: EventSource | null = null;
    let pollTimer: ReturnType<typeof setTimeout> | undefined;
    let statusTimer: ReturnType<typeof setTimeout> | undefined;
    let final = false;
    const id = encodeURIComponent(taskId);

    const loadSummary = async () => {
      try {
        setSummary(await apiGet<SimSummary>(`/simulation/${id}/summary`));
      } catch { /* summary is optional */ }
    };

    const finish = (status: TaskStatus | null) => {
      if (final) return;
      final = true;
      if (status) setTask(status);
      source?.close();
      setTransport(null);
      loadSummary();
    };

    const poll = async () => {
      if (closed) return;
      try {
        const page = await apiGet<PacketsPage>(
          `/simulation/${id}/packets?after=${buffer.current.cursor}&limit=500`,
        );
        for (const p of page.packets) buffer.current.add(p);
        if (FINAL.has(page.status) && page.packets.length === 0) {
          finish(await apiGet<TaskStatus>(`/simulation/status/${id}`).catch(() => null));
          return;
        }
        if (!closed) pollTimer = setTimeout(poll, page.packets.length >= 500 ? 0 : 500);
      } catch (err) {
        setNotice(`Live updates interrupted: ${err instanceof ApiError ? err.detail : err}`);
        if (!closed) pollTimer = setTimeout(poll, 2000);
      }
    };

    const startPolling = () => {
      source?.close();
      source = null;
      if (closed || final) return;
      setTransport("polling");
      poll();
    };

    const startStream = () => {
      if (closed) return;
      if (typeof EventSource === "undefined") return startPolling();
      let failures = 0;
      let opened = false;
      source = new EventSource(
        asset(`/simulation/${id}/events?after=${buffer.current.cursor}`),
      );
      setTransport("sse");
      source.addEventListener("open", () => {
        opened = true;
        failures = 0;
      });
      source.addEventListener("packet", (e) => {
        try {
          buffer.current.add(JSON.parse((e as MessageEvent).data) as SimPacket);
          setNotice(null);
        } catch { /* a malformed event is skipped */ }
      });
      source.addEventListener("status", (e) => {
        try {
          finish(JSON.parse((e as MessageEvent).data) as TaskStatus);
        } catch {
          finish(null);
        }
      });
      source.onerror = () => {
        // A stream that never opened is unavailable (proxy, blocked): poll right away. Once it
        // worked, the browser retries by itself; give up after repeated failures.
        if (final || closed) return;
        failures++;
        if (!opened || source?.readyState === EventSource.CLOSED || failures >= 3) {
          startPolling();
        }
      };
    };

    const pollStatus = async () => {
      if (closed || final) return;
      try {
        const s = await apiGet<TaskStatus>(`/simulation/status/${id}`);
        if (FINAL.has(s.status)) {
          // Let the stream deliver its last packets and status event first.
          statusTimer = setTimeout(() => !closed && finish(s), 1500);
          return;
        }
        setTask(s);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) {
          setError("This simulation no longer exists (its records expired).");
          finish(null);
          return;
        }
      }
      if (!closed) statusTimer = setTimeout(pollStatus, buffer.current.latest ? 3000 : 1000);
    };

    (async () => {
      try {
        const s = await apiGet<SimSummary>(`/simulation/${id}/summary`);
        if (closed) return;
        setSummary(s);
        const from = Math.max(buffer.current.cursor, s.processed - CHART_POINTS - 1, -1);
        if (from > buffer.current.cursor) buffer.current.cursor = from;
      } catch { /* start from the beginning */ }
      startStream();
      pollStatus();
    })();

    return () => {
      closed = true;
      source?.close();
      clearTimeout(pollTimer);
      clearTimeout(statusTimer);
    };
  }, [taskId]);

  async function start(e: Event) {
    e.preventDefault();
    setError(null);
    setNotice(null);
    const body: Record<string, number> = {};
    const r = Number(rate), w = Number(warmup);
    if (rate.trim() !== "") {
      if (!Number.isFinite(r) || r <= 0) {
        return setError("Rows per second must be a positive number.");
      }
      body.rows_per_second = r;
    }
    if (warmup.trim() !== "") {
      if (!Number.isFinite(w) || w < 0) return setError("Warmup must be 0 or more seconds.");
      body.warmup_seconds = w;
    }
    setBusy(true);
    try {
      const { task_id } = await apiPost<{ task_id: string }>("/simulation/start", body);
      setSummary(null);
      setTask({ task_id, status: "PENDING", progress: null, result: null });
    } catch (err) {
      if (err instanceof ApiError) {
        const runningId = (err.body as { task_id?: unknown } | null)?.task_id;
        if (err.status === 409 && typeof runningId === "string") {
          setNotice("A simulation is already running for this model: showing it.");
          setTask({ task_id: runningId, status: "PROGRESS", progress: null, result: null });
        } else {
          setError(`${err.status ? `HTTP ${err.status}: ` : ""}${err.detail}`);
        }
      } else {
        setError(String(err));
      }
    } finally {
      setBusy(false);
    }
  }

  async function stop() {
    if (!taskId) return;
    setBusy(true);
    try {
      const res = await apiPost<{ message: string }>(
        `/simulation/stop/${encodeURIComponent(taskId)}`,
      );
      setNotice(res.message);
    } catch (err) {
      setError(err instanceof ApiError ? err.detail : String(err));
    } finally {
      setBusy(false);
    }
  }

  const threshold = model?.threshold ?? summary?.threshold ?? 0.5;
  const qualityLine = (1 - threshold) * 100;
  const buf = buffer.current;
  const latest = buf.latest;
  const points = useMemo(() => buf.points(), [version]);
  const rows = useMemo(() => buf.rows(), [version]);

  const config = useMemo<ChartConfiguration>(() => {
    const x0 = points.length ? points[0].x : 0;
    const x1 = points.length ? points[points.length - 1].x : 1;
    return {
      type: "line",
      data: {
        datasets: [
          {
            label: "Quality score",
            data: points.map((p) => ({ x: p.x, y: p.y })),
            borderColor: COLORS.train,
            backgroundColor: "rgba(37, 99, 235, 0.08)",
            borderWidth: 1.5,
            pointRadius: 0,
            fill: true,
          },
          {
            label: "Predicted fail",
            data: points.filter((p) => p.fail).map((p) => ({ x: p.x, y: p.y })),
            borderColor: COLORS.fail,
            backgroundColor: COLORS.fail,
            showLine: false,
            pointRadius: 3,
          },
          {
            label: `Threshold (${fmtNum(qualityLine, 2)})`,
            data: [{ x: x0, y: qualityLine }, { x: x1, y: qualityLine }],
            borderColor: COLORS.threshold,
            borderDash: [6, 4],
            borderWidth: 1.5,
            pointRadius: 0,
          },
        ],
      },
      options: {
        parsing: false,
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
        scales: {
          x: { type: "linear", title: { display: true, text: "row" }, ticks: { precision: 0 } },
          y: { title: { display: true, text: "quality score (P(pass) × 100)" }, suggestedMax: 100 },
        },
      },
    } as ChartConfiguration;
  }, [points, qualityLine]);

  if (!model) {
    return (
      <section
        class="qc-card"
        data-island="SimulationLive"
        data-hydrated={hydrated ? "true" : "false"}
      >
        <EmptyState
          title="Nothing to simulate yet"
          action={{ href: "/admin/training", label: "Go to Training" }}
        >
          {blocked ?? "Train a model first; the simulation replays its simulation window."}
        </EmptyState>
      </section>
    );
  }

  const stats = latest?.live_stats;
  const pred = latest?.live_prediction;
  const warmupMessage = running && !latest ? task?.progress?.status ?? "Starting…" : null;
  const result = task?.result as { message?: string } | null | undefined;

  return (
    <>
      <section
        class="qc-card"
        aria-labelledby="sim-control"
        data-island="SimulationLive"
        data-hydrated={hydrated ? "true" : "false"}
      >
        <div class="qc-card-head">
          <h2 id="sim-control">Replay the simulation window</h2>
          {task && <StatusPill status={task.status} />}
        </div>
        <p class="qc-muted">
          Model <code title={model.id}>{shortId(model.id)}</code> (F1{" "}
          {fmtNum(model.f1_score, 3)}, recall {fmtPct(model.recall, 1)}, threshold on P(fail){" "}
          {fmtNum(model.threshold, 3)}) · {props.simulation_rows !== null
            ? `${fmtInt(props.simulation_rows)} rows to replay`
            : "no simulation rows"}
        </p>
        {blocked && <Alert kind="warning">{blocked}</Alert>}
        <form class="qc-sim-form" onSubmit={start}>
          <div style={{ display: "flex", flexWrap: "wrap", gap: "0 1rem" }}>
            <label class="qc-field" style={{ width: "12rem" }}>
              <span>Rows per second</span>
              <input
                type="number"
                min="0.1"
                max="1000"
                step="any"
                name="rows_per_second"
                value={rate}
                disabled={running}
                onInput={(e) => setRate((e.currentTarget as HTMLInputElement).value)}
              />
            </label>
            <label class="qc-field" style={{ width: "12rem" }}>
              <span>Warmup (seconds)</span>
              <input
                type="number"
                min="0"
                max="3600"
                step="1"
                name="warmup_seconds"
                value={warmup}
                disabled={running}
                onInput={(e) => setWarmup((e.currentTarget as HTMLInputElement).value)}
              />
            </label>
          </div>
          <div class="qc-actions">
            <button type="submit" class="qc-button" disabled={running || busy || blocked !== null}>
              Start simulation
            </button>
            <button
              type="button"
              class="qc-button qc-button-danger"
              disabled={!running || busy}
              onClick={stop}
            >
              Stop
            </button>
          </div>
        </form>
        {error && <Alert kind="error" title="Simulation error">{error}</Alert>}
        {notice && <Alert kind="info">{notice}</Alert>}
        {task && (
          <p class="qc-muted qc-small">
            task <code title={task.task_id}>{shortId(task.task_id)}</code>
            {transport &&
              ` · live via ${transport === "sse" ? "server-sent events" : "polling"}`}
          </p>
        )}
        {warmupMessage && <ProgressBar label={warmupMessage} value={null} />}
        {task?.status === "FAILURE" && (
          <Alert kind="error" title="Simulation failed">
            {task.progress?.status ?? "No reason given."}
          </Alert>
        )}
        {result?.message && FINAL.has(task?.status ?? "") && (
          <Alert kind={task?.status === "SUCCESS" ? "success" : "info"}>{result.message}</Alert>
        )}
      </section>

      {!task && (
        <section
          class="qc-card"
          data-island="SimulationLive"
          data-hydrated={hydrated ? "true" : "false"}
        >
          <EmptyState title="No simulation has run yet">
            Start one above: each row of the simulation window is scored by the model, one packet
            per row, in time order.
          </EmptyState>
        </section>
      )}

      {task && (
        <div class="qc-sim-live">
          <div class="qc-two">
            <section class="qc-card qc-current" aria-labelledby="sim-current" aria-live="off">
              <h2 id="sim-current">Current prediction</h2>
              {pred && latest
                ? (
                  <>
                    <div
                      class={`qc-verdict qc-verdict-${
                        pred.prediction === "Fail" ? "fail" : "pass"
                      }`}
                    >
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
            </section>

            <section class="qc-card qc-stats" aria-labelledby="sim-stats">
              <h2 id="sim-stats">Running statistics</h2>
              <ProgressBar
                label="Rows replayed"
                value={latest ? latest.current_row_index + 1 : summary?.processed ?? 0}
                max={latest?.total_rows ?? summary?.total_rows ?? props.simulation_rows ?? 1}
                text={`${
                  fmtInt(latest ? latest.current_row_index + 1 : summary?.processed ?? 0)
                } / ${fmtInt(latest?.total_rows ?? summary?.total_rows ?? props.simulation_rows)}`}
              />
              <div class="qc-metrics qc-metrics-small">
                <MetricCard
                  label="Predictions"
                  value={fmtInt(stats?.total_predictions ?? summary?.processed)}
                />
                <MetricCard
                  label="Pass"
                  value={fmtInt(stats?.pass_count ?? summary?.pass_count)}
                  tone="good"
                />
                <MetricCard
                  label="Fail"
                  value={fmtInt(stats?.fail_count ?? summary?.fail_count)}
                  tone="bad"
                />
                <MetricCard
                  label="Avg confidence"
                  value={fmtNum(stats?.average_confidence ?? summary?.average_confidence, 2)}
                />
              </div>
            </section>
          </div>
          <section class="qc-card" aria-labelledby="sim-chart">
            <h2 id="sim-chart">Quality score (last {CHART_POINTS} rows)</h2>
            {points.length > 0
              ? (
                <ChartCanvas
                  label="Quality score per replayed row with the decision threshold"
                  config={config}
                  height={260}
                />
              )
              : <p class="qc-muted">The chart starts with the first packet.</p>}
          </section>

          <section class="qc-card" aria-labelledby="sim-table">
            <h2 id="sim-table">Latest packets</h2>
            {rows.length > 0
              ? (
                <div class="qc-table-wrap">
                  <table class="qc-table">
                    <thead>
                      <tr>
                        <th scope="col" class="qc-num">Row</th>
                        <th scope="col">Timestamp</th>
                        <th scope="col">Sample</th>
                        <th scope="col">Prediction</th>
                        <th scope="col" class="qc-num">Confidence</th>
                        {Object.keys(rows[0].live_prediction.top_features ?? {}).map((f) => (
                          <th key={f} scope="col" class="qc-num">
                            <code>{f}</code>
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map((p) => (
                        <tr key={p.current_row_index}>
                          <td class="qc-num">{fmtInt(p.current_row_index)}</td>
                          <td>{fmtDateTime(p.live_prediction.timestamp)}</td>
                          <td>
                            <code>{p.live_prediction.sample_id}</code>
                          </td>
                          <td>
                            <span
                              class={`qc-tag qc-tag-${
                                p.live_prediction.prediction === "Fail" ? "fail" : "pass"
                              }`}
                            >
                              {p.live_prediction.prediction}
                            </span>
                          </td>
                          <td class="qc-num">{fmtNum(p.live_prediction.confidence, 2)}</td>
                          {Object.keys(rows[0].live_prediction.top_features ?? {}).map((f) => {
                            const v = p.live_prediction.top_features?.[f];
                            return (
                              <td key={f} class="qc-num">
                                {v === null || v === undefined ? DASH : fmtNum(v, 4)}
                              </td>
                            );
                          })}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )
              : <p class="qc-muted">No packets yet.</p>}
          </section>

          {summary?.final && (
            <section class="qc-card" aria-labelledby="sim-summary">
              <div class="qc-card-head">
                <h2 id="sim-summary">Summary</h2>
                <StatusPill status={summary.status} />
              </div>
              <div class="qc-two">
                <div>
                  <div class="qc-metrics qc-metrics-small">
                    <MetricCard
                      label="Rows replayed"
                      value={`${fmtInt(summary.processed)} / ${fmtInt(summary.total_rows)}`}
                    />
                    <MetricCard label="Pass rate" value={fmtPct(summary.pass_rate, 2)} />
                    <MetricCard
                      label="Avg confidence"
                      value={fmtNum(summary.average_confidence, 2)}
                    />
                    <MetricCard label="Accuracy vs actual" value={fmtPct(summary.accuracy, 2)} />
                  </div>
                  <p class="qc-muted qc-small">
                    Started {fmtDateTime(summary.started_at)}
                    {summary.finished_at ? `, ended ${fmtDateTime(summary.finished_at)}` : ""} ·
                    {" "}
                    {fmtNum(summary.rows_per_second, 2)} rows/s · threshold{" "}
                    {fmtNum(summary.threshold, 3)}
                  </p>
                </div>
                <ConfusionMatrix
                  matrix={summary.confusion_matrix}
                  caption="Replayed predictions vs. actual Response"
                />
              </div>
            </section>
          )}
        </div>
      )}
    </>
  );
}
