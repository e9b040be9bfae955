/**
 * Feature selection (task kind `dataset.select_features`, params `{dataset_id}`): rank the
 * features of an upload by the gain of a GBDT trained on its row sample, keep the top N
 * (`config.topFeatures`), build the column table of those features for all rows, then mark the
 * dataset READY and make it active.
 *
 * Progress objects carry `status` (message), `phase` (`load` | `train` | `table` | `save`) and
 * `percent` (0–100); while training also `round` / `rounds`.
 *
 * Failure (bad data, a worker crash, a stop) marks the dataset FAILED with the reason, removes
 * the partial table, and leaves the previously active dataset active. The handler is
 * idempotent: a redelivered or resumed task for a READY dataset returns at once without
 * touching anything (in particular it does not re-activate an older dataset), and a re-run of
 * an unfinished one rebuilds the table from scratch (the table writer clears its prefix first).
 *
 * @example
 * ```ts
 * services.tasks.register(selectFeaturesTask(services)); // what registerIngestTasks does
 * const task = await services.tasks.submit(SELECT_FEATURES_KIND, { dataset_id: id });
 * ```
 *
 * @module
 */
import type { Services } from "../../services.ts";
import {
  type BoosterParams,
  featureImportance,
  type TrainData,
  trainInWorker,
} from "../../ml/mod.ts";
import { buildColumnTable } from "../../data/column_table.ts";
import { buildColumnTableInWorker } from "../../data/column_table_worker.ts";
import type { DatasetProfile } from "../../data/profile.ts";
import type { JsonObject, TaskContext, TaskKind } from "../../tasks/types.ts";
import {
  activateDataset,
  datasetBlobKeys,
  getDataset,
  type RankedFeature,
  updateDataset,
} from "./datasets.ts";
import { SELECT_FEATURES_KIND } from "./ingest.ts";
import { profileDeferredUpload } from "./deferred.ts";
import { rankFeatures } from "./rank.ts";
import { decodeSample, type RowSample } from "./sample_blob.ts";

export { SELECT_FEATURES_KIND } from "./ingest.ts";

/** Params of a selection task. */
export interface SelectFeaturesParams extends JsonObject {
  dataset_id: string;
}

/** Result of a selection task. */
export interface SelectFeaturesResult extends JsonObject {
  dataset_id: string;
  features: number;
  /** Features with a non-zero gain (the rest were filled in by completeness). */
  features_with_gain: number;
  top_features: RankedFeature[];
  rows: number;
  sample_rows: number;
  active: boolean;
  seconds: number;
}

/**
 * Hyperparameters of the selection model. The old service used XGBoost's defaults (100 trees,
 * depth 6, eta 0.3, binary:logistic) and we keep them so rankings stay comparable, with two
 * changes:
 * - `scale_pos_weight = negatives / positives` of the sample. With ~0.6 % failures an
 *   unweighted model earns almost all of its gain from fitting the pass class and splits mostly
 *   on noise once the few failures are isolated (the old ranking put noise first); weighting the
 *   failures to equal total weight makes the gain measure how well a feature separates
 *   failures, which is what the downstream model must learn. (The sample already holds every
 *   failure up to its budget, so the weight is computed on the sample's own counts.)
 * - `max_bin = 64` instead of 256: split finding over 968 features × bins × nodes dominates on
 *   a wide sample; on a 1 GB Bosch-shaped file 64 bins halved the training time (17.7 → 11.1 s
 *   CPU at the 2^24-cell sample) with the same signal recovery (the 20 planted signal features
 *   all in the top 100, 10–11 in the top 20, either way). Ranking needs coarse thresholds only.
 */
