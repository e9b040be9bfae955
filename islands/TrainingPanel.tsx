/**
 * Training: a hyperparameter form (the API's own schema, defaults shown), start a run
 * (`POST /process/train/start`), follow it live over the task's event stream
 * (`GET /tasks/{id}/events`; the status route is polled when the stream is unavailable) with
 * the loss and accuracy curves growing per round, stop it (`POST /process/train/stop/{id}`),
 * and show the model's results — test-set metrics, curves, the confusion matrix and the feature
 * importance — with the dataset and split the model was trained on, and a warning when the
 * active split is not that one. Failures show the server's reason.
 *
 * @module
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { ApiError, apiGet, apiPost, listen, notify } from "../lib/ui/api_client.ts";
import { isFinalTask, startTask } from "../lib/ui/task_start.ts";
import { followTask } from "../lib/ui/task_follow.ts";
import { useIslandMarks } from "../lib/ui/hooks.ts";
import { fmtDateTime, fmtInt, fmtMetric, fmtPct, shortId } from "../lib/ui/format.ts";
import { learningCurveChart } from "../lib/ui/charts.ts";
import {
  curvesFrom,
  curvesSummary,
  type TrainingCurves,
  type TrainingView,
  viewFromResult,
} from "../lib/ui/training_view.ts";
import { checkTrainForm, defaultTrainForm, type TrainFormValues } from "../lib/ui/train_form.ts";
import type { TaskScope } from "../lib/ui/admin_data.ts";
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
import { TrainParamsForm } from "../components/TrainParamsForm.tsx";
import { Alert, EmptyState } from "../components/Notice.tsx";

/** Props of `TrainingPanel`. */
export interface TrainingPanelProps {
  /** Whether a split exists for the active dataset (training needs one). */
  hasSplit: boolean;
  /** The active split's id (to compare with the model's), if any. */
  activeSplitId?: string | null;
  /** The active dataset's id, if any. */
  activeDatasetId?: string | null;
  /** The latest training task, if any. */
  task: TaskStatus | null;
  /** The dataset and split of the latest training task. */
  taskScope?: TaskScope | null;
  /** The active model's results, if any. */
  model: TrainingView | null;
}

const str = (v: unknown) => (typeof v === "string" ? v : null);

