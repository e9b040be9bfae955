/**
 * Training hyperparameters: the optional JSON body of `POST /process/train/start`.
 *
 * .NET sends no body, so every field is optional and the defaults reproduce the old service's
 * hyperparameters (200 rounds, depth 5, eta 0.1, binary:logistic) plus the fixes of issue 6:
 * `scale_pos_weight` = negatives / positives, early stopping on a time-ordered validation slice
 * cut from the end of the training window, and a decision threshold tuned on that slice.
 *
 * @example
 * ```ts
 * const parsed = trainOverridesSchema.parse({ max_depth: 6 });
 * const params = resolveTrainSettings(parsed, { defaultThreads: 2 });
 * params.n_estimators; // 200
 * ```
 *
 * @module
 */
import { z } from "zod";
import type { BoosterParams } from "../../ml/mod.ts";

/** Upper bound on rounds: keeps the per-round curves of a task result inside one KV value. */
export const MAX_ROUNDS = 500;

/** The accepted overrides (unknown keys are rejected so a typo does not pass silently). */
export const trainOverridesSchema = z.strictObject({
  n_estimators: z.int().min(1).max(MAX_ROUNDS).optional(),
  max_depth: z.int().min(1).max(12).optional(),
  learning_rate: z.number().gt(0).max(1).optional(),
  min_child_weight: z.number().min(0).max(1e6).optional(),
  reg_lambda: z.number().min(0).max(1e6).optional(),
  reg_alpha: z.number().min(0).max(1e6).optional(),
  gamma: z.number().min(0).max(1e6).optional(),
  subsample: z.number().gt(0).max(1).optional(),
  colsample_bytree: z.number().gt(0).max(1).optional(),
  max_bin: z.int().min(2).max(256).optional(),
  seed: z.int().min(0).max(2 ** 31 - 1).optional(),
  /** `"auto"` (default) = negatives / positives of the training part; 1 = no reweighting. */
  scale_pos_weight: z.union([z.literal("auto"), z.number().gt(0).max(1e6)]).optional(),
  /** Rounds without improvement of the validation logloss before stopping; 0 = off. */
  early_stopping_rounds: z.int().min(0).max(MAX_ROUNDS).optional(),
  /** Share of the training window (its END, in time order) held out for early stopping. */
  validation_fraction: z.number().min(0).max(0.5).optional(),
  /** Metric the decision threshold is tuned for on the validation slice. */
  threshold_metric: z.enum(["mcc", "f1"]).optional(),
  /** Histogram worker threads (default: config `TRAIN_THREADS`). */
  n_threads: z.int().min(1).max(16).optional(),
});

/** Parsed start-body overrides. */
export type TrainOverrides = z.infer<typeof trainOverridesSchema>;

/**
 * Every training setting, resolved (what a train task runs with and records): the booster's
 * parameters (the prior stays XGBoost's 0.5), with `scale_pos_weight` allowed to be "auto"
 * (negatives / positives of the training part), plus the validation slice and threshold rule.
 */
export type TrainSettings = Omit<BoosterParams, "scale_pos_weight" | "base_score"> & {
  scale_pos_weight: number | "auto";
  validation_fraction: number;
  threshold_metric: "mcc" | "f1";
};

/** Defaults: the old service's hyperparameters plus the issue-6 fixes. */
export const TRAIN_DEFAULTS: Omit<TrainSettings, "n_threads"> = {
  n_estimators: 200,
  max_depth: 5,
  learning_rate: 0.1,
  min_child_weight: 1,
  reg_lambda: 1,
  reg_alpha: 0,
  gamma: 0,
  subsample: 1,
  colsample_bytree: 1,
  max_bin: 256,
  seed: 0,
  scale_pos_weight: "auto",
  early_stopping_rounds: 30,
  validation_fraction: 0.15,
  threshold_metric: "mcc",
};

/** Fill the defaults in (`defaultThreads` comes from the config). */
export function resolveTrainSettings(
  overrides: TrainOverrides,
  opts: { defaultThreads: number },
): TrainSettings {
  const out: TrainSettings = { ...TRAIN_DEFAULTS, n_threads: Math.max(1, opts.defaultThreads) };
  for (const [k, v] of Object.entries(overrides)) {
    if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  }
  return out;
}
