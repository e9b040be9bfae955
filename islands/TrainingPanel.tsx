/**
 * Training: start a run (`POST /process/train/start`), follow it every second
 * (`GET /process/train/status/{id}`: contract step message plus the round counter), and show the
 * model's results — test-set metrics, loss and accuracy curves for the training and validation
 * data, the confusion matrix and the feature importance. Failures show the server's reason.
 *
 * @module
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { apiGet, errorText, listen, notify } from "../lib/ui/api_client.ts";
import { isFinalTask, startTask } from "../lib/ui/task_start.ts";
import { useIslandMarks, usePolling } from "../lib/ui/hooks.ts";
import { fmtDateTime, fmtInt, fmtNum, fmtPct, shortId } from "../lib/ui/format.ts";
import { learningCurveChart } from "../lib/ui/charts.ts";
import {
  curvesFrom,
  type TrainingCurves,
  type TrainingView,
  viewFromResult,
} from "../lib/ui/training_view.ts";
import type { TaskStatus, TrainResult } from "../lib/ui/types.ts";
import { Card } from "../components/Card.tsx";
import { ChartCanvas } from "../components/ChartCanvas.tsx";
import { ConfusionMatrix } from "../components/ConfusionMatrix.tsx";
import { FeatureBars } from "../components/FeatureBars.tsx";
import { MetricCard } from "../components/MetricCard.tsx";
import { QcFigures } from "../components/QcFigures.tsx";
import { thresholdText } from "../lib/ui/qc_figures.ts";
import { ProgressBar } from "../components/ProgressBar.tsx";
import { StatusPill } from "../components/StatusPill.tsx";
import { Alert, EmptyState } from "../components/Notice.tsx";

/** Props of `TrainingPanel`. */
export interface TrainingPanelProps {
  /** Whether a split exists for the active dataset (training needs one). */
  hasSplit: boolean;
  /** The latest training task, if any. */
  task: TaskStatus | null;
  /** The active model's results, if any. */
  model: TrainingView | null;
}

