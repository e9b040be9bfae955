/**
 * The training step (task kind `train`): load the active split's training and test sets, cut a
 * time-ordered validation slice off the end of the training window, train the GBDT in a Web
 * Worker with early stopping on that slice, tune the decision threshold on it, evaluate on the
 * test set, and store the model (ONNX, XGBoost JSON) with its curves, metrics and test-set
 * predictions under `models/<id>/`.
 *
 * Progress follows CONTRACT.md §3: "Loading and preparing data..." → "Training XGBoost model..."
 * (with `round`, `rounds`, `percent`) → "Evaluating model on test set..." → "Processing and saving
 * results...". Every failure (no split, one class, empty test set, worker crash) throws a
 * readable message, which the task runner turns into FAILURE with `progress.status` = reason.
 *
 * @example
 * ```ts
 * registerTrainTasks(services); // mod.ts
 * const task = await startTraining(services, { max_depth: 6 }); // TaskConflictError → 409
 * ```
 *
 * @module
 */
import type { Services } from "../../services.ts";
import {
  type EvalHistory,
  featureImportance,
  type GbdtModel,
  trainColumnsInWorker,
} from "../../ml/mod.ts";
import {
  type JsonObject,
  TaskConflictError,
  type TaskContext,
  type TaskKind,
  type TaskRecord,
  TaskRevokedError,
} from "../../tasks/types.ts";
import { getActiveSplit, getSplit, loadSplitSet } from "../split/split.ts";
import { openSplitColumns, type SplitColumns } from "./columns.ts";
import { evaluateInWorker } from "./evaluate.ts";
import { exportInWorker } from "./export.ts";
import { artifactKeys, type ModelRecord, saveModel } from "./models.ts";
import { resolveTrainSettings, type TrainOverrides, type TrainSettings } from "./params.ts";
import { classCounts, thinChart, trainingChart, validationCut } from "./report.ts";
import {
  calibrateWeighted,
  positiveWeight,
  refitRounds,
  type TrainRecipe,
  weightingName,
} from "./recipe.ts";

/** Task kind name. */
export const TRAIN_KIND = "train";

/** The contract's progress messages, in order. */
export const TRAIN_STEPS = [
  "Loading and preparing data...",
  "Training XGBoost model...",
  "Evaluating model on test set...",
  "Processing and saving results...",
] as const;

/** Minimum time between two per-round progress writes (KV writes are not free). */
const PROGRESS_INTERVAL_MS = 250;
/** Chart points per curve kept in the task result (60 KiB record limit); curves.json has all. */
const MAX_CHART_POINTS = 400;
/** Chart points per curve in each running progress write (live curves; small KV values). */
const LIVE_CHART_POINTS = 100;

/** Parameters recorded in the task (snake_case: served by `GET /tasks/{id}`). */
export interface TrainTaskParams extends JsonObject {
  dataset_id: string | null;
  split_id: string | null;
  settings: TrainSettings;
}

/**
 * Submit a training task on the active split. Without a split the task is still submitted and
 * ends FAILURE with a readable reason (the contract wants failures as 200 + FAILURE). Throws
 * `TaskConflictError` when a training of the same dataset is still running.
 */
export async function startTraining(
  services: Services,
  overrides: TrainOverrides = {},
): Promise<TaskRecord> {
  const split = await getActiveSplit(services.kv);
  const settings = resolveTrainSettings(overrides, {
    defaultThreads: services.config.trainThreads,
  });
  const params: TrainTaskParams = {
    dataset_id: split?.dataset_id ?? null,
    split_id: split?.id ?? null,
    settings,
  };
  try {
    return await services.tasks.submit(TRAIN_KIND, params);
  } catch (err) {
    if (!(err instanceof TaskConflictError)) throw err;
    throw new TaskConflictError(
      err.runningTaskId,
      err.lock,
      `A training of this dataset is already running (task ${err.runningTaskId}).`,
    );
  }
}

/** The `train` task kind (registered by `registerTrainTasks`, mod.ts). */
export function trainTask(services: Services): TaskKind<TrainTaskParams, JsonObject> {
  return {
    kind: TRAIN_KIND,
    lockKey: (p) => (p.dataset_id ? `train:${p.dataset_id}` : null),
    run: (ctx) => runTraining(services, ctx),
  };
}