export function selectionParams(
  sample: { labels: Uint8Array; nRows: number },
): Partial<BoosterParams> {
  let pos = 0;
  for (let i = 0; i < sample.nRows; i++) pos += sample.labels[i];
  const neg = sample.nRows - pos;
  return {
    n_estimators: 100,
    max_depth: 6,
    learning_rate: 0.3,
    scale_pos_weight: pos > 0 && neg > 0 ? neg / pos : 1,
    max_bin: 64,
    seed: 42,
    // One thread: the sample is capped (SELECTION_SAMPLE_CELLS), so its rounds take ~2 s either
    // way. With the histogram helper from the worker host's pool (no ~1 s nested start any
    // more) the ranking step of a 1.18 M-row upload took 3.0–3.6 s with two threads vs
    // 3.15–3.45 s with one (3 pairs, 2026-12-04): no clear gain, so the other core stays free.
    n_threads: 1,
  };
}

/** The `dataset.select_features` task kind (registered by `registerIngestTasks`, mod.ts). */
export function selectFeaturesTask(
  services: Services,
): TaskKind<SelectFeaturesParams, SelectFeaturesResult> {
  return {
    kind: SELECT_FEATURES_KIND,
    resumable: true,
    lockKey: (p) => `select_features:${p.dataset_id}`,
    run: (ctx) => selectFeatures(services, ctx),
  };
}

/** Progress reporter with a phase, a percentage and throttling of intermediate updates. */
function reporter(ctx: TaskContext<SelectFeaturesParams>) {
  let last = 0;
  return async (
    phase: string,
    percent: number,
    status: string,
    extra: JsonObject = {},
    force = true,
  ) => {
    const now = Date.now();
    if (!force && now - last < 250) return;
    last = now;
    await ctx.progress({ status, phase, percent: Math.round(percent * 10) / 10, ...extra });
  };
}

/** The task body (exported for tests). */
export async function selectFeatures(
  services: Services,
  ctx: TaskContext<SelectFeaturesParams>,
): Promise<SelectFeaturesResult> {
  const t0 = performance.now();
  const { kv, storage, config } = services;
  const id = ctx.params.dataset_id;
  let rec = await getDataset(kv, id);
  if (!rec) throw new Error(`Dataset ${id} no longer exists.`);
  if (rec.state === "READY" && rec.features) {
    // Redelivery / resume after completion: report, change nothing.
    return resultOf(rec.id, rec.features, rec.profile?.rows ?? 0, 0, false, t0);
  }
  if (rec.state === "FAILED") throw new Error(rec.error ?? `Dataset ${id} failed.`);
  if (!rec.sample_key || !rec.profile_key) {
    // Stored by the api role without validation (deferred.ts): validate and profile it here.
    if (rec.state !== "SELECTING_FEATURES") {
      throw new Error(`Dataset ${id} has not been profiled (state ${rec.state}).`);
    }
    await ctx.progress({ status: "Validating and profiling the upload...", phase: "profile" });
    rec = await profileDeferredUpload(services, rec);
  }
  const profileKey = rec.profile_key, sampleKey = rec.sample_key;
  if (!profileKey || !sampleKey) throw new Error(`Dataset ${id} has no profile.`);
  const keys = datasetBlobKeys(id);
  const report = reporter(ctx);
  try {
    await report("load", 0, "Loading the row sample...");
    const profile = JSON.parse(
      new TextDecoder().decode(await storage.getBytes(profileKey)),
    ) as DatasetProfile;
    const { ranked, sampleRows } = await rankOnSample(services, ctx, sampleKey, profile);
    const withGain = ranked.filter((f) => f.importance > 0).length;

    await report("table", 60, `Building the column table of ${ranked.length} features...`);
    const names = ranked.map((f) => f.name);
    // Table progress arrives as plain callbacks: chain the KV writes so none can land after
    // the task has finished (a late write would turn a final record back into PROGRESS).
    let progressChain: Promise<void> = Promise.resolve();
    const tableOpts = {
      rowsHint: profile.rows,
      // Lets the table workers write their rows in place (column_table_worker.ts).
      recordIndex: profile.timeOrdered && profile.recordOffsets && profile.recordOffsetStep
        ? { step: profile.recordOffsetStep, offsets: profile.recordOffsets }
        : undefined,
      timestampColumn: config.timestampColumn,
      signal: ctx.signal,
      onProgress: (p: { bytes: number; totalBytes: number | null }) => {
        const share = p.totalBytes ? p.bytes / p.totalBytes : 0;
        progressChain = progressChain
          .then(() => report("table", 60 + 38 * share, "Building the column table...", {}, false))
          .catch(() => {});
      },
    };
    const path = storage.localPath(rec.source_key);
    const manifest = await (path
      ? buildColumnTableInWorker(path, names, storage, keys.table, tableOpts)
      : storage.get(rec.source_key).then((s) =>
        buildColumnTable(s, names, storage, keys.table, tableOpts)
      )).finally(() =>
        progressChain
      );
    if (manifest.rows !== profile.rows) {
      throw new Error(`The table has ${manifest.rows} rows, the profile ${profile.rows}.`);
    }

    await report("save", 99, "Saving the feature list...");
    const cur = await getDataset(kv, id);
    if (!cur) throw new Error(`Dataset ${id} was deleted during feature selection.`);
    const active = await activateDataset(kv, {
      ...cur,
      state: "READY",
      error: null,
      features: ranked,
      table_prefix: keys.table,
      updated_at: new Date().toISOString(),
    });
    return resultOf(id, ranked, manifest.rows, sampleRows, active, t0, withGain);
  } catch (err) {
    const reason = ctx.signal.aborted
      ? "Feature selection was stopped."
      : `Feature selection failed: ${err instanceof Error ? err.message : String(err)}`;
    await storage.deletePrefix(keys.table).catch(() => {});
    await updateDataset(
      kv,
      id,
      (cur) => cur.state === "READY" ? {} : { state: "FAILED", error: reason },
    ).catch(() => {});
    throw err;
  }
}