/** The training panel. */
export default function TrainingPanel(props: TrainingPanelProps) {
  const island = useIslandMarks("TrainingPanel");
  const [hasSplit, setHasSplit] = useState(props.hasSplit);
  const [task, setTask] = useState<TaskStatus | null>(props.task);
  const [view, setView] = useState<TrainingView | null>(() => {
    if (props.model) return props.model;
    if (props.task?.status === "SUCCESS" && props.task.result) {
      return viewFromResult(props.task.result as unknown as TrainResult);
    }
    return null;
  });
  const [startError, setStartError] = useState<string | null>(null);
  const [pollError, setPollError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  const running = task !== null && !isFinalTask(task.status);

  useEffect(() => listen("qc:split-changed", () => setHasSplit(true)), []);

  // Curves of a stored model come from its curves.json artifact when the server had none.
  const needCurves = view !== null && view.curves === null && view.model_id !== null;
  useEffect(() => {
    if (!needCurves || !view?.model_id) return;
    const ctl = new AbortController();
    apiGet<unknown>(
      `/models/${encodeURIComponent(view.model_id)}/artifacts/curves.json`,
      ctl.signal,
    )
      .then((c) => {
        const curves = curvesFrom(c);
        if (curves) setView((v) => (v && v.model_id === view.model_id ? { ...v, curves } : v));
      })
      .catch(() => {/* curves are optional: the rest of the view stays */});
    return () => ctl.abort();
  }, [needCurves, view?.model_id]);

  usePolling(async () => {
    if (!task) return;
    try {
      const next = await apiGet<TaskStatus>(
        `/process/train/status/${encodeURIComponent(task.task_id)}`,
      );
      setPollError(null);
      setTask(next);
      if (next.status === "SUCCESS" && next.result) {
        setView(viewFromResult(next.result as unknown as TrainResult));
        notify("qc:models-changed");
      }
    } catch (err) {
      setPollError(errorText(err));
    }
  }, running ? 1000 : null);

  async function start() {
    setStarting(true);
    setStartError(null);
    // A 409 means a run is already going on: follow it instead.
    const outcome = await startTask("/process/train/start");
    if (outcome.kind === "refused") setStartError(outcome.message);
    else setTask(outcome.task);
    setStarting(false);
  }

  const progress = task?.progress ?? null;
  const round = typeof progress?.round === "number" ? progress.round : null;
  const rounds = typeof progress?.rounds === "number" ? progress.rounds : null;

  return (
    <>
      <Card
        heading="2 · Train a model"
        headingId="train-title"
        aside={task && <StatusPill status={task.status} />}
        {...island}
      >
        <p class="qc-muted">
          Gradient-boosted trees on the training window; the last part of that window is held out to
          stop early and to tune the decision threshold, and the metrics are measured on the test
          window.
        </p>
        <div class="qc-actions">
          <button
            type="button"
            class="qc-button"
            disabled={!hasSplit || running || starting}
            onClick={start}
          >
            {running ? "Training…" : starting ? "Starting…" : "Start training"}
          </button>
          {!hasSplit && <span class="qc-muted qc-small">Split the data first (step 1).</span>}
          {task && (
            <span class="qc-muted qc-small">
              task <code title={task.task_id}>{shortId(task.task_id)}</code>
            </span>
          )}
        </div>
        {startError && <Alert kind="error" title="Could not start training">{startError}</Alert>}
        {running && (
          <div class="qc-run" aria-live="polite">
            <p class="qc-step">{progress?.status ?? "Waiting for a worker…"}</p>
            <ProgressBar
              label="Boosting rounds"
              value={round}
              max={rounds ?? 100}
              text={round !== null && rounds !== null
                ? `round ${fmtInt(round)} / ${fmtInt(rounds)}`
                : ""}
            />
          </div>
        )}
        {task?.status === "FAILURE" && (
          <Alert kind="error" title="Training failed">
            {progress?.status ?? "No reason given."}
          </Alert>
        )}
        {task?.status === "REVOKED" && <Alert kind="info">The training run was stopped.</Alert>}
        {pollError && <Alert kind="warning">Could not refresh the status: {pollError}</Alert>}
      </Card>

      <Card
        heading="Model results"
        headingId="results-title"
        aside={view?.model_id && (
          <span class="qc-muted qc-small">
            model <code title={view.model_id}>{shortId(view.model_id)}</code>
            {view.created_at && ` · ${fmtDateTime(view.created_at)}`}
          </span>
        )}
        {...island}
      >
        {view ? <Results view={view} /> : (
          <EmptyState title="No model yet">
            Split the data and start a training run; the test-set metrics, learning curves and
            confusion matrix appear here.
          </EmptyState>
        )}
      </Card>
    </>
  );
}

function Results({ view }: { view: TrainingView }) {
  const m = view.metrics;
  const curves: TrainingCurves | null = view.curves;
  const best = view.best_iteration;
  const loss = useMemo(
    () =>
      curves &&
      learningCurveChart("loss", curves.train_loss, curves.validation_loss, "log loss", best),
    [curves, best],
  );
  const acc = useMemo(
    () =>
      curves &&
      learningCurveChart(
        "accuracy",
        curves.train_accuracy,
        curves.validation_accuracy,
        "accuracy",
        best,
      ),
    [curves, best],
  );
  return (
    <>
      <h3>Quality control (test set)</h3>
      <QcFigures matrix={view.confusion} />
      <h3>Classifier metrics</h3>
      <div class="qc-metrics">
        <MetricCard label="Accuracy" value={fmtPct(m.accuracy)} />
        <MetricCard
          label="Precision"
          value={fmtPct(m.precision)}
          hint="predicted fails that were fails"
        />
        <MetricCard
          label="Recall"
          value={fmtPct(m.recall)}
          hint="fails caught"
          tone={m.recall > 0 ? "neutral" : "warn"}
        />
        <MetricCard label="F1" value={fmtNum(m.f1_score, 3)} />
        <MetricCard label="MCC" value={fmtNum(m.mcc, 3)} />
        <MetricCard label="ROC AUC" value={fmtNum(m.auc_roc, 3)} />
        <MetricCard
          label="Threshold"
          value={thresholdText(m.threshold)}
          hint="called Fail at or above"
        />
      </div>
      <p class="qc-muted qc-small">
        {[
          view.n_train !== null ? `Trained on ${fmtInt(view.n_train)} rows.` : "",
          view.n_test !== null ? `Tested on ${fmtInt(view.n_test)} rows.` : "",
          best !== null
            ? `Best round ${fmtInt(best)}${
              view.rounds_trained !== null ? ` of ${fmtInt(view.rounds_trained)} trained` : ""
            }.`
            : "",
        ].filter(Boolean).join(" ")}
      </p>
      {loss && acc
        ? (
          <div class="qc-two">
            {[
              ["Loss per round", "Log loss", loss] as const,
              ["Accuracy per round", "Accuracy", acc] as const,
            ].map(([title, what, config]) => (
              <div key={title}>
                <h3>{title}</h3>
                <ChartCanvas
                  label={`${what} per boosting round, training and validation`}
                  config={config}
                />
              </div>
            ))}
          </div>
        )
        : <p class="qc-muted">Learning curves are loading or not available.</p>}
      <div class="qc-two">
        <div>
          <h3>Confusion matrix</h3>
          <ConfusionMatrix matrix={view.confusion} caption="Test set, at the tuned threshold" />
        </div>
        <div>
          <h3>Feature importance</h3>
          <FeatureBars features={view.importance} limit={15} caption="Gain importance (top 15)" />
        </div>
      </div>
    </>
  );
}
