/**
 * The fail log of a simulation: every row predicted "Fail", kept in Deno KV beside the packets.
 *
 * `["sim_failures", taskId, row]` → {@link FailureRecord}, written by `writePacket` in the SAME
 * atomic commit as the row's packet and summary, with the same expiry (the task retention). So the
 * log holds exactly the Fail packets stored: a restart that redoes a row rewrites the same key
 * with the same content, and nothing is lost or doubled.
 *
 * Read newest first with a cursor (`before` = a row index, exclusive), or as CSV.
 *
 * @example
 * ```ts
 * const page = await readFailures(kv, taskId, { limit: 50 });        // newest 50
 * const next = await readFailures(kv, taskId, { before: page.nextBefore!, limit: 50 });
 * return new Response(failuresCsvStream(kv, taskId), { headers: { "content-type": "text/csv" } });
 * ```
 *
 * @module
 */
import type { KvStore } from "../../kv.ts";
import type { PacketExplanation, SimPacketRecord } from "./packet_types.ts";
import { EXPLANATION_TOP } from "./explanation.ts";

/** One predicted failure. */
export interface FailureRecord {
  /** The row's `current_row_index` in the replay (0-based); the cursor unit. */
  row: number;
  sample_id: string;
  /** The row's timestamp (ISO-8601 UTC, as in the packet). */
  timestamp: string;
  /** Unrounded P(fail). */
  p_fail: number;
  /** The true `Response` (1 = defective) when the data has it, else null. */
  response: 0 | 1 | null;
  /** The TreeSHAP explanation of the row (null when the model has none). */
  explanation: PacketExplanation | null;
}

/** Largest page {@link readFailures} returns. */
export const MAX_FAILURE_PAGE = 1000;

/** Key of the failure at `row` of a task. */
export const failureKey = (taskId: string, row: number): Deno.KvKey => [
  "sim_failures",
  taskId,
  row,
];

/** The fail-log entry of a stored packet, or null when the row was predicted "Pass". */
export function failureOf(record: SimPacketRecord): FailureRecord | null {
  const lp = record.packet.live_prediction;
  if (lp.prediction !== "Fail") return null;
  return {
    row: record.seq,
    sample_id: lp.sample_id,
    timestamp: lp.timestamp,
    p_fail: record.p_fail,
    response: record.actual,
    explanation: record.packet.explanation ?? null,
  };
}

/**
 * Failures with `row < before` (default: all), newest first, at most `limit` (1..MAX, default
 * 100). `nextBefore` is the row to pass back as `before` for the next page, null after the last.
 */
export async function readFailures(
  kv: KvStore,
  taskId: string,
  opts: { before?: number; limit?: number } = {},
): Promise<{ failures: FailureRecord[]; nextBefore: number | null }> {
  const limit = Math.max(1, Math.min(MAX_FAILURE_PAGE, Math.floor(opts.limit ?? 100)));
  const before = opts.before === undefined ? undefined : Math.max(0, Math.floor(opts.before));
  if (before === 0) return { failures: [], nextBefore: null };
  const rows = await kv.list<FailureRecord>(["sim_failures", taskId], {
    end: before === undefined ? undefined : failureKey(taskId, before),
    reverse: true,
    limit: limit + 1,
  });
  const failures = rows.slice(0, limit).map((r) => r.value);
  return {
    failures,
    nextBefore: rows.length > limit ? failures[failures.length - 1].row : null,
  };
}

/** CSV header: the record's fields, then feature / value / contribution per listed feature. */
export const FAILURE_CSV_COLUMNS: readonly string[] = [
  "row",
  "sample_id",
  "timestamp",
  "p_fail",
  "response",
  "margin",
  "bias",
  ...Array.from(
    { length: EXPLANATION_TOP },
    (_, k) => [`feature_${k + 1}`, `value_${k + 1}`, `contribution_${k + 1}`],
  ).flat(),
];

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled.
 * Text starting with `=`, `+`, `-`, `@`, tab or CR (a feature name from an uploaded header, say)
 * gets a leading `'` so spreadsheets do not run it as a formula; numbers are written as numbers.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One failure as a CSV line (with the trailing CRLF). */
export function failureCsvLine(f: FailureRecord): string {
  const fields: (string | number | null)[] = [
    f.row,
    f.sample_id,
    f.timestamp,
    f.p_fail,
    f.response,
    f.explanation?.margin ?? null,
    f.explanation?.bias ?? null,
  ];
  for (let k = 0; k < EXPLANATION_TOP; k++) {
    const c = f.explanation?.top[k];
    fields.push(c?.feature ?? null, c?.value ?? null, c?.contribution ?? null);
  }
  return fields.map(csvField).join(",") + "\r\n";
}

/** The whole fail log as CSV (header first, newest failure first), read from KV page by page. */
export function failuresCsvStream(kv: KvStore, taskId: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let before: number | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(FAILURE_CSV_COLUMNS.join(",") + "\r\n"));
        return;
      }
      const page = await readFailures(kv, taskId, { before, limit: MAX_FAILURE_PAGE });
      if (page.failures.length) {
        controller.enqueue(encoder.encode(page.failures.map(failureCsvLine).join("")));
      }
      if (page.nextBefore === null) controller.close();
      else before = page.nextBefore;
    },
  });
}