/** The training panel. */
export default function TrainingPanel(props: TrainingPanelProps) {
  const island = useIslandMarks("TrainingPanel");
  const [hasSplit, setHasSplit] = useState(props.hasSplit);
  const [activeSplitId, setActiveSplitId] = useState(props.activeSplitId ?? null);
  const [task, setTask] = useState<TaskStatus | null>(props.task);
  const [scope, setScope] = useState<TaskScope | null>(props.taskScope ?? null);
  const [view, setView] = useState<TrainingView | null>(() => {
    if (props.model) return props.model;
    if (props.task?.status === "SUCCESS" && props.task.result) {
      return viewFromResult(props.task.result as unknown as TrainResult);
    }
    return null;
  });
  const [form, setForm] = useState<TrainFormValues>(defaultTrainForm);
  const [formErrors, setFormErrors] = useState<Record<string, string>>({});
  const [startError, setStartError] = useState<string | null>(null);
  const [stopError, setStopError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [stopping, setStopping] = useState(false);

  const running = task !== null && !isFinalTask(task.status);

  useEffect(() =>
    listen("qc:split-changed", (detail) => {
      setHasSplit(true);
      const id = str((detail as { split_id?: unknown } | null)?.split_id);
      if (id) setActiveSplitId(id);
    }), []);

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

  // Follow the running task: every progress write (a round report with the curves so far).
  const followId = running ? task.task_id : null;
  useEffect(() => {
    if (!followId) return;
    return followTask(followId, "/process/train/status", (next, params) => {
      setTask(next);
      if (params) {
        setScope({ dataset_id: str(params.dataset_id), split_id: str(params.split_id) });
      }
      if (next.status === "SUCCESS" && next.result) {
        setView({
          ...viewFromResult(next.result as unknown as TrainResult),
          dataset_id: params ? str(params.dataset_id) : null,
          split_id: params ? str(params.split_id) : null,
        });
        notify("qc:models-changed");
      }
    });
  }, [followId]);

  async function start(e: Event) {
    e.preventDefault();
    setStartError(null);
    const checked = checkTrainForm(form);
    if (!checked.ok) {
      setFormErrors(checked.errors);
      return;
    }
    setFormErrors({});
    setStarting(true);
    // A 409 means a run is already going on: follow it instead.
    const outcome = await startTask("/process/train/start", checked.overrides);
    if (outcome.kind === "refused") setStartError(outcome.message);
    else {
      setTask(outcome.task);
      setStopError(null);
    }
    setStarting(false);
  }

  async function stop() {
    if (!task) return;
    setStopping(true);
    setStopError(null);
    try {
      await apiPost(`/process/train/stop/${encodeURIComponent(task.task_id)}`);
    } catch (err) {
      setStopError(err instanceof ApiError ? `HTTP ${err.status}: ${err.detail}` : String(err));
    }
    setStopping(false);
  }

  const progress = task?.progress ?? null;
  const round = typeof progress?.round === "number" ? progress.round : null;
  const rounds = typeof progress?.rounds === "number" ? progress.rounds : null;
  // Before round 0: the window's feature columns stream into the worker and are binned.
  const columnsLoaded = typeof progress?.columns_loaded === "number"
    ? progress.columns_loaded
    : null;
  const columns = typeof progress?.columns === "number" ? progress.columns : null;
  const liveCurves = running ? curvesFrom(progress?.curves) : null;
  const modelSplitDiffers = view?.split_id && activeSplitId && view.split_id !== activeSplitId;

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
        <form onSubmit={start} noValidate>
          <TrainParamsForm
            values={form}
            errors={formErrors}
            disabled={running || starting}
            onChange={(key, value) => {
              setForm((f) => ({ ...f, [key]: value }));
              setFormErrors((errs) => {
                const { [key]: _gone, ...rest } = errs;
                return rest;
              });
            }}
            onReset={() => {
              setForm(defaultTrainForm());
              setFormErrors({});
            }}
          />
          <div class="qc-actions">
            <button
              type="submit"
              class="qc-button"
              disabled={!hasSplit || running || starting}
            >
              {running ? "Training…" : starting ? "Starting…" : "Start training"}
            </button>
            {running && (
              <button
                type="button"
                class="qc-button qc-button-secondary"
                disabled={stopping}
                onClick={stop}
              >
                {stopping ? "Stopping…" : "Stop training"}
              </button>
            )}
            {!hasSplit && <span class="qc-muted qc-small">Split the data first (step 1).</span>}
            {task && (
              <span class="qc-muted qc-small">
                task <code title={task.task_id}>{shortId(task.task_id)}</code>
              </span>
            )}
          </div>
        </form>
        {Object.keys(formErrors).length > 0 && (
          <Alert kind="error" title="Check the hyperparameters">
            {Object.keys(formErrors).length === 1
              ? "One value is out of range."
              : `${Object.keys(formErrors).length} values are out of range.`}
          </Alert>
        )}
        {startError && <Alert kind="error" title="Could not start training">{startError}</Alert>}
        {stopError && <Alert kind="error" title="Could not stop training">{stopError}</Alert>}
        {task && scope && (
          <p class="qc-muted qc-small" data-testid="train-scope">
            {running ? "Training on" : "Last run on"} dataset{" "}
            <code title={scope.dataset_id ?? ""}>{shortId(scope.dataset_id)}</code>, split{" "}
            <code title={scope.split_id ?? ""}>{shortId(scope.split_id)}</code>
            {scope.split_id && scope.split_id === activeSplitId ? " (the active split)" : ""}.
          </p>
        )}
        {running && (
          <div class="qc-run" aria-live="polite">
            <p class="qc-step">{progress?.status ?? "Waiting for a worker…"}</p>
            {round === null && columnsLoaded !== null && columns !== null
              ? (
                <ProgressBar
                  label="Feature columns loaded and binned"
                  value={columnsLoaded}
                  max={columns}
                  text={`${fmtInt(columnsLoaded)} / ${fmtInt(columns)} columns loaded`}
                />
              )
              : (
                <ProgressBar
                  label="Boosting rounds"
                  value={round}
                  max={rounds ?? 100}
                  text={round !== null && rounds !== null
                    ? `round ${fmtInt(round)} / ${fmtInt(rounds)}`
                    : ""}
                />
              )}
          </div>
        )}
        {liveCurves && <LiveCurves curves={liveCurves} />}
        {task?.status === "FAILURE" && (
          <Alert kind="error" title="Training failed">
            {progress?.status ?? "No reason given."}
          </Alert>
        )}
        {task?.status === "REVOKED" && (
          <Alert kind="info" title="Stopped">
            The training run was stopped; no model was saved.
          </Alert>
        )}
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
        {modelSplitDiffers && (
          <Alert kind="warning" title="The active split is not this model's">
            This model was trained and tested on split{" "}
            <code title={view!.split_id!}>{shortId(view!.split_id)}</code>; the active split is{" "}
            <code title={activeSplitId!}>{shortId(activeSplitId)}</code>. Its metrics describe the
            old windows, and a simulation would replay the new simulation window with it. Train
            again to match the active split.
          </Alert>
        )}
        {view?.split_id && (
          <p class="qc-muted qc-small">
            Trained on dataset{" "}
            <code title={view.dataset_id ?? ""}>{shortId(view.dataset_id)}</code>, split{" "}
            <code title={view.split_id}>{shortId(view.split_id)}</code>.
          </p>
        )}
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

/** The curves of the running task, growing with each round report. */
function LiveCurves({ curves }: { curves: TrainingCurves }) {
  const loss = useMemo(
    () => learningCurveChart("loss", curves.train_loss, curves.validation_loss, "log loss", null),
    [curves],
  );
  const acc = useMemo(
    () =>
      learningCurveChart(
        "accuracy",
        curves.train_accuracy,
        curves.validation_accuracy,
        "accuracy",
        null,
      ),
    [curves],
  );
  return (
    <div class="qc-two" data-testid="live-curves" data-points={curves.train_loss.length}>
      <div>
        <h3>Loss so far</h3>
        <ChartCanvas
          label="Log loss per boosting round so far, training and validation"
          config={loss}
          height={200}
          summary={curvesSummary(curves.train_loss, curves.validation_loss, "log loss")}
        />
      </div>
      <div>
        <h3>Accuracy so far</h3>
        <ChartCanvas
          label="Accuracy per boosting round so far, training and validation"
          config={acc}
          height={200}
          summary={curvesSummary(curves.train_accuracy, curves.validation_accuracy, "accuracy")}
        />
      </div>
    </div>
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
        <MetricCard label="F1" value={fmtMetric(m.f1_score)} />
        <MetricCard label="MCC" value={fmtMetric(m.mcc)} />
        <MetricCard label="ROC AUC" value={fmtMetric(m.auc_roc)} />
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
                  summary={what === "Log loss"
                    ? curvesSummary(
                      curves!.train_loss,
                      curves!.validation_loss,
                      "log loss",
                      3,
                      best,
                    )
                    : curvesSummary(
                      curves!.train_accuracy,
                      curves!.validation_accuracy,
                      "accuracy",
                      3,
                      best,
                    )}
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
