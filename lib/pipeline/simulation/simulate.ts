/**
 * The simulation: a real-time replay of the simulation set through the active model
 * (CONTRACT.md §4). Task kind `simulate`, one per model at a time (lock `simulate:<modelId>`),
 * resumable after a restart.
 *
 * Flow of a task:
 * 1. `PROGRESS {"status": "Initializing simulation... Warmup period of <w> seconds."}` for the
 *    warmup period, during which the rows are loaded and ONE onnxruntime-web session is created
 *    (`numThreads: 1`, explicit) in a dedicated Web Worker (`simulation_scorer.ts`: session
 *    creation and ORT runs would otherwise stall this thread's event loop) and warmed up with a
 *    few thousand runs on real rows, so the first packets do not pay for WASM compilation and JIT.
 * 2. `PROGRESS {"status": "Initializing simulation..."}` while whatever is left of that finishes.
 * 3. One packet per row, in time order, at `rows_per_second` (row i due at t0 + i / rate, see
 *    `pacer.ts`); each row is scored BEFORE its due time, so only building and storing the packet
 *    happens on the schedule. Each packet is the task's `progress`, is stored under
 *    `["sim_packets", id, i]` with the running summary, and the position is checkpointed.
 *    Each packet also carries `p_fail` and the row's TreeSHAP `explanation` (issue 12), computed
 *    in the scorer worker from the model's XGBoost JSON artifact (null when that is missing);
 *    a "Fail" row also goes to the fail log (`failures.ts`) in the packet's commit.
 * 4. `SUCCESS {"message": "Simulation complete. Processed <N> records."}`, or after a stop
 *    `REVOKED {"message": "Simulation was stopped by the user."}`; the summary stays in KV.
 *
 * Why a loop inside one task run, not one KV-queue message per row (`enqueue(..., {delay})`):
 * queue delivery has jitter of tens to hundreds of ms, is unordered and at-least-once, and costs
 * a claim/transaction per message, so 1 Hz ± 50 ms in order would not hold. The loop keeps an
 * in-memory ONNX session and a clock schedule; what makes it robust to restarts is the
 * checkpoint (next row, running totals, last emit time) written to KV after every row, from which
 * a resumed run continues with the next row.
 *
 * Decision rule: "Fail" when P(fail) ≥ the model's tuned threshold (CONTRACT.md §4 allows the
 * tuned threshold instead of 0.5), so the replay agrees with the model's reported test metrics.
 *
 * @module
 */
import type { Services } from "../../services.ts";
import { retentionMs } from "../../tasks/records.ts";
import {
  type JsonObject,
  TaskConflictError,
  type TaskContext,
  type TaskKind,
  TaskRevokedError,
} from "../../tasks/types.ts";
import { getActiveModel, getModel, type ModelRecord } from "../train/models.ts";
import { getActiveSplit, getSplit, loadSplitSet, type SplitRecord } from "../split/split.ts";
import { binIndex, driftReport, type FeatureBins } from "../split/drift.ts";
import { getSplitDrift } from "../split/split_drift.ts";
import { abortableSleep, Pacer } from "./pacer.ts";
import { WorkerScorer } from "./scorer.ts";
import { EXPLANATION_TOP, packetExplanation } from "./explanation.ts";
import { type SimSummary, writePacket, writeSummary } from "./packets.ts";
import {
  accuracyOf,
  averageConfidence,
  buildPacket,
  confusionOf,
  emptyStats,
  type RunningStats,
} from "./stats.ts";

/** Task kind name. */
export const SIMULATE_KIND = "simulate";

/** Message of the first stage (`<w>` = warmup seconds). */
export const warmupMessage = (seconds: number): string =>
  `Initializing simulation... Warmup period of ${seconds} seconds.`;
/** Message while the model loads. */
export const INIT_MESSAGE = "Initializing simulation...";
/** Result after a stop. */
export const STOPPED_MESSAGE = "Simulation was stopped by the user.";
/** Result at the end. */
export const completeMessage = (n: number): string =>
  `Simulation complete. Processed ${n} records.`;

