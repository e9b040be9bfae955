/**
 * The per-row explanation a simulation packet carries (issue 12): the row's margin, the bias
 * (the margin with nothing known) and the features with the largest TreeSHAP contributions, with
 * the row's values. `bias + Σ contributions over all features = margin`; `top` lists the
 * {@link EXPLANATION_TOP} largest |contributions| (fewer when fewer features contribute).
 *
 * The TreeSHAP work happens in the scorer worker (`scorer_worker.ts` → {@link RowExplanation});
 * this module only names the features and attaches their values on the service thread.
 *
 * @example
 * ```ts
 * const e = packetExplanation(raw, model.feature_names, row);
 * // {"margin": -2.31, "bias": -3.05, "top": [{"feature": "L3_S30_F5", "value": 0.12,
 * //   "contribution": 0.61}, …]}
 * ```
 *
 * @module
 */
import type { Contribution } from "../../ml/mod.ts";
import { float32ToJson } from "./stats.ts";
import type { PacketExplanation } from "./packet_types.ts";

/** How many contributions a packet lists. */
export const EXPLANATION_TOP = 5;

/** What the scorer worker returns per row (feature indices in model order). */
export interface RowExplanation {
  /** The model's raw margin (log-odds) for the row. */
  margin: number;
  /** logit(base_score) + the trees' expected values. */
  bias: number;
  /** Largest |contribution| first. */
  top: Contribution[];
}

export type { ExplainedFeature, PacketExplanation } from "./packet_types.ts";

/** Names the worker's feature indices and attaches the row's values (`row` in model order). */
export function packetExplanation(
  raw: RowExplanation,
  featureNames: readonly string[],
  row: ArrayLike<number>,
): PacketExplanation {
  return {
    margin: raw.margin,
    bias: raw.bias,
    top: raw.top.map((c) => ({
      feature: featureNames[c.feature],
      value: float32ToJson(row[c.feature]),
      contribution: c.contribution,
    })),
  };
}
