/**
 * Feature importance as horizontal bars (plain HTML/CSS, so it renders on the server and needs
 * no chart library). Bars are scaled to the largest importance; values are shown as a share of
 * the total.
 *
 * @example
 * ```tsx
 * <FeatureBars features={[{ name: "L3_S1_F14", importance: 12.5 }]} limit={20} />
 * ```
 *
 * @module
 */
import { fmtPct } from "../lib/ui/format.ts";

/** Props of `FeatureBars`. */
export interface FeatureBarsProps {
  features: { name: string; importance: number }[];
  /** Show at most this many (the rest is counted). */
  limit?: number;
  caption?: string;
  /** Say how many are not shown (default true; off when the caller offers a toggle). */
  countHidden?: boolean;
}

/** The bar list. */
export function FeatureBars(
  { features, limit = 20, caption, countHidden = true }: FeatureBarsProps,
) {
  if (features.length === 0) return <p class="qc-muted">No feature importance available.</p>;
  const finite = features.map((f) => (Number.isFinite(f.importance) ? f.importance : 0));
  const max = Math.max(...finite, 0);
  const total = finite.reduce((a, b) => a + b, 0);
  const shown = features.slice(0, limit);
  return (
    <figure class="qc-bars">
      {caption && <figcaption>{caption}</figcaption>}
      <ol>
        {shown.map((f, i) => {
          const v = finite[i];
          return (
            <li key={f.name}>
              <span class="qc-bars-name" title={f.name}>{f.name}</span>
              <span class="qc-bars-track" aria-hidden="true">
                <span
                  class="qc-bars-fill"
                  style={{ width: `${max > 0 ? Math.max(1, (v / max) * 100) : 0}%` }}
                />
              </span>
              <span class="qc-bars-value">{total > 0 ? fmtPct(v / total, 1) : "0 %"}</span>
            </li>
          );
        })}
      </ol>
      {countHidden && features.length > shown.length && (
        <p class="qc-muted qc-small">… and {features.length - shown.length} more</p>
      )}
    </figure>
  );
}

export default FeatureBars;