/** Dummy runs on the ONNX session during the warmup. */
export const WARMUP_RUNS = 2000;
/** Distinct rows cycled through by the warmup runs. */
const WARMUP_ROWS = 256;
/** How many of the most important features each packet shows. */
export const TOP_FEATURES = 3;
/** Upper bounds accepted for the options (a replay faster than this is not "real time"). */
export const MAX_ROWS_PER_SECOND = 1000;
export const MAX_WARMUP_SECONDS = 3600;

/** Parameters stored in the task record (fixed at start so a resume replays the same rows). */
export interface SimulateParams extends JsonObject {
  model_id: string;
  split_id: string;
  dataset_id: string;
  rows_per_second: number;
  warmup_seconds: number;
}

/** What the task returns. */
export interface SimulateResult extends JsonObject {
  message: string;
}

/** The resume point saved after every row. */
export interface SimCheckpoint {
  /** Next row index to replay. */
  next: number;
  stats: RunningStats;
  /** Wall-clock ms of the last packet (the resumed schedule continues one interval after it). */
  last_emit_ms: number | null;
  started_at: string;
  /** Drift bin counts of the replayed rows, per `Prepared.drift` feature (absent: none yet). */
  drift_counts?: number[][];
}

/** Options of `startSimulation` (the optional JSON body of `POST /simulation/start`). */
export interface StartSimulationOptions {
  model_id?: string;
  rows_per_second?: number;
  warmup_seconds?: number;
}