/**
 * Train the selection model on the stored sample and rank its features. A function of its own
 * so the sample (up to ~128 MiB) is garbage once it returns, before the table build allocates
 * the full columns.
 */
async function rankOnSample(
  services: Services,
  ctx: TaskContext<SelectFeaturesParams>,
  sampleKey: string,
  profile: DatasetProfile,
): Promise<{ ranked: RankedFeature[]; sampleRows: number }> {
  const { storage, config } = services;
  const report = reporter(ctx);
  // In shared memory: the training worker reads the columns where they are (no 67 MB copy).
  const sample = decodeSample(await storage.getBytes(sampleKey, { shared: true }));
  ctx.signal.throwIfAborted();
  const rounds = 100;
  await report("train", 5, "Training the feature-selection model...", { round: 0, rounds });
  const { model } = await trainInWorker(
    trainDataOf(sample),
    selectionParams(sample),
    {
      signal: ctx.signal,
      onRound: (r) =>
        report("train", 5 + 55 * (r + 1) / rounds, "Training the feature-selection model...", {
          round: r + 1,
          rounds,
        }, false),
    },
  );
  const importance = featureImportance(model, "gain");
  const candidates = sample.featureNames;
  const missing = candidates.map((c) => profile.missingShare[c] ?? 1);
  const ranked = rankFeatures(importance, candidates, missing, Math.max(1, config.topFeatures));
  if (ranked.length === 0) throw new Error("No feature column has any value.");
  return { ranked, sampleRows: sample.nRows };
}

function trainDataOf(s: RowSample): TrainData {
  return { nRows: s.nRows, featureNames: s.featureNames, columns: s.columns, labels: s.labels };
}

function resultOf(
  id: string,
  ranked: RankedFeature[],
  rows: number,
  sampleRows: number,
  active: boolean,
  t0: number,
  withGain = ranked.filter((f) => f.importance > 0).length,
): SelectFeaturesResult {
  return {
    dataset_id: id,
    features: ranked.length,
    features_with_gain: withGain,
    top_features: ranked.slice(0, 10),
    rows,
    sample_rows: sampleRows,
    active,
    seconds: Math.round((performance.now() - t0) / 100) / 10,
  };
}
