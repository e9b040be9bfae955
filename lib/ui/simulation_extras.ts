/**
 * What the simulation page follows beside the packet feed (issue 12): the persistent fail log
 * (`GET /simulation/{id}/failures`), refetched as the run's fail count grows so every Fail
 * packet shows up, and the running summary (its `drift` block), refreshed while the run goes on.
 *
 * @example
 * ```tsx
 * const log = useFailLog(task?.task_id ?? null, feed.latest?.live_stats.fail_count);
 * useSummaryRefresh(task?.task_id ?? null, running, feed.setSummary);
 * ```
 *
 * @module
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { apiGet, errorText } from "./api_client.ts";
import { FAIL_LOG_ROWS, mergeFailures } from "./explanation_view.ts";
import type { FailurePage, FailureRecord, SimSummary } from "./types.ts";

/** Shortest time between two fail-log fetches (a burst of failures is one fetch). */
export const FAIL_LOG_MIN_INTERVAL_MS = 1000;
/** Summary refresh period while a run goes on (the drift block changes slowly). */
export const SUMMARY_REFRESH_MS = 5000;

/** The fail log of a run as the page shows it. */
export interface FailLogState {
  failures: FailureRecord[];
  /** All failures of the run (the log may show fewer: the newest FAIL_LOG_ROWS). */
  failCount: number;
  error: string | null;
}

/**
 * The newest failures of run `taskId`, fetched once and again whenever `knownFails` (the live
 * packets' fail count) exceeds what the log holds — at most every FAIL_LOG_MIN_INTERVAL_MS.
 */
export function useFailLog(taskId: string | null, knownFails: number | undefined): FailLogState {
  const [state, setState] = useState<FailLogState>({ failures: [], failCount: 0, error: null });
  const fetched = useRef({ taskId: null as string | null, count: -1, busy: false, last: 0 });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const wanted = useRef(0);
  wanted.current = knownFails ?? 0;

  useEffect(() => {
    if (!taskId) return;
    const f = fetched.current;
    if (f.taskId !== taskId) {
      fetched.current = { taskId, count: -1, busy: false, last: 0 };
      setState({ failures: [], failCount: 0, error: null });
    }
    const want = wanted.current;
    const load = async () => {
      const cur = fetched.current;
      if (cur.busy || cur.taskId !== taskId) return;
      cur.busy = true;
      cur.last = Date.now();
      try {
        const page = await apiGet<FailurePage>(
          `/simulation/${encodeURIComponent(taskId)}/failures?limit=${FAIL_LOG_ROWS}`,
        );
        if (fetched.current.taskId !== taskId) return;
        cur.count = Math.max(page.fail_count, page.failures.length);
        setState((s) => ({
          failures: mergeFailures(s.failures, page.failures),
          failCount: Math.max(page.fail_count, s.failCount),
          error: null,
        }));
      } catch (err) {
        setState((s) => ({ ...s, error: errorText(err) }));
      } finally {
        cur.busy = false;
        // Failures that arrived during the fetch: fetch again (after the minimum interval).
        if (fetched.current === cur && cur.count >= 0 && wanted.current > cur.count) {
          timer.current = setTimeout(load, FAIL_LOG_MIN_INTERVAL_MS);
        }
      }
    };
    const cur = fetched.current;
    if ((cur.count >= 0 && want <= cur.count) || cur.busy) return;
    clearTimeout(timer.current);
    const wait = Math.max(0, cur.last + FAIL_LOG_MIN_INTERVAL_MS - Date.now());
    timer.current = setTimeout(load, wait);
  }, [taskId, knownFails]);

  useEffect(() => () => clearTimeout(timer.current), []);
  return state;
}

/** Refresh the summary of run `taskId` every SUMMARY_REFRESH_MS while `running`. */
export function useSummaryRefresh(
  taskId: string | null,
  running: boolean,
  setSummary: (s: SimSummary) => void,
): void {
  useEffect(() => {
    if (!taskId || !running) return;
    const id = encodeURIComponent(taskId);
    const timer = setInterval(() => {
      apiGet<SimSummary>(`/simulation/${id}/summary`).then(setSummary, () => {});
    }, SUMMARY_REFRESH_MS);
    return () => clearInterval(timer);
  }, [taskId, running]);
}