/** Append one round's eval metrics (`{train: {logloss, error}, ...}`) to a history. */
export function appendRound(
  history: EvalHistory,
  metrics: Record<string, Record<string, number>>,
): void {
  for (const [set, values] of Object.entries(metrics)) {
    const series = history[set] ??= {};
    for (const [name, v] of Object.entries(values)) (series[name] ??= []).push(v);
  }
}

/** The task body. Exported for tests; use `registerTrainTasks` (mod.ts) in the service. */
export async function runTraining(
  services: Services,
  ctx: TaskContext<TrainTaskParams>,
): Promise<JsonObject> {
  // Sets opened for streaming (their reading workers) are closed however the task ends.
  const opened: SplitColumns[] = [];
  try {
    return await trainAndSave(services, ctx, opened);
  } finally {
    for (const set of opened) set.close();
  }
}

async function trainAndSave(
  services: Services,
  ctx: TaskContext<TrainTaskParams>,
  opened: SplitColumns[],
): Promise<JsonObject> {
  const { kv, storage } = services;
  const { settings } = ctx.params;
  const checkStop = () => {
    if (ctx.signal.aborted) throw ctx.signal.reason ?? new TaskRevokedError();
  };

  // 1. Load and prepare.
  await ctx.progress({ status: TRAIN_STEPS[0] });
  const split = ctx.params.split_id ? await getSplit(kv, ctx.params.split_id) : null;
  if (!split) {
    throw new Error(
      ctx.params.split_id
        ? `The split ${ctx.params.split_id} no longer exists; run /process/split-data again.`
        : "No split yet: call /process/split-data before training.",
    );
  }
  // The training window's labels now; its feature columns are streamed into the training
  // worker one at a time and binned there, so no thread holds the float matrix.
  const trainSet = await openSplitColumns(services, split, "train");
  opened.push(trainSet);
  checkStop();
  if (trainSet.nRows === 0) {
    throw new Error("The training set is empty: no rows in the training window.");
  }
  const all = classCounts(trainSet.labels);
  if (all.pos === 0 || all.neg === 0) {
    const only = all.pos ? "1 (fail)" : "0 (pass)";
    throw new Error(
      `The training set has only one class: all ${trainSet.nRows} rows have Response ${only}. ` +
        "Choose a training window with both passing and failing parts.",
    );
  }
  // Only the test labels for now (fail fast); its features are loaded for the evaluation.
  const testRows = (await loadSplitSet(services, split, "test", [])).nRows;
  checkStop();
  if (testRows === 0) throw new Error("The test set is empty: no rows in the test window.");

  const { nTrain, nValid } = validationCut(trainSet.labels, settings.validation_fraction);
  const spw = positiveWeight(settings, classCounts(trainSet.labels.subarray(0, nTrain)));
  const featureNames = split.feature_names;
  const source = {
    nRows: trainSet.nRows,
    featureNames,
    labels: trainSet.labels,
    column: (f: number) => trainSet.column(featureNames[f]),
  };

  // 2. Train in a worker, reporting loaded columns and rounds at most every PROGRESS_INTERVAL_MS.
  const rounds = settings.n_estimators;
  let lastReport = performance.now();
  const onColumn = (status: string, rounds: number) => async (done: number, total: number) => {
    const now = performance.now();
    if (done < total && now - lastReport < PROGRESS_INTERVAL_MS) return;
    lastReport = now;
    // Loading (binned columns) is the first step; the last column starts the rounds.
    await ctx.progress(
      done < total
        ? { status, columns_loaded: done, columns: total, percent: Math.round(100 * done / total) }
        : { status: TRAIN_STEPS[1], round: 0, rounds, percent: 0 },
    );
  };
  // The main training's per-round eval metrics so far: each progress write carries the
  // (thinned) curves, so a watcher that misses writes still draws every round it has (extra
  // keys; contract unchanged). The refit reports rounds only: it has no eval sets.
  const liveHistory: EvalHistory = {};
  const onRound =
    (total: number, history?: EvalHistory) =>
    async (round: number, metrics: Record<string, Record<string, number>>) => {
      if (history) appendRound(history, metrics);
      const now = performance.now();
      if (now - lastReport < PROGRESS_INTERVAL_MS && round + 1 < total) return;
      lastReport = now;
      await ctx.progress({
        status: TRAIN_STEPS[1],
        round: round + 1,
        rounds: total,
        percent: Math.round(((round + 1) / total) * 100),
        ...(history ? { curves: { ...thinChart(trainingChart(history), LIVE_CHART_POINTS) } } : {}),
      });
    };
  const boosterParams = {
    max_depth: settings.max_depth,
    learning_rate: settings.learning_rate,
    min_child_weight: settings.min_child_weight,
    reg_lambda: settings.reg_lambda,
    reg_alpha: settings.reg_alpha,
    gamma: settings.gamma,
    subsample: settings.subsample,
    colsample_bytree: settings.colsample_bytree,
    max_bin: settings.max_bin,
    seed: settings.seed,
    scale_pos_weight: spw,
    n_threads: settings.n_threads,
  };
  let trained;
  try {
    trained = await trainColumnsInWorker(
      source,
      {
        ...boosterParams,
        n_estimators: rounds,
        // Early stopping needs the validation slice (the LAST eval set drives it).
        early_stopping_rounds: nValid > 0 ? settings.early_stopping_rounds : 0,
      },
      {
        trainRows: nTrain,
        evalSets: [
          { name: "train", rows: "train" },
          ...(nValid > 0 ? [{ name: "validation", rows: "holdout" as const }] : []),
        ],
        evalMetrics: ["logloss", "error"],
        signal: ctx.signal,
        onColumn: onColumn(TRAIN_STEPS[0], rounds),
        onRound: onRound(rounds, liveHistory),
      },
    );
  } catch (err) {
    if (ctx.signal.aborted) throw ctx.signal.reason ?? err;
    throw new Error(`Training failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  checkStop();
  // The validation slice's floats come back from the worker (threshold tuning needs them).
  const validPart = nValid > 0
    ? { nRows: nValid, columns: trained.holdout, labels: trainSet.labels.subarray(nTrain) }
    : null;

  // Keep only the trees up to the best round, so every artifact is the model we evaluate.
  const full = trained.model;
  const roundsTrained = full.trees.length;
  const best = Math.min(Math.max(0, full.bestIteration), roundsTrained - 1);
  const calibrated = settings.calibrate && spw !== 1;
  const calibrate = (m: GbdtModel) => (calibrated ? calibrateWeighted(m, spw) : m);
  const stopped = calibrate({ ...full, trees: full.trees.slice(0, best + 1), bestIteration: best });
  // Refit: the same number of trees on the whole window (its last days matter most under drift);
  // the threshold stays chosen on the early-stopped model's out-of-sample validation scores.
  const refitN = settings.refit && validPart ? refitRounds(best) : 0;
  let model = stopped;
  if (refitN > 0) {
    try {
      // The columns are streamed again: the refit's cuts are fitted on the whole window.
      const refit = await trainColumnsInWorker(
        source,
        { ...boosterParams, n_estimators: refitN, early_stopping_rounds: 0 },
        {
          signal: ctx.signal,
          onColumn: onColumn(TRAIN_STEPS[1], refitN),
          onRound: onRound(refitN),
        },
      );
      model = calibrate({ ...refit.model, bestIteration: refitN - 1 });
    } catch (err) {
      if (ctx.signal.aborted) throw ctx.signal.reason ?? err;
      throw new Error(`Refit failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    checkStop();
  }
  trainSet.close();

  // 3. Threshold on the validation slice, metrics on the test set (in a worker: seconds of CPU).
  await ctx.progress({ status: TRAIN_STEPS[2] });
  const testSet = await loadSplitSet(services, split, "test");
  checkStop();
  let ev;
  try {
    // The sets are moved, not copied (~110 MB at Bosch scale): only their row counts are used
    // below.
    ev = await evaluateInWorker(
      {
        model,
        thresholdModel: stopped,
        valid: validPart,
        test: testSet,
        metric: settings.threshold_metric,
        smoothing: settings.threshold_smoothing,
      },
      { signal: ctx.signal, move: true },
    );
  } catch (err) {
    if (ctx.signal.aborted) throw ctx.signal.reason ?? err;
    throw new Error(`Evaluation failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const { threshold, threshold_source: thresholdSource, at_threshold: atT, at_0_5: at05 } = ev;
  checkStop();
  // What was chosen and why (extras: the .NET side ignores them; the model record keeps them).
  const recipe: TrainRecipe = {
    class_weighting: weightingName(settings),
    scale_pos_weight: spw,
    probabilities: spw === 1
      ? "unweighted"
      : calibrated
      ? "prior_shift_calibrated"
      : "uncalibrated",
    threshold_source: thresholdSource,
    threshold_smoothing: settings.threshold_smoothing,
    validation_metric: ev.validation,
    early_stopping_rounds: validPart ? settings.early_stopping_rounds : 0,
    refit: refitN > 0,
    refit_rounds: refitN,
  };

  // 4. Save artifacts and the model record.
  await ctx.progress({ status: TRAIN_STEPS[3] });
  const id = crypto.randomUUID();
  const keys = artifactKeys(id);
  const gain = featureImportance(model, "gain");
  const importance = model.featureNames
    .map((name) => ({ name, importance: gain[name] ?? 0 }))
    .sort((a, b) => b.importance - a.importance);
  const fullChart = trainingChart(trained.history, { round: false });
  const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
  const metricsDoc = {
    threshold,
    threshold_source: thresholdSource,
    metrics: { ...atT, auc_roc: ev.auc_roc, auc_pr: ev.auc_pr, log_loss: ev.log_loss },
    metrics_at_0_5: at05,
    best_iteration: best,
    rounds_trained: roundsTrained,
    n_train: nTrain,
    n_valid: nValid,
    n_test: testSet.nRows,
    recipe,
  };
  let artifacts;
  try {
    artifacts = await exportInWorker(model, threshold, { signal: ctx.signal });
  } catch (err) {
    if (ctx.signal.aborted) throw ctx.signal.reason ?? err;
    throw new Error(`Model export failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    await storage.put(keys.onnx, artifacts.onnx);
    await storage.put(keys.xgboost_json, artifacts.xgboost_json);
    await storage.put(keys.curves, enc({ ...fullChart, best_iteration: best }));
    await storage.put(keys.metrics, enc(metricsDoc));
    await storage.put(keys.predictions, ev.predictions_json);
  } catch (err) {
    await storage.deletePrefix(`models/${id}/`).catch(() => {});
    throw err;
  }

  const record: ModelRecord = {
    id,
    created_at: new Date().toISOString(),
    dataset_id: split.dataset_id,
    split_id: split.id,
    task_id: ctx.id,
    params: { ...settings, scale_pos_weight_used: spw },
    best_iteration: best,
    rounds_trained: roundsTrained,
    threshold,
    metrics: { ...atT, auc_roc: ev.auc_roc, auc_pr: ev.auc_pr, log_loss: ev.log_loss },
    metrics_at_0_5: at05,
    n_train: nTrain,
    n_valid: nValid,
    n_test: testSet.nRows,
    feature_names: model.featureNames,
    importance,
    artifacts: keys,
    recipe,
  };
  checkStop();
  await saveModel(kv, record);

  const chart = thinChart(trainingChart(trained.history), MAX_CHART_POINTS, [best]);
  return {
    metrics: {
      accuracy: atT.accuracy,
      precision: atT.precision,
      recall: atT.recall,
      f1_score: atT.f1_score,
    },
    training_chart: { ...chart },
    confusion_matrix: { ...atT.confusion_matrix },
    model_path: keys.onnx,
    curves_path: keys.curves,
    // Extras (the .NET side ignores unknown keys).
    model_id: id,
    threshold,
    threshold_source: thresholdSource,
    mcc: atT.mcc,
    auc_roc: ev.auc_roc,
    auc_pr: ev.auc_pr,
    log_loss: ev.log_loss,
    metrics_at_0_5: {
      accuracy: at05.accuracy,
      precision: at05.precision,
      recall: at05.recall,
      f1_score: at05.f1_score,
      mcc: at05.mcc,
      confusion_matrix: { ...at05.confusion_matrix },
    },
    best_iteration: best,
    rounds_trained: roundsTrained,
    scale_pos_weight: spw,
    class_weighting: recipe.class_weighting,
    probabilities: recipe.probabilities,
    refit: recipe.refit,
    refit_rounds: refitN,
    validation_metric: ev.validation,
    feature_importance: importance.slice(0, 20),
    n_train: nTrain,
    n_valid: nValid,
    n_test: testSet.nRows,
    artifacts: { ...keys },
  };
}
