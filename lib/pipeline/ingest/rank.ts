/**
 * Turning a selection model's gain importances into the dataset's ranked feature list.
 *
 * @module
 */
import type { RankedFeature } from "./datasets.ts";

/**
 * The top `n` features by gain (best first). When fewer than `n` features were used by any
 * split, the list is filled up to `n` with the unused candidates that have the FEWEST missing
 * values (importance 0, ties in column order).
 *
 * Why fill: the old service always kept 100 names, and the training step (a GBDT on far more
 * rows than the selection sample) simply ignores useless columns, whereas a signal column the
 * small sample happened not to split on would be lost for good. Preferring well-populated
 * columns keeps the ones most likely to carry information on the full data. Columns that are
 * entirely empty are never added (they cannot help any model).
 *
 * @example
 * ```ts
 * rankFeatures({ b: 2, a: 5 }, ["a", "b", "c"], [0.1, 0.2, 0.3], 3);
 * // → [{name:"a",importance:5},{name:"b",importance:2},{name:"c",importance:0}]
 * ```
 */
export function rankFeatures(
  importance: Record<string, number>,
  candidates: readonly string[],
  missingShare: readonly number[],
  n: number,
): RankedFeature[] {
  const index = new Map(candidates.map((c, i) => [c, i]));
  const used: RankedFeature[] = [];
  for (const [name, value] of Object.entries(importance)) {
    if (index.has(name) && Number.isFinite(value) && value > 0) {
      used.push({ name, importance: value });
    }
  }
  used.sort((a, b) => b.importance - a.importance || (index.get(a.name)! - index.get(b.name)!));
  const out = used.slice(0, n);
  if (out.length >= n) return out;
  const taken = new Set(out.map((f) => f.name));
  const rest = candidates
    .map((name, i) => ({ name, i, miss: missingShare[i] ?? 1 }))
    .filter((c) => !taken.has(c.name) && c.miss < 1)
    .sort((a, b) => a.miss - b.miss || a.i - b.i);
  for (const c of rest) {
    if (out.length >= n) break;
    out.push({ name: c.name, importance: 0 });
  }
  return out;
}
