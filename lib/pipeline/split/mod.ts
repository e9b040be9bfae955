/**
 * Split: the active dataset → train / test / simulation sets by inclusive UTC date windows
 * (a synchronous step: no task kind). The capability's public surface.
 *
 * @example
 * ```ts
 * const issues = checkWindows(windows); // [] when the windows are usable
 * const { split, response } = await createSplit(services, windows);
 * const train = await loadSplitSet(services, split, "train");
 * ```
 *
 * @module
 */
export {
  clearTimeIndexCache,
  createSplit,
  getActiveSplit,
  getSplit,
  loadSplitSet,
  SET_NAMES,
  type SetName,
  SplitError,
  type SplitRecord,
  type TimeWindow,
} from "./split.ts";
export { checkWindows, type WindowIssue } from "./windows.ts";
export {
  binIndex,
  DRIFT_MIN_ROWS,
  type DriftLevel,
  type DriftReport,
  driftReport,
  type FeatureBins,
  type FeatureDrift,
  PSI_DRIFT,
  PSI_EPSILON,
  PSI_WATCH,
} from "./drift.ts";
export { getSplitDrift, type SplitDrift } from "./split_drift.ts";
