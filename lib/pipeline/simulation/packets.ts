/**
 * The simulation's packet history and summary in Deno KV.
 *
 * - `["sim_packets", taskId, seq]` → `SimPacketRecord`: one per replayed row, `seq` =
 *   `current_row_index` (0-based, contiguous), so a cursor is simply "the last seq seen". Written
 *   with `expireIn` = the task retention, so the history outlives the task by as long as the
 *   task record itself and then disappears on its own.
 * - `["sim_summary", taskId]` → `SimSummary`: running totals (written with every packet, in the
 *   same atomic commit) and kept after the end or a stop.
 * - `["sim_failures", taskId, seq]` → `FailureRecord` for each "Fail" packet (the fail log,
 *   `failures.ts`), in the same atomic commit and with the same expiry as its packet.
 *
 * Writing a packet twice (a resumed task redoing the row it had not checkpointed) overwrites the
 * same key with the same content, so readers never see duplicates or gaps.
 *
 * @example
 * ```ts
 * const { packets, nextAfter } = await readPackets(kv, taskId, { after: -1, limit: 100 });
 * ```
 *
 * @module
 */
import { announcePacket } from "./packet_bus.ts";
import type { KvStore } from "../../kv.ts";
import { failureKey, failureOf } from "./failures.ts";
import type { SimPacket, SimPacketRecord, SimSummary } from "./packet_types.ts";

export type {
  LivePrediction,
  LiveStats,
  SimConfusion,
  SimPacket,
  SimPacketRecord,
  SimSummary,
} from "./packet_types.ts";

/** Key of packet `seq` of a task. */
export const packetKey = (taskId: string, seq: number): Deno.KvKey => ["sim_packets", taskId, seq];
/** Key of a task's summary. */
export const summaryKey = (taskId: string): Deno.KvKey => ["sim_summary", taskId];

/** Largest page `readPackets` returns. */
export const MAX_PAGE = 1000;

/**
 * Store a packet, the running summary and (for a "Fail") its fail-log entry in one atomic commit
 * (so the summary never counts a packet that is not stored, and no failure is ever missing from
 * the log), all expiring after `expireInMs`.
 */
export async function writePacket(
  kv: KvStore,
  taskId: string,
  record: SimPacketRecord,
  summary: SimSummary,
  expireInMs: number,
): Promise<void> {
  const op = kv.raw.atomic()
    .set(packetKey(taskId, record.seq), record, { expireIn: expireInMs })
    .set(summaryKey(taskId), summary, { expireIn: expireInMs });
  const failure = failureOf(record);
  if (failure) op.set(failureKey(taskId, record.seq), failure, { expireIn: expireInMs });
  const res = await op.commit();
  if (!res.ok) throw new Error(`Could not store simulation packet ${record.seq} of ${taskId}`);
  // Same-process streams get it now instead of waiting for their KV watch to notice.
  announcePacket(taskId, record);
}

/** Store the summary alone (final state after the end, a stop or a failure). */
export async function writeSummary(
  kv: KvStore,
  summary: SimSummary,
  expireInMs: number,
): Promise<void> {
  await kv.set(summaryKey(summary.task_id), summary, { expireIn: expireInMs });
}

/** The summary, or null. */
export function readSummary(kv: KvStore, taskId: string): Promise<SimSummary | null> {
  return kv.get<SimSummary>(summaryKey(taskId));
}

/**
 * Stored packet records with `seq > after`, in order, at most `limit` (1..MAX_PAGE, default 100).
 * `nextAfter` is the last seq returned (or `after` when none): pass it back as the next cursor.
 */
export async function readPacketRecords(
  kv: KvStore,
  taskId: string,
  opts: { after?: number; limit?: number } = {},
): Promise<{ records: SimPacketRecord[]; nextAfter: number }> {
  const after = Math.max(-1, Math.floor(opts.after ?? -1));
  const limit = Math.max(1, Math.min(MAX_PAGE, Math.floor(opts.limit ?? 100)));
  const rows = await kv.list<SimPacketRecord>(["sim_packets", taskId], {
    start: packetKey(taskId, after + 1),
    limit,
  });
  const records = rows.map((r) => r.value);
  return { records, nextAfter: records.length ? records[records.length - 1].seq : after };
}

/** Like `readPacketRecords`, returning only the contract packets. */
export async function readPackets(
  kv: KvStore,
  taskId: string,
  opts: { after?: number; limit?: number } = {},
): Promise<{ packets: SimPacket[]; nextAfter: number }> {
  const { records, nextAfter } = await readPacketRecords(kv, taskId, opts);
  return { packets: records.map((r) => r.packet), nextAfter };
}
