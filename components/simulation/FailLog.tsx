/**
 * The fail log of a run: a counter, a CSV export link (`/simulation/{id}/failures?format=csv`,
 * every failure), and the newest failures with their time, P(fail), the true Response when
 * known, and each one's explanation as a small signed bar chart. Pure (the island fetches).
 *
 * @example
 * ```tsx
 * <FailLog taskId={task.task_id} log={useFailLog(task.task_id, failCount)} />
 * ```
 *
 * @module
 */
import { fmtDateTime, fmtInt, fmtPct } from "../../lib/ui/format.ts";
import { FAIL_LOG_ROWS } from "../../lib/ui/explanation_view.ts";
import type { FailureRecord } from "../../lib/ui/types.ts";
import { Card } from "../Card.tsx";
import { Alert } from "../Notice.tsx";
import { ExplanationBars } from "./ExplanationBars.tsx";

/** Props of `FailLog`. */
export interface FailLogProps {
  taskId: string;
  log: { failures: FailureRecord[]; failCount: number; error: string | null };
}

function truth(f: FailureRecord): string {
  if (f.response === null) return "true Response unknown";
  return f.response === 1 ? "actual: Fail (caught)" : "actual: Pass (false alarm)";
}

/** The card. */
export function FailLog({ taskId, log }: FailLogProps) {
  const { failures, failCount, error } = log;
  const count = Math.max(failCount, failures.length);
  const csv = `/simulation/${encodeURIComponent(taskId)}/failures?format=csv`;
  return (
    <Card
      heading="Fail log"
      headingId="sim-fail-log"
      aside={
        <span class="qc-links">
          <strong data-fail-count>{fmtInt(count)}</strong> {count === 1 ? "failure" : "failures"} ·
          {" "}
          <a href={csv} download>Export CSV</a>
        </span>
      }
    >
      {error && <Alert kind="warning">Fail log: {error}</Alert>}
      {failures.length === 0
        ? <p class="qc-muted">No part has been predicted to fail in this run yet.</p>
        : (
          <>
            {count > failures.length && (
              <p class="qc-muted qc-small">
                The newest {fmtInt(Math.min(failures.length, FAIL_LOG_ROWS))} of{" "}
                {fmtInt(count)}; the CSV export has them all.
              </p>
            )}
            {/* Scrolls inside its card: focusable so keyboard users can scroll it too. */}
            <ol class="qc-fail-log" data-fail-log tabIndex={0} aria-label="Predicted failures">
              {failures.map((f) => (
                <li key={f.row} data-fail-row={f.row}>
                  <div>
                    <strong>Row {fmtInt(f.row)}</strong> · <code>{f.sample_id}</code> ·{" "}
                    {fmtDateTime(f.timestamp)} · P(fail) {fmtPct(f.p_fail, 1)} ·{" "}
                    <span class="qc-muted">{truth(f)}</span>
                  </div>
                  <ExplanationBars explanation={f.explanation} compact />
                </li>
              ))}
            </ol>
          </>
        )}
    </Card>
  );
}

export default FailLog;
