/**
 * What the simulation page shows, derived from the task, the latest packet and the summary:
 * pure functions (no Preact, no requests), so the components stay declarative and this is unit
 * tested. The live packet stream itself is `simulation_feed.ts`.
 *
 * @example
 * ```ts
 * const parsed = parseStartForm("2", "");          // { body: { rows_per_second: 2 } }
 * const { done, total } = rowsReplayed(latest, summary, 2170);
 * ```
 *
 * @module
 */
import { isFinalTask } from "./task_start.ts";
import type { SimPacket, SimSummary, TaskStatus } from "./types.ts";

/** Rows the rolling quality chart keeps. */
export const CHART_POINTS = 300;
/** Packets the latest-packets table keeps. */
export const TABLE_ROWS = 20;

/** How the page receives packets: server-sent events, polling, or not (idle / finished). */
export type Transport = "sse" | "polling" | null;

/** The body of `POST /simulation/start`, or why the form cannot be sent. */
export type StartForm = { body: { rows_per_second?: number; warmup_seconds?: number } } | {
  error: string;
};

/**
 * Check the form's two fields (text as typed); an empty field is left out of the body so the
 * server's default applies.
 */
export function parseStartForm(rate: string, warmup: string): StartForm {
  const body: { rows_per_second?: number; warmup_seconds?: number } = {};
  if (rate.trim() !== "") {
    const r = Number(rate);
    if (!Number.isFinite(r) || r <= 0) {
      return { error: "Rows per second must be a positive number." };
    }
    body.rows_per_second = r;
  }
  if (warmup.trim() !== "") {
    const w = Number(warmup);
    if (!Number.isFinite(w) || w < 0) return { error: "Warmup must be 0 or more seconds." };
    body.warmup_seconds = w;
  }
  return { body };
}

/** The decision threshold on P(fail): the model's, else the summary's, else 0.5. */
export function decisionThreshold(
  model: { threshold: number } | null,
  summary: SimSummary | null,
): number {
  return model?.threshold ?? summary?.threshold ?? 0.5;
}

/** The threshold on the quality-score scale (P(pass) × 100) the chart draws it on. */
export function qualityLine(threshold: number): number {
  return (1 - threshold) * 100;
}

/**
 * Rows replayed so far and in all: from the latest packet when there is one, else the summary,
 * else the page's row count (`total` null when nothing is known).
 */
export function rowsReplayed(
  latest: SimPacket | null,
  summary: SimSummary | null,
  simulationRows: number | null,
): { done: number; total: number | null } {
  return {
    done: latest ? latest.current_row_index + 1 : summary?.processed ?? 0,
    total: latest?.total_rows ?? summary?.total_rows ?? simulationRows,
  };
}

/** The running counts: the latest packet's live statistics, else the summary's. */
export function runningCounts(latest: SimPacket | null, summary: SimSummary | null): {
  predictions: number | undefined;
  pass: number | undefined;
  fail: number | undefined;
  averageConfidence: number | undefined;
} {
  const stats = latest?.live_stats;
  return {
    predictions: stats?.total_predictions ?? summary?.processed,
    pass: stats?.pass_count ?? summary?.pass_count,
    fail: stats?.fail_count ?? summary?.fail_count,
    averageConfidence: stats?.average_confidence ?? summary?.average_confidence,
  };
}

/** `fail` or `pass`: the colour class suffix of a prediction. */
export function verdictTone(prediction: string): "fail" | "pass" {
  return prediction === "Fail" ? "fail" : "pass";
}

/** The top-feature columns of the packets table (those of its first row). */
export function featureColumns(rows: SimPacket[]): string[] {
  return Object.keys(rows[0]?.live_prediction.top_features ?? {});
}

/** The step shown while a run has produced no packet yet (warm-up), else null. */
export function warmupMessage(task: TaskStatus | null, latest: SimPacket | null): string | null {
  if (task === null || isFinalTask(task.status) || latest) return null;
  return task.progress?.status ?? "Starting…";
}

/** The message a finished run left (`result.message`), with the alert kind to show it in. */
export function finalMessage(
  task: TaskStatus | null,
): { kind: "success" | "info"; text: string } | null {
  const text = (task?.result as { message?: string } | null | undefined)?.message;
  if (!text || !isFinalTask(task?.status)) return null;
  return { kind: task?.status === "SUCCESS" ? "success" : "info", text };
}

/** How packets arrive, in words (null when they do not). */
export function transportText(transport: Transport): string | null {
  if (transport === null) return null;
  return `live via ${transport === "sse" ? "server-sent events" : "polling"}`;
}