/** `startSimulation` refused: `status` 404 (nothing to simulate) or 409 (not ready). */
export class SimulationStartError extends Error {
  constructor(
    readonly status: 404 | 409,
    message: string,
    /** Extra JSON fields for the error body (e.g. the running `task_id`). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "SimulationStartError";
  }
}

/**
 * Resolve the model and split and submit a `simulate` task. Rows come from the ACTIVE split when
 * it belongs to the model's dataset (a re-split then replays the new simulation window, as the
 * old service did), otherwise from the split the model was trained on.
 *
 * Throws `SimulationStartError`: 404 no (such) model; 409 no usable split for the model's dataset,
 * an empty simulation set, or a missing ONNX artifact. Throws `TaskConflictError` (409 with the
 * running `task_id`) when a simulation of the model is already running.
 */
export async function startSimulation(
  services: Services,
  opts: StartSimulationOptions = {},
): Promise<{ task_id: string }> {
  const { kv, config, storage } = services;
  const model = opts.model_id !== undefined
    ? await getModel(kv, opts.model_id)
    : await getActiveModel(kv);
  if (!model) {
    throw new SimulationStartError(
      404,
      opts.model_id !== undefined
        ? `Model ${opts.model_id} not found.`
        : "No trained model found. Please train a model first.",
    );
  }
  const split = await pickSplit(services, model);
  if (!split) {
    throw new SimulationStartError(
      409,
      `No split of dataset ${model.dataset_id} (the model's dataset) is available. ` +
        "Please split the data first.",
      { model_id: model.id, dataset_id: model.dataset_id },
    );
  }
  if (!(split.rows.simulation > 0)) {
    throw new SimulationStartError(409, "The simulation set of the split is empty.", {
      split_id: split.id,
    });
  }
  if (!(await storage.stat(onnxKey(model)))) {
    throw new SimulationStartError(
      409,
      `The model's ONNX artifact is missing: ${onnxKey(model)}.`,
      {
        model_id: model.id,
      },
    );
  }
  const params: SimulateParams = {
    model_id: model.id,
    split_id: split.id,
    dataset_id: model.dataset_id,
    rows_per_second: opts.rows_per_second ?? config.simulationRowsPerSecond,
    warmup_seconds: opts.warmup_seconds ?? config.simulationWarmupSeconds,
  };
  try {
    const rec = await services.tasks.submit(SIMULATE_KIND, params);
    return { task_id: rec.id };
  } catch (err) {
    if (!(err instanceof TaskConflictError)) throw err;
    throw new TaskConflictError(
      err.runningTaskId,
      err.lock,
      `A simulation is already running for model ${model.id}.`,
    );
  }
}

async function pickSplit(services: Services, model: ModelRecord): Promise<SplitRecord | null> {
  const active = await getActiveSplit(services.kv);
  if (active && active.dataset_id === model.dataset_id) return active;
  const own = await getSplit(services.kv, model.split_id);
  return own && own.dataset_id === model.dataset_id ? own : null;
}

function onnxKey(model: ModelRecord): string {
  return model.artifacts?.onnx ?? `models/${model.id}/model.onnx`;
}

/** The `simulate` task kind (registered by `registerSimulationTasks`, mod.ts). */
export function simulateTask(services: Services): TaskKind<SimulateParams, SimulateResult> {
  return {
    kind: SIMULATE_KIND,
    resumable: true,
    lockKey: (p) => `simulate:${p.model_id}`,
    revokedResult: () => ({ message: STOPPED_MESSAGE }),
    run: (ctx) => runSimulation(services, ctx),
  };
}

/** Everything the replay loop needs, loaded once. */
interface Prepared {
  model: ModelRecord;
  scorer: WorkerScorer;
  nRows: number;
  /** Row order (indices into the loaded set) by ascending timestamp. */
  order: Uint32Array;
  /** Model feature columns, in the model's feature order. */
  columns: Float32Array[];
  labels: Uint8Array;
  ids: Float64Array;
  timestamps: Float64Array;
  /** Top features: name and column index into `columns`. */
  top: { name: string; col: number }[];
  /** The training window's drift bins of the model's features, with their column in `columns`. */
  drift: { bins: FeatureBins[]; cols: number[] };
}

async function prepare(
  services: Services,
  p: SimulateParams,
  signal: AbortSignal,
): Promise<Prepared> {
  const model = await getModel(services.kv, p.model_id);
  if (!model) throw new Error(`Model ${p.model_id} no longer exists.`);
  const split = await getSplit(services.kv, p.split_id);
  if (!split) throw new Error(`Split ${p.split_id} no longer exists.`);
  let bytes: Uint8Array;
  try {
    bytes = await services.storage.getBytes(onnxKey(model));
  } catch {
    throw new Error(`The model's ONNX artifact is missing: ${onnxKey(model)}.`);
  }
  // The trees for the explanations; a model without this artifact replays unexplained. Its
  // bytes are decoded in the scorer worker (tens of MB for hundreds of deep trees).
  const explainModel = model.artifacts?.xgboost_json
    ? await services.storage.getBytes(model.artifacts.xgboost_json).catch(() => undefined)
    : undefined;
  const set = await loadSplitSet(services, split, "simulation", model.feature_names);
  const columns = model.feature_names.map((name) => {
    const j = set.featureNames.indexOf(name);
    if (j < 0) throw new Error(`Feature ${name} of the model is not in the simulation set.`);
    return set.columns[j];
  });
  const order = timeOrder(set.timestamps, set.nRows);
  // Warmup rows: the first rows of the replay (real values exercise real tree paths).
  const nWarm = Math.min(set.nRows, WARMUP_ROWS);
  const warmupRows = new Float32Array(nWarm * columns.length);
  for (let k = 0; k < nWarm; k++) {
    for (let j = 0; j < columns.length; j++) {
      warmupRows[k * columns.length + j] = columns[j][order[k]];
    }
  }
  const scorer = await WorkerScorer.create(bytes, {
    numThreads: 1,
    warmupRows,
    warmupRuns: WARMUP_RUNS,
    // Hidden in the warmup period when there is one; short when there is none (tests, demos).
    warmupMaxMs: Math.max(500, (p.warmup_seconds * 1000) / 2),
    signal,
    explainModel,
    explainTop: EXPLANATION_TOP,
  });
  if (scorer.nFeatures !== columns.length) {
    scorer.release();
    throw new Error(
      `The ONNX model expects ${scorer.nFeatures} features, the model record lists ${columns.length}.`,
    );
  }
  if (
    scorer.explainFeatures &&
    scorer.explainFeatures.some((name, j) => name !== model.feature_names[j])
  ) {
    scorer.release();
    throw new Error("The model's XGBoost JSON lists other features than the model record.");
  }
  // Drift bins from the split (computed at split time); a feature without bins is not tracked.
  const splitDrift = await getSplitDrift(services, split).catch(() => null);
  const drift = { bins: [] as FeatureBins[], cols: [] as number[] };
  for (const b of splitDrift?.bins ?? []) {
    const col = model.feature_names.indexOf(b.feature);
    if (col >= 0) {
      drift.bins.push(b);
      drift.cols.push(col);
    }
  }
  const ranked = [...(model.importance ?? [])].sort((a, b) => b.importance - a.importance);
  const top = ranked.slice(0, TOP_FEATURES).map((f) => ({
    name: f.name,
    col: model.feature_names.indexOf(f.name),
  })).filter((f) => f.col >= 0);
  return {
    model,
    scorer,
    nRows: set.nRows,
    order,
    columns,
    labels: set.labels,
    ids: set.ids,
    timestamps: set.timestamps,
    top,
    drift,
  };
}

/** Indices sorted by timestamp (stable); the identity when already sorted (the usual case). */
function timeOrder(ts: Float64Array, n: number): Uint32Array {
  const order = new Uint32Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    order[i] = i;
    if (i > 0 && ts[i] < ts[i - 1]) sorted = false;
  }
  if (!sorted) order.sort((a, b) => ts[a] - ts[b] || a - b);
  return order;
}

function fillRow(p: Prepared, r: number, row: Float32Array): void {
  for (let j = 0; j < p.columns.length; j++) row[j] = p.columns[j][r];
}

function validParams(p: SimulateParams): void {
  if (typeof p.model_id !== "string" || typeof p.split_id !== "string") {
    throw new Error("Simulation task parameters lack model_id/split_id.");
  }
  if (!(p.rows_per_second > 0 && p.rows_per_second <= MAX_ROWS_PER_SECOND)) {
    throw new Error(`rows_per_second must be in (0, ${MAX_ROWS_PER_SECOND}].`);
  }
  if (!(p.warmup_seconds >= 0 && p.warmup_seconds <= MAX_WARMUP_SECONDS)) {
    throw new Error(`warmup_seconds must be in [0, ${MAX_WARMUP_SECONDS}].`);
  }
}

async function runSimulation(
  services: Services,
  ctx: TaskContext<SimulateParams>,
): Promise<SimulateResult> {
  const p = ctx.params;
  validParams(p);
  const { kv } = services;
  const expireIn = retentionMs(services.config.taskRetentionHours);
  const resume = await ctx.loadCheckpoint<SimCheckpoint>();

  const preparing = prepare(services, p, ctx.signal);
  preparing.catch(() => {}); // awaited below; avoid an unhandled rejection during the warmup
  let prepared: Prepared | null = null;
  const state: SimCheckpoint = resume ?? {
    next: 0,
    stats: emptyStats(),
    last_emit_ms: null,
    started_at: new Date().toISOString(),
  };
  const summary = (status: string, final: boolean, totalRows: number): SimSummary => ({
    task_id: ctx.id,
    model_id: p.model_id,
    split_id: p.split_id,
    dataset_id: p.dataset_id,
    status,
    final,
    total_rows: totalRows,
    processed: state.stats.total,
    pass_count: state.stats.pass,
    fail_count: state.stats.fail,
    pass_rate: state.stats.total ? state.stats.pass / state.stats.total : 0,
    average_confidence: averageConfidence(state.stats),
    threshold: prepared ? thresholdOf(prepared.model) : 0.5,
    confusion_matrix: confusionOf(state.stats),
    accuracy: accuracyOf(state.stats),
    rows_per_second: p.rows_per_second,
    started_at: state.started_at,
    updated_at: new Date().toISOString(),
    finished_at: final ? new Date().toISOString() : null,
    drift: prepared && prepared.drift.bins.length
      ? driftReport(
        prepared.drift.bins,
        state.drift_counts ?? prepared.drift.bins.map((b) => b.reference.map(() => 0)),
      )
      : null,
  });

  try {
    if (!resume) {
      await ctx.progress({ status: warmupMessage(p.warmup_seconds) });
      await abortableSleep(p.warmup_seconds * 1000, ctx.signal);
    }
    await ctx.progress({ status: INIT_MESSAGE });
    prepared = await abortable(preparing, ctx.signal);
    const { model, scorer, nRows, order, top } = prepared;
    const threshold = thresholdOf(model);

    // Resume: continue one interval after the last packet (or now, if that is already past).
    const intervalMs = 1000 / p.rows_per_second;
    const sinceLast = state.last_emit_ms === null ? Infinity : Date.now() - state.last_emit_ms;
    const pacer = new Pacer({
      rowsPerSecond: p.rows_per_second,
      startIndex: state.next,
      firstDueAt: performance.now() + Math.max(0, intervalMs - sinceLast),
    });
    const row = new Float32Array(prepared.columns.length);
    for (let i = state.next; i < nRows; i++) {
      const r = order[i];
      fillRow(prepared, r, row);
      // Score before waiting: the ONNX run (p99 up to several ms) happens in the idle time, so at
      // the due time only the packet is built and written.
      const { p: pFail, explanation } = await scorer.scoreExplained(row);
      await pacer.wait(i, ctx.signal);
      const label = prepared.labels[r];
      const { packet } = buildPacket(state.stats, {
        index: i,
        totalRows: nRows,
        pFail,
        threshold,
        timestampMs: prepared.timestamps[r],
        id: prepared.ids[r],
        topFeatures: top.map((f) => [f.name, prepared!.columns[f.col][r]]),
        actual: label === 0 || label === 1 ? label : null,
        explanation: explanation && packetExplanation(explanation, model.feature_names, row),
      });
      if (prepared.drift.bins.length) {
        const { bins, cols } = prepared.drift;
        state.drift_counts ??= bins.map((b) => b.reference.map(() => 0));
        for (let k = 0; k < bins.length; k++) {
          state.drift_counts[k][binIndex(row[cols[k]], bins[k].edges)]++;
        }
      }
      const emittedAt = Date.now();
      state.next = i + 1;
      state.last_emit_ms = emittedAt;
      // Packet + summary first, then progress, then the checkpoint: a crash in between makes the
      // resumed run redo row i, which rewrites the same packet key with the same content.
      await writePacket(
        kv,
        ctx.id,
        {
          seq: i,
          packet,
          p_fail: pFail,
          actual: label === 0 || label === 1 ? label : null,
          emitted_at: emittedAt,
        },
        summary("PROGRESS", false, nRows),
        expireIn,
      );
      await ctx.progress(packet as unknown as JsonObject);
      await ctx.saveCheckpoint(state);
    }
    await writeSummary(kv, summary("SUCCESS", true, nRows), expireIn);
    return { message: completeMessage(state.stats.total) };
  } catch (err) {
    const reason = ctx.signal.aborted ? ctx.signal.reason : null;
    const revoked = err instanceof TaskRevokedError || reason instanceof TaskRevokedError;
    // A runner shutdown is not an end: the checkpoint stays and the task resumes after restart.
    const shutdown = reason !== null && !revoked;
    if (!shutdown) {
      await writeSummary(
        kv,
        summary(revoked ? "REVOKED" : "FAILURE", true, prepared?.nRows ?? 0),
        expireIn,
      ).catch(() => {});
    }
    if (revoked) throw new TaskRevokedError(STOPPED_MESSAGE);
    throw err;
  } finally {
    // Stopped during the warmup: do not make the stop wait for the session still being created.
    if (prepared) prepared.scorer.release();
    else preparing.then((ready) => ready.scorer.release()).catch(() => {});
  }
}

/** Await `p`, rejecting early with the signal's reason when it aborts. */
function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** The model's tuned decision threshold on P(fail); 0.5 when the record has none. */
function thresholdOf(model: ModelRecord): number {
  return Number.isFinite(model.threshold) && model.threshold > 0 && model.threshold < 1
    ? model.threshold
    : 0.5;
}
