/**
 * Live simulation: start a replay of the simulation window (`POST /simulation/start`, optional
 * rows per second and warmup), stop it (`POST /simulation/stop/{id}`), and watch it: the current
 * prediction, the running statistics, a rolling quality-score chart with the decision threshold,
 * the latest packets, the fail log (every predicted failure with its explanation), the drift of
 * the replayed rows, and the summary at the end.
 *
 * The packets come from `useSimulationFeed` (server-sent events, polling fallback); what is shown
 * is derived in `lib/ui/simulation_view.ts` and drawn by `components/simulation/`.
 *
 * @module
 */
import { useState } from "preact/hooks";
import { useIslandMarks } from "../lib/ui/hooks.ts";
import { apiPost, errorText } from "../lib/ui/api_client.ts";
import {
  fmtInt,
  fmtMetric,
  fmtPct,
  fmtRate,
  fmtReplayEstimate,
  shortId,
} from "../lib/ui/format.ts";
import { useSimulationFeed } from "../lib/ui/simulation_feed.ts";
import { decisionThreshold, parseStartForm, qualityLine } from "../lib/ui/simulation_view.ts";
import { isFinalTask, startTask } from "../lib/ui/task_start.ts";
import { thresholdText } from "../lib/ui/qc_figures.ts";
import type { SimulationPageData } from "../lib/ui/admin_data.ts";
import { Card } from "../components/Card.tsx";
import { StatusPill } from "../components/StatusPill.tsx";
import { Alert, EmptyState } from "../components/Notice.tsx";
import { SimulationForm } from "../components/simulation/SimulationForm.tsx";
import { RunStatus } from "../components/simulation/RunStatus.tsx";
import { CurrentPrediction } from "../components/simulation/CurrentPrediction.tsx";
import { RunningStats } from "../components/simulation/RunningStats.tsx";
import { QualityChart } from "../components/simulation/QualityChart.tsx";
import { PacketsTable } from "../components/simulation/PacketsTable.tsx";
import { SimulationSummary } from "../components/simulation/SimulationSummary.tsx";
import { FailLog } from "../components/simulation/FailLog.tsx";
import { DriftPanel } from "../components/DriftPanel.tsx";
import { useFailLog, useSummaryRefresh } from "../lib/ui/simulation_extras.ts";

/** "Replaying 17,142 rows at 1 row/s takes ~4 h 46 min." (the form's rate, else the default). */
function replayText(rows: number, rateText: string, fallback: number): string {
  const typed = Number(rateText);
  const rate = rateText.trim() !== "" && Number.isFinite(typed) && typed > 0 ? typed : fallback;
  return `Replaying ${fmtInt(rows)} rows at ${fmtRate(rate)} takes ${
    fmtReplayEstimate(rows, rate)
  } (plus the warm-up).`;
}

/** Props: the simulation page's data. */
export type SimulationLiveProps = SimulationPageData;

