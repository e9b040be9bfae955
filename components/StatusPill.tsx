/**
 * A coloured pill for task and dataset states (Celery names and dataset states).
 *
 * @example
 * ```tsx
 * <StatusPill status="SUCCESS" />   // green "Success"
 * <StatusPill status="SELECTING_FEATURES" /> // blue, animated "Selecting features"
 * ```
 *
 * @module
 */

/** Tone of a state: ok, bad, busy, idle. */
export function statusTone(status: string | null | undefined): "ok" | "bad" | "busy" | "idle" {
  switch (status) {
    case "READY":
    case "SUCCESS":
    case "ACTIVE":
      return "ok";
    case "FAILED":
    case "FAILURE":
    case "ERROR":
      return "bad";
    case "PENDING":
    case "STARTED":
    case "PROGRESS":
    case "UPLOADED":
    case "UPLOADING":
    case "PROFILING":
    case "SELECTING_FEATURES":
    case "VALIDATING":
    case "WARMUP":
      return "busy";
    default:
      return "idle";
  }
}

/** `SELECTING_FEATURES` → `Selecting features`. */
export function statusLabel(status: string | null | undefined): string {
  if (!status) return "Unknown";
  // Celery's REVOKED is what an operator's Stop does: say so.
  if (status === "REVOKED") return "Stopped";
  const words = status.toLowerCase().replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Props of `StatusPill`. */
export interface StatusPillProps {
  status: string | null | undefined;
  /** Text instead of the humanized state. */
  label?: string;
}

/** The pill. */
export function StatusPill({ status, label }: StatusPillProps) {
  const tone = statusTone(status);
  return (
    <span class={`qc-pill qc-pill-${tone}`} data-status={status ?? ""}>
      {tone === "busy" && <span class="qc-spinner" aria-hidden="true" />}
      {label ?? statusLabel(status)}
    </span>
  );
}

export default StatusPill;
