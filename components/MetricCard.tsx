/**
 * One metric: label, big value, optional hint line. Pure (SSR and islands).
 *
 * @example
 * ```tsx
 * <MetricCard label="Recall" value={fmtPct(0.41)} hint="fails caught" />
 * ```
 *
 * @module
 */
import type { ComponentChildren } from "preact";

/** Props of `MetricCard`. */
export interface MetricCardProps {
  label: string;
  value: ComponentChildren;
  hint?: ComponentChildren;
  /** Colour accent: good / bad / neutral (default). */
  tone?: "good" | "bad" | "warn" | "neutral";
}

/** A metric tile. */
export function MetricCard({ label, value, hint, tone = "neutral" }: MetricCardProps) {
  return (
    <div class={`qc-metric qc-tone-${tone}`}>
      <div class="qc-metric-label">{label}</div>
      <div class="qc-metric-value">{value}</div>
      {hint !== undefined && hint !== null && <div class="qc-metric-hint">{hint}</div>}
    </div>
  );
}

export default MetricCard;