/** The live view. */
export default function SimulationLive(props: SimulationLiveProps) {
  const island = useIslandMarks("SimulationLive");
  const { model, blocked, defaults } = props;
  const feed = useSimulationFeed(props.task, {
    packets: props.packets ?? [],
    summary: props.summary ?? null,
  });
  // The start's own note ("already running") stays until the next start: the feed's notice is
  // cleared by each packet (it reports interrupted live updates).
  const [startNote, setStartNote] = useState<string | null>(null);
  const [rate, setRate] = useState(String(defaults.rows_per_second));
  const [warmup, setWarmup] = useState(String(defaults.warmup_seconds));
  const [busy, setBusy] = useState(false);
  const { task, summary } = feed;
  const running = task !== null && !isFinalTask(task.status);
  const taskId = task?.task_id ?? null;
  const failLog = useFailLog(taskId, feed.latest?.live_stats.fail_count ?? summary?.fail_count);
  useSummaryRefresh(taskId, running, feed.setSummary);

  async function start(e: Event) {
    e.preventDefault();
    feed.setError(null);
    feed.setNotice(null);
    setStartNote(null);
    const form = parseStartForm(rate, warmup);
    if ("error" in form) return feed.setError(form.error);
    setBusy(true);
    const outcome = await startTask("/simulation/start", form.body);
    if (outcome.kind === "refused") feed.setError(outcome.message);
    else {
      if (outcome.kind === "started") feed.setSummary(null);
      else {
        setStartNote(
          "A simulation is already running for this model (started elsewhere): this page now " +
            "shows that run. Stop it first to start a new one.",
        );
      }
      feed.setTask(outcome.task);
    }
    setBusy(false);
  }

  async function stop() {
    if (!task) return;
    setBusy(true);
    try {
      const res = await apiPost<{ message: string }>(
        `/simulation/stop/${encodeURIComponent(task.task_id)}`,
      );
      feed.setNotice(res.message);
    } catch (err) {
      feed.setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  if (!model) {
    return (
      <Card {...island}>
        <EmptyState
          title="Nothing to simulate yet"
          action={{ href: "/admin/training", label: "Go to Training" }}
        >
          {blocked ?? "Train a model first; the simulation replays its simulation window."}
        </EmptyState>
      </Card>
    );
  }

  return (
    <>
      <Card
        heading="Replay the simulation window"
        headingId="sim-control"
        aside={task && <StatusPill status={task.status} />}
        {...island}
      >
        <p class="qc-muted">
          Model <code title={model.id}>{shortId(model.id)}</code> (F1{" "}
          {fmtMetric(model.f1_score)}, recall {fmtPct(model.recall, 1)}, Fail when{" "}
          {thresholdText(model.threshold)}) · {props.simulation_rows !== null
            ? `${fmtInt(props.simulation_rows)} rows to replay`
            : "no simulation rows"}
        </p>
        {props.simulation_rows !== null && props.simulation_rows > 0 && !running && (
          <p class="qc-muted qc-small" data-testid="replay-estimate">
            {replayText(props.simulation_rows, rate, defaults.rows_per_second)}
          </p>
        )}
        {blocked && <Alert kind="warning">{blocked}</Alert>}
        {props.split_warning && (
          <Alert kind="warning" title="Split changed since training">{props.split_warning}</Alert>
        )}
        <SimulationForm
          rate={rate}
          warmup={warmup}
          onRate={setRate}
          onWarmup={setWarmup}
          running={running}
          canStart={!running && !busy && blocked === null}
          onStart={start}
          canStop={running && !busy}
          onStop={stop}
        />
        {startNote && (
          <Alert kind="warning" title="Already running">
            {startNote}
          </Alert>
        )}
        <RunStatus
          task={task}
          latest={feed.latest}
          transport={feed.transport}
          error={feed.error}
          notice={feed.notice}
        />
      </Card>

      {!task && (
        <Card {...island}>
          <EmptyState title="No simulation has run yet">
            Start one above: each row of the simulation window is scored by the model, one packet
            per row, in time order.
          </EmptyState>
        </Card>
      )}

      {task && (
        <div class="qc-sim-live">
          <div class="qc-two">
            <CurrentPrediction
              latest={feed.latest}
              threshold={decisionThreshold(model, summary)}
            />
            <RunningStats
              latest={feed.latest}
              summary={summary}
              simulationRows={props.simulation_rows}
            />
          </div>
          <QualityChart
            points={feed.points}
            qualityLine={qualityLine(decisionThreshold(model, summary))}
          />
          <FailLog taskId={task.task_id} log={failLog} />
          <PacketsTable rows={feed.rows} />
          <DriftPanel
            drift={summary?.drift}
            what="The rows replayed so far"
            headingId="sim-drift"
          />
          {summary?.final && <SimulationSummary summary={summary} />}
          {(feed.latest || summary) && (
            <p class="qc-small qc-links" data-testid="packet-downloads">
              <span class="qc-muted">Download this run's packets:</span>
              {(["csv", "parquet"] as const).map((ext) => (
                <a
                  key={ext}
                  href={`/downloads/simulation/${encodeURIComponent(task.task_id)}/packets.${ext}`}
                  download
                >
                  packets (.{ext})
                </a>
              ))}
            </p>
          )}
        </div>
      )}
    </>
  );
}
