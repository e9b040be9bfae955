/**
 * The training recipe around the booster: which positive-class weight to use, how to put the
 * probabilities back on the P(fail) scale when a weight was used, how many rounds a refit on the
 * whole training window gets, and the payload fields that say what was chosen and why.
 *
 * The defaults (params.ts `TRAIN_DEFAULTS`) were chosen on the panel of bench/model_quality.ts;
 * the figures are in docs/DESIGN.md ("Model quality").
 *
 * @example
 * ```ts
 * const spw = positiveWeight(settings, { neg: 9900, pos: 100 }); // 1 with class_weighting "none"
 * const model = calibrateWeighted(trained, spw);                  // base margin − log(spw)
 * ```
 *
 * @module
 */
import type { GbdtModel, ThresholdChoice } from "../../ml/mod.ts";
import type { TrainSettings } from "./params.ts";

/** The payload fields stating what the recipe chose (task result, model record, metrics.json). */
export interface TrainRecipe {
  /** none | balanced | sqrt | custom (explicit `scale_pos_weight`). */
  class_weighting: string;
  scale_pos_weight: number;
  /** unweighted | prior_shift_calibrated | uncalibrated: whether scores are P(fail). */
  probabilities: string;
  threshold_source: string;
  threshold_smoothing: number;
  /** Validation metric at the threshold (raw, smoothed) and its curve, thinned; null if none. */
  validation_metric: {
    metric: "mcc" | "f1";
    value: number;
    smoothed_value: number;
    curve: { threshold: number; value: number }[];
  } | null;
  early_stopping_rounds: number;
  refit: boolean;
  refit_rounds: number;
}

/** Points of the validation metric curve kept in a payload. */
export const CURVE_POINTS = 50;

/** The positive-class weight: an explicit `scale_pos_weight` wins over `class_weighting`. */
export function positiveWeight(
  settings: Pick<TrainSettings, "scale_pos_weight" | "class_weighting">,
  counts: { neg: number; pos: number },
): number {
  const ratio = counts.pos > 0 ? counts.neg / counts.pos : 1;
  const spw = settings.scale_pos_weight;
  if (typeof spw === "number") return spw;
  if (spw === "auto") return ratio;
  switch (settings.class_weighting) {
    case "balanced":
      return ratio;
    case "sqrt":
      return Math.sqrt(ratio);
    default:
      return 1;
  }
}

/** What the weighting was called in the payload (`custom` for an explicit number). */
export function weightingName(
  settings: Pick<TrainSettings, "scale_pos_weight" | "class_weighting">,
): string {
  if (typeof settings.scale_pos_weight === "number") return "custom";
  if (settings.scale_pos_weight === "auto") return "balanced";
  return settings.class_weighting;
}

/**
 * Prior-shift correction of a model trained with positive weight `spw`: weighting positives by
 * `spw` multiplies the odds the logistic loss fits by `spw`, so subtracting log(spw) from every
 * margin gives back P(fail). The shift is folded into the base score, so the ONNX and XGBoost
 * exports carry it too. `spw` = 1 returns the model unchanged.
 */
export function calibrateWeighted(model: GbdtModel, spw: number): GbdtModel {
  if (spw === 1) return model;
  const margin = Math.log(model.baseScore / (1 - model.baseScore)) - Math.log(spw);
  return { ...model, baseScore: 1 / (1 + Math.exp(-margin)) };
}

/** Rounds of the refit: the trees the early-stopped model kept (best_iteration + 1). */
export function refitRounds(bestIteration: number): number {
  return Math.max(1, bestIteration + 1);
}

/** Every k-th point of the validation curve, so the payload stays small. */
export function thinCurve(
  curve: ThresholdChoice["curve"],
  maxPoints = CURVE_POINTS,
): { threshold: number; value: number }[] {
  const n = curve.thresholds.length;
  const step = Math.max(1, Math.ceil(n / maxPoints));
  const out: { threshold: number; value: number }[] = [];
  for (let k = 0; k < n; k++) {
    if (k % step !== 0 && k !== n - 1) continue;
    out.push({
      threshold: Math.round(curve.thresholds[k] * 1e6) / 1e6,
      value: Math.round(curve.values[k] * 1e4) / 1e4,
    });
  }
  return out;
}
