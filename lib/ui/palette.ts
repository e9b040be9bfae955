/**
 * Colours shared by charts (canvas cannot read CSS variables cheaply) and kept in step with
 * `static/css/base.css` (`--qc-train`, `--qc-test`, …).
 *
 * @module
 */

/** Window and class colours. */
export const COLORS = {
  train: "#2563eb",
  test: "#d97706",
  simulation: "#059669",
  outside: "#cbd5e1",
  /** A day shared by two windows. */
  overlap: "#7c3aed",
  pass: "#16a34a",
  fail: "#dc2626",
  neutral: "#64748b",
  trainCurve: "#2563eb",
  validCurve: "#db2777",
  threshold: "#dc2626",
} as const;
