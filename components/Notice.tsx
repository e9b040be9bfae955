/**
 * Message boxes: an empty state (nothing to show yet, with the next step) and an alert
 * (error / warning / info / success).
 *
 * @example
 * ```tsx
 * <EmptyState title="No dataset yet">Upload a CSV to begin.</EmptyState>
 * <Alert kind="error" title="Upload refused">Missing Response column</Alert>
 * ```
 *
 * @module
 */
import type { ComponentChildren } from "preact";

/** Props of `EmptyState`. */
export interface EmptyStateProps {
  title: string;
  children?: ComponentChildren;
  /** A link to the page where the next step is done. */
  action?: { href: string; label: string };
}

/** "Nothing here yet" with the next step. */
export function EmptyState({ title, children, action }: EmptyStateProps) {
  return (
    <div class="qc-empty">
      <p class="qc-empty-title">{title}</p>
      {children && <div class="qc-empty-body">{children}</div>}
      {action && <a class="qc-button qc-button-secondary" href={action.href}>{action.label}</a>}
    </div>
  );
}

/** Props of `Alert`. */
export interface AlertProps {
  kind: "error" | "warning" | "info" | "success";
  title?: string;
  children?: ComponentChildren;
}

/** A message box; errors and warnings are announced (`role="alert"`). */
export function Alert({ kind, title, children }: AlertProps) {
  const role = kind === "error" || kind === "warning" ? "alert" : "status";
  return (
    <div class={`qc-alert qc-alert-${kind}`} role={role}>
      {title && <strong class="qc-alert-title">{title}</strong>}
      {children && <div class="qc-alert-body">{children}</div>}
    </div>
  );
}
