/**
 * An accessible progress bar (`role="progressbar"`); indeterminate when `value` is null.
 *
 * @example
 * ```tsx
 * <ProgressBar label="Boosting rounds" value={42} max={200} text="42 / 200" />
 * ```
 *
 * @module
 */

/** Props of `ProgressBar`. */
export interface ProgressBarProps {
  label: string;
  /** Current value, or null for "working, amount unknown". */
  value: number | null;
  max?: number;
  /** Text shown beside the bar (defaults to the percentage). */
  text?: string;
}

/** The bar. */
export function ProgressBar({ label, value, max = 100, text }: ProgressBarProps) {
  const known = value !== null && Number.isFinite(value) && max > 0;
  const pct = known ? Math.max(0, Math.min(100, (value! / max) * 100)) : 0;
  return (
    <div class="qc-progress">
      <div class="qc-progress-head">
        <span>{label}</span>
        <span class="qc-progress-text">{text ?? (known ? `${pct.toFixed(0)} %` : "")}</span>
      </div>
      <div
        class={`qc-progress-track${known ? "" : " qc-progress-indeterminate"}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={known ? max : undefined}
        aria-valuenow={known ? value! : undefined}
      >
        <div class="qc-progress-fill" style={known ? { width: `${pct}%` } : undefined} />
      </div>
    </div>
  );
}

export default ProgressBar;
